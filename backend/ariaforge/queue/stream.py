"""The producer side of the job system: submit after commit, delays, cancellation, size.

PostgreSQL holds each job's state (`jobs` table); the Redis stream only carries job ids
to wake a worker. A stream entry may be lost or duplicated without harm: workers claim a
job with a conditional UPDATE, and a sweeper re-sends jobs that never reached the stream.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.config import get_settings
from ariaforge.models import Job, JobStatus

JOBS_STREAM = "ariaforge:jobs"
DEAD_LETTER_STREAM = "ariaforge:jobs:dead"
DELAYED_SET = "ariaforge:jobs:delayed"
CONSUMER_GROUP = "workers"
# Finished entries are deleted, so the stream holds only waiting and running jobs; the
# cap only matters if workers are gone for a very long time.
MAX_STREAM_LENGTH = 100_000
MAX_DEAD_LETTERS = 10_000
AFTER_COMMIT = "after_commit"


async def ensure_group(redis: Redis) -> None:
    try:
        await redis.xgroup_create(JOBS_STREAM, CONSUMER_GROUP, id="0", mkstream=True)
    except ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise


async def send(redis: Redis, job_id: uuid.UUID | str) -> str:
    """Put a job's id on the stream (wakes one worker)."""
    entry = await redis.xadd(JOBS_STREAM, {"job_id": str(job_id)},
                             maxlen=MAX_STREAM_LENGTH, approximate=True)
    return str(entry)


async def submit(session: AsyncSession, redis: Redis, kind: str, payload: dict[str, Any], *,
                 project_id: uuid.UUID | None = None, created_by: uuid.UUID | None = None,
                 max_attempts: int | None = None) -> Job:
    """Record a job in the request's transaction; it reaches Redis only after the commit,
    so a rolled-back request enqueues nothing. Attempts default to JOB_MAX_ATTEMPTS."""
    if max_attempts is None:
        max_attempts = get_settings().job_max_attempts
    job = Job(kind=kind, payload=payload, project_id=project_id, created_by=created_by,
              max_attempts=max_attempts, status=JobStatus.QUEUED.value)
    session.add(job)
    await session.flush()
    job_id = job.id

    async def enqueue() -> None:
        await send(redis, job_id)
        await mark_enqueued(session, job_id)

    session.info.setdefault(AFTER_COMMIT, []).append(enqueue)
    return job


async def mark_enqueued(session: AsyncSession, job_id: uuid.UUID) -> None:
    await session.execute(update(Job).where(Job.id == job_id)
                          .values(enqueued_at=datetime.now(UTC)))
    await session.commit()


async def send_later(redis: Redis, job_id: uuid.UUID | str, delay_s: float) -> None:
    """A retry after a back-off: workers move it to the stream when it is due."""
    await redis.zadd(DELAYED_SET, {str(job_id): time.time() + delay_s})


async def promote_due(redis: Redis) -> int:
    """Move due delayed jobs onto the stream. ZREM decides which worker moves each one."""
    due: list[str] = await redis.zrangebyscore(  # type: ignore[assignment]
        DELAYED_SET, "-inf", time.time(), start=0, num=100)
    moved = 0
    for job_id in due:
        if await redis.zrem(DELAYED_SET, job_id):
            await send(redis, job_id)
            moved += 1
    return moved


async def pending_count(redis: Redis) -> int:
    """Waiting, running and delayed jobs (finished entries are deleted from the stream)."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.xlen(JOBS_STREAM)
        pipe.zcard(DELAYED_SET)
        length, delayed = await pipe.execute()
    return int(length) + int(delayed)


async def dead_letter(redis: Redis, job: Job, error: str) -> None:
    await redis.xadd(DEAD_LETTER_STREAM, {
        "job_id": str(job.id), "kind": job.kind, "attempts": str(job.attempts),
        "error": error[:2000]}, maxlen=MAX_DEAD_LETTERS, approximate=True)


async def oldest_waiting_age_s(redis: Redis) -> float:
    """Seconds since the oldest job id that no worker has taken yet was sent (0: none).

    Entries after the group's last-delivered id wait for a worker; the entry id is the
    moment Redis appended it (milliseconds on the Redis clock, compared with TIME on that
    same clock). Running jobs and delayed retries are not waiting for a worker."""
    try:
        groups: Any = await redis.xinfo_groups(JOBS_STREAM)
    except ResponseError:  # no stream yet: nothing waits
        return 0.0
    group = next((g for g in groups if g.get("name") == CONSUMER_GROUP), None)
    start = f"({group['last-delivered-id']}" if group else "-"
    async with redis.pipeline(transaction=False) as pipe:
        pipe.xrange(JOBS_STREAM, min=start, max="+", count=1)
        pipe.time()
        oldest, (seconds, micros) = await pipe.execute()
    if not oldest:
        return 0.0
    sent_ms = int(str(oldest[0][0]).split("-", 1)[0])
    now_ms = int(seconds) * 1000 + int(micros) // 1000
    return max(0.0, (now_ms - sent_ms) / 1000)
