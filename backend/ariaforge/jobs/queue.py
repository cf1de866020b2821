"""The job queue on Redis Streams: one stream, one consumer group, a dead-letter stream."""

from __future__ import annotations

import json
import uuid
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

JOBS_STREAM = "ariaforge:jobs"
DEAD_LETTER_STREAM = "ariaforge:jobs:dead"
CONSUMER_GROUP = "workers"
RESULT_TTL_S = 24 * 3600
# Bounded so a runaway producer cannot fill Redis's memory.
MAX_STREAM_LENGTH = 100_000


def result_key(job_id: str) -> str:
    return f"ariaforge:job:{job_id}"


async def ensure_group(redis: Redis) -> None:
    try:
        await redis.xgroup_create(JOBS_STREAM, CONSUMER_GROUP, id="0", mkstream=True)
    except ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise


async def enqueue(redis: Redis, kind: str, payload: dict[str, Any]) -> str:
    """Add a job; call only after the request's transaction committed."""
    job_id = uuid.uuid4().hex
    await redis.xadd(JOBS_STREAM, {"id": job_id, "kind": kind, "payload": json.dumps(payload)},
                     maxlen=MAX_STREAM_LENGTH, approximate=True)
    await redis.hset(result_key(job_id), mapping={"status": "queued", "kind": kind})
    await redis.expire(result_key(job_id), RESULT_TTL_S)
    return job_id


async def pending_count(redis: Redis) -> int:
    """Jobs waiting or running: workers delete a job from the stream once it is finished
    (its outcome lives in its result hash), so the stream's length is the queue size.
    (XINFO's `lag` would need Redis 7; the embedded server is 6.2.)"""
    return int(await redis.xlen(JOBS_STREAM))
