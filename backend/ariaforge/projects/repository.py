from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import (
    Project,
    ProjectMember,
    ProjectRole,
    ProjectScore,
    ProjectStatus,
    User,
)
from ariaforge.scores.repository import SETTINGS_COLUMNS

Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class ProjectView:
    """A project as a member sees it: its own fields, the member's role and, read from
    its score (their one home), its tempo, key, mode and meter."""

    project: Project
    role: ProjectRole
    tempo: int
    key: str
    mode: str
    meter: str
    # The later of the project's and its score's last change: editing the music counts
    # as changing the project (lists show the most recently worked on first).
    updated_at: datetime


# Every project has a score: created with it (and by migration 0007 for older ones).
_CHANGED = func.greatest(Project.updated_at, ProjectScore.updated_at).label("changed")
_VIEW = (select(Project, ProjectMember.role, *SETTINGS_COLUMNS, _CHANGED)
         .join(ProjectMember, ProjectMember.project_id == Project.id)
         .join(ProjectScore, ProjectScore.project_id == Project.id))


def _view(row: Sequence[Any]) -> ProjectView:
    project, role, tempo, key, mode, meter, changed = row
    return ProjectView(project, role, tempo, key, mode, meter, changed)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _visible(query: Select[*Columns], user_id: uuid.UUID, search: str | None,
             status: ProjectStatus | None) -> Select[*Columns]:
    query = query.where(ProjectMember.user_id == user_id)
    if status is not None:
        query = query.where(Project.status == status)
    if search:
        pattern = _like_pattern(search)
        query = query.where(or_(Project.name.ilike(pattern, escape="\\"),
                                Project.description.ilike(pattern, escape="\\"),
                                Project.genre.ilike(pattern, escape="\\")))
    return query


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

    async def view(self, project_id: uuid.UUID, user_id: uuid.UUID) -> ProjectView | None:
        """The project as `user_id` sees it, or None if they are not a member."""
        row = (await self.session.execute(
            _VIEW.where(Project.id == project_id, ProjectMember.user_id == user_id))
        ).one_or_none()
        return _view(row) if row else None

    async def page(self, user_id: uuid.UUID, *, search: str | None,
                   status: ProjectStatus | None, page: int,
                   limit: int) -> tuple[list[ProjectView], int]:
        """One page of the user's projects, most recently changed first, and how many
        there are: two queries, whatever the page size."""
        members = select(Project.id).join(ProjectMember,
                                          ProjectMember.project_id == Project.id)
        total = await self.session.scalar(select(func.count()).select_from(
            _visible(members, user_id, search, status).subquery()))
        rows = await self.session.execute(
            _visible(_VIEW, user_id, search, status)
            .order_by(_CHANGED.desc(), Project.id)
            .offset((page - 1) * limit).limit(limit))
        return [_view(row) for row in rows], int(total or 0)

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
