"""Every job kind the product has: the composition root that hands them to the worker.

Each domain's `tasks.py` exposes `TASKS` (job kind -> handler); nothing registers itself
on import, so the queue knows no domain and a test's worker runs only what it is given.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from anyio import to_thread

from ariaforge.collab.install import install as install_collab
from ariaforge.exports.service import EXPIRE_JOB, EXPORT_JOB, PREVIEW_JOB
from ariaforge.queue.registry import Handler, JobContext, merge_tasks
from ariaforge.sessions.service import COMPOSE_JOB

logger = logging.getLogger(__name__)

# Where each product job kind's handler lives. These modules load the audio stack and the
# composer (about 3 s of imports on two cores), so a worker can start without them.
PRODUCT_TASKS: Mapping[str, str] = {
    EXPORT_JOB: "ariaforge.exports.tasks",
    PREVIEW_JOB: "ariaforge.exports.tasks",
    EXPIRE_JOB: "ariaforge.exports.tasks",
    COMPOSE_JOB: "ariaforge.sessions.tasks",
}


def all_handlers(extra_modules: Iterable[str] = (), *,
                 deferred: bool = False) -> dict[str, Handler]:
    """The product's handlers, plus those of `extra_modules` (the JOB_EXTRA_TASK_MODULES
    setting: empty in production, imported at once so a misnamed one fails the start).

    `deferred`: product handlers import their module on their first job instead of now,
    so the worker is consuming (and counted live by /ready) within a second of starting;
    `preload_product_tasks` then imports them in the background."""
    extras = [tasks_of(module) for module in extra_modules]
    # Score writes of jobs (the composer's operations) reach live rooms as REST ones do.
    install_collab()
    if deferred:
        product = {kind: _deferred(kind, module) for kind, module in PRODUCT_TASKS.items()}
        return merge_tasks(product, *extras)
    return merge_tasks(*(tasks_of(module) for module in dict.fromkeys(PRODUCT_TASKS.values())),
                       *extras)


def preload_product_tasks() -> None:
    """Import every product task module (blocking: run it on a thread). At the lowest
    CPU priority where the system allows it: under `up` the API is starting beside this
    worker, and its start, not these imports, is what people wait for."""
    with contextlib.suppress(AttributeError, OSError):  # Linux: per-thread priorities
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    for module in dict.fromkeys(PRODUCT_TASKS.values()):
        try:
            importlib.import_module(module)
        except Exception:
            # Said now, not at the first job: that job fails with the same error.
            logger.exception("job handlers in %s cannot be loaded", module)


def tasks_of(module: str) -> Mapping[str, Handler]:
    """The `TASKS` of the module named `module` (dotted, importable)."""
    tasks: Mapping[str, Handler] = importlib.import_module(module).TASKS
    return tasks


def _deferred(kind: str, module: str) -> Handler:
    async def run(ctx: JobContext) -> dict[str, Any]:
        # Off the event loop: heartbeats go on while a first job waits for the import.
        tasks = await to_thread.run_sync(tasks_of, module)
        return await tasks[kind](ctx)
    run.__name__ = f"deferred_{kind.replace('.', '_')}"
    return run
