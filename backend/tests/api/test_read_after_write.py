"""A 2xx means the change is committed: the very next request sees it.

These run against a real uvicorn process (`live_client`), never the in-process transport,
which waits for every dependency's teardown and so hid a commit that ran after the
response had been sent (issue 10: 8-25 of 200 create-then-GET answered 404).

Each write endpoint gets ROUNDS rounds of write-then-immediately-read from one client, and
every read must show the write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ariaforge.music.interchange import write_midi
from ariaforge.music.score import Note, Role, Score, Track
from tests.conftest import PASSWORD, assert_error, bearer, new_user, unique_email

API = "/api/v1"
ROUNDS = 200
Headers = dict[str, str]


async def forget_rate_limits(redis: Redis) -> None:
    """These tests are about durability, not rate limits: start each round unthrottled."""
    async for key in redis.scan_iter(match="ratelimit:*"):
        await redis.delete(key)


async def new_project(http: httpx.AsyncClient, headers: Headers,
                      name: str = "song") -> dict[str, Any]:
    response = await http.post(f"{API}/projects", headers=headers, json={"name": name})
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


async def score_state(http: httpx.AsyncClient, project: str,
                      headers: Headers) -> tuple[int, dict[str, Any]]:
    response = await http.get(f"{API}/projects/{project}/score", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["revision"], body["score"]


async def repeat(rounds: int, step: Callable[[int], Awaitable[None]]) -> None:
    for number in range(rounds):
        await step(number)


def tiny_score(pitch: int) -> Score:
    return Score(bars=2, tracks=[Track(id="lead", role=Role.MELODY, notes=[
        Note(id="n1", pitch=pitch, start=0, duration=480)])])


# --- accounts ------------------------------------------------------------------------

async def test_register_then_login_at_once(live_client: httpx.AsyncClient,
                                           app: Any) -> None:
    async def step(_: int) -> None:
        await forget_rate_limits(app.state.redis)
        email = unique_email("raw")
        created = await live_client.post(f"{API}/auth/register",
                                         json={"email": email, "password": PASSWORD})
        assert created.status_code == 201, created.text
        login = await live_client.post(f"{API}/auth/login",
                                       json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text

    await repeat(ROUNDS, step)


async def test_login_refresh_and_logout_take_effect_at_once(
        live_client: httpx.AsyncClient, app: Any) -> None:
    email, _ = await new_user(live_client)

    async def step(_: int) -> None:
        await forget_rate_limits(app.state.redis)
        tokens = (await live_client.post(f"{API}/auth/login", json={
            "email": email, "password": PASSWORD})).json()
        rotated = await live_client.post(f"{API}/auth/refresh",
                                         json={"refresh_token": tokens["refresh_token"]})
        assert rotated.status_code == 200, rotated.text
        fresh = rotated.json()
        assert (await live_client.get(f"{API}/me", headers=bearer(fresh))).status_code == 200
        out = await live_client.post(f"{API}/auth/logout", headers=bearer(fresh),
                                     json={"refresh_token": fresh["refresh_token"]})
        assert out.status_code == 204, out.text
        for revoked in (fresh["refresh_token"], tokens["refresh_token"]):
            after = await live_client.post(f"{API}/auth/refresh",
                                           json={"refresh_token": revoked})
            assert_error(after, 401, "AUTHENTICATION_ERROR")
        assert (await live_client.get(f"{API}/me", headers=bearer(fresh))).status_code == 401

    await repeat(ROUNDS, step)


# --- projects and members ------------------------------------------------------------

async def test_project_create_update_delete_are_visible_at_once(
        live_client: httpx.AsyncClient) -> None:
    _, owner = await new_user(live_client)

    async def step(number: int) -> None:
        project = await new_project(live_client, owner, f"song {number}")
        url = f"{API}/projects/{project['id']}"
        assert (await live_client.get(url, headers=owner)).status_code == 200
        renamed = await live_client.patch(url, headers=owner, json={
            "name": f"renamed {number}", "revision": project["revision"]})
        assert renamed.status_code == 200, renamed.text
        seen = (await live_client.get(url, headers=owner)).json()
        assert seen["name"] == f"renamed {number}"
        assert seen["revision"] == renamed.json()["revision"]
        assert (await live_client.delete(url, headers=owner)).status_code == 204
        assert_error(await live_client.get(url, headers=owner), 404, "NOT_FOUND")

    await repeat(ROUNDS, step)


async def test_membership_changes_are_visible_at_once(live_client: httpx.AsyncClient) -> None:
    _, owner = await new_user(live_client)
    guest_email, guest = await new_user(live_client, "guest")
    project = await new_project(live_client, owner)
    members = f"{API}/projects/{project['id']}/members"

    async def step(_: int) -> None:
        added = await live_client.post(members, headers=owner,
                                       json={"email": guest_email, "role": "viewer"})
        assert added.status_code == 201, added.text
        guest_id = added.json()["user_id"]
        # The guest, a different account, sees the project at once.
        seen = await live_client.get(f"{API}/projects/{project['id']}", headers=guest)
        assert seen.status_code == 200 and seen.json()["role"] == "viewer", seen.text
        promoted = await live_client.patch(f"{members}/{guest_id}", headers=owner,
                                           json={"role": "editor"})
        assert promoted.status_code == 200, promoted.text
        seen = await live_client.get(f"{API}/projects/{project['id']}", headers=guest)
        assert seen.json()["role"] == "editor"
        removed = await live_client.delete(f"{members}/{guest_id}", headers=owner)
        assert removed.status_code == 204, removed.text
        gone = await live_client.get(f"{API}/projects/{project['id']}", headers=guest)
        assert gone.status_code in (403, 404), gone.text

    await repeat(ROUNDS, step)


# --- the score -------------------------------------------------------------------------

async def test_score_writes_are_visible_at_once(live_client: httpx.AsyncClient) -> None:
    """PUT /score, notes batch, tracks add/patch/delete: each read shows the new revision,
    and the next write based on it never meets a 409 (it did, after a stale read)."""
    _, owner = await new_user(live_client)
    project = (await new_project(live_client, owner))["id"]
    base = f"{API}/projects/{project}"

    async def step(number: int) -> None:
        revision, _ = await score_state(live_client, project, owner)
        put = await live_client.put(f"{base}/score", headers=owner, json={
            "score": tiny_score(60 + number % 12).model_dump(mode="json"),
            "revision": revision})
        assert put.status_code == 200, put.text
        revision, score = await score_state(live_client, project, owner)
        assert revision == put.json()["revision"]
        assert score["tracks"][0]["notes"][0]["pitch"] == 60 + number % 12

        batch = await live_client.post(f"{base}/notes/batch", headers=owner, json={
            "revision": revision, "operations": [
                {"op": "add", "track_id": "lead", "pitch": 72, "start": 480,
                 "duration": 240}]})
        assert batch.status_code == 200, batch.text
        revision, score = await score_state(live_client, project, owner)
        assert revision == batch.json()["revision"]
        assert len(score["tracks"][0]["notes"]) == 2

        added = await live_client.post(f"{base}/tracks", headers=owner, json={
            "id": "bass", "name": "Bass", "role": "bass", "revision": revision})
        assert added.status_code == 201, added.text
        revision, score = await score_state(live_client, project, owner)
        assert [t["id"] for t in score["tracks"]] == ["lead", "bass"]

        muted = await live_client.patch(f"{base}/tracks/bass", headers=owner,
                                        json={"mute": True, "revision": revision})
        assert muted.status_code == 200, muted.text
        tracks = (await live_client.get(f"{base}/tracks", headers=owner)).json()
        assert [t["mute"] for t in tracks] == [False, True]

        revision, _ = await score_state(live_client, project, owner)
        deleted = await live_client.delete(f"{base}/tracks/bass", headers={
            **owner, "If-Match": f'"{revision}"'})
        assert deleted.status_code == 204, deleted.text
        revision, score = await score_state(live_client, project, owner)
        assert [t["id"] for t in score["tracks"]] == ["lead"]

    await repeat(ROUNDS, step)


async def test_restore_is_visible_at_once(live_client: httpx.AsyncClient) -> None:
    _, owner = await new_user(live_client)
    project = (await new_project(live_client, owner))["id"]
    base = f"{API}/projects/{project}"
    revision, _ = await score_state(live_client, project, owner)
    put = await live_client.put(f"{base}/score", headers=owner, json={
        "score": tiny_score(64).model_dump(mode="json"), "revision": revision})
    assert put.status_code == 200, put.text

    async def step(number: int) -> None:
        revision, _ = await score_state(live_client, project, owner)
        # Version 1 is the empty score, version 2 the one with a note: alternate.
        target = 1 + number % 2
        restored = await live_client.post(f"{base}/versions/{target}/restore",
                                          headers={**owner, "If-Match": f'"{revision}"'})
        assert restored.status_code == 200, restored.text
        revision, score = await score_state(live_client, project, owner)
        assert revision == restored.json()["revision"]
        assert len(score["tracks"]) == (0 if target == 1 else 1)

    await repeat(ROUNDS, step)


async def test_import_then_export_sees_the_import(live_client: httpx.AsyncClient,
                                                  app: Any) -> None:
    """Measured before: the export held the old, empty score, or the import answered 404
    for the project just created."""
    _, owner = await new_user(live_client)

    async def step(number: int) -> None:
        await forget_rate_limits(app.state.redis)
        project = (await new_project(live_client, owner, f"import {number}"))["id"]
        data = write_midi(tiny_score(60 + number % 12))
        imported = await live_client.post(
            f"{API}/projects/{project}/import", headers=owner,
            files={"file": ("tune.mid", data, "application/octet-stream")})
        assert imported.status_code == 200, imported.text
        revision, score = await score_state(live_client, project, owner)
        assert revision == imported.json()["revision"]
        pitches = [n["pitch"] for t in score["tracks"] for n in t["notes"]]
        assert pitches == [60 + number % 12]
        exported = await live_client.get(f"{API}/projects/{project}/export.mid",
                                         headers=owner)
        assert exported.status_code == 200
        assert exported.content == write_midi(Score.model_validate(score))

    await repeat(ROUNDS, step)


# --- mix, exports, sessions, jobs -----------------------------------------------------

async def test_mix_writes_are_visible_at_once(live_client: httpx.AsyncClient) -> None:
    _, owner = await new_user(live_client)
    project = (await new_project(live_client, owner))["id"]
    url = f"{API}/projects/{project}/mix"

    async def step(number: int) -> None:
        current = (await live_client.get(url, headers=owner)).json()
        gain = float(number % 24 - 12)
        put = await live_client.put(url, headers=owner, json={
            "settings": {"master": {"gain_db": gain}}, "revision": current["revision"]})
        assert put.status_code == 200, put.text
        seen = (await live_client.get(url, headers=owner)).json()
        assert seen["revision"] == put.json()["revision"]
        assert seen["settings"]["master"]["gain_db"] == gain

    await repeat(ROUNDS, step)


async def test_exports_are_visible_at_once(live_client: httpx.AsyncClient, app: Any) -> None:
    """No worker runs here: each export waits until its job is cancelled, so the active
    export quota never fills; the hourly one is reset each round."""
    _, owner = await new_user(live_client)
    project = (await new_project(live_client, owner))["id"]
    revision, _ = await score_state(live_client, project, owner)
    put = await live_client.put(f"{API}/projects/{project}/score", headers=owner, json={
        "score": tiny_score(60).model_dump(mode="json"), "revision": revision})
    assert put.status_code == 200, put.text

    async def step(_: int) -> None:
        await forget_rate_limits(app.state.redis)
        created = await live_client.post(f"{API}/projects/{project}/exports", headers=owner,
                                         json={"format": "mp3"})
        assert created.status_code == 202, created.text
        export = created.json()
        seen = await live_client.get(f"{API}/exports/{export['id']}", headers=owner)
        assert seen.status_code == 200 and seen.json()["status"] == "queued", seen.text
        listed = (await live_client.get(f"{API}/projects/{project}/exports",
                                        headers=owner)).json()
        assert export["id"] in {item["id"] for item in listed}
        cancelled = await live_client.post(f"{API}/jobs/{export['job_id']}/cancel",
                                           headers=owner)
        assert cancelled.status_code == 200, cancelled.text
        seen = await live_client.get(f"{API}/exports/{export['id']}", headers=owner)
        assert seen.json()["status"] == "cancelled"

    await repeat(ROUNDS, step)


async def test_sessions_and_their_cancel_are_visible_at_once(
        live_client: httpx.AsyncClient, app: Any) -> None:
    """No worker runs here: each session stays queued until cancelled."""
    _, owner = await new_user(live_client)
    project = (await new_project(live_client, owner))["id"]

    async def step(_: int) -> None:
        await forget_rate_limits(app.state.redis)
        created = await live_client.post(f"{API}/projects/{project}/sessions", headers=owner,
                                         json={"prompt": "a short march in C"})
        assert created.status_code == 202, created.text
        session = created.json()
        seen = await live_client.get(f"{API}/sessions/{session['id']}", headers=owner)
        assert seen.status_code == 200, seen.text
        job = await live_client.get(f"{API}/jobs/{session['job_id']}", headers=owner)
        assert job.status_code == 200, job.text
        cancelled = await live_client.post(f"{API}/sessions/{session['id']}/cancel",
                                           headers=owner)
        assert cancelled.status_code == 200, cancelled.text
        seen = await live_client.get(f"{API}/sessions/{session['id']}", headers=owner)
        assert seen.json()["status"] == cancelled.json()["status"] == "cancelled"

    await repeat(ROUNDS, step)


async def test_job_cancel_is_visible_at_once(live_client: httpx.AsyncClient, app: Any) -> None:
    _, owner = await new_user(live_client)
    project = (await new_project(live_client, owner))["id"]

    async def step(_: int) -> None:
        await forget_rate_limits(app.state.redis)
        created = await live_client.post(f"{API}/projects/{project}/sessions", headers=owner,
                                         json={"prompt": "a waltz"})
        assert created.status_code == 202, created.text
        job_id = created.json()["job_id"]
        cancelled = await live_client.post(f"{API}/jobs/{job_id}/cancel", headers=owner)
        assert cancelled.status_code == 200, cancelled.text
        job = (await live_client.get(f"{API}/jobs/{job_id}", headers=owner)).json()
        assert job["status"] == "cancelled"

    await repeat(ROUNDS, step)


# --- a commit that fails answers an error, never a 2xx -------------------------------

REFUSE_DOOMED = """
CREATE OR REPLACE FUNCTION test_refuse_doomed_project() RETURNS trigger AS $$
BEGIN
  IF NEW.name = 'doomed' THEN
    RAISE EXCEPTION 'doomed projects are refused at commit' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""
