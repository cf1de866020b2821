"""The worker loop: read jobs from the stream, run their handler, record the outcome.

Handlers register by job kind; later features (compose, render, embeddings) add theirs.
A job whose kind has no handler, or whose handler raises, goes to the dead-letter
stream with the error, so nothing is silently dropped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

from ariaforge.core.metrics import AUDIO_QUEUE_SIZE
from ariaforge.jobs.queue import (
    CONSUMER_GROUP,
    DEAD_LETTER_STREAM,
    JOBS_STREAM,
    MAX_STREAM_LENGTH,
    ensure_group,
    pending_count,
    result_key,
)

logger = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
BLOCK_MS = 1000
BATCH = 10


async def _echo(payload: dict[str, Any]) -> dict[str, Any]:
    """A diagnostics job: proves the queue round trip end to end."""
    return {"echo": payload}


HANDLERS: dict[str, Handler] = {"echo": _echo}


class Worker:
    def __init__(self, redis: Redis, name: str | None = None) -> None:
        self.redis = redis
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        await ensure_group(self.redis)
        logger.info("worker %s consuming %s", self.name, JOBS_STREAM)
        while not self._stopping.is_set():
            await self.run_once()

    async def run_once(self, block_ms: int = BLOCK_MS) -> int:
        """Handle one batch; returns how many jobs it handled."""
        AUDIO_QUEUE_SIZE.set(await pending_count(self.redis))
        # RESP2 with decode_responses: [(stream, [(id, {field: value})])].
        batches: list[tuple[str, list[tuple[str, dict[str, str]]]]] = (
            await self.redis.xreadgroup(CONSUMER_GROUP, self.name, {JOBS_STREAM: ">"},
                                        count=BATCH, block=block_ms)) or []  # type: ignore[assignment]
        handled = 0
        for _, messages in batches:
            for message_id, fields in messages:
                await self._handle(message_id, fields)
                handled += 1
        return handled

    async def _handle(self, message_id: str, fields: dict[str, str]) -> None:
        job_id, kind = fields.get("id", message_id), fields.get("kind", "")
        key = result_key(job_id)
        try:
            handler = HANDLERS.get(kind)
            if handler is None:
                raise LookupError(f"no handler for job kind {kind!r}")
            await self.redis.hset(key, "status", "running")
            result = await handler(json.loads(fields.get("payload", "{}")))
            await self.redis.hset(key, mapping={"status": "done", "result": json.dumps(result)})
        except Exception as error:
            logger.exception("job %s (%s) failed", job_id, kind)
            await self.redis.hset(key, mapping={"status": "failed", "error": str(error)})
            dead: dict[Any, Any] = {**fields, "error": str(error)}
            await self.redis.xadd(DEAD_LETTER_STREAM, dead,
                                  maxlen=MAX_STREAM_LENGTH, approximate=True)
        finally:
            await self.redis.xack(JOBS_STREAM, CONSUMER_GROUP, message_id)
            await self.redis.xdel(JOBS_STREAM, message_id)
