"""What a handler gets to work with, and how handlers are named by job kind.

The queue registers nothing itself: each domain's `tasks.py` exposes `TASKS`, a mapping of
job kind to handler, and the worker's entry point hands the merged mapping to `Worker`."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.config import Settings
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
    # Progress already stored for the job (by an earlier attempt; the worker fills it in
    # from the row it claimed): reports never go below it, so clients never see a retry
    # move the bar backwards.
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


def merge_tasks(*task_sets: Mapping[str, Handler]) -> dict[str, Handler]:
    """One mapping of job kind to handler from each domain's `TASKS`. A kind claimed twice
    is refused: whichever came last would otherwise win silently."""
    merged: dict[str, Handler] = {}
    for tasks in task_sets:
        for kind, handler in tasks.items():
            if kind in merged:
                raise ValueError(f"two handlers for the job kind {kind!r}")
            merged[kind] = handler
    return merged
