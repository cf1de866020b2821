"""The reading side: one task per replica reads every joined stream with a single
blocking XREAD on a connection of its own.

One connection however many rooms are open (a reader per room would hold one blocked
Redis connection per room and per replica). A room that joins while the read is blocked
wakes it with an entry on this replica's wake stream, which every read includes, so the
new room is read within a round trip. The connection's socket timeout is well above
BLOCK (the known trap: a timeout at BLOCK raises inside an idle reader). Any Redis error
is reported (the relay turns unhealthy) and the reader retries with a capped backoff,
resuming from each room's last id; every room then gets a resync, since entries lost
while Redis was away (a publisher's failed XADD, a restart without its data) cannot be
detected otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ariaforge.collab.relay_liveness import Liveness
from ariaforge.collab.relay_outbox import BACKOFF_FIRST_S, BACKOFF_MAX_S
from ariaforge.collab.relay_subscription import Subscription
from ariaforge.collab.relay_wire import (
    ORIGIN,
    STREAM_MAXLEN,
    StreamId,
    decode_entry,
    format_id,
    parse_id,
)

logger = logging.getLogger(__name__)

WAKE_MAXLEN = 16
WAKE_TTL_MS = 60_000  # a crashed replica's wake stream goes away by itself


class StreamReader:
    def __init__(self, reader: Redis, commands: Redis, replica_id: str, wake_key: str,
                 liveness: Liveness, report: Callable[[str, BaseException | None], None], *,
                 block_ms: int, read_count: int) -> None:
        self._reader = reader
        self._commands = commands
        self._replica_id = replica_id
        self._wake_key = wake_key
        self._liveness = liveness
        self._report = report
        self.block_ms = block_ms
        self.read_count = read_count
        self.subs: dict[str, list[Subscription]] = {}
        self.down = False
        self.stopping = False  # checked between reads: see Relay.stop
        self._reading: frozenset[str] = frozenset()
        self._wake_position: StreamId = ORIGIN

    def add(self, sub: Subscription) -> bool:
        """Registers a subscription; True when the blocked read must be woken for it."""
        self.subs.setdefault(sub.key, []).append(sub)
        return sub.key not in self._reading or sub.position is None

    def remove(self, sub: Subscription) -> None:
        subs = self.subs.get(sub.key, [])
        if sub in subs:
            subs.remove(sub)
        if not subs:
            self.subs.pop(sub.key, None)

    async def wake(self) -> None:
        with contextlib.suppress(RedisError, OSError):
            async with self._commands.pipeline(transaction=False) as pipe:
                pipe.xadd(self._wake_key, {"w": b""}, maxlen=WAKE_MAXLEN, approximate=False)
                pipe.pexpire(self._wake_key, WAKE_TTL_MS)
                await pipe.execute()

    async def run(self) -> None:
        backoff = BACKOFF_FIRST_S
        while not self.stopping:
            try:
                if self.down:
                    await self._reader.ping()
                    self._recovered()
                    backoff = BACKOFF_FIRST_S
                await self._locate_unknown()
                streams = self._streams()
                self._reading = frozenset(streams)
                try:
                    response: Any = await self._reader.xread(
                        streams, count=self.read_count, block=self.block_ms)  # type: ignore[arg-type]
                finally:
                    self._reading = frozenset()
                await self._dispatch(response)
            except (RedisError, OSError) as error:
                if self.stopping:
                    return
                if not self.down:
                    self.down = True
                    self._report("reader", error)
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))  # noqa: S311
                backoff = min(backoff * 2, BACKOFF_MAX_S)

    def _recovered(self) -> None:
        self.down = False
        self._report("reader", None)
        for subs in self.subs.values():
            for sub in subs:
                if sub.position is not None:
                    sub.request_resync()

    async def _locate_unknown(self) -> None:
        """Rooms that joined while Redis was away start from the stream's end now, then
        resync (they loaded from PostgreSQL before this position was known)."""
        for key, subs in list(self.subs.items()):
            lost = [sub for sub in subs if sub.position is None]
            if lost:
                last: Any = await self._reader.xrevrange(key, count=1)
                for sub in lost:
                    sub.position = parse_id(last[0][0]) if last else ORIGIN
                    sub.request_resync()

    def _streams(self) -> dict[str, str]:
        streams = {self._wake_key: format_id(self._wake_position)}
        for key, subs in self.subs.items():
            positions = [sub.position for sub in subs if sub.position is not None]
            if positions:
                streams[key] = format_id(min(positions))
        return streams

    async def _dispatch(self, response: Any) -> None:
        batches = response.items() if isinstance(response, dict) else (response or [])
        for raw_key, entries in batches:
            key = raw_key.decode() if isinstance(raw_key, bytes) else str(raw_key)
            if not entries:
                continue
            if key == self._wake_key:
                self._wake_position = parse_id(entries[-1][0])
                continue
            subs = list(self.subs.get(key, ()))
            if len(entries) >= self.read_count:
                await self._resync_if_trimmed(key, subs)
            for raw_id, fields in entries:
                message = decode_entry(fields or {})
                if message is not None:
                    if message.replica_id == self._replica_id:
                        message = None  # our own: never delivered back
                    else:
                        self._liveness.saw(message.replica_id)
                entry_id = parse_id(raw_id)
                for sub in subs:
                    sub.offer(entry_id, message)

    async def _resync_if_trimmed(self, key: str, subs: list[Subscription]) -> None:
        """A full batch means we lag; if MAXLEN trimmed entries after a room's position,
        that room missed them. Redis 7 tells the newest trimmed id; Redis 6.2 only the
        first remaining entry: newer than our position in a stream at its cap means ours
        was trimmed, and entries after it may have been too (resync, the safe side)."""
        info: Any = await self._reader.xinfo_stream(key)
        deleted = info.get("max-deleted-entry-id")
        first = info.get("first-entry")
        capped = int(info.get("length", 0)) >= STREAM_MAXLEN
        for sub in subs:
            if sub.position is None:
                continue
            if deleted is not None:
                missed = parse_id(deleted) > sub.position
            else:
                missed = capped and bool(first) and parse_id(first[0]) > sub.position
            if missed:
                logger.warning("collab relay: %s trimmed past room %s's position; resync",
                               key, sub.project_id)
                sub.request_resync()
