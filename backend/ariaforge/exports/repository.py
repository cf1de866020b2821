from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.models import Export, Job, JobStatus, ProjectMix, ProjectScore, User

_ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


class MixRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, project_id: uuid.UUID, *, for_update: bool = False) -> ProjectMix | None:
        query = select(ProjectMix).where(ProjectMix.project_id == project_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add(self, mix: ProjectMix) -> None:
        self.session.add(mix)
        await self.session.flush()


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, export: Export) -> Export:
        self.session.add(export)
        await self.session.flush()
        return export

    async def get(self, export_id: uuid.UUID, *, for_update: bool = False) -> Export | None:
        return await self.session.get(Export, export_id, with_for_update=for_update)

    async def job(self, export: Export) -> Job | None:
        return await self.session.get(Job, export.job_id) if export.job_id else None

    async def of_project(self, project_id: uuid.UUID,
                         limit: int) -> list[tuple[Export, Job | None]]:
        rows = await self.session.execute(
            select(Export, Job).outerjoin(Job, Job.id == Export.job_id)
            .where(Export.project_id == project_id).order_by(Export.created_at.desc())
            .limit(limit))
        return [(export, job) for export, job in rows]

    async def lock_requester(self, user: User) -> None:
        """Serialises one user's export requests (see `service._check_quota`)."""
        await self.session.execute(select(User.id).where(User.id == user.id).with_for_update())

    async def requested_since(self, user: User, since: datetime) -> Sequence[
            tuple[str | None, dict[str, Any] | None, list[dict[str, Any]], datetime]]:
        """(job status, job payload, stored files, created at) of the user's exports."""
        rows = await self.session.execute(
            select(Job.status, Job.payload, Export.files, Export.created_at)
            .select_from(Export).outerjoin(Job, Job.id == Export.job_id)
            .where(Export.requested_by == user.id, Export.created_at > since))
        return [(status, payload, files, created) for status, payload, files, created in rows]

    async def expired_with_files(self, before: datetime, limit: int) -> list[uuid.UUID]:
        """Exports past the retention that still have files, locked (others skip them)."""
        return list((await self.session.execute(
            select(Export.id).where(Export.created_at <= before,
                                    func.jsonb_array_length(Export.files) > 0)
            .limit(limit).with_for_update(skip_locked=True))).scalars())

    async def forget_files(self, export_ids: list[uuid.UUID]) -> None:
        await self.session.execute(
            update(Export).where(Export.id.in_(export_ids)).values(files=[]))


class PreviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def score(self, project_id: uuid.UUID) -> ProjectScore | None:
        return await self.session.get(ProjectScore, project_id)

    async def lock_key(self, key: str) -> None:
        """Until the transaction ends, the one caller deciding whether `key` needs a job
        (in any API process)."""
        await self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))

    async def active_job(self, kind: str, key: str) -> Job | None:
        """A waiting or running job of `kind` that renders the preview stored at `key`."""
        return (await self.session.execute(
            select(Job).where(Job.kind == kind, Job.status.in_(_ACTIVE),
                              Job.payload["key"].astext == key)
            .order_by(Job.created_at).limit(1))).scalar_one_or_none()

    async def supersede(self, kind: str, project_id: uuid.UUID, key: str,
                        listener: str = "") -> None:
        """Cancel the project's other preview jobs for the same listener mix (own
        mute/solo; "" for none): a waiting one stops at once, a running one at its next
        progress report. Only the newest content is worth rendering, and an editor
        changing notes while asking for previews cannot fill the queue; two listeners
        with different mixes do not cancel each other's renders."""
        await self.session.execute(
            update(Job).where(Job.kind == kind, Job.project_id == project_id,
                              Job.status.in_(_ACTIVE), Job.payload["key"].astext != key,
                              func.coalesce(Job.payload["listener"].astext, "") == listener)
            .values(cancel_requested=True,
                    status=case((Job.status == JobStatus.QUEUED.value,
                                 JobStatus.CANCELLED.value), else_=Job.status)))

    async def job(self, job_id: uuid.UUID) -> Job | None:
        return await self.session.get(Job, job_id, populate_existing=True)
