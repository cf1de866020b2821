from __future__ import annotations

import uuid

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import Project, ProjectMember, ProjectRole, ProjectStatus, User


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, project: Project, owner_id: uuid.UUID) -> Project:
        self.session.add(project)
        await self.session.flush()
        self.session.add(ProjectMember(project_id=project.id, user_id=owner_id,
                                       role=ProjectRole.OWNER))
        await self.session.flush()
        return project

    async def with_role(self, project_id: uuid.UUID, user_id: uuid.UUID, *,
                        for_update: bool = False) -> tuple[Project, ProjectRole] | None:
        query = (select(Project, ProjectMember.role)
                 .join(ProjectMember, ProjectMember.project_id == Project.id)
                 .where(Project.id == project_id, ProjectMember.user_id == user_id))
        if for_update:
            query = query.with_for_update(of=Project)
        row = (await self.session.execute(query)).one_or_none()
        return (row[0], row[1]) if row else None

    def _visible(self, user_id: uuid.UUID, search: str | None,
                 status: ProjectStatus | None) -> Select[Project, ProjectRole]:
        query = (select(Project, ProjectMember.role)
                 .join(ProjectMember, ProjectMember.project_id == Project.id)
                 .where(ProjectMember.user_id == user_id))
        if status is not None:
            query = query.where(Project.status == status)
        if search:
            pattern = _like_pattern(search)
            query = query.where(or_(Project.name.ilike(pattern, escape="\\"),
                                    Project.description.ilike(pattern, escape="\\"),
                                    Project.genre.ilike(pattern, escape="\\")))
        return query

    async def page(self, user_id: uuid.UUID, *, search: str | None,
                   status: ProjectStatus | None, page: int,
                   limit: int) -> tuple[list[tuple[Project, ProjectRole]], int]:
        query = self._visible(user_id, search, status)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.execute(
            query.order_by(Project.updated_at.desc(), Project.id)
            .offset((page - 1) * limit).limit(limit))
        return [(project, role) for project, role in rows], int(total or 0)

    async def delete(self, project: Project) -> None:
        await self.session.delete(project)
        await self.session.flush()


class MemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, project_id: uuid.UUID) -> list[tuple[ProjectMember, User]]:
        rows = await self.session.execute(
            select(ProjectMember, User).join(User, User.id == ProjectMember.user_id)
            .where(ProjectMember.project_id == project_id)
            .order_by(ProjectMember.created_at, User.email))
        return [(row[0], row[1]) for row in rows]

    async def get(self, project_id: uuid.UUID, user_id: uuid.UUID) -> ProjectMember | None:
        return await self.session.get(ProjectMember, (project_id, user_id))

    async def add(self, member: ProjectMember) -> ProjectMember:
        self.session.add(member)
        await self.session.flush()
        return member

    async def remove(self, project_id: uuid.UUID, user_id: uuid.UUID) -> None:
        await self.session.execute(delete(ProjectMember).where(
            ProjectMember.project_id == project_id, ProjectMember.user_id == user_id))
