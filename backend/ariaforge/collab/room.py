"""One project's live document in this process: its sockets, its Yjs document, awareness.

A client's update goes: gate (applied, checked, reverted when invalid) → PostgreSQL (group
commit, `RoomWriter`) → the room's other sockets and the other replicas. The document is
materialised into the score row by `Materialiser`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.collab import protocol, store
from ariaforge.collab.appender import UpdateAppender
from ariaforge.collab.awareness import RoomAwareness
from ariaforge.collab.connection import Connection
from ariaforge.collab.gate import UpdateGate
from ariaforge.collab.limits import NOT_ALLOWED, PROJECT_NOT_FOUND, TRY_AGAIN_LATER
from ariaforge.collab.materialiser import Materialiser
from ariaforge.collab.members import MEMBERSHIP_CHECK_S, current_roles
from ariaforge.collab.relay import Relay, RelayMessage, Subscription
from ariaforge.collab.writer import RoomWriter
from ariaforge.config import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RoomServices:
    maker: async_sessionmaker[AsyncSession]
    relay: Relay
    settings: Settings
    # Appends on the collab layer's own connections (collab/appender.py).
    appender: UpdateAppender


class Room:
    gate: UpdateGate  # made once the stored document is loaded (it judges from there)

    def __init__(self, project_id: uuid.UUID, services: RoomServices,
                 on_dropped: Callable[[Room], None]) -> None:
        self.project_id = project_id
        self._on_dropped = on_dropped
        self.services = services
        self.connections: set[Connection] = set()
        self.awareness = RoomAwareness()
        self.doc: Doc[Any] = Doc()
        self.closed = False
        self._background: set[asyncio.Task[None]] = set()
        self._watcher: asyncio.Task[None] | None = None
        self._loaded = False
        self._held: list[RelayMessage] = []
        self._subscription: Subscription | None = None
        self.writer = RoomWriter(self)
        self.materialiser = Materialiser(self)

    # --- life cycle ------------------------------------------------------------------

    async def open(self) -> None:
        """Relay first, then PostgreSQL, then what the relay brought meanwhile: no update
        committed by another replica can fall between the two."""
        self._subscription = await self.services.relay.join(self.project_id, self._on_relay)
        try:
            stored = await store.open_document(self.services.maker, self.project_id)
            self.doc.apply_update(stored.update)
            self.gate = UpdateGate(self.doc)
            while self._held:
                await self._handle_relay(self._held.pop(0))
            self._loaded = True
            await self.publish("q", b"")  # the other replicas' presence, for our joiners
        except BaseException:
            await self._subscription.close()
            raise
        self.writer.start()
        self.materialiser.start()
        self._watcher = asyncio.create_task(self._watch_members())

    async def close(self) -> None:
        """The last socket left (or shutdown): persist and materialise, then let go."""
        if self.closed:
            return
        await self.writer.stop()
        await self.materialiser.stop(final=not self.writer.failed)
        await self._let_go()

    def drop(self, code: int = TRY_AGAIN_LATER) -> None:
        """A change could not be persisted: the in-memory document must not outlive it.
        Every socket is closed; the next joiner reloads from PostgreSQL."""
        if self.closed:
            return
        logger.warning("collab: dropping the room of project %s", self.project_id)
        for connection in list(self.connections):
            connection.close(code)
        self.materialiser.cancel()
        self.writer.cancel()
        self._stop_watching()
        self.closed = True
        self._on_dropped(self)
        task = asyncio.get_running_loop().create_task(self._let_go())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()

    async def _watch_members(self) -> None:
        while True:
            await asyncio.sleep(MEMBERSHIP_CHECK_S)
            try:
                roles = await current_roles(self.services.maker, self.project_id)
            except (SQLAlchemyError, OSError):
                continue  # an outage: the next look decides
            for connection in list(self.connections):
                role = None if roles is None else roles.get(connection.user_id)
                if role is None:
                    connection.close(NOT_ALLOWED if roles is not None else PROJECT_NOT_FOUND)
                else:
                    connection.role = role  # a demoted editor writes no more

    async def _let_go(self) -> None:
        self._stop_watching()
        self.closed = True
        if self._subscription is not None:
            subscription, self._subscription = self._subscription, None
            try:
                await subscription.close()
            except RedisError as error:
                logger.warning("collab: leaving the relay failed (%s)", type(error).__name__)

    # --- sockets ---------------------------------------------------------------------

    def add(self, connection: Connection) -> None:
        self.connections.add(connection)
        connection.send(protocol.sync_step1(self.doc.get_state()))
        snapshot = self.awareness.snapshot()
        if snapshot is not None:
            connection.send(protocol.awareness_message(snapshot))

    async def remove(self, connection: Connection) -> None:
        self.connections.discard(connection)
        removal = self.awareness.remove_owner(connection)
        if removal is not None:
            self.broadcast(protocol.awareness_message(removal))
            await self.publish("x", removal)

    def broadcast(self, message: bytes, exclude: Connection | None = None) -> None:
        for connection in self.connections:
            if connection is not exclude:
                connection.send(message)

    async def receive(self, connection: Connection, message: protocol.Incoming) -> None:
        """One parsed client message (raises `protocol.Malformed`)."""
        if message.kind == protocol.MESSAGE_SYNC:
            if message.sync_type == protocol.SYNC_STEP1:
                await self._answer_step1(connection, message.payload)
            else:
                self.writer.submit(connection, message.payload)
        elif message.kind == protocol.MESSAGE_AWARENESS:
            kept = self.awareness.apply_local(connection, connection.user_key, message.payload)
            if kept is not None:
                # The sender too: a client that hears nothing for 30 s reconnects, and
                # its own renewals (every 15 s) are what a lone client hears.
                self.broadcast(protocol.awareness_message(kept))
                await self.publish("a", kept)
        elif message.kind == protocol.MESSAGE_QUERY_AWARENESS:
            snapshot = self.awareness.snapshot()
            if snapshot is not None:
                connection.send(protocol.awareness_message(snapshot))

    async def _answer_step1(self, connection: Connection, state_vector: bytes) -> None:
        # Only what PostgreSQL holds is handed out: wait for the updates already taken.
        await self.writer.persisted()
        try:
            diff = self.doc.get_update(state_vector)
        except (ValueError, RuntimeError):
            raise protocol.Malformed("not a state vector") from None
        connection.send(protocol.sync_step2(diff))

    # --- other replicas --------------------------------------------------------------

    async def publish(self, kind: str, payload: bytes, update_id: int = 0) -> None:
        if self._subscription is None:
            return
        try:
            await self._subscription.publish(kind, payload, update_id)
        except RedisError as error:
            # Persisted updates still reach the others when they reload; presence waits
            # for the next change.
            logger.warning("collab: relaying %s failed (%s)", kind, type(error).__name__)

    async def _on_relay(self, message: RelayMessage) -> None:
        if not self._loaded:
            self._held.append(message)
            return
        try:
            await self._handle_relay(message)
        except Exception:  # the relay's reader must survive whatever one message holds
            logger.exception("collab: a relayed %s message for project %s failed",
                             message.kind, self.project_id)

    async def _handle_relay(self, message: RelayMessage) -> None:
        if self.closed:
            return
        if message.resync:
            try:
                await self.reload()
            except (SQLAlchemyError, OSError) as error:
                logger.warning("collab: reloading project %s failed (%s)", self.project_id,
                               type(error).__name__)
                self.drop()
        elif message.kind == "u":
            self.apply_trusted(message.payload)
        elif message.kind in ("a", "x"):
            kept = self.awareness.apply_remote(message.replica_id, message.payload)
            if kept is not None:
                self.broadcast(protocol.awareness_message(kept))
        elif message.kind == "q":
            local = self.awareness.snapshot(set(self.connections))
            if local is not None:
                await self.publish("a", local)

    def apply_trusted(self, update: bytes) -> None:
        """An update already persisted (another replica's, a REST write's, a repair)."""
        before = self.doc.get_state()
        self.doc.apply_update(update)
        diff = self.doc.get_update(before)
        if diff not in protocol.EMPTY_UPDATES:
            self.broadcast(protocol.update_message(diff))

    async def reload(self) -> None:
        """The relay lost messages: catch up from PostgreSQL."""
        stored = await store.open_document(self.services.maker, self.project_id)
        self.apply_trusted(stored.update)

    def replica_gone(self, replica_id: str) -> None:
        removal = self.awareness.remove_owner(replica_id)
        if removal is not None:
            self.broadcast(protocol.awareness_message(removal))
