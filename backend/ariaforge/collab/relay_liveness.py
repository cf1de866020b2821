"""Replica liveness: each Relay keeps `collab:replica:{id}` alive (SET PX, refreshed well
within its TTL) and watches the replicas it has received messages from. When one's key is
gone (expired after a crash, or deleted by a clean stop) the callbacks run, so rooms drop
the awareness states of that replica's clients instead of showing stale cursors.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ariaforge.collab.relay_wire import replica_key

logger = logging.getLogger(__name__)

OnReplicaGone = Callable[[str], Awaitable[None]]
MAX_WATCHED = 1_000  # replicas, not clients: a bound that is never reached in practice


class Liveness:
    def __init__(self, redis: Redis, replica_id: str,
                 report: Callable[[str, BaseException | None], None], *,
                 heartbeat_s: float, ttl_s: float, check_s: float) -> None:
        self._redis = redis
        self._replica_id = replica_id
        self._report = report
        self.heartbeat_s = heartbeat_s
        self.ttl_s = ttl_s
        self.check_s = check_s
        self._watched: dict[str, None] = {}  # insertion ordered: the oldest goes first
        self._callbacks: list[OnReplicaGone] = []
        # Until we have been connected for a whole TTL, a missing key may only mean that
        # Redis restarted empty and its owner has not refreshed it yet.
        self._connected_since: float | None = None
        self.stopping = False  # see Relay.stop: loops end on it, not only on cancellation

    def saw(self, replica_id: str) -> None:
        if replica_id and replica_id != self._replica_id and replica_id not in self._watched:
            self._watched[replica_id] = None
            if len(self._watched) > MAX_WATCHED:
                del self._watched[next(iter(self._watched))]

    def watched(self) -> list[str]:
        return list(self._watched)

    def add_callback(self, callback: OnReplicaGone) -> Callable[[], None]:
        self._callbacks.append(callback)

        def remove() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return remove

    async def refresh(self) -> None:
        await self._redis.set(replica_key(self._replica_id), b"1",
                              px=int(self.ttl_s * 1000))

    async def forget_self(self) -> None:
        await self._redis.delete(replica_key(self._replica_id))

    async def run_heartbeat(self) -> None:
        failing = False
        while not self.stopping:
            try:
                await self.refresh()
                if failing:
                    failing = False
                    self._report("heartbeat", None)
            except (RedisError, OSError) as error:
                self._connected_since = None
                if not failing:
                    failing = True
                    self._report("heartbeat", error)
                # Retry sooner than the period: our key may be about to expire.
                await asyncio.sleep(min(self.heartbeat_s, 0.5))
                continue
            if self._connected_since is None:
                self._connected_since = time.monotonic()
            await asyncio.sleep(self.heartbeat_s)

    async def run_watch(self) -> None:
        while not self.stopping:
            await asyncio.sleep(self.check_s)
            since = self._connected_since
            if since is None or time.monotonic() - since < self.ttl_s or not self._watched:
                continue
            try:
                gone = await self._missing(list(self._watched))
            except (RedisError, OSError):
                continue  # the heartbeat reports the outage and restarts the grace period
            for replica_id in gone:
                self._watched.pop(replica_id, None)
                logger.info("collab relay: replica %s is gone", replica_id)
                for callback in list(self._callbacks):
                    try:
                        await callback(replica_id)
                    except Exception:
                        logger.exception("collab relay: replica-gone callback failed")

    async def _missing(self, replica_ids: list[str]) -> list[str]:
        async with self._redis.pipeline(transaction=False) as pipe:
            for replica_id in replica_ids:
                pipe.exists(replica_key(replica_id))
            found = await pipe.execute()
        return [replica_id for replica_id, exists in zip(replica_ids, found, strict=True)
                if not exists]
