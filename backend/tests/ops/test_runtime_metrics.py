"""The job, queue, database pool and Redis metrics, measured in-process on real services."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.config import Settings
from ariaforge.core.db import create_engine, run_after_commit
from ariaforge.core.embedded import free_port
from ariaforge.core.redis import create_redis
from ariaforge.queue.stream import (
    CONSUMER_GROUP,
    JOBS_STREAM,
    ensure_group,
    oldest_waiting_age_s,
    submit,
)
from ariaforge.queue.worker import Worker, WorkerConfig
from tests.ops.metrics_tasks import ECHO, FAIL, TASKS
from tests.ops.processes import ATTEMPTS_TIMED, JOBS_TIMED_SINCE_SUBMISSION

FAST = WorkerConfig(visibility_timeout_s=1.0, heartbeat_s=0.2, block_s=0.2, retry_base_s=0.0,
                    progress_every_s=0.05)


def value(name: str, **labels: str) -> float:
    found = REGISTRY.get_sample_value(name, labels)
    assert found is not None, f"{name}{labels} is not exposed"
    return found


@pytest.fixture
async def redis(settings: Settings, clean: None) -> AsyncIterator[Redis]:
    assert settings.redis_url
    client = create_redis(settings.redis_url)
    yield client
    await client.aclose()


async def _run_job(app: FastAPI, redis: Redis, kind: str) -> None:
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    async with maker() as session:
        await submit(session, redis, kind, {}, max_attempts=1)
        await session.commit()
        await run_after_commit(session)
    worker = Worker(redis, maker, handlers=TASKS, config=FAST)
    for _ in range(10):
        await worker.run_once(block_s=0.05)


async def test_job_outcomes_latency_and_run_time_by_kind(app: FastAPI, redis: Redis) -> None:
    Worker(redis, app.state.sessionmaker, handlers=TASKS, config=FAST)
    # Every kind a worker runs is exposed at once, before its first job.
    for kind in TASKS:
        for outcome in ("succeeded", "failed", "dead", "cancelled"):
            value("ariaforge_jobs_finished_total", kind=kind, outcome=outcome)
    before_ok = value("ariaforge_jobs_finished_total", kind=ECHO, outcome="succeeded")
    before_failed = value("ariaforge_jobs_finished_total", kind=FAIL, outcome="failed")
    before_latency = value(JOBS_TIMED_SINCE_SUBMISSION, kind=ECHO)
    before_runs = value(ATTEMPTS_TIMED, kind=FAIL)

    await _run_job(app, redis, ECHO)
    await _run_job(app, redis, FAIL)

    assert value("ariaforge_jobs_finished_total", kind=ECHO,
                 outcome="succeeded") == before_ok + 1
    assert value("ariaforge_jobs_finished_total", kind=FAIL,
                 outcome="failed") == before_failed + 1
    assert value(JOBS_TIMED_SINCE_SUBMISSION, kind=ECHO) == before_latency + 1
    assert value(ATTEMPTS_TIMED, kind=FAIL) == before_runs + 1


async def test_queue_age_is_that_of_the_oldest_job_no_worker_took(redis: Redis) -> None:
    await ensure_group(redis)
    assert await oldest_waiting_age_s(redis) == 0
    # An entry whose id says it was sent a minute ago (ids are Redis's clock in ms).
    now_s, _ = await redis.time()
    await redis.xadd(JOBS_STREAM, {"job_id": "x"}, id=f"{(int(now_s) - 60) * 1000}-0")
    await redis.xadd(JOBS_STREAM, {"job_id": "y"})
    assert 60 <= await oldest_waiting_age_s(redis) < 3600
    # Taken by a worker (delivered), it no longer waits; the next one is fresh.
    await redis.xreadgroup(CONSUMER_GROUP, "test", {JOBS_STREAM: ">"}, count=1)
    assert await oldest_waiting_age_s(redis) < 60
    await redis.xreadgroup(CONSUMER_GROUP, "test", {JOBS_STREAM: ">"}, count=1)
    assert await oldest_waiting_age_s(redis) == 0


async def test_database_pool_gauges_and_connect_errors(settings: Settings) -> None:
    assert settings.database_url
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        base_used = value("ariaforge_db_pool_checked_out")
        base_overflow = value("ariaforge_db_pool_overflow")
        base_capacity = value("ariaforge_db_pool_capacity")
        async with engine.connect() as first, engine.connect() as second:
            await first.execute(text("SELECT 1"))
            await second.execute(text("SELECT 1"))
            assert value("ariaforge_db_pool_checked_out") == base_used + 2
            assert value("ariaforge_db_pool_overflow") == base_overflow + 1
            # pool_size 1 plus as many overflow connections.
            assert value("ariaforge_db_pool_capacity") == base_capacity + 2
        # Checked in, the connections are back in the pool after the loop's next turn.
        await asyncio.sleep(0.05)
        assert value("ariaforge_db_pool_checked_out") == base_used
        assert value("ariaforge_db_pool_overflow") == base_overflow
    finally:
        await engine.dispose()
    # Disposed, the engine's pool no longer counts (nor the unused one that replaces it).
    assert value("ariaforge_db_pool_capacity") == base_capacity

    errors = value("ariaforge_db_connect_errors_total")
    nowhere = create_engine(f"postgresql://nobody:x@127.0.0.1:{free_port()}/none")
    with pytest.raises(ConnectionRefusedError):
        async with nowhere.connect():
            pass
    await nowhere.dispose()
    assert value("ariaforge_db_connect_errors_total") == errors + 1


async def test_redis_errors_are_counted_by_command() -> None:
    client = create_redis(f"redis://127.0.0.1:{free_port()}/0")
    labels = {"operation": "get", "error": "ConnectionError"}
    before = REGISTRY.get_sample_value("ariaforge_redis_errors_total", labels) or 0.0
    with pytest.raises(RedisConnectionError):
        await client.get("anything")
    async with client.pipeline(transaction=True) as pipe:
        pipe.set("a", "1")
        with pytest.raises(RedisConnectionError):
            await pipe.execute()
    await client.aclose()
    assert value("ariaforge_redis_errors_total", **labels) == before + 1
    assert value("ariaforge_redis_errors_total", operation="pipeline",
                 error="ConnectionError") >= 1
