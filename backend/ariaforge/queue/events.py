"""Progress events: published through Redis so that any API replica can relay them.

Progress as clients see it never goes backwards: `publish` keeps each job's highest
progress in Redis and sends that (atomically, in one script), so a retry that starts
again at 25 % after an attempt reached 32 % is shown as 32 % until it gets further.

A subscription holds one Redis connection for as long as it is open. `subscription()`
is the one way in: it gives the connection back (disconnected, which also ends the
subscription on the server) on every exit path, cancellation included.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)

EVENTS_CHANNEL = "ariaforge:job-events"
LATEST_TTL_S = 24 * 3600

# KEYS: highest progress, latest event, job channel, all-jobs channel.
# ARGV: the event as JSON, the keys' TTL. Returns the event as published.
_PUBLISH_SCRIPT = """
local highest = tonumber(redis.call('GET', KEYS[1])) or 0
local event = cjson.decode(ARGV[1])
local progress = tonumber(event['progress'])
if progress ~= nil and progress > highest then highest = progress end
event['progress'] = highest
redis.call('SET', KEYS[1], tostring(highest), 'EX', ARGV[2])
local body = cjson.encode(event)
redis.call('SET', KEYS[2], body, 'EX', ARGV[2])
redis.call('PUBLISH', KEYS[3], body)
redis.call('PUBLISH', KEYS[4], body)
return body
"""


def job_channel(job_id: uuid.UUID | str) -> str:
    return f"{EVENTS_CHANNEL}:{job_id}"


def _latest_key(job_id: uuid.UUID | str) -> str:
    return f"ariaforge:job-latest:{job_id}"


def _progress_key(job_id: uuid.UUID | str) -> str:
    return f"ariaforge:job-progress:{job_id}"


async def publish(redis: Redis, job_id: uuid.UUID | str, event: dict[str, Any]) -> None:
    """Send an event to the job's channel and the all-jobs channel, and keep it as the
    job's latest state for subscribers that join late. Its `progress` is raised to the
    highest the job has published (filled in when the event has none)."""
    body = json.dumps({"job_id": str(job_id), **event}, default=str, ensure_ascii=False)
    # Lua's cjson refuses a lone surrogate (from an exception's text, say): make it "?".
    body = body.encode("utf-8", "replace").decode("utf-8")
    await redis.eval(
        _PUBLISH_SCRIPT, 4, _progress_key(job_id), _latest_key(job_id),
        job_channel(job_id), EVENTS_CHANNEL, body, LATEST_TTL_S)


async def latest(redis: Redis, job_id: uuid.UUID | str) -> dict[str, Any] | None:
    body = await redis.get(_latest_key(job_id))
    return json.loads(body) if body else None


class Subscription:
    """A job's events: its latest one first (for late joiners), then each new one, until
    the event that says it finished. Read it from one task at a time.

    `next` only ever reads the subscribed connection, so the task reading it may be
    cancelled safely. (On Python 3.11, cancelling a task while redis-py *sends* a
    command can be lost inside `asyncio.wait_for`, and the task then carries on; the
    latest event is therefore fetched on entry, not by `next`.)"""

    def __init__(self, pubsub: PubSub, first: dict[str, Any] | None) -> None:
        self._pubsub = pubsub
        self._pending = first
        self.finished = False

    async def next(self, wait_s: float | None = None) -> dict[str, Any] | None:
        """The next event; None once the job's final event has been returned, or when
        none arrived within `wait_s` seconds (`finished` tells which)."""
        if self.finished:
            return None
        if self._pending is not None:
            event, self._pending = self._pending, None
            return self._seen(event)
        while True:
            message = await self._pubsub.get_message(ignore_subscribe_messages=True,
                                                     timeout=wait_s)
            if message is None and wait_s is not None:
                return None
            if message is not None and message.get("type") == "message":
                return self._seen(json.loads(message["data"]))

    def _seen(self, event: dict[str, Any]) -> dict[str, Any]:
        self.finished = bool(event.get("finished"))
        return event


@contextlib.asynccontextmanager
async def subscription(redis: Redis, job_id: uuid.UUID | str) -> AsyncIterator[Subscription]:
    """Subscribed on entry (so nothing published afterwards is missed), with the job's
    latest event in hand; on exit, however it happens, the connection is closed and
    returned to the pool."""
    pubsub = redis.pubsub()
    try:
        await pubsub.subscribe(job_channel(job_id))
        yield Subscription(pubsub, await latest(redis, job_id))
    finally:
        await _close(pubsub)


async def _close(pubsub: PubSub) -> None:
    """`aclose` disconnects (ending the subscription server-side) and releases the
    connection. Shielded: a dropped client's cancelled handler must still finish it."""
    closing = asyncio.ensure_future(pubsub.aclose())  # type: ignore[no-untyped-call]
    cancelled = False
    while not closing.done():
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError:
            cancelled = True
        except Exception as error:  # the connection is already gone: nothing to return
            logger.debug("closing a subscription: %s", error)
    if cancelled:
        raise asyncio.CancelledError


async def subscribe(redis: Redis,
                    job_id: uuid.UUID | str) -> AsyncGenerator[dict[str, Any], None]:
    """The job's latest event, then every new one until it finishes. Consume it in one
    task; to stop early from another task, cancel the consuming task (never `aclose()` a
    generator another task is running)."""
    async with subscription(redis, job_id) as events:
        while (event := await events.next()) is not None:
            yield event
