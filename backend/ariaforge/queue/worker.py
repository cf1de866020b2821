"""The worker: consume job ids from the stream, run handlers, survive crashes.

At-least-once delivery with exactly-once effects:
- A worker owns a job only after a conditional UPDATE gives it a lease in PostgreSQL.
- While the handler runs, a heartbeat extends the lease and re-claims the stream entry
  (resetting its idle time), so long jobs are never taken from a live worker.
- Entries idle past the visibility timeout belonged to a dead worker: XAUTOCLAIM hands
  them to a live one, whose conditional UPDATE succeeds once the lease has expired.
- Transient failures retry with exponential back-off; after `max_attempts` the job is
  dead and its error goes to the dead-letter stream. PermanentJobError fails at once.
- Handlers make their effects idempotent (deterministic output paths, rows keyed by
  the job), so a job run twice after a crash still has one effect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.config import Settings, get_settings
from ariaforge.core.liveness import announce_worker, forget_worker
from ariaforge.core.metrics import (
    AUDIO_QUEUE_SIZE,
    JOB_LATENCY,
    JOB_OUTCOMES,
    JOB_RETRIES,
    JOB_RUN_TIME,
    JOBS_FINISHED,
    QUEUE_OLDEST_AGE,
    init_job_series,
)
from ariaforge.core.redis import CountingRedis
from ariaforge.models import Job, JobStatus
from ariaforge.queue import events
from ariaforge.queue.errors import JobCancelled, PermanentJobError
from ariaforge.queue.heartbeat import LoopHeartbeat
from ariaforge.queue.registry import Handler, JobContext
from ariaforge.queue.stream import (
    CONSUMER_GROUP,
    JOBS_STREAM,
    dead_letter,
    ensure_group,
    oldest_waiting_age_s,
    pending_count,
    promote_due,
    send,
    send_later,
)

logger = logging.getLogger(__name__)
SWEEP_EVERY_S = 10.0
# A queued job whose stream entry was never written (crash between commit and XADD).
UNSENT_AFTER_S = 10.0
# A queued job sent this many visibility timeouts ago and still not taken is re-sent: its
# entry was lost (a queue that long is better served by a duplicate than by a wait).
LOST_AFTER_VISIBILITY_TIMEOUTS = 4


@dataclass
class WorkerConfig:
    visibility_timeout_s: float = 30.0
    heartbeat_s: float = 5.0
    block_s: float = 2.0
    retry_base_s: float = 2.0
    progress_every_s: float = 0.25


def create_worker_redis(url: str, config: WorkerConfig) -> Redis:
    """The socket timeout must outlast the blocking read, or an idle consumer's read times
    out; we set it well above, and the loop still survives timeouts if they happen."""
    return CountingRedis.from_url(url, decode_responses=True, socket_connect_timeout=5,
                                  socket_timeout=config.block_s + 10,
                                  health_check_interval=30)


class Worker:
    """Runs the `handlers` it is given, by job kind (the entry point passes every kind the
    product has: `ariaforge.tasks.all_handlers()`); a job of any other kind fails."""

    def __init__(self, redis: Redis, sessionmaker: async_sessionmaker[AsyncSession], *,
                 handlers: Mapping[str, Handler], config: WorkerConfig | None = None,
                 name: str | None = None, settings: Settings | None = None,
                 heartbeat: LoopHeartbeat | None = None) -> None:
        self.redis = redis
        self.sessionmaker = sessionmaker
        self.config = config or WorkerConfig()
        self.name = name or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.handlers = dict(handlers)
        self.settings = settings or get_settings()
        self._stopping = asyncio.Event()
        self._last_sweep = 0.0
        self.heartbeat = heartbeat or LoopHeartbeat()
        init_job_series(self.handlers)

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        if not await self._join_group():
            return
        logger.info("worker %s consuming %s", self.name, JOBS_STREAM)
        liveness = asyncio.create_task(self._announce_liveness())
        try:
            while not self._stopping.is_set():
                self.heartbeat.beat()
                try:
                    await self.run_once()
                except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                    # Never let a lost connection end the consumer silently: wait, retry.
                    logger.warning("worker %s: Redis unavailable (%s); retrying",
                                   self.name, error)
                    await self._pause(1.0)
        finally:
            liveness.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await liveness
            with contextlib.suppress(RedisConnectionError, RedisTimeoutError, OSError):
                await forget_worker(self.redis, self.name)

    async def _join_group(self) -> bool:
        """Creates the consumer group, waiting out a Redis that is down at start: a worker
        (re)started during an outage must not exit, or a restart loop replaces waiting.
        False when asked to stop before Redis came back."""
        while not self._stopping.is_set():
            self.heartbeat.beat()
            try:
                await ensure_group(self.redis)
                return True
            except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                logger.warning("worker %s: Redis unavailable at start (%s); retrying",
                               self.name, error)
                await self._pause(1.0)
        return False

    async def _announce_liveness(self) -> None:
        """Heartbeat for /ready, in its own task so that a long job does not stop it.
        It expires after the visibility timeout, the same silence after which our jobs
        would be handed to another worker."""
        while not self._stopping.is_set():
            try:
                await announce_worker(self.redis, self.name, self.config.visibility_timeout_s)
            except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                logger.debug("worker %s: heartbeat not published (%s)", self.name, error)
            await self._pause(min(self.config.heartbeat_s, self.config.visibility_timeout_s / 3))

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def run_once(self, block_s: float | None = None) -> int:
        """One turn: housekeeping, then at most one job. Returns jobs handled."""
        try:
            return await self._turn(block_s)
        except ResponseError as error:
            if "NOGROUP" not in str(error):
                raise
            # Redis lost the stream or group (flushed, or restarted without its data):
            # recreate it; the sweeper re-sends jobs that were waiting in it.
            await ensure_group(self.redis)
            return await self._turn(block_s)

    async def _turn(self, block_s: float | None) -> int:
        await promote_due(self.redis)
        handled = 0
        if asyncio.get_running_loop().time() - self._last_sweep >= SWEEP_EVERY_S:
            self._last_sweep = asyncio.get_running_loop().time()
            handled += await self.reclaim()
            await self.sweep()
        AUDIO_QUEUE_SIZE.set(await pending_count(self.redis))
        QUEUE_OLDEST_AGE.set(await oldest_waiting_age_s(self.redis))
        block_ms = int(1000 * (self.config.block_s if block_s is None else block_s))
        batches: Any = await self.redis.xreadgroup(
            CONSUMER_GROUP, self.name, {JOBS_STREAM: ">"}, count=1, block=block_ms)
        for _, messages in batches or []:
            for entry_id, fields in messages:
                await self.process(entry_id, fields.get("job_id", ""))
                handled += 1
        return handled

    async def reclaim(self) -> int:
        """Take over entries a dead worker left pending past the visibility timeout."""
        idle_ms = int(self.config.visibility_timeout_s * 1000)
        reply: Any = await self.redis.xautoclaim(JOBS_STREAM, CONSUMER_GROUP, self.name,
                                                 min_idle_time=idle_ms, start_id="0-0",
                                                 count=10)
        claimed = reply[1] if reply else []
        for entry_id, fields in claimed:
            if fields is None:  # the entry was deleted while pending
                await self._ack(entry_id)
                continue
            logger.info("worker %s reclaimed %s", self.name, fields.get("job_id"))
            await self.process(entry_id, fields.get("job_id", ""))
        return len(claimed)

    async def sweep(self) -> None:
        """Re-send jobs whose stream entry is missing: queued jobs never sent (a crash
        between commit and XADD), queued jobs whose entry Redis lost (it syncs its
        append-only file once a second, so a crash can drop the last entries, and the
        delayed-retry set with them), and running jobs whose worker died long ago while
        Redis lost its entry. Nothing stays "queued" or "running" forever; a duplicate
        entry is harmless (the lease decides which worker runs the job)."""
        now = datetime.now(UTC)
        unsent = now - timedelta(seconds=UNSENT_AFTER_S)
        abandoned = now - timedelta(seconds=2 * self.config.visibility_timeout_s)
        lost = now - timedelta(seconds=LOST_AFTER_VISIBILITY_TIMEOUTS
                               * self.config.visibility_timeout_s)
        async with self.sessionmaker() as session:
            queued = Job.status == JobStatus.QUEUED.value
            rows = await session.execute(
                select(Job.id).where(
                    (queued & Job.enqueued_at.is_(None) & (Job.created_at < unsent))
                    | (queued & (Job.enqueued_at < lost))
                    | ((Job.status == JobStatus.RUNNING.value) & (Job.lease_until < abandoned)))
                .limit(100))
            ids = list(rows.scalars())
            for job_id in ids:
                await send(self.redis, job_id)
            if ids:
                await session.execute(update(Job).where(Job.id.in_(ids))
                                      .values(enqueued_at=now))
                await session.commit()

    async def _ack(self, entry_id: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xack(JOBS_STREAM, CONSUMER_GROUP, entry_id)
            pipe.xdel(JOBS_STREAM, entry_id)
            await pipe.execute()

    # --- one job ------------------------------------------------------------------

    async def process(self, entry_id: str, raw_job_id: str) -> None:
        try:
            job_id = uuid.UUID(raw_job_id)
        except ValueError:
            logger.error("dropping stream entry %s with bad job id %r", entry_id, raw_job_id)
            await self._ack(entry_id)
            return
        job = await self._claim(job_id)
        if job is not None:
            await self._run(job, entry_id)
        await self._ack(entry_id)

    async def _claim(self, job_id: uuid.UUID) -> Job | None:
        """Our lease on the job, or None if it is finished, cancelled or leased elsewhere."""
        lease = timedelta(seconds=self.config.visibility_timeout_s)
        async with self.sessionmaker() as session:
            cancelled = await session.execute(
                update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED.value,
                                  Job.cancel_requested.is_(True))
                .values(status=JobStatus.CANCELLED.value, finished_at=datetime.now(UTC))
                .returning(Job.id, Job.kind))
            kind = cancelled.first()
            if kind is not None:
                await session.commit()
                JOBS_FINISHED.labels(kind=kind[1], outcome=JobStatus.CANCELLED.value).inc()
                await self._publish(job_id, JobStatus.CANCELLED, finished=True)
                return None
            claimed = await session.execute(
                update(Job).where(
                    Job.id == job_id, Job.cancel_requested.is_(False),
                    (Job.status == JobStatus.QUEUED.value)
                    | ((Job.status == JobStatus.RUNNING.value)
                       & (Job.lease_until < func.now())))
                .values(status=JobStatus.RUNNING.value, attempts=Job.attempts + 1,
                        worker=self.name, lease_until=func.now() + lease,
                        started_at=datetime.now(UTC), error=None)
                .returning(Job))
            job = claimed.scalar_one_or_none()
            await session.commit()
            return job

    async def _run(self, job: Job, entry_id: str) -> None:
        handler = self.handlers.get(job.kind)
        # The floor is the progress an earlier attempt stored: a retry that starts over
        # reports nothing lower, whichever handler runs.
        ctx = JobContext(job_id=job.id, kind=job.kind, payload=job.payload,
                         attempt=job.attempts, sessionmaker=self.sessionmaker,
                         redis=self.redis, settings=self.settings,
                         progress_floor=float(job.progress or 0.0))
        await self._publish(job.id, JobStatus.RUNNING, stage="starting")
        if handler is None:
            await self._finish(job, JobStatus.FAILED, error=f"no handler for {job.kind!r}")
            return
        task = asyncio.create_task(handler(ctx))
        keeper = asyncio.create_task(self._keep_lease(job, entry_id, ctx, task))
        started = time.perf_counter()
        try:
            result = await task
        except (JobCancelled, asyncio.CancelledError):
            if self._stopping.is_set() and not ctx.cancelled.is_set():
                await self._release(job)  # shutting down: give the job back at once
            else:
                await self._finish(job, JobStatus.CANCELLED, message="cancelled")
        except PermanentJobError as error:
            await self._finish(job, JobStatus.FAILED, error=str(error) or "failed")
        except Exception as error:
            logger.exception("job %s (%s) attempt %d failed", job.id, job.kind, job.attempts)
            await self._retry_or_bury(job, f"{type(error).__name__}: {error}")
        else:
            await self._finish(job, JobStatus.SUCCEEDED, result=result)
        finally:
            JOB_RUN_TIME.labels(kind=job.kind).observe(time.perf_counter() - started)
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper

    async def _keep_lease(self, job: Job, entry_id: str, ctx: JobContext,
                          task: asyncio.Task[dict[str, Any]]) -> None:
        """Heartbeat, progress relay and cancellation watch for a running handler."""
        loop = asyncio.get_running_loop()
        next_beat = loop.time()
        # Reports arrive more often than heartbeats: the latest one not yet stored is
        # kept for the next heartbeat, so the row's progress follows the events.
        unstored: tuple[float, str, str] | None = None
        while not task.done():
            self.heartbeat.beat()
            report = ctx.take_report()
            if report is not None:
                await self._publish(job.id, JobStatus.RUNNING, *report)
                unstored = report
            if loop.time() >= next_beat:
                next_beat = loop.time() + self.config.heartbeat_s
                stored, unstored = unstored, None
                if await self._heartbeat(job, entry_id, stored):
                    ctx.cancelled.set()
                    task.cancel()
            if self._stopping.is_set() and not task.done():
                task.cancel()
            await asyncio.sleep(self.config.progress_every_s)

    async def _heartbeat(self, job: Job, entry_id: str,
                         report: tuple[float, str, str] | None) -> bool:
        """Extend the lease, store progress; True when the job was cancelled."""
        lease = timedelta(seconds=self.config.visibility_timeout_s)
        values: dict[str, Any] = {"lease_until": func.now() + lease}
        if report is not None:
            # Never lower: a retry restarts its handler from 0 while clients saw more.
            values.update(progress=func.greatest(Job.progress, report[0]), stage=report[1],
                          message=report[2])
        async with self.sessionmaker() as session:
            row = await session.execute(
                update(Job).where(Job.id == job.id, Job.worker == self.name)
                .values(**values).returning(Job.cancel_requested))
            cancel = row.scalar_one_or_none()
            await session.commit()
        # Re-claiming our own entry resets its idle time: nobody reclaims a live job.
        await self.redis.xclaim(JOBS_STREAM, CONSUMER_GROUP, self.name, min_idle_time=0,
                                message_ids=[entry_id], justid=True)
        return bool(cancel)

    async def _retry_or_bury(self, job: Job, error: str) -> None:
        if job.attempts < job.max_attempts:
            delay = self.config.retry_base_s * 2 ** (job.attempts - 1)
            delay *= random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not cryptography
            # enqueued_at restarts, so the sweep does not re-send it before its delay.
            await self._update(job, status=JobStatus.QUEUED.value, error=error, worker=None,
                               lease_until=None, message=f"retrying in {delay:.1f} s",
                               enqueued_at=datetime.now(UTC) + timedelta(seconds=delay))
            await send_later(self.redis, job.id, delay)
            await self._publish(job.id, JobStatus.QUEUED, message=f"retrying: {error}")
            JOB_RETRIES.labels(kind=job.kind).inc()
            return
        await dead_letter(self.redis, job, error)
        await self._finish(job, JobStatus.DEAD, error=error)

    async def _release(self, job: Job) -> None:
        await self._update(job, status=JobStatus.QUEUED.value, worker=None, lease_until=None,
                           attempts=job.attempts - 1)
        await send(self.redis, job.id)

    async def _finish(self, job: Job, status: JobStatus, *, error: str | None = None,
                      result: dict[str, Any] | None = None, message: str = "") -> None:
        values: dict[str, Any] = {"status": status.value, "error": error, "lease_until": None,
                                  "finished_at": datetime.now(UTC),
                                  "message": message or (error or "")[:500]}
        if result is not None:
            values.update(result=result, progress=100.0, stage="done")
        await self._update(job, **values)
        await self._publish(job.id, status, progress=100.0 if result is not None else None,
                            message=values["message"], error=error, finished=True)
        self._count_outcome(job, status, values["finished_at"])

    @staticmethod
    def _count_outcome(job: Job, status: JobStatus, finished_at: datetime) -> None:
        if status.value not in JOB_OUTCOMES:
            return
        JOBS_FINISHED.labels(kind=job.kind, outcome=status.value).inc()
        # From submission (the row's creation, on the database's clock) to now, on ours:
        # clock skew between hosts can only shift it a little, never below zero.
        if job.created_at is not None:
            waited = (finished_at - job.created_at).total_seconds()
            JOB_LATENCY.labels(kind=job.kind).observe(max(0.0, waited))

    async def _update(self, job: Job, **values: Any) -> None:
        async with self.sessionmaker() as session:
            await session.execute(update(Job).where(Job.id == job.id, Job.worker == self.name)
                                  .values(**values))
            await session.commit()

    async def _publish(self, job_id: uuid.UUID, status: JobStatus, progress: float | None = None,
                       stage: str = "", message: str = "", error: str | None = None,
                       finished: bool = False) -> None:
        event: dict[str, Any] = {"status": status.value, "stage": stage, "message": message,
                                 "finished": finished}
        if progress is not None:
            event["progress"] = progress
        if error:
            event["error"] = error
        await events.publish(self.redis, job_id, event)
