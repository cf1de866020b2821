"""The one membership query: a project together with a user's role in it."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import Project, ProjectMember, ProjectRole


class MembershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def with_role(self, project_id: uuid.UUID, user_id: uuid.UUID, *,
                        for_update: bool = False) -> tuple[Project, ProjectRole] | None:
        query = (select(Project, ProjectMember.role)
                 .join(ProjectMember, ProjectMember.project_id == Project.id)
                 .where(Project.id == project_id, ProjectMember.user_id == user_id))
        if for_update:
            query = query.with_for_update(of=Project)
        row = (await self.session.execute(query)).one_or_none()
        return (row[0], row[1]) if row else None
