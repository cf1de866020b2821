from __future__ import annotations

from fastapi import APIRouter, Request

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.redis import RedisDep
from ariaforge.core.routing import API_PREFIX
from ariaforge.onboarding import service
from ariaforge.onboarding.schemas import DemoProjectOut

router = APIRouter(prefix=f"{API_PREFIX}/onboarding", tags=["onboarding"])


@router.post("/demo-project", response_model=DemoProjectOut)
async def demo_project(request: Request, user: CurrentUser, session: SessionDep,
                       redis: RedisDep) -> DemoProjectOut:
    """On a first sign-in: a "Demo — ..." project whose music the worker composes now.
    Safe to call again: an account that has any project gets none (`created: false`);
    DEMO_PROJECT=0 turns demos off. The web app calls it right after sign-up."""
    return await service.ensure_demo_project(session, redis, user,
                                             request.app.state.settings)
