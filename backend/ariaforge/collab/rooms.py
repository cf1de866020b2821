"""The process's rooms: exactly one per project, opened and closed under a per-project lock.

Everyone who joins while a room opens waits for the same lock and joins the same, fully
loaded room (pycrdt-websocket's start race orphaned such joiners). A room closes when its
last socket leaves; a joiner arriving meanwhile waits, then opens a fresh one from
PostgreSQL, which already holds everything the closed one acknowledged.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict

from ariaforge.collab.connection import Connection
from ariaforge.collab.limits import GOING_AWAY
from ariaforge.collab.room import Room, RoomServices
from ariaforge.core.metrics import COLLABORATION_SESSIONS

logger = logging.getLogger(__name__)


class RoomFull(Exception):
    pass


class ShuttingDown(Exception):
    pass


class Rooms:
    def __init__(self, services: RoomServices) -> None:
        self.services = services
        self._rooms: dict[uuid.UUID, Room] = {}
        # Never removed: a joiner may be waiting on a lock, and a second lock for the same
        # project would let two rooms open. One small lock per project ever opened.
        self._locks: defaultdict[uuid.UUID, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._stopping = False
        services.relay.on_replica_gone(self._replica_gone)

    def get(self, project_id: uuid.UUID) -> Room | None:
        return self._rooms.get(project_id)

    def __len__(self) -> int:
        return len(self._rooms)

    async def join(self, project_id: uuid.UUID, connection: Connection) -> Room:
        """The project's room with `connection` in it (its sync step 1 and the awareness
        snapshot queued). Raises RoomFull, ShuttingDown, or what loading raised."""
        async with self._locks[project_id]:
            if self._stopping:
                raise ShuttingDown
            room = self._rooms.get(project_id)
            if room is None or room.closed:
                room = Room(project_id, self.services, self.forget)
                await room.open()
                self._rooms[project_id] = room
                COLLABORATION_SESSIONS.inc()
            if len(room.connections) >= self.services.settings.collab_max_clients_per_room:
                raise RoomFull
            room.add(connection)
            return room

    async def leave(self, room: Room, connection: Connection) -> None:
        await room.remove(connection)
        if room.connections:
            return
        async with self._locks[room.project_id]:
            if room.connections or self._rooms.get(room.project_id) is not room:
                return  # somebody joined meanwhile, or it was closed already
            await self._close(room)

    async def _close(self, room: Room) -> None:
        try:
            await room.close()
        except Exception:  # never leave a closed room registered
            logger.exception("collab: closing the room of project %s failed",
                             room.project_id)
            room.closed = True
        finally:
            if self._rooms.get(room.project_id) is room:
                del self._rooms[room.project_id]
                COLLABORATION_SESSIONS.dec()

    def forget(self, room: Room) -> None:
        """A dropped room (its sockets closed, 1013): the next joiner opens a new one."""
        if self._rooms.get(room.project_id) is room:
            del self._rooms[room.project_id]
            COLLABORATION_SESSIONS.dec()

    async def _replica_gone(self, replica_id: str) -> None:
        for room in list(self._rooms.values()):
            room.replica_gone(replica_id)

    async def stop(self) -> None:
        """Shutdown: close every socket (1001), persist and materialise every room."""
        self._stopping = True
        for project_id in list(self._rooms):
            async with self._locks[project_id]:
                room = self._rooms.get(project_id)
                if room is None:
                    continue
                for connection in list(room.connections):
                    connection.close(GOING_AWAY)
                await self._close(room)
