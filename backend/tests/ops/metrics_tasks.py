"""Job kinds for the metrics and liveness tests: `ariaforge worker` processes load them
through JOB_EXTRA_TASK_MODULES=tests.ops.metrics_tasks (with the backend on PYTHONPATH)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Final

from ariaforge.queue.errors import PermanentJobError
from ariaforge.queue.registry import Handler, JobContext

BLOCK_LIMIT_S: Final = 120.0
ECHO: Final = "ops.echo"
BLOCK_LOOP: Final = "ops.block_loop"
FAIL: Final = "ops.fail"


async def echo(ctx: JobContext) -> dict[str, Any]:
    return {"echo": ctx.payload}


async def block_loop(ctx: JobContext) -> dict[str, Any]:
    """Blocks the worker's event loop itself (a synchronous wait, no await) until the file
    `release` exists: the hang a liveness probe must see. Bounded, so a broken test ends."""
    release = Path(str(ctx.payload.get("release", "")))
    deadline = time.monotonic() + BLOCK_LIMIT_S
    while not release.exists() and time.monotonic() < deadline:  # noqa: ASYNC240 - on purpose
        time.sleep(0.05)  # noqa: ASYNC251 - deliberately on the event loop's thread
    return {"released": release.exists()}  # noqa: ASYNC240


async def fail(ctx: JobContext) -> dict[str, Any]:
    raise PermanentJobError("this job always fails")


TASKS: dict[str, Handler] = {ECHO: echo, BLOCK_LOOP: block_loop, FAIL: fail}
