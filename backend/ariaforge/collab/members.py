"""Who may still be in a room: a member removed or demoted while connected loses the
socket (4003) or write access within MEMBERSHIP_CHECK_S, one query per room."""

from __future__ import annotations

import uuid
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.models import Project, ProjectMember, ProjectRole

MEMBERSHIP_CHECK_S: Final = 10.0


async def current_roles(maker: async_sessionmaker[AsyncSession],
                        project_id: uuid.UUID) -> dict[uuid.UUID, ProjectRole] | None:
    """Every member's role, or None when the project is gone."""
    async with maker() as db:
        if await db.get(Project, project_id) is None:
            return None
        rows = await db.execute(select(ProjectMember.user_id, ProjectMember.role)
                                .where(ProjectMember.project_id == project_id))
        return {row.user_id: row.role for row in rows.all()}
