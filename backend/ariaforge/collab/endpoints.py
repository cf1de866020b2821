"""`POST …/collab/ticket` and `WS …/collab?ticket=…`: the live document of a project.

The socket speaks the standard y-websocket protocol (collab/protocol.py). Refusals after
the handshake are close codes (collab/limits.py, docs/collaboration.md).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, WebSocket, status

from ariaforge.auth.deps import CurrentUser
from ariaforge.collab import tickets
from ariaforge.collab.schemas import CollabTicketOut
from ariaforge.collab.session import serve
from ariaforge.core.db import SessionDep
from ariaforge.core.metrics import WEBSOCKET_CONNECTIONS
from ariaforge.core.redis import RedisDep
from ariaforge.core.routing import API_PREFIX
from ariaforge.membership.access import authorize

routes = APIRouter(prefix=API_PREFIX, tags=["live co-editing"])


def socket_path(project_id: uuid.UUID) -> str:
    return f"{API_PREFIX}/projects/{project_id}/collab"


@routes.post("/projects/{project_id}/collab/ticket", status_code=status.HTTP_201_CREATED,
             response_model=CollabTicketOut)
async def create_ticket(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                        redis: RedisDep, request: Request) -> CollabTicketOut:
    """A single-use ticket to open the project's live document (any member; viewers get a
    read-only connection). Open `WS {path}?ticket={ticket}` before `expires_at`; fetch a
    new ticket for every (re)connect. Browsers cannot send an access token with a
    WebSocket, and a token in a URL would end up in logs: the ticket is what travels."""
    _, role = await authorize(session, project_id, user)
    claims = tickets.TicketClaims(user.id, project_id, role, user.display_name)
    ticket, expires_at = await tickets.issue(
        redis, claims, request.app.state.settings.collab_ticket_ttl_s)
    return CollabTicketOut(ticket=ticket, expires_at=expires_at, role=role,
                           path=socket_path(project_id))


@routes.websocket("/projects/{project_id}/collab")
async def live_document(websocket: WebSocket, project_id: str) -> None:
    # The Host and Origin were checked before the handshake (core.middleware); the
    # ticket is checked after it, so that a refusal can carry a close code.
    await websocket.accept()
    with WEBSOCKET_CONNECTIONS.track_inprogress():
        await serve(websocket, project_id)


router = APIRouter()
router.include_router(routes)
