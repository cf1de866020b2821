"""Tempo, key, mode and meter live in the score alone: projects show them, the project
form edits them as a score edit, and neither reading nor editing the music changes the
project's own revision."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event, text

from tests.conftest import assert_error, new_user
from tests.projects.test_projects import PROJECTS, create


async def get_json(client: httpx.AsyncClient, url: str,
                   headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def score(tempo: float, tonic: str, mode: str, meter: tuple[int, int],
          bars: int = 4) -> dict[str, Any]:
    return {"tempo": tempo, "key": {"tonic": tonic, "mode": mode},
            "meter": {"numerator": meter[0], "denominator": meter[1]}, "bars": bars,
            "tracks": [{"id": "lead", "notes": [{"id": "n1", "pitch": 60, "start": 0,
                                                 "duration": 480}]}]}


async def test_reading_the_score_never_changes_the_project(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = await create(client, owner, tempo=96, key="Eb", mode="minor", meter="6/8")
    url = f"{PROJECTS}/{project['id']}"
    before = await client.get(url, headers=owner)

    # What opening the workspace reads.
    for suffix in ("/score", "/tracks", "/versions", "/versions/1", "/members"):
        await get_json(client, f"{url}{suffix}", owner)
    await get_json(client, PROJECTS, owner)

    after = await client.get(url, headers=owner)
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"] == '"1"'
    assert (await get_json(client, f"{url}/score", owner))["revision"] == 1


async def test_a_score_edit_shows_in_the_project_with_the_same_revision(
        client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    edited = await create(client, owner, name="Edited")
    await create(client, owner, name="Created later")
    url = f"{PROJECTS}/{edited['id']}"

    put = await client.put(f"{url}/score", headers=owner,
                           json={"score": score(132.5, "Eb", "minor", (6, 8)), "revision": 1})
    assert put.status_code == 200, put.text

    listed = (await get_json(client, PROJECTS, owner))["items"]
    first = listed[0]
    assert first["id"] == edited["id"]  # editing the music counts as a change
    # A whole tempo, rounded half to even (132.5 -> 132).
    assert (first["tempo"], first["key"], first["mode"], first["meter"]) == (
        132, "Eb", "minor", "6/8")
    assert first["revision"] == 1
    assert first["updated_at"] > edited["updated_at"]
    single = await client.get(url, headers=owner)
    assert single.json() == first
    assert single.headers["etag"] == '"1"'

    batch = await client.post(f"{url}/notes/batch", headers=owner, json={
        "revision": 2, "operations": [{"op": "delete", "note_id": "n1"}]})
    assert batch.status_code == 200, batch.text
    assert (await get_json(client, url, owner))["revision"] == 1


async def test_the_project_shows_the_score_as_it_is(client: httpx.AsyncClient) -> None:
    """Values the project form cannot set are shown as the score has them (the old
    project columns clamped the tempo to 20-400 and kept a stale key)."""
    _, owner = await new_user(client)
    project = await create(client, owner)
    url = f"{PROJECTS}/{project['id']}"
    await client.put(f"{url}/score", headers=owner,
                     json={"score": score(500, "C##", "lydian", (7, 8)), "revision": 1})
    shown = await get_json(client, url, owner)
    assert (shown["tempo"], shown["key"], shown["mode"], shown["meter"]) == (
        500, "C##", "lydian", "7/8")


async def test_patching_the_settings_edits_the_score(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = await create(client, owner, key="D", mode="minor")
    url = f"{PROJECTS}/{project['id']}"

    patched = await client.patch(url, headers={**owner, "If-Match": '"1"'},
                                 json={"tempo": 140, "mode": "dorian", "meter": "3/4"})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["tempo"], body["key"], body["mode"], body["meter"]) == (
        140, "D", "dorian", "3/4")
    # A write through the project: its revision moves, so a second writer holding
    # revision 1 is refused rather than silently overwritten.
    assert body["revision"] == 2
    assert patched.headers["etag"] == '"2"'

    current = await get_json(client, f"{url}/score", owner)
    assert current["revision"] == 2
    assert (current["score"]["tempo"], current["score"]["key"], current["score"]["meter"]) == (
        140, {"tonic": "D", "mode": "dorian"}, {"numerator": 3, "denominator": 4})
    latest = (await get_json(client, f"{url}/versions", owner))["items"][0]
    assert (latest["number"], latest["reason"], latest["summary"]) == (
        2, "edited", "project settings")

    # The same values again: nothing to change, no new score version.
    same = await client.patch(url, headers=owner, json={"tempo": 140, "revision": 2})
    assert same.status_code == 200
    assert same.json()["revision"] == 2
    assert (await get_json(client, f"{url}/score", owner))["revision"] == 2
    stale = await client.patch(url, headers=owner, json={"tempo": 150, "revision": 1})
    assert stale.status_code == 409, stale.text
    assert (await get_json(client, f"{url}/score", owner))["score"]["tempo"] == 140


async def test_a_stale_project_revision_refuses_a_settings_change(
        client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = await create(client, owner)
    url = f"{PROJECTS}/{project['id']}"
    renamed = await client.patch(url, headers=owner, json={"name": "Renamed", "revision": 1})
    assert renamed.json()["revision"] == 2

    stale = await client.patch(url, headers={**owner, "If-Match": '"1"'}, json={"tempo": 150})
    assert assert_error(stale, 409, "CONFLICT")["details"] == {
        "current_revision": 2, "your_revision": 1}
    current = await get_json(client, f"{url}/score", owner)
    assert (current["revision"], current["score"]["tempo"]) == (1, 120)


async def test_settings_the_score_cannot_take_change_nothing(
        client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = await create(client, owner)
    url = f"{PROJECTS}/{project['id']}"
    # 200 bars of 4/4 last 6:40 at 120 bpm and 40 minutes at 20: over the 30-minute limit.
    put = await client.put(f"{url}/score", headers=owner,
                           json={"score": score(120, "C", "major", (4, 4), bars=200),
                                 "revision": 1})
    assert put.status_code == 200, put.text

    refused = await client.patch(url, headers=owner,
                                 json={"name": "Slow", "tempo": 20, "revision": 1})
    assert_error(refused, 422, "VALIDATION_ERROR")
    shown = await get_json(client, url, owner)
    assert (shown["name"], shown["tempo"], shown["revision"]) == ("Song", 120, 1)
    assert (await get_json(client, f"{url}/score", owner))["revision"] == 2


async def test_a_viewer_cannot_change_the_settings(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client, "owner")
    viewer_email, viewer = await new_user(client, "viewer")
    project = await create(client, owner)
    url = f"{PROJECTS}/{project['id']}"
    await client.post(f"{url}/members", headers=owner, json={"email": viewer_email})
    assert_error(await client.patch(url, headers=viewer, json={"tempo": 90}), 403,
                 "AUTHORIZATION_ERROR")
    assert (await get_json(client, f"{url}/score", owner))["score"]["tempo"] == 120


@contextmanager
def project_statements(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements that touch projects, sent while the block runs."""
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "project" in statement:
            seen.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_the_list_reads_settings_in_the_database(client: httpx.AsyncClient,
                                                       app: FastAPI) -> None:
    """Two queries (the count and the page) whatever the page size, and no whole score
    document loaded."""
    _, owner = await new_user(client)
    await create(client, owner)
    with project_statements(app) as one:
        assert (await get_json(client, PROJECTS, owner))["total"] == 1
    for index in range(5):
        await create(client, owner, name=f"Song {index}")
    with project_statements(app) as six:
        assert len((await get_json(client, PROJECTS, owner))["items"]) == 6
    assert len(one) == len(six) == 2
    assert not any("project_scores.data" in statement for statement in one + six)


async def test_a_score_stored_without_settings_shows_the_defaults_it_is_read_with(
        client: httpx.AsyncClient, app: FastAPI) -> None:
    """A score written past the API without tempo, key or meter reads with the Score
    model's defaults; the project shows the same."""
    _, owner = await new_user(client)
    project = await create(client, owner, tempo=90, key="D", mode="minor", meter="3/4")
    async with app.state.engine.begin() as connection:
        await connection.execute(
            text("UPDATE project_scores SET data = CAST(:data AS jsonb) "
                 "WHERE project_id = :project"),
            {"data": json.dumps({"bars": 4}), "project": project["id"]})
    url = f"{PROJECTS}/{project['id']}"
    read = (await get_json(client, f"{url}/score", owner))["score"]
    shown = await get_json(client, url, owner)
    assert (shown["tempo"], shown["key"], shown["mode"], shown["meter"]) == (
        read["tempo"], read["key"]["tonic"], read["key"]["mode"],
        f"{read['meter']['numerator']}/{read['meter']['denominator']}") == (
        120, "C", "major", "4/4")
