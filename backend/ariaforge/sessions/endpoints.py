from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.redis import RedisDep
from ariaforge.core.routing import API_PREFIX
from ariaforge.sessions import service, websocket
from ariaforge.sessions.schemas import SessionCreate, SessionOut

routes = APIRouter(prefix=API_PREFIX, tags=["composition sessions"])


@routes.post("/projects/{project_id}/sessions", status_code=status.HTTP_202_ACCEPTED,
             response_model=SessionOut)
async def create_session(project_id: uuid.UUID, body: SessionCreate, user: CurrentUser,
                         session: SessionDep, redis: RedisDep) -> SessionOut:
    """Compose from a brief, or run an operation on the current score (regenerate or vary a
    section, continue, reharmonize, restyle). Follow `/sessions/{id}/ws` for live progress,
    or poll `GET /sessions/{id}`; the result is a new project version."""
    row, job = await service.create_session(session, redis, user, project_id, body)
    return service.session_out(row, job)


@routes.get("/projects/{project_id}/sessions", response_model=list[SessionOut])
async def list_sessions(project_id: uuid.UUID, user: CurrentUser,
                        session: SessionDep) -> list[SessionOut]:
    """The project's sessions, newest first (at most 200)."""
    rows = await service.list_sessions(session, user, project_id)
    return [service.session_out(row, job) for row, job in rows]


@routes.get("/sessions/{session_id}", response_model=SessionOut)
async def get_session(session_id: uuid.UUID, user: CurrentUser,
                      session: SessionDep) -> SessionOut:
    """Status, progress, the brief as understood, warnings and the resulting version."""
    row, job = await service.visible_session(session, user, session_id)
    return service.session_out(row, job)


@routes.post("/sessions/{session_id}/cancel", response_model=SessionOut)
async def cancel_session(session_id: uuid.UUID, user: CurrentUser,
                         session: SessionDep) -> SessionOut:
    """A queued session is cancelled at once, a running one at its next step (409 when it
    already ended)."""
    row, job = await service.cancel_session(session, user, session_id)
    return service.session_out(row, job)


# The sessions domain's one router: its REST routes, then its WebSocket (each with the
# full path prefix, so metrics and logs see the real route template).
router = APIRouter()
router.include_router(routes)
router.include_router(websocket.routes)
