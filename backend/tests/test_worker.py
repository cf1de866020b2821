from __future__ import annotations

import json

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from ariaforge.core.metrics import AUDIO_QUEUE_SIZE
from ariaforge.jobs.queue import (
    DEAD_LETTER_STREAM,
    enqueue,
    ensure_group,
    pending_count,
    result_key,
)
from ariaforge.jobs.worker import Worker


async def test_jobs_run_and_failures_go_to_the_dead_letter_stream(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    redis: Redis = app.state.redis
    worker = Worker(redis, name="test-worker")
    await ensure_group(redis)
    ok = await enqueue(redis, "echo", {"hello": "world"})
    unknown = await enqueue(redis, "no-such-kind", {"x": 1})
    assert await pending_count(redis) == 2

    handled = 0
    for _ in range(5):
        handled += await worker.run_once(block_ms=100)
        if handled == 2:
            break
    assert handled == 2
    assert await redis.hget(result_key(ok), "status") == "done"
    assert json.loads(await redis.hget(result_key(ok), "result") or "{}") == {
        "echo": {"hello": "world"}}
    assert await redis.hget(result_key(unknown), "status") == "failed"
    dead: list[tuple[str, dict[str, str]]] = await redis.xrange(  # type: ignore[assignment]
        DEAD_LETTER_STREAM)
    assert [fields["id"] for _, fields in dead] == [unknown]
    assert "no handler" in dead[0][1]["error"]

    await worker.run_once(block_ms=10)
    assert await pending_count(redis) == 0
    assert AUDIO_QUEUE_SIZE._value.get() == 0  # the gauge this process set
