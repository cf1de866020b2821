"""Progress events: published through Redis so that any API replica can relay them."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncGenerator
from typing import Any

from redis.asyncio import Redis

EVENTS_CHANNEL = "ariaforge:job-events"
LATEST_TTL_S = 24 * 3600


def job_channel(job_id: uuid.UUID | str) -> str:
    return f"{EVENTS_CHANNEL}:{job_id}"


def _latest_key(job_id: uuid.UUID | str) -> str:
    return f"ariaforge:job-latest:{job_id}"


async def publish(redis: Redis, job_id: uuid.UUID | str, event: dict[str, Any]) -> None:
    """Send an event to the job's channel and the all-jobs channel, and keep it as the
    job's latest state for subscribers that join late."""
    body = json.dumps({"job_id": str(job_id), **event}, default=str)
    async with redis.pipeline(transaction=False) as pipe:
        pipe.set(_latest_key(job_id), body, ex=LATEST_TTL_S)
        pipe.publish(job_channel(job_id), body)
        pipe.publish(EVENTS_CHANNEL, body)
        await pipe.execute()


async def latest(redis: Redis, job_id: uuid.UUID | str) -> dict[str, Any] | None:
    body = await redis.get(_latest_key(job_id))
    return json.loads(body) if body else None


async def subscribe(redis: Redis,
                    job_id: uuid.UUID | str) -> AsyncGenerator[dict[str, Any], None]:
    """The job's latest event, then every new one until it finishes."""
    pubsub = redis.pubsub()
    await pubsub.subscribe(job_channel(job_id))
    try:
        current = await latest(redis, job_id)
        if current is not None:
            yield current
            if current.get("finished"):
                return
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            event: dict[str, Any] = json.loads(message["data"])
            yield event
            if event.get("finished"):
                return
    finally:
        await pubsub.unsubscribe()
        await pubsub.aclose()  # type: ignore[no-untyped-call]
