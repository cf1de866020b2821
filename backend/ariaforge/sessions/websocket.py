"""`/api/v1/sessions/{id}/ws`: a session's live progress, then its result.

Events travel worker -> Redis pub/sub -> whichever API replica holds the socket, so the
socket and the run need not share a process. Browsers cannot set headers on a WebSocket,
so the access token comes either as `Authorization: Bearer` or as the first message,
`{"type": "auth", "token": "..."}`, within AUTH_TIMEOUT_S.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Any, Final

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.auth.deps import active_user, verified_claims
from ariaforge.core.errors import AppError, ErrorCode
from ariaforge.core.metrics import WEBSOCKET_CONNECTIONS
from ariaforge.core.routing import API_PREFIX
from ariaforge.models import User
from ariaforge.queue import events
from ariaforge.sessions import service
from ariaforge.sessions.schemas import SessionOut

logger = logging.getLogger(__name__)
routes = APIRouter(prefix=API_PREFIX, tags=["composition sessions"])

AUTH_TIMEOUT_S: Final = 10.0
POLICY_VIOLATION: Final = 1008  # RFC 6455: closes for authentication and access errors
TRY_AGAIN_LATER: Final = 1013
POLL_S: Final = 5.0  # the longest a dropped client's subscription can outlive it
# What reading from or sending to a socket whose client has gone raises; closing one
# that is already closed also raises RuntimeError.
_GONE: Final = (WebSocketDisconnect, OSError)
_CLOSING: Final = (*_GONE, RuntimeError)


class _Refused(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@routes.websocket("/sessions/{session_id}/ws")
async def session_events(websocket: WebSocket, session_id: str) -> None:
    # The Host and Origin were checked before the handshake (core.middleware).
    await websocket.accept()
    with WEBSOCKET_CONNECTIONS.track_inprogress():
        await _serve_accepted(websocket, session_id)


async def _serve_accepted(websocket: WebSocket, session_id: str) -> None:
    try:
        await _serve(websocket, session_id)
    except _Refused as refused:
        with contextlib.suppress(*_CLOSING):
            await _send(websocket, {"type": "error", "error": {
                "code": refused.code, "message": refused.message, "details": []}})
            await websocket.close(POLICY_VIOLATION)
    except _GONE:
        return  # the client went away; nothing is left to clean up
    except (RedisError, SQLAlchemyError) as error:  # an outage, not a bug: no traceback
        logger.warning("session events: a backing service is unavailable (%s)",
                       type(error).__name__)
        with contextlib.suppress(*_CLOSING):
            await websocket.close(TRY_AGAIN_LATER)


async def _serve(websocket: WebSocket, raw_id: str) -> None:
    maker: async_sessionmaker[AsyncSession] = websocket.app.state.sessionmaker
    user = await _authenticate(websocket, maker)  # first: nothing is told to strangers
    try:
        session_id = uuid.UUID(raw_id)
    except ValueError:
        raise _Refused(ErrorCode.NOT_FOUND, "session not found") from None
    out = await _session(maker, user, session_id)
    if out.job_id is None:
        raise _Refused(ErrorCode.NOT_FOUND, "the session's job is gone")
    # Subscribed before the client hears of the session, so it misses no event; the
    # subscription's connection goes back when this block ends, however it ends.
    async with events.subscription(websocket.app.state.redis, out.job_id) as updates:
        await _send(websocket, {"type": "session", "session": out.model_dump(mode="json")})
        closed = asyncio.create_task(_wait_closed(websocket))
        try:
            await _relay(websocket, updates, closed)
            if updates.finished:
                final = await _session(maker, user, session_id)
                await _send(websocket, {"type": "result",
                                        "session": final.model_dump(mode="json")})
            with contextlib.suppress(*_CLOSING):
                await websocket.close()  # the watcher below then sees the disconnect
        finally:
            await _stop(closed)


async def _relay(websocket: WebSocket, updates: events.Subscription,
                 closed: asyncio.Task[None]) -> None:
    """The job's progress, until it finishes or the client goes away.

    Only the read of the subscription is ever cancelled (see `events.Subscription`);
    should a cancellation still be lost, the read ends by itself within POLL_S."""
    while not closed.done():
        reading = asyncio.create_task(updates.next(POLL_S))
        await asyncio.wait({reading, closed}, return_when=asyncio.FIRST_COMPLETED)
        if not reading.done():
            await _stop(reading)
            return
        event = reading.result()
        if updates.finished:
            return
        if event is not None:
            await _send(websocket, {"type": "progress", "node": event.get("node")
                                    or event.get("stage", ""), "status": event.get("status"),
                                    "percent": event.get("progress"),
                                    "message": event.get("message", "")})


async def _stop(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and wait until it has ended, whatever it raised."""
    task.cancel()
    await asyncio.wait({task})
    if not task.cancelled():
        task.exception()  # retrieved: an error of a task we stopped is not news


async def _wait_closed(websocket: WebSocket) -> None:
    """Returns when the client disconnects; anything it sends meanwhile is ignored."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass


async def _authenticate(websocket: WebSocket,
                        maker: async_sessionmaker[AsyncSession]) -> User:
    token = _bearer(websocket.headers.get("authorization", ""))
    if token is None:
        try:
            first = await asyncio.wait_for(websocket.receive_text(), AUTH_TIMEOUT_S)
            message = json.loads(first)
            token = message.get("token") if isinstance(message, dict) and \
                message.get("type") == "auth" else None
        except (TimeoutError, ValueError, KeyError, TypeError):  # late, not JSON, or binary
            token = None
    if not isinstance(token, str) or not 0 < len(token) <= 4096:
        raise _Refused(ErrorCode.AUTHENTICATION_ERROR,
                       'send {"type": "auth", "token": ...} or an Authorization header first')
    # The same check as HTTP requests', its refusals sent as the socket's error message.
    try:
        claims = await verified_claims(websocket.app.state.redis,
                                       websocket.app.state.secret_key, token)
        async with maker() as db:
            return await active_user(db, claims)
    except AppError as error:
        raise _Refused(error.code, error.message) from None


async def _session(maker: async_sessionmaker[AsyncSession], user: User,
                   session_id: uuid.UUID) -> SessionOut:
    async with maker() as db:
        try:
            row, job = await service.visible_session(db, user, session_id)
        except AppError as error:
            raise _Refused(error.code, error.message) from None
        return service.session_out(row, job)


def _bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


async def _send(websocket: WebSocket, message: dict[str, Any]) -> None:
    await websocket.send_text(json.dumps(message, default=str))
