"""One room's view of its stream: a bounded inbox and a task that hands messages, in
stream order, to the room's callback.

The shared reader never waits for a room: it offers entries to the inbox and moves on.
A room whose callback falls behind by more than the inbox bounds does not make memory
grow: its backlog is dropped and replaced by one resync message, after which the room
reloads from PostgreSQL (where every update was appended before it was published) and
re-queries awareness. Dropping is safe because a resync covers everything before it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable

from ariaforge.collab.relay_wire import KINDS, RESYNC, RelayMessage, StreamId, stream_key

logger = logging.getLogger(__name__)

OnMessage = Callable[[RelayMessage], Awaitable[None]]
Publish = Callable[[str, str, bytes, int], None]

MAX_INBOX_MESSAGES = 1_000
MAX_INBOX_BYTES = 16 * 1_048_576
CLOSE_WAIT_S = 2.0


class Subscription:
    """Returned by `Relay.join`; `publish` to the room's other replicas, `close` to leave."""

    def __init__(self, project_id: uuid.UUID, on_message: OnMessage, position: StreamId | None,
                 publish: Publish, remove: Callable[[Subscription], None]) -> None:
        self.project_id = project_id
        self.key = stream_key(project_id)
        # The last stream id this subscription has taken (None: not known yet, Redis was
        # unavailable at join; the reader locates it, then sends a resync).
        self.position = position
        self.closed = False
        self.dropped_backlogs = 0
        self._on_message = on_message
        self._publish = publish
        self._remove = remove
        self._inbox: deque[RelayMessage] = deque()
        self._inbox_bytes = 0
        self._resync_pending = False
        self._ready = asyncio.Event()
        self._task = asyncio.create_task(self._deliver(), name=f"collab-relay-{project_id}")

    async def publish(self, kind: str, payload: bytes, update_id: int = 0) -> None:
        """Queue a message for the room's other replicas (returns at once; a closed
        subscription publishes nothing). A message Redis cannot take is replaced by a
        gap marker once Redis is back, so the other replicas resync instead."""
        if kind not in KINDS:
            raise ValueError(f"unknown relay message kind {kind!r}")
        if not self.closed:
            self._publish(self.key, kind, payload, update_id)

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._remove(self)
        self._inbox.clear()
        if asyncio.current_task() is self._task:
            return  # closed from its own callback: the loop ends when the callback returns
        self._task.cancel()
        # Bounded: a callback that swallows the cancellation must not hang a shutdown.
        await asyncio.wait([self._task], timeout=CLOSE_WAIT_S)

    def offer(self, entry_id: StreamId, message: RelayMessage | None) -> None:
        """The reader hands over an entry of our stream (None: ours or not understood)."""
        if self.closed or self.position is None or entry_id <= self.position:
            return
        self.position = entry_id
        if message is None:
            return
        if message.resync:
            self.request_resync()
            return
        size = len(message.payload)
        if (len(self._inbox) >= MAX_INBOX_MESSAGES
                or self._inbox_bytes + size > MAX_INBOX_BYTES):
            self.dropped_backlogs += 1
            logger.warning("collab relay: room %s falls behind; backlog dropped, resync",
                           self.project_id)
            self.request_resync()
            return
        self._inbox.append(message)
        self._inbox_bytes += size
        self._ready.set()

    def request_resync(self) -> None:
        # Everything queued so far was published before now, so the reload covers it;
        # entries offered after this call are delivered after the resync.
        self._inbox.clear()
        self._inbox_bytes = 0
        self._resync_pending = True
        self._ready.set()

    async def _deliver(self) -> None:
        while not self.closed:
            await self._ready.wait()
            self._ready.clear()
            while not self.closed and (self._resync_pending or self._inbox):
                if self._resync_pending:
                    self._resync_pending = False
                    message = RESYNC
                else:
                    message = self._inbox.popleft()
                    self._inbox_bytes -= len(message.payload)
                try:
                    await self._on_message(message)
                except Exception:
                    # One faulty message must not end the room's delivery.
                    logger.exception("collab relay: room %s callback failed", self.project_id)
