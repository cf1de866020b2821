"""The job resource's one query: a job by id."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import Job


class JobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, job_id: uuid.UUID, *, for_update: bool = False) -> Job | None:
        return await self.session.get(Job, job_id, with_for_update=for_update)
