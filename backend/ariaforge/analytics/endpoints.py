"""Project analytics: renders, revisions, collaboration hours, exports, compositions and AI
operations, from the rows the other domains already keep."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from ariaforge.analytics import service
from ariaforge.analytics.schemas import ProjectAnalytics
from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])


@router.get("/projects/{project_id}", response_model=ProjectAnalytics, responses={
    404: {"description": "no such project, or you are not a member"}})
async def project_analytics(
        project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
        days: Annotated[int, Query(ge=1, le=365,
                                   description="how many UTC days the series covers")] = 30,
) -> ProjectAnalytics:
    """A project's activity: render time, revisions, live-editing hours, exports,
    compositions and AI operations, its top contributors, and a day-by-day series.
    Every member may see them, viewers too."""
    return await service.project_analytics(session, user, project_id, days)
