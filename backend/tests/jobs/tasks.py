"""Job kinds that exist only to test the queue: in-process workers take `TASKS` directly,
and `ariaforge worker` processes load it through JOB_EXTRA_TASK_MODULES=tests.jobs.tasks."""

from __future__ import annotations

import asyncio
from typing import Any, Final

from ariaforge.queue.errors import PermanentJobError
from ariaforge.queue.registry import Handler, JobContext

MAX_SLEEP_S: Final = 60.0
DONE_SET: Final = "ariaforge:diagnostics:done"


async def echo(ctx: JobContext) -> dict[str, Any]:
    """Proves the queue round trip end to end."""
    return {"echo": ctx.payload}


async def sleep(ctx: JobContext) -> dict[str, Any]:
    """Works for `seconds` in steps, reporting progress: checks a worker fleet's
    progress, cancellation and crash recovery without rendering anything. Its one effect
    (recording the job as done) is idempotent."""
    seconds = ctx.payload.get("seconds", 1.0)
    if not isinstance(seconds, int | float) or not 0 <= seconds <= MAX_SLEEP_S:
        raise PermanentJobError(f"seconds must be a number from 0 to {MAX_SLEEP_S:g}")
    steps = max(1, int(seconds * 10))
    for step in range(steps):
        ctx.report(100.0 * step / steps, "sleeping")
        await asyncio.sleep(seconds / steps)
    ctx.report(100.0, "done")
    await ctx.redis.sadd(DONE_SET, str(ctx.job_id))
    return {"slept": seconds, "attempt": ctx.attempt}


TASKS: dict[str, Handler] = {"echo": echo, "diagnostics.sleep": sleep}
