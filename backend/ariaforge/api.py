"""The whole HTTP API: every domain's router, included by `create_app` in one place.

The order is the order of the OpenAPI document (and so of the generated web client), and
of matching: the web app and the start page come after all of these (`ariaforge.main`).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from ariaforge.analytics.endpoints import router as analytics
from ariaforge.auth.endpoints import router as auth
from ariaforge.collab.endpoints import router as collab
from ariaforge.exports.endpoints import router as exports
from ariaforge.jobs.endpoints import router as jobs
from ariaforge.library.endpoints import router as library
from ariaforge.onboarding.endpoints import router as onboarding
from ariaforge.ops.endpoints import router as ops
from ariaforge.projects.endpoints import router as projects
from ariaforge.scores.endpoints import router as scores
from ariaforge.sessions.endpoints import router as sessions
from ariaforge.sharing.endpoints import router as sharing
from ariaforge.similarity.endpoints import router as similarity
from ariaforge.web.soundfont import router as soundfont

ROUTERS: tuple[APIRouter, ...] = (ops, auth, projects, scores, jobs, exports, sessions,
                                  collab, sharing, soundfont, onboarding, similarity,
                                  library, analytics)


def include_api(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
