from __future__ import annotations

import uuid

from fastapi import APIRouter

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.routing import API_PREFIX
from ariaforge.jobs import service
from ariaforge.jobs.schemas import JobOut

router = APIRouter(prefix=f"{API_PREFIX}/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut)
async def get_job(job_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JobOut:
    """Status, progress (0-100, stage, message), attempts, error or result of a job."""
    return JobOut.model_validate(await service.visible_job(session, user, job_id))


@router.post("/{job_id}/cancel", response_model=JobOut)
async def cancel_job(job_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> JobOut:
    """Cancel a queued job at once, or a running one at its next heartbeat (409 if the
    job already ended)."""
    return JobOut.model_validate(await service.cancel(session, user, job_id))
