"""The demo project a person finds on their first sign-in: "Demo — Late-night jazz", its
music being composed by the worker while they look around (a normal composition session,
so the workspace shows its progress and the result like any other).

Idempotent per account: the demo is made only while the account has no project at all
(owned or shared with it), under a transaction-scoped advisory lock on the user, so two
sign-ins racing make one demo. A person who deletes it is not given another unless they
have no project left and the web app asks again (it asks only right after sign-up).
"""

from __future__ import annotations

import uuid
from typing import Final

from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.config import Settings
from ariaforge.models import ProjectMember, User
from ariaforge.onboarding.schemas import DemoProjectOut
from ariaforge.projects import service as projects
from ariaforge.projects.schemas import ProjectCreate
from ariaforge.sessions import service as sessions
from ariaforge.sessions.schemas import SessionCreate

__all__ = ["DEMO_BRIEF", "DEMO_NAME", "ensure_demo_project"]

DEMO_NAME: Final = "Demo — Late-night jazz"
DEMO_DESCRIPTION: Final = ("A song AriaForge wrote for you to explore: play it, read the "
                           "notation, edit notes, check the theory, then write your own.")
# A short piece in a style with real harmony to look at (the theory check judges it as
# jazz), composed from a fixed seed so every demo sounds as the docs describe it.
DEMO_BRIEF: Final = SessionCreate(
    prompt="a relaxed late-night jazz tune for piano, upright bass and drums, 16 bars",
    style="jazz", bars=16, seed=7)
_LOCK_SPACE: Final = 0x0DE30  # advisory-lock keys of this module: (space, user hash)


async def _has_a_project(session: AsyncSession, user: User) -> bool:
    found = await session.scalar(
        select(ProjectMember.project_id).where(ProjectMember.user_id == user.id).limit(1))
    return found is not None


def _lock_key(user_id: uuid.UUID) -> int:
    return int.from_bytes(user_id.bytes[:4], "big", signed=True)


async def ensure_demo_project(session: AsyncSession, redis: Redis, user: User,
                              settings: Settings) -> DemoProjectOut:
    """Make the demo project and queue its composition, unless the account already has a
    project or the deployment turned demos off."""
    if not settings.demo_project:
        return DemoProjectOut(created=False, reason="turned-off")
    await session.execute(select(func.pg_advisory_xact_lock(_LOCK_SPACE, _lock_key(user.id))))
    if await _has_a_project(session, user):
        return DemoProjectOut(created=False, reason="has-projects")
    project = await projects.create(session, user, ProjectCreate(
        name=DEMO_NAME, description=DEMO_DESCRIPTION, genre="jazz"))
    row, _ = await sessions.create_session(session, redis, user, project.id, DEMO_BRIEF)
    return DemoProjectOut(created=True, reason="created", project_id=project.id,
                          session_id=row.id)
