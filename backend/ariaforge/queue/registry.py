"""Job kinds and their handlers, and what a handler gets to work with."""

from __future__ import annotations

import asyncio
import functools
import threading
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.config import Settings
from ariaforge.models import Job
from ariaforge.queue.errors import JobCancelled, PermanentJobError


@dataclass
class JobContext:
    """Handed to a handler. CPU-bound work runs in a thread and reports through
    `report` (thread-safe); the worker publishes the latest report and raises
    JobCancelled inside the thread at its next report after a cancellation."""

    job_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    attempt: int
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: Redis
    settings: Settings | None = None
    cancelled: threading.Event = field(default_factory=threading.Event)
    # Progress already stored for the job (by an earlier attempt): reports never go
    # below it, so clients never see a retry move the bar backwards.
    progress_floor: float = 0.0
    _latest: tuple[float, str, str] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def report(self, percent: float, stage: str, message: str = "") -> None:
        if self.cancelled.is_set():
            raise JobCancelled
        with self._lock:
            percent = max(self.progress_floor, min(100.0, percent))
            self.progress_floor = percent
            self._latest = (percent, stage[:64], message[:500])

    def take_report(self) -> tuple[float, str, str] | None:
        with self._lock:
            latest, self._latest = self._latest, None
            return latest


def payload_id(ctx: JobContext, field: str, what: str) -> uuid.UUID:
    """The id a job's payload names; a job without one can never succeed."""
    try:
        return uuid.UUID(str(ctx.payload.get(field)))
    except ValueError:
        raise PermanentJobError(f"the job names no {what}") from None


Handler = Callable[[JobContext], Coroutine[Any, Any, dict[str, Any]]]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register `function` for `kind`. The registered handler first raises the context's
    progress floor to what the job already stored (see `with_progress_floor`)."""
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = with_progress_floor(function)
        return function
    return register


def with_progress_floor(function: Handler) -> Handler:
    @functools.wraps(function)
    async def run(ctx: JobContext) -> dict[str, Any]:
        if ctx.sessionmaker is not None:
            ctx.progress_floor = max(ctx.progress_floor, await stored_progress(ctx))
        return await function(ctx)
    return run


async def stored_progress(ctx: JobContext) -> float:
    async with ctx.sessionmaker() as session:
        value = await session.scalar(select(Job.progress).where(Job.id == ctx.job_id))
    return float(value or 0.0)


@handler("echo")
async def _echo(ctx: JobContext) -> dict[str, Any]:
    """Proves the queue round trip end to end."""
    return {"echo": ctx.payload}


MAX_SLEEP_S = 60.0


@handler("diagnostics.sleep")
async def _sleep(ctx: JobContext) -> dict[str, Any]:
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
    await ctx.redis.sadd("ariaforge:diagnostics:done", str(ctx.job_id))
    return {"slept": seconds, "attempt": ctx.attempt}
