"""The publishing side: one task per replica sends queued messages in pipelines, in order.

`Subscription.publish` only queues, so a room's write path never waits for Redis (the
update is already in PostgreSQL). Queued messages are sent in batches (one round trip for
a burst). The queue is bounded; while Redis refuses, or when the bounds are reached,
messages are dropped and their rooms remembered: once Redis takes writes again, each such
room gets a gap marker, which makes every other replica resync that room from PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ariaforge.collab.relay_wire import GAP, STREAM_IDLE_TTL_MS, STREAM_MAXLEN, entry_fields

logger = logging.getLogger(__name__)

MAX_OUTBOX_MESSAGES = 10_000
MAX_OUTBOX_BYTES = 64 * 1_048_576
BATCH_MESSAGES = 256
BACKOFF_FIRST_S = 0.1
BACKOFF_MAX_S = 5.0


class Outbox:
    def __init__(self, redis: Redis, replica_id: str,
                 report: Callable[[str, BaseException | None], None]) -> None:
        self._redis = redis
        self._replica_id = replica_id
        self._report = report  # ("publisher", error or None when it works again)
        self._queue: deque[tuple[str, dict[str, bytes], int]] = deque()
        self._bytes = 0
        self._gaps: set[str] = set()
        self._failing = False
        self._ready = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self.dropped = 0
        self.stopping = False  # see Relay.stop: loops end on it, not only on cancellation

    def put(self, key: str, kind: str, payload: bytes, update_id: int) -> None:
        size = len(payload)
        if (self._failing or len(self._queue) >= MAX_OUTBOX_MESSAGES
                or self._bytes + size > MAX_OUTBOX_BYTES):
            self.dropped += 1
            self._gaps.add(key)
        else:
            self._queue.append((key, entry_fields(self._replica_id, kind, payload, update_id),
                                size))
            self._bytes += size
        self._idle.clear()
        self._ready.set()

    async def flush(self, timeout_s: float) -> bool:
        """Wait until everything queued was sent (stop() uses it). False on timeout."""
        try:
            async with asyncio.timeout(timeout_s):
                await self._idle.wait()
            return True
        except TimeoutError:
            return False

    async def run(self) -> None:
        backoff = BACKOFF_FIRST_S
        while not self.stopping:
            await self._ready.wait()
            self._ready.clear()
            while (self._queue or self._gaps) and not self.stopping:
                try:
                    await self._send_batch()
                except (RedisError, OSError) as error:
                    self._fail(error)
                    await asyncio.sleep(backoff * random.uniform(0.5, 1.0))  # noqa: S311
                    backoff = min(backoff * 2, BACKOFF_MAX_S)
                    continue
                backoff = BACKOFF_FIRST_S
                if self._failing:
                    self._failing = False
                    self._report("publisher", None)
            self._idle.set()

    async def _send_batch(self) -> None:
        # Taken now: a room that gains a gap while this batch is in flight needs a marker
        # of its own, after the messages it lost.
        gaps, self._gaps = self._gaps, set()
        batch = [self._queue[index] for index in range(min(BATCH_MESSAGES, len(self._queue)))]
        try:
            pipe = self._redis.pipeline(transaction=False)
            for key in gaps:
                pipe.xadd(key, entry_fields(self._replica_id, GAP, b"", 0),  # type: ignore[arg-type]
                          maxlen=STREAM_MAXLEN, approximate=True)
            for key, fields, _ in batch:
                pipe.xadd(key, fields, maxlen=STREAM_MAXLEN, approximate=True)  # type: ignore[arg-type]
            for key in gaps.union(key for key, _, _ in batch):
                pipe.pexpire(key, STREAM_IDLE_TTL_MS)
            await pipe.execute()
        except BaseException:
            self._gaps |= gaps
            raise
        for _ in batch:
            _, _, size = self._queue.popleft()
            self._bytes -= size

    def _fail(self, error: BaseException) -> None:
        # The batch may be partly written; a gap marker per room covers it either way.
        # Everything still queued is dropped too: a dead Redis must not hold memory, and
        # the markers make the other replicas reload what these messages carried.
        self._gaps.update(key for key, _, _ in self._queue)
        self.dropped += len(self._queue)
        self._queue.clear()
        self._bytes = 0
        if not self._failing:
            self._failing = True
            self._report("publisher", error)
