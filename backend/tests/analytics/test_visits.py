"""collab/visits.py: one visit per person and stay in a room, kept alive by heartbeats."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.collab.visits import Visits
from ariaforge.models.analytics import CollabVisit
from tests.collab.conftest import project_with_score

WAIT_LIMIT_S = 30.0


async def rows(sessions: async_sessionmaker[AsyncSession],
               project: uuid.UUID) -> list[CollabVisit]:
    async with sessions() as db:
        return list((await db.scalars(select(CollabVisit).where(
            CollabVisit.project_id == project))).all())


async def test_sockets_of_one_person_share_a_visit_that_heartbeats_until_the_last_leaves(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project_text, owner = await project_with_score(client)
    project = uuid.UUID(project_text)
    user = uuid.UUID((await client.get("/api/v1/me", headers=owner)).json()["id"])
    sessions = app.state.sessionmaker
    visits = Visits(sessions, heartbeat_s=0.05)
    try:
        await asyncio.gather(visits.arrive(project, user), visits.arrive(project, user))
        [visit] = await rows(sessions, project)
        assert visit.user_id == user and visit.ended_at is None
        deadline = time.monotonic() + WAIT_LIMIT_S
        while (await rows(sessions, project))[0].last_seen_at <= visit.started_at:
            assert time.monotonic() < deadline, "no heartbeat moved last_seen_at"
            await asyncio.sleep(0.02)
        await visits.depart(project, user)  # one tab closed: still there
        assert (await rows(sessions, project))[0].ended_at is None
        await visits.depart(project, user)
        [ended] = await rows(sessions, project)
        assert ended.ended_at is not None and ended.ended_at >= ended.last_seen_at
        assert len(visits) == 0
        # Coming back is a new visit.
        await visits.arrive(project, user)
        await visits.depart(project, user)
        assert len(await rows(sessions, project)) == 2
        assert visits.heartbeat_stopped
    finally:
        await visits.stop()


async def test_a_visit_that_cannot_be_written_never_fails_the_socket(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    visits = Visits(app.state.sessionmaker)
    missing = uuid.uuid4()  # no such project: the insert breaks its foreign key
    await visits.arrive(missing, uuid.uuid4())
    await visits.depart(missing, uuid.uuid4())  # not there: nothing to do
    assert len(visits) == 1
    await visits.stop()
