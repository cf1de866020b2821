"""The write path of a room: gate, group commit to PostgreSQL, then broadcast and relay.

While one INSERT runs, every update that arrives waits and goes in the next one, so the
number of commits per second is bounded by PostgreSQL's latency, not by the clients'
message rate. Nothing reaches another client before its commit.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from ariaforge.collab import protocol
from ariaforge.collab.appender import AppendFailed
from ariaforge.collab.connection import Connection

if TYPE_CHECKING:
    from ariaforge.collab.room import Room

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class _Pending:
    payload: bytes
    origin: Connection
    accepted: bool
    replies: list[bytes] = field(default_factory=list)


class RoomWriter:
    def __init__(self, room: Room) -> None:
        self.room = room
        self.failed = False
        self._queue: list[_Pending] = []
        self._taken = 0  # updates submitted so far
        self._done = 0  # of those, persisted (or given up with the room)
        self._wake = asyncio.Event()
        self._progress = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._ended = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    def submit(self, connection: Connection, update: bytes) -> None:
        """A client's sync step 2 or update (raises `protocol.Malformed`)."""
        if update in protocol.EMPTY_UPDATES:
            return
        if connection.read_only:
            connection.send(protocol.permission_denied(
                "read_only", "viewers cannot change the song; the change was dropped"))
            return
        try:
            result = self.room.gate.apply(update)
        except (ValueError, RuntimeError):  # pycrdt cannot decode it
            raise protocol.Malformed("not a Yjs update") from None
        if result.payload in protocol.EMPTY_UPDATES:
            return  # nothing new (a resent update)
        item = _Pending(result.payload, connection, result.accepted)
        if not result.accepted:
            if result.revert:
                item.replies.append(protocol.update_message(result.revert))
            problem = result.problem
            item.replies.append(protocol.permission_denied(
                "invalid_update",
                problem.message if problem else "the change would make the song invalid",
                problem.details if problem else []))
        self._queue.append(item)
        self._taken += 1
        self._wake.set()

    async def persisted(self) -> None:
        """Returns once every update submitted before the call is in PostgreSQL."""
        target = self._taken
        async with self._progress:
            await self._progress.wait_for(lambda: self._done >= target or self.failed
                                          or self._task is None or self._ended)

    async def stop(self) -> None:
        """Persist what is queued, then end."""
        if self._task is None:
            return
        await self.persisted()
        self._task.cancel()
        await asyncio.wait({self._task})

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self._queue and not self.failed:
                    batch, self._queue = self._queue, []
                    await self._commit(batch)
                    async with self._progress:
                        self._done += len(batch)
                        self._progress.notify_all()
        finally:
            self._ended = True  # nobody waits for a writer that is gone
            async with self._progress:
                self._progress.notify_all()

    async def _commit(self, batch: list[_Pending]) -> None:
        room = self.room
        items: list[tuple[bytes, uuid.UUID | None]] = [
            (item.payload, item.origin.user_id) for item in batch]
        try:
            ids = await room.services.appender.append(room.project_id, items)
        except (SQLAlchemyError, OSError, AppendFailed) as error:
            logger.warning("collab: appending %d updates failed (%s)", len(batch),
                           type(error).__name__)
            self.failed = True
            room.drop()
            return
        publishes = []
        for item, update_id in zip(batch, ids, strict=True):
            room.broadcast(protocol.update_message(item.payload), exclude=item.origin)
            for reply in item.replies:
                item.origin.send(reply)
            if item.accepted:
                room.materialiser.changed(item.origin.user_id)
            publishes.append(room.publish("u", item.payload, update_id))
        await asyncio.gather(*publishes)  # each logs its own failure