CHECK_AT_COMMIT = """
CREATE CONSTRAINT TRIGGER test_refuse_doomed_project AFTER INSERT OR UPDATE ON projects
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_doomed_project()
"""


@pytest.fixture
async def doomed_projects_fail_at_commit(app: Any) -> Any:
    """A real deferred constraint: checked only when the transaction commits, i.e. after
    the endpoint has returned its answer."""
    engine: AsyncEngine = app.state.engine
    async with engine.begin() as connection:
        await connection.execute(text(REFUSE_DOOMED))
        await connection.execute(text(CHECK_AT_COMMIT))
    try:
        yield
    finally:
        async with engine.begin() as connection:
            await connection.execute(text(
                "DROP TRIGGER IF EXISTS test_refuse_doomed_project ON projects"))
            await connection.execute(text(
                "DROP FUNCTION IF EXISTS test_refuse_doomed_project()"))


async def test_a_failed_commit_answers_409_and_stores_nothing(
        live_client: httpx.AsyncClient, doomed_projects_fail_at_commit: None) -> None:
    _, owner = await new_user(live_client)
    refused = await live_client.post(f"{API}/projects", headers=owner,
                                     json={"name": "doomed"})
    assert_error(refused, 409, "CONFLICT")
    listed = (await live_client.get(f"{API}/projects", headers=owner)).json()
    assert listed["items"] == []
    # The same request without the doomed value commits and is visible.
    kept = await new_project(live_client, owner, "fine")
    renamed = await live_client.patch(f"{API}/projects/{kept['id']}", headers=owner,
                                      json={"name": "doomed", "revision": kept["revision"]})
    assert_error(renamed, 409, "CONFLICT")
    seen = (await live_client.get(f"{API}/projects/{kept['id']}", headers=owner)).json()
    assert seen["name"] == "fine" and seen["revision"] == kept["revision"]
