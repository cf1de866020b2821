"""Relay live-document updates and awareness between API replicas through Redis Streams.

Every replica with a room open on a project reads the project's stream and publishes into
it what its own clients send; the other replicas apply it to their copy of the room.
relay_wire.py: stream keys and entry format; relay_reader.py: the one blocking reader per
replica; relay_subscription.py: bounded per-room delivery; relay_outbox.py: batched
publishing and gap markers; relay_liveness.py: replica keys and the replica-gone watch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import uuid
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from ariaforge.collab.relay_liveness import Liveness, OnReplicaGone
from ariaforge.collab.relay_outbox import Outbox
from ariaforge.collab.relay_reader import StreamReader
from ariaforge.collab.relay_subscription import OnMessage, Subscription
from ariaforge.collab.relay_wire import (
    ORIGIN,
    STREAM_MAXLEN,
    RelayMessage,
    StreamId,
    parse_id,
    publish_update,
    stream_key,
    wake_key,
)
from ariaforge.core.redis import CountingRedis

__all__ = ["STREAM_MAXLEN", "OnMessage", "OnReplicaGone", "Relay", "RelayMessage",
           "Subscription", "publish_update", "stream_key"]

logger = logging.getLogger(__name__)

COMMAND_TIMEOUT_S = 3.0
STOP_FLUSH_S = 1.0
# The blocking connection's socket timeout exceeds BLOCK by this much (the known trap).
READ_TIMEOUT_MARGIN_S = 10.0


def _default_replica_id() -> str:
    # Readable for operators (which pod owns this key?), unique per process and start.
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(3)}"


class Relay:
    """`start()` once per process, `join` a room's stream per open room, `stop()` at
    shutdown. The keyword settings exist for tests; production uses the defaults."""

    def __init__(self, redis_url: str, replica_id: str | None = None, *,
                 block_ms: int = 2_000, read_count: int = 200, heartbeat_s: float = 2.0,
                 replica_ttl_s: float = 6.0, liveness_check_s: float = 1.0) -> None:
        self.redis_url = redis_url
        self.replica_id = replica_id or _default_replica_id()
        self._failing: dict[str, BaseException] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False
        self._stopped = False
        self._wake_key = wake_key(self.replica_id)
        self._commands = self._client(COMMAND_TIMEOUT_S, single=False)
        blocking = self._client(block_ms / 1000 + READ_TIMEOUT_MARGIN_S, single=True)
        self._outbox = Outbox(self._commands, self.replica_id, self._report)
        self._liveness = Liveness(self._commands, self.replica_id, self._report,
                                  heartbeat_s=heartbeat_s, ttl_s=replica_ttl_s,
                                  check_s=liveness_check_s)
        self._reader = StreamReader(blocking, self._commands, self.replica_id, self._wake_key,
                                    self._liveness, self._report, block_ms=block_ms,
                                    read_count=read_count)
        self._blocking = blocking

    def _client(self, socket_timeout_s: float, *, single: bool) -> Redis:
        # No retries inside redis-py: our loops retry with their own backoff and must
        # learn of every failure at once (health).
        return CountingRedis.from_url(
            self.redis_url, decode_responses=False, socket_connect_timeout=2,
            socket_timeout=socket_timeout_s, retry=Retry(NoBackoff(), 0),
            single_connection_client=single)

    @property
    def healthy(self) -> bool:
        """False from the first Redis error of any part (reader, publisher, heartbeat)
        until that part works again, and when not started, stopped or a task ended."""
        return (self._started and not self._stopped and not self._failing
                and all(not task.done() for task in self._tasks))

    @property
    def problems(self) -> list[str]:
        """What is wrong, for logs and readiness ("reader: ConnectionError ...")."""
        found = [f"{part}: {type(error).__name__} {error}"[:200]
                 for part, error in self._failing.items()]
        found += [f"task {task.get_name()} ended" for task in self._tasks if task.done()]
        return found

    async def start(self) -> None:
        """Never fails for Redis being away: the loops keep trying and `healthy` says."""
        if self._started:
            return
        self._started = True
        try:
            await self._commands.delete(self._wake_key)  # a fixed id reads its wake from 0
            await self._liveness.refresh()
        except (RedisError, OSError) as error:
            self._reader.down = True
            self._report("reader", error)
        self._tasks = [
            asyncio.create_task(self._reader.run(), name="collab-relay-reader"),
            asyncio.create_task(self._outbox.run(), name="collab-relay-outbox"),
            asyncio.create_task(self._liveness.run_heartbeat(), name="collab-relay-heartbeat"),
            asyncio.create_task(self._liveness.run_watch(), name="collab-relay-watch"),
        ]

    async def stop(self) -> None:
        """Send what is queued (briefly), leave every room, delete our replica key (the
        other replicas drop our clients' awareness at once) and close the connections."""
        if not self._started or self._stopped:
            return
        await self._outbox.flush(STOP_FLUSH_S)
        self._stopped = True
        # The reader is asked to return (woken by its wake stream) rather than cancelled
        # inside XREAD: redis-py can lose a cancellation that lands in a blocking read,
        # which would hang the shutdown. Cancelling stays the fallback, and a task that
        # still does not end is left to fail when its connection closes below.
        self._reader.stopping = self._outbox.stopping = self._liveness.stopping = True
        await self._reader.wake()
        reader_task = self._tasks[0]
        await asyncio.wait([reader_task], timeout=STOP_FLUSH_S)
        for task in self._tasks:
            task.cancel()
        _, pending = await asyncio.wait(self._tasks, timeout=STOP_FLUSH_S)
        if pending:
            logger.warning("collab relay %s: %d task(s) did not stop in time",
                           self.replica_id, len(pending))
        for subs in list(self._reader.subs.values()):
            for sub in list(subs):
                await sub.close()
        with contextlib.suppress(RedisError, OSError):
            async with asyncio.timeout(STOP_FLUSH_S):
                await self._liveness.forget_self()
                await self._commands.delete(self._wake_key)
        await self._blocking.aclose()
        await self._commands.aclose()

    def on_replica_gone(self, callback: OnReplicaGone) -> Callable[[], None]:
        """`callback(replica_id)` runs when a replica we received messages from in a
        joined room stops refreshing its key (within its TTL and a check period; at once
        after a clean stop). Returns a function that unregisters the callback."""
        return self._liveness.add_callback(callback)

    async def join(self, project_id: uuid.UUID, on_message: OnMessage) -> Subscription:
        """Subscribe to a room's stream from its current end: every entry published after
        this returns is delivered (the caller then loads from PostgreSQL, where publishers
        append before publishing, so nothing falls in between). If Redis cannot be asked,
        the position is located once it can, followed by a resync message."""
        if not self._started or self._stopped:
            raise RuntimeError("the relay is not running")
        key = stream_key(project_id)
        position: StreamId | None
        try:
            last: Any = await self._commands.xrevrange(key, count=1)
            position = parse_id(last[0][0]) if last else ORIGIN
        except (RedisError, OSError) as error:
            logger.warning("collab relay: joining %s without Redis (%s)", project_id, error)
            position = None
        sub = Subscription(project_id, on_message, position, self._outbox.put,
                           self._reader.remove)
        if self._reader.add(sub):
            await self._reader.wake()
        return sub

    def _report(self, part: str, error: BaseException | None) -> None:
        if error is not None:
            if part not in self._failing:
                logger.warning("collab relay %s: Redis failing for %s (%s: %s)",
                               self.replica_id, part, type(error).__name__, error)
            self._failing[part] = error
        elif self._failing.pop(part, None) is not None:
            logger.info("collab relay %s: %s works again", self.replica_id, part)
