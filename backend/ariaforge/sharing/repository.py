"""Share-link rows: created, listed (live ones), found by token hash, revoked."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import Project, ShareLink, User


class ShareLinkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, link: ShareLink) -> ShareLink:
        self.session.add(link)
        await self.session.flush()
        await self.session.refresh(link)
        return link

    async def live_of_project(self, project_id: uuid.UUID) -> Sequence[tuple[ShareLink,
                                                                              User | None]]:
        query = (select(ShareLink, User)
                 .outerjoin(User, User.id == ShareLink.created_by)
                 .where(ShareLink.project_id == project_id, ShareLink.revoked_at.is_(None))
                 .order_by(ShareLink.created_at.desc(), ShareLink.id))
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]

    async def live(self, project_id: uuid.UUID, link_id: uuid.UUID) -> ShareLink | None:
        query = (select(ShareLink)
                 .where(ShareLink.id == link_id, ShareLink.project_id == project_id,
                        ShareLink.revoked_at.is_(None))
                 .with_for_update())
        return (await self.session.scalars(query)).one_or_none()

    async def project_by_token_hash(self, token_hash: bytes) -> Project | None:
        """The project a live link with this hash opens; None for unknown or revoked."""
        query = (select(Project)
                 .join(ShareLink, ShareLink.project_id == Project.id)
                 .where(ShareLink.token_hash == token_hash, ShareLink.revoked_at.is_(None)))
        return (await self.session.scalars(query)).one_or_none()

    async def revoke(self, link: ShareLink, when: datetime) -> None:
        link.revoked_at = when
        await self.session.flush()
