"""GET /api/v1/analytics/projects/{id}: what a project's activity adds up to.

First the arithmetic on visit rows written here (overlaps, open visits, days), then a
scripted history over a real server and worker: edits, a composition, exports rendered by
the worker, live-editing visits of a real y-websocket client -> exact counts."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.models import ProjectScore
from ariaforge.models.analytics import CollabVisit
from tests.collab.conftest import YClient, add_member, project_with_score
from tests.conftest import assert_error, new_user

API = "/api/v1"
WAIT_LIMIT_S = 240.0
FINAL = frozenset({"succeeded", "failed", "dead", "cancelled"})


async def analytics(client: httpx.AsyncClient, project: str, auth: dict[str, str],
                    **query: Any) -> dict[str, Any]:
    answer = await client.get(f"{API}/analytics/projects/{project}", headers=auth,
                              params=query)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def add_visits(sessions: async_sessionmaker[AsyncSession],
                     rows: list[dict[str, Any]]) -> None:
    async with sessions() as db, db.begin():
        db.add_all(CollabVisit(**row) for row in rows)


async def test_collaboration_hours_merge_a_persons_overlaps_and_count_open_visits(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    owner_id = (await client.get(f"{API}/me", headers=owner)).json()["id"]
    editor_id, _ = await add_member(client, project, owner, "editor")
    _, viewer = await add_member(client, project, owner, "viewer")
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)

    def at(hours: float) -> datetime:
        return today + timedelta(hours=hours)

    pid, oid, eid = uuid.UUID(project), uuid.UUID(owner_id), uuid.UUID(editor_id)
    await add_visits(app.state.sessionmaker, [
        # The owner on two replicas at once (10:00-11:00 and 10:30-11:30): 1.5 h, not 2.
        {"project_id": pid, "user_id": oid, "started_at": at(10), "last_seen_at": at(11),
         "ended_at": at(11)},
        {"project_id": pid, "user_id": oid, "started_at": at(10.5),
         "last_seen_at": at(11.5), "ended_at": at(11.5)},
        # Still open (or its process died): counts until its last heartbeat, 0.25 h.
        {"project_id": pid, "user_id": oid, "started_at": at(12),
         "last_seen_at": at(12.25)},
        # The editor at the same time as the owner: people add up (person-hours).
        {"project_id": pid, "user_id": eid, "started_at": at(10), "last_seen_at": at(10.5),
         "ended_at": at(10.5)},
        # Yesterday, 2 h: in the totals and in a 2-day series, not in a 1-day one.
        {"project_id": pid, "user_id": eid, "started_at": at(-20), "last_seen_at": at(-18),
         "ended_at": at(-18)},
    ])
    body = await analytics(client, project, viewer, days=2)  # viewers may see them
    assert body["project_id"] == project
    assert body["collaboration_hours"] == pytest.approx(4.25)
    assert body["live_sessions"] == 5
    hours = {c["user_id"]: c["collaboration_hours"] for c in body["contributors"]}
    assert hours == {owner_id: pytest.approx(1.75), editor_id: pytest.approx(2.5)}
    assert [day["date"] for day in body["series"]] == [
        (today - timedelta(days=1)).date().isoformat(), today.date().isoformat()]
    assert [day["collaboration_hours"] for day in body["series"]] == [
        pytest.approx(2.0), pytest.approx(2.25)]
    one_day = await analytics(client, project, owner, days=1)
    assert len(one_day["series"]) == 1
    assert one_day["series"][0]["collaboration_hours"] == pytest.approx(2.25)
    assert one_day["collaboration_hours"] == pytest.approx(4.25)  # totals are all-time
    assert len((await analytics(client, project, owner))["series"]) == 30  # the default


async def test_only_members_see_analytics_and_days_are_checked(
        client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    _, stranger = await new_user(client, "stranger")
    url = f"{API}/analytics/projects/{project}"
    assert_error(await client.get(url, headers=stranger), 404, "NOT_FOUND")
    assert_error(await client.get(f"{API}/analytics/projects/{uuid.uuid4()}", headers=owner),
                 404, "NOT_FOUND")
    assert_error(await client.get(url), 401, "AUTHENTICATION_ERROR")
    for days in ("0", "366", "x", "1.5"):
        assert_error(await client.get(url, headers=owner, params={"days": days}),
                     422, "VALIDATION_ERROR")
    fresh = await analytics(client, project, owner, days=365)
    assert len(fresh["series"]) == 365
    assert fresh["render"] == {"count": 0, "total_seconds": 0.0, "last_seconds": None,
                               "last_at": None}
    assert fresh["exports"] == {"count": 0, "by_format": {}}
    assert fresh["compositions"] == 0 and set(fresh["ai_operations"].values()) == {0}
    assert "compose" in fresh["ai_operations"]


# --- a scripted history over a real server and worker --------------------------------


async def until_final(client: httpx.AsyncClient, url: str,
                      auth: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while True:
        body: dict[str, Any] = (await client.get(url, headers=auth)).json()
        if body["status"] in FINAL:
            return body
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.3)


async def save_edit(client: httpx.AsyncClient, project: str, auth: dict[str, str],
                    pitch: int) -> None:
    current = (await client.get(f"{API}/projects/{project}/score", headers=auth)).json()
    score = current["score"]
    score["tracks"][0]["notes"][0]["pitch"] = pitch
    saved = await client.put(f"{API}/projects/{project}/score", headers=auth,
                             json={"score": score, "revision": current["revision"]})
    assert saved.status_code == 200, saved.text


async def visits_of(sessions: async_sessionmaker[AsyncSession],
                    project: str) -> list[CollabVisit]:
    async with sessions() as db:
        return list((await db.scalars(select(CollabVisit).where(
            CollabVisit.project_id == uuid.UUID(project)))).all())


async def until_visits_end(sessions: async_sessionmaker[AsyncSession], project: str,
                           count: int) -> list[CollabVisit]:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while True:
        rows = await visits_of(sessions, project)
        if len(rows) == count and all(row.ended_at is not None for row in rows):
            return rows
        assert time.monotonic() < deadline, rows
        await asyncio.sleep(0.1)


async def test_a_scripted_history_adds_up(app: FastAPI, live_client: httpx.AsyncClient,
                                          live_api: str, live_worker: None) -> None:
    http = live_client
    project, owner = await project_with_score(http)  # created, then one save: revision 2
    owner_id = (await http.get(f"{API}/me", headers=owner)).json()["id"]
    editor_id, editor = await add_member(http, project, owner, "editor")
    _, viewer = await add_member(http, project, owner, "viewer")
    for pitch in (62, 64, 65, 67):
        await save_edit(http, project, owner, pitch)
    composed = await http.post(f"{API}/projects/{project}/sessions", headers=editor,
                               json={"prompt": "a calm waltz for piano", "bars": 8,
                                     "seed": 3})
    assert composed.status_code == 202, composed.text
    session = await until_final(http, f"{API}/sessions/{composed.json()['id']}", editor)
    assert session["status"] == "succeeded", session
    previews = 0
    if session["preview_job_id"]:
        preview = await until_final(http, f"{API}/jobs/{session['preview_job_id']}", editor)
        previews = int(preview["status"] == "succeeded")
    for pitch in (70, 72):
        await save_edit(http, project, editor, pitch)
    formats = ("wav", "mp3", "wav")
    for audio_format in formats:
        started = await http.post(f"{API}/projects/{project}/exports", headers=owner,
                                  json={"format": audio_format, "start_bar": 1,
                                        "end_bar": 1})
        assert started.status_code == 202, started.text
        done = await until_final(http, f"{API}/exports/{started.json()['id']}", owner)
        assert done["status"] == "succeeded", done
    # Live editing: the editor in two tabs at once (one visit), the owner in one.
    tabs = [await YClient.joined(http, live_api, project, editor) for _ in range(2)]
    owner_tab = await YClient.joined(http, live_api, project, owner)
    assert len(await visits_of(app.state.sessionmaker, project)) == 2
    await asyncio.gather(*(tab.close() for tab in [*tabs, owner_tab]))
    rows = await until_visits_end(app.state.sessionmaker, project, 2)
    seconds = {str(row.user_id): (row.ended_at - row.started_at).total_seconds()
               for row in rows if row.ended_at is not None}
    async with app.state.sessionmaker() as db:
        revision = (await db.get(ProjectScore, uuid.UUID(project))).revision
    versions = (await http.get(f"{API}/projects/{project}/versions", headers=owner)).json()

    body = await analytics(http, project, viewer, days=7)
    # Created (revision 1), saved by project_with_score, 4 owner edits, the composition,
    # 2 editor edits: 8 changes after the creation, each its own version (tests set
    # VERSION_COALESCE_S=0), plus the creation's own version.
    assert revision == 9 and body["revisions"] == 8
    assert body["versions"] == 9 == len(versions["items"])
    assert body["compositions"] == 1
    assert body["ai_operations"]["compose"] == 1
    assert sum(body["ai_operations"].values()) == 1
    assert body["exports"] == {"count": 3, "by_format": {"wav": 2, "mp3": 1}}
    render = body["render"]
    assert render["count"] == 3 + previews
    assert render["last_seconds"] > 0 and render["total_seconds"] >= render["last_seconds"]
    assert render["last_at"] is not None
    assert body["live_sessions"] == 2
    assert body["collaboration_hours"] == pytest.approx(sum(seconds.values()) / 3600)
    by_person = {c["user_id"]: c for c in body["contributors"]}
    assert set(by_person) == {owner_id, editor_id}
    # The owner's versions: the save in project_with_score and 4 edits; the editor's:
    # the composition's version and 2 edits.
    assert (by_person[owner_id]["revisions"], by_person[owner_id]["ai_operations"]) == (5, 0)
    assert (by_person[editor_id]["revisions"], by_person[editor_id]["ai_operations"]) == (3, 1)
    assert by_person[editor_id]["collaboration_hours"] == pytest.approx(
        seconds[editor_id] / 3600)
    assert body["contributors"][0]["user_id"] == owner_id  # most active first
    # All of it happened within the last 7 days (today, unless the test straddled midnight).
    totals = {metric: sum(day[metric] for day in body["series"])
              for metric in ("revisions", "exports", "compositions", "renders")}
    assert totals == {"revisions": 8, "exports": 3, "compositions": 1,
                      "renders": 3 + previews}
    assert sum(day["collaboration_hours"] for day in body["series"]) == pytest.approx(
        body["collaboration_hours"])
