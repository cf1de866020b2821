"""Share links: members create, list and revoke them; anyone with a live token reads the
project's name, score and mix, and its notation pages — nothing else.

Services never commit (the request's session commits at the edge before the answer).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.config import Settings
from ariaforge.core import ratelimit
from ariaforge.core.errors import Forbidden, NotFound
from ariaforge.exports.service import current_mix
from ariaforge.membership.access import WRITERS, authorize
from ariaforge.models import Project, ProjectRole, ShareLink, User
from ariaforge.music.score import Score
from ariaforge.scores.repository import ScoreRepository
from ariaforge.scores.service import stored_score
from ariaforge.sharing.repository import ShareLinkRepository
from ariaforge.sharing.schemas import (
    SharedProject,
    SharedProjectName,
    ShareLinkCreate,
    ShareLinkCreated,
    ShareLinkOut,
)
from ariaforge.sharing.tokens import new_token, token_hash

# One message for an unknown, revoked or deleted link: the answer tells nothing apart.
LINK_GONE = "this share link does not exist or is no longer valid"


def listen_url(base_url: str, token: str) -> str:
    """The page address; the token sits in the fragment, which browsers never send."""
    return f"{base_url.rstrip('/')}/listen/#{token}"


def _out(link: ShareLink, creator: User | None) -> ShareLinkOut:
    name = (creator.display_name or creator.email) if creator else None
    return ShareLinkOut(id=link.id, label=link.label, created_by=link.created_by,
                        created_by_name=name, created_at=link.created_at)


async def create(session: AsyncSession, user: User, project_id: uuid.UUID,
                 body: ShareLinkCreate, base_url: str) -> ShareLinkCreated:
    project, _ = await authorize(session, project_id, user, WRITERS)
    token = new_token()
    link = await ShareLinkRepository(session).add(ShareLink(
        project_id=project.id, token_hash=token_hash(token), label=body.label,
        created_by=user.id))
    return ShareLinkCreated(**_out(link, user).model_dump(), token=token,
                            url=listen_url(base_url, token))


async def list_links(session: AsyncSession, user: User,
                     project_id: uuid.UUID) -> list[ShareLinkOut]:
    await authorize(session, project_id, user)
    rows = await ShareLinkRepository(session).live_of_project(project_id)
    return [_out(link, creator) for link, creator in rows]


async def revoke(session: AsyncSession, user: User, project_id: uuid.UUID,
                 link_id: uuid.UUID) -> None:
    """The owner revokes any link; an editor only the links they made."""
    _, role = await authorize(session, project_id, user, WRITERS)
    links = ShareLinkRepository(session)
    link = await links.live(project_id, link_id)
    if link is None:
        raise NotFound("no such share link in this project")
    if role is not ProjectRole.OWNER and link.created_by != user.id:
        raise Forbidden("an editor may revoke only the links they created")
    await links.revoke(link, datetime.now(UTC))


@dataclass(frozen=True)
class Visitor:
    """Who asks for a shared page: their token and address (for the rate limit)."""

    token: str
    client_ip: str


async def _count_lookup(redis: Redis, settings: Settings, visitor: Visitor) -> None:
    # Counted whether the token is right or not: the limit bounds both guessing (hopeless
    # against 256 bits anyway) and load (engraving pages) from one address.
    subject = ratelimit.address_subject(visitor.client_ip)
    await ratelimit.reserve(redis, [ratelimit.Bucket(
        ratelimit.limit_key("share-ip", subject), settings.share_lookups_per_ip,
        "requests for shared pages from this address")], settings.share_window_seconds)


async def _shared(session: AsyncSession, redis: Redis, settings: Settings,
                  visitor: Visitor) -> tuple[Project, Score]:
    await _count_lookup(redis, settings, visitor)
    project = await ShareLinkRepository(session).project_by_token_hash(
        token_hash(visitor.token))
    row = await ScoreRepository(session).current(project.id) if project else None
    if project is None or row is None:
        raise NotFound(LINK_GONE)
    return project, stored_score(row.data)


async def shared_project(session: AsyncSession, redis: Redis, settings: Settings,
                         visitor: Visitor) -> SharedProject:
    project, score = await _shared(session, redis, settings, visitor)
    _, mix = await current_mix(session, project.id)
    return SharedProject(project=SharedProjectName(name=project.name), score=score, mix=mix)


async def shared_score(session: AsyncSession, redis: Redis, settings: Settings,
                       visitor: Visitor) -> Score:
    return (await _shared(session, redis, settings, visitor))[1]
