"""Every job kind the product has: the composition root that hands them to the worker.

Each domain's `tasks.py` exposes `TASKS` (job kind -> handler); nothing registers itself
on import, so the queue knows no domain and a test's worker runs only what it is given.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping

from ariaforge.queue.registry import Handler, merge_tasks


def all_handlers(extra_modules: Iterable[str] = ()) -> dict[str, Handler]:
    """The product's handlers, plus those of `extra_modules` (the JOB_EXTRA_TASK_MODULES
    setting: empty in production)."""
    # Imported here, not at module level: the export handlers pull in the audio stack,
    # which only the worker needs to load.
    from ariaforge.exports.tasks import TASKS as EXPORT_TASKS
    from ariaforge.sessions.tasks import TASKS as SESSION_TASKS

    return merge_tasks(EXPORT_TASKS, SESSION_TASKS,
                       *(tasks_of(module) for module in extra_modules))


def tasks_of(module: str) -> Mapping[str, Handler]:
    """The `TASKS` of the module named `module` (dotted, importable)."""
    tasks: Mapping[str, Handler] = importlib.import_module(module).TASKS
    return tasks
