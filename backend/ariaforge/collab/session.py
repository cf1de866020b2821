"""One collaboration socket from its ticket to its close."""

from __future__ import annotations

import contextlib
import logging
import uuid

from fastapi import WebSocket
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.collab import limits, protocol, tickets
from ariaforge.collab.connection import SOCKET_GONE, Connection
from ariaforge.collab.room import Room
from ariaforge.collab.rooms import RoomFull, Rooms, ShuttingDown
from ariaforge.collab.store import DocumentMissing
from ariaforge.collab.visits import of_app
from ariaforge.config import Settings
from ariaforge.core.errors import ValidationFailed
from ariaforge.membership.repository import MembershipRepository
from ariaforge.models import Project, ProjectRole

logger = logging.getLogger(__name__)
OUTAGES = (SQLAlchemyError, RedisError, OSError)


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


async def serve(websocket: WebSocket, raw_project_id: str) -> None:
    try:
        project_id, user_id, role = await _admit(websocket, raw_project_id)
    except Refused as refused:
        await _close(websocket, refused.code, refused.reason)
        return
    except OUTAGES as error:
        logger.warning("collab: a backing service is unavailable (%s)", type(error).__name__)
        await _close(websocket, limits.TRY_AGAIN_LATER, "try again")
        return
    settings: Settings = websocket.app.state.settings
    rooms: Rooms = websocket.app.state.collab_rooms
    connection = Connection(websocket, user_id, role, limits.TokenBucket(
        settings.collab_messages_per_s, settings.collab_message_burst))
    try:
        room = await rooms.join(project_id, connection)
    except RoomFull:
        await _close(websocket, limits.ROOM_FULL, "the room is full")
        return
    except ShuttingDown:
        await _close(websocket, limits.GOING_AWAY, "the server is going away")
        return
    except DocumentMissing:
        await _close(websocket, limits.PROJECT_NOT_FOUND, "project not found")
        return
    except ValidationFailed as problem:
        await _close(websocket, limits.SCORE_UNUSABLE,
                     problem.message.encode()[:120].decode(errors="ignore"))
        return
    except OUTAGES as error:
        logger.warning("collab: opening a room failed (%s)", type(error).__name__)
        await _close(websocket, limits.TRY_AGAIN_LATER, "try again")
        return
    except Exception:  # a fault of ours: the client gets a close code, not a dropped socket
        logger.exception("collab: opening a room failed")
        await _close(websocket, limits.INTERNAL_ERROR, "internal error")
        return
    connection.start()
    visits = of_app(websocket.app.state)
    try:
        await visits.arrive(project_id, user_id)
        await _read(websocket, room, connection, settings.collab_max_message_bytes)
    finally:
        await rooms.leave(room, connection)
        await connection.finish()
        await visits.depart(project_id, user_id)


async def _read(websocket: WebSocket, room: Room, connection: Connection,
                max_bytes: int) -> None:
    while True:
        try:
            received = await websocket.receive()
        except SOCKET_GONE:
            return
        if received["type"] == "websocket.disconnect":
            return
        if connection.closing:
            continue  # closed by us (a refusal, the room dropped): wait for the client
        data = received.get("bytes")
        if data is None:
            text = received.get("text") or ""
            if len(text.encode()) > max_bytes:
                connection.close(limits.MESSAGE_TOO_BIG)
            else:
                connection.close(limits.MALFORMED)  # y-websocket is binary only
            continue
        if len(data) > max_bytes:
            connection.close(limits.MESSAGE_TOO_BIG)
            continue
        if not connection.bucket.take():
            connection.send(protocol.permission_denied(
                "rate_limited", "too many messages; reconnect a little later"))
            connection.close(limits.TOO_MANY_MESSAGES)
            continue
        try:
            await room.receive(connection, protocol.parse(data))
        except protocol.Malformed:
            connection.close(limits.MALFORMED)
        except Exception:
            # A fault of ours, mid-update: the in-memory document may now hold what was
            # never persisted, so the room goes (1013) and reloads from PostgreSQL.
            logger.exception("collab: handling a message failed")
            room.drop()


async def _admit(websocket: WebSocket, raw_project_id: str) -> tuple[uuid.UUID, uuid.UUID,
                                                                     ProjectRole]:
    ticket = websocket.query_params.get("ticket", "")
    if not ticket:
        raise Refused(limits.TICKET_REFUSED, "a ticket is required")
    claims = await tickets.redeem(websocket.app.state.redis, ticket)
    try:
        project_id = uuid.UUID(raw_project_id)
    except ValueError:
        project_id = None
    if claims is None or claims.project_id != project_id:
        raise Refused(limits.TICKET_REFUSED, "the ticket is invalid, expired or used")
    maker: async_sessionmaker[AsyncSession] = websocket.app.state.sessionmaker
    async with maker() as db:
        found = await MembershipRepository(db).with_role(project_id, claims.user_id)
        if found is None:
            if await db.get(Project, project_id) is None:
                raise Refused(limits.PROJECT_NOT_FOUND, "project not found")
            raise Refused(limits.NOT_ALLOWED, "you are no longer a member of this project")
    # The role now, not the ticket's: a member demoted meanwhile writes no more.
    return project_id, claims.user_id, found[1]


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(*SOCKET_GONE):
        await websocket.close(code, reason)
