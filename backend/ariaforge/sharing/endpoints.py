"""Share-link routes: managed by members under the project, and the public pages any
holder of a live token reads with the `X-Share-Token` header (no account)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status

from ariaforge.auth.deps import CurrentUser, client_ip
from ariaforge.core.db import SessionDep
from ariaforge.core.redis import RedisDep
from ariaforge.core.routing import API_PREFIX
from ariaforge.scores.notation import SVG_PAGE_RESPONSE, PageQuery, TrackQuery, notation_response
from ariaforge.sharing import service
from ariaforge.sharing.schemas import (
    TOKEN_LENGTH,
    TOKEN_PATTERN,
    SharedProject,
    ShareLinkCreate,
    ShareLinkCreated,
    ShareLinkOut,
)

router = APIRouter(prefix=API_PREFIX, tags=["sharing"])

ShareToken = Annotated[str, Header(
    alias="X-Share-Token", pattern=TOKEN_PATTERN, min_length=TOKEN_LENGTH,
    max_length=TOKEN_LENGTH, description="the token of a share link (from the page's "
    "address after `#`)")]
# Revocation must take effect at once, and a shared page is no one else's to keep.
NO_STORE = {"Cache-Control": "no-store"}
PUBLIC_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"description": "unknown or revoked share link (the two are not told apart)"},
    429: {"description": "too many shared-page requests from this address"},
}


def _visitor(request: Request, token: str) -> service.Visitor:
    return service.Visitor(token=token, client_ip=client_ip(request))


@router.post("/projects/{project_id}/share-links", status_code=status.HTTP_201_CREATED,
             response_model=ShareLinkCreated)
async def create_share_link(project_id: uuid.UUID, body: ShareLinkCreate, user: CurrentUser,
                            session: SessionDep, request: Request,
                            response: Response) -> ShareLinkCreated:
    """A public listen-and-view link (owner or editor). The token is in this answer only;
    only its SHA-256 is stored."""
    response.headers.update(NO_STORE)
    return await service.create(session, user, project_id, body, str(request.base_url))


@router.get("/projects/{project_id}/share-links", response_model=list[ShareLinkOut])
async def list_share_links(project_id: uuid.UUID, user: CurrentUser,
                           session: SessionDep) -> list[ShareLinkOut]:
    """The project's live links (every member; tokens are never shown again)."""
    return await service.list_links(session, user, project_id)


@router.delete("/projects/{project_id}/share-links/{link_id}",
               status_code=status.HTTP_204_NO_CONTENT)
async def revoke_share_link(project_id: uuid.UUID, link_id: uuid.UUID, user: CurrentUser,
                            session: SessionDep) -> None:
    """Revoke at once (owner: any link; editor: their own). The page then answers 404."""
    await service.revoke(session, user, project_id, link_id)


@router.get("/shared", response_model=SharedProject, responses=PUBLIC_ERRORS)
async def shared_project(token: ShareToken, request: Request, response: Response,
                         session: SessionDep, redis: RedisDep) -> SharedProject:
    """The shared project's name, score and mix, for the public listen page."""
    response.headers.update(NO_STORE)
    return await service.shared_project(session, redis, request.app.state.settings,
                                        _visitor(request, token))


@router.get("/shared/notation.svg", response_class=Response,
            responses={**SVG_PAGE_RESPONSE, **PUBLIC_ERRORS,
                       404: {"description": "unknown or revoked share link, or no such "
                                            "track or page"}})
async def shared_notation_svg(token: ShareToken, request: Request, session: SessionDep,
                              redis: RedisDep, track: TrackQuery = None,
                              page: PageQuery = 1) -> Response:
    """A page of the shared score (or one track) engraved as SVG."""
    score = await service.shared_score(session, redis, request.app.state.settings,
                                       _visitor(request, token))
    answer = await notation_response(score, track, page)
    answer.headers.update(NO_STORE)
    return answer
