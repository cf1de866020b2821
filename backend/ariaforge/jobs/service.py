"""Reading and cancelling jobs, with the same authorization as their project."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.core.errors import Conflict, NotFound
from ariaforge.core.metrics import JOBS_FINISHED
from ariaforge.jobs.repository import JobRepository
from ariaforge.membership.access import WRITERS, authorize
from ariaforge.models import FINISHED, Job, JobStatus, User
from ariaforge.queue.stream import AFTER_COMMIT


async def visible_job(session: AsyncSession, user: User, job_id: uuid.UUID, *,
                      write: bool = False, for_update: bool = False) -> Job:
    """The job if the user started it or may see its project; else 404 (no leak)."""
    job = await JobRepository(session).get(job_id, for_update=for_update)
    if job is None:
        raise NotFound("job not found")
    if job.project_id is not None:
        try:
            await authorize(session, job.project_id, user, WRITERS if write else None)
        except NotFound:
            raise NotFound("job not found") from None
    elif job.created_by != user.id:
        raise NotFound("job not found")
    return job


async def cancel(session: AsyncSession, user: User, job_id: uuid.UUID) -> Job:
    """A queued job is cancelled at once; a running one stops at its next heartbeat."""
    job = await visible_job(session, user, job_id, write=True, for_update=True)
    if job.status in FINISHED:
        raise Conflict(f"the job already ended ({job.status})")
    job.cancel_requested = True
    if job.status == JobStatus.QUEUED.value:
        job.status = JobStatus.CANCELLED.value
        # No worker will ever see it run: the job ends here, counted once it is durable.
        kind = job.kind

        async def count_cancelled() -> None:
            JOBS_FINISHED.labels(kind=kind, outcome=JobStatus.CANCELLED.value).inc()

        session.info.setdefault(AFTER_COMMIT, []).append(count_cancelled)
    await session.flush()
    return job
