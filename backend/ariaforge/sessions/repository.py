from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import CompositionSession, Job


class CompositionSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: CompositionSession) -> CompositionSession:
        self.session.add(row)
        await self.session.flush()
        return row

    async def get(self, session_id: uuid.UUID, *,
                  for_update: bool = False) -> CompositionSession | None:
        """`for_update` locks the row, so that two runs of one session (a resumed one and
        the original) cannot both store a result."""
        return await self.session.get(CompositionSession, session_id,
                                      with_for_update=for_update)

    async def job(self, row: CompositionSession) -> Job | None:
        return await self.session.get(Job, row.job_id) if row.job_id else None

    async def of_project(self, project_id: uuid.UUID,
                         limit: int) -> list[tuple[CompositionSession, Job | None]]:
        """Newest first, each with its job (None once the job row is gone)."""
        rows = await self.session.execute(
            select(CompositionSession, Job).outerjoin(Job, Job.id == CompositionSession.job_id)
            .where(CompositionSession.project_id == project_id)
            .order_by(CompositionSession.created_at.desc()).limit(limit))
        return [(row, job) for row, job in rows.all()]

    async def previous_brief(self, row: CompositionSession) -> dict[str, Any] | None:
        """The brief of the project's latest other session that produced a version: what a
        new session may carry on from."""
        brief: dict[str, Any] | None = await self.session.scalar(
            select(CompositionSession.brief).where(
                CompositionSession.project_id == row.project_id,
                CompositionSession.id != row.id, CompositionSession.brief.is_not(None),
                CompositionSession.result_version.is_not(None))
            .order_by(CompositionSession.created_at.desc()).limit(1))
        return brief
