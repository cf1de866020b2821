"""The score editing API: whole score, tracks, note batches, versions, and the tempo, key,
mode and meter that projects show from it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import assert_error, new_user

API = "/api/v1/projects"


async def project_with_owner(client: httpx.AsyncClient,
                             **fields: Any) -> tuple[str, dict[str, str]]:
    _, owner = await new_user(client, "owner")
    response = await client.post(API, headers=owner, json={"name": "Waltz", **fields})
    assert response.status_code == 201
    return response.json()["id"], owner


async def get_score(client: httpx.AsyncClient, project: str,
                    headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get(f"{API}/{project}/score", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == f'"{response.json()["revision"]}"'
    body: dict[str, Any] = response.json()
    return body


def two_note_score(tempo: float = 90) -> dict[str, Any]:
    return {
        "tempo": tempo, "key": {"tonic": "D", "mode": "minor"},
        "meter": {"numerator": 3, "denominator": 4}, "bars": 4,
        "tracks": [{"id": "piano", "name": "Piano", "role": "melody", "program": 0,
                    "notes": [{"id": "n1", "pitch": 62, "start": 0, "duration": 480},
                              {"id": "n2", "pitch": 65, "start": 480, "duration": 960,
                               "velocity": 70}]}],
    }


async def test_a_new_project_has_a_score_in_its_settings(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client, tempo=90, key="D", mode="minor",
                                              meter="3/4")
    score = await get_score(client, project, owner)
    assert score["revision"] == 1
    assert score["score"]["tempo"] == 90
    assert score["score"]["key"] == {"tonic": "D", "mode": "minor"}
    assert score["score"]["meter"] == {"numerator": 3, "denominator": 4}
    assert score["score"]["ppq"] == 480
    versions = (await client.get(f"{API}/{project}/versions", headers=owner)).json()
    assert [(v["number"], v["reason"]) for v in versions["items"]] == [(1, "created")]


async def test_put_score_round_trips_exactly_and_checks_the_revision(
        client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client)
    sent = two_note_score()
    saved = await client.put(f"{API}/{project}/score", headers=owner,
                             json={"score": sent, "revision": 1})
    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"] == 2
    stored = (await get_score(client, project, owner))["score"]
    notes = stored["tracks"][0]["notes"]
    assert [(n["id"], n["pitch"], n["start"], n["duration"], n["velocity"]) for n in notes] == [
        ("n1", 62, 0, 480, 90), ("n2", 65, 480, 960, 70)]

    stale = await client.put(f"{API}/{project}/score", headers=owner,
                             json={"score": sent, "revision": 1})
    assert assert_error(stale, 409, "CONFLICT")["details"]["current_revision"] == 2
    missing = await client.put(f"{API}/{project}/score", headers=owner, json={"score": sent})
    assert_error(missing, 422, "VALIDATION_ERROR")
    by_header = await client.put(f"{API}/{project}/score", headers={**owner, "If-Match": '"2"'},
                                 json={"score": sent})
    assert by_header.json()["revision"] == 3


@pytest.mark.parametrize("broken", [
    {"tracks": [{"id": "a", "notes": [{"id": "x", "pitch": 128, "start": 0, "duration": 1}]}]},
    {"tracks": [{"id": "a", "notes": [{"id": "x", "pitch": 60, "start": 0, "duration": 0}]}]},
    {"tracks": [{"id": "a", "notes": [{"id": "x", "pitch": 60, "start": -1, "duration": 5}]}]},
    {"tracks": [{"id": "a"}, {"id": "a"}]},
    {"tracks": [{"id": "a", "notes": [{"id": "x", "pitch": 60, "start": 0, "duration": 5},
                                      {"id": "x", "pitch": 61, "start": 0, "duration": 5}]}]},
    {"meter": {"numerator": 3, "denominator": 5}},
    {"key": {"tonic": "H", "mode": "major"}},
    {"key": {"tonic": "C", "mode": "bebop"}},
    {"ppq": 96},
    {"tempo": 0},
    {"meter_changes": [{"bar": 1, "meter": {"numerator": 3, "denominator": 4}}]},
    {"unknown_field": 1},
])
async def test_invalid_scores_are_refused_and_nothing_changes(
        client: httpx.AsyncClient, broken: dict[str, Any]) -> None:
    project, owner = await project_with_owner(client)
    response = await client.put(f"{API}/{project}/score", headers=owner,
                                json={"score": broken, "revision": 1})
    assert_error(response, 422, "VALIDATION_ERROR")
    assert (await get_score(client, project, owner))["revision"] == 1


async def test_projects_show_the_score_settings_and_edit_them_in_the_score(
        client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client)
    await get_score(client, project, owner)
    assert (await client.get(f"{API}/{project}", headers=owner)).json()["revision"] == 1

    await client.put(f"{API}/{project}/score", headers=owner,
                     json={"score": two_note_score(tempo=96.5), "revision": 1})
    settings = (await client.get(f"{API}/{project}", headers=owner)).json()
    assert (settings["tempo"], settings["key"], settings["mode"], settings["meter"]) == (
        96, "D", "minor", "3/4")
    listed = (await client.get(API, headers=owner)).json()["items"][0]
    assert (listed["tempo"], listed["revision"]) == (96, 1)  # the project did not change

    patched = await client.patch(f"{API}/{project}", headers=owner,
                                 json={"tempo": 140, "mode": "dorian"})
    assert patched.json()["revision"] == 2  # a write through the project moves its revision
    score = await get_score(client, project, owner)
    assert score["revision"] == 3
    assert score["score"]["tempo"] == 140
    assert score["score"]["key"] == {"tonic": "D", "mode": "dorian"}
    assert len(score["score"]["tracks"][0]["notes"]) == 2  # the music is kept
    latest = (await client.get(f"{API}/{project}/versions", headers=owner)).json()["items"][0]
    assert (latest["reason"], latest["summary"]) == ("edited", "project settings")


async def test_tracks_crud(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client)
    created = await client.post(f"{API}/{project}/tracks", headers=owner, json={
        "id": "bass", "name": "Bass", "role": "bass", "program": 33})
    assert created.status_code == 201, created.text
    assert created.json()["note_count"] == 0
    drums = await client.post(f"{API}/{project}/tracks", headers=owner, json={
        "name": "Kit", "role": "drums", "is_drum": True,
        "notes": [{"pitch": 36, "start": 0, "duration": 120}]})
    drums_id = drums.json()["id"]
    assert drums.json()["note_count"] == 1
    assert_error(await client.post(f"{API}/{project}/tracks", headers=owner,
                                   json={"id": "bass"}), 409, "CONFLICT")

    changed = await client.patch(f"{API}/{project}/tracks/bass", headers=owner, json={
        "mute": True, "solo": True, "volume": 80, "pan": -20, "program": 34,
        "colour": "#22aa88"})
    assert changed.status_code == 200
    assert {k: changed.json()[k] for k in ("mute", "solo", "volume", "pan", "program",
                                          "colour")} == {
        "mute": True, "solo": True, "volume": 80, "pan": -20, "program": 34,
        "colour": "#22aa88"}
    assert_error(await client.patch(f"{API}/{project}/tracks/bass", headers=owner,
                                    json={"pan": 64}), 422, "VALIDATION_ERROR")
    assert_error(await client.patch(f"{API}/{project}/tracks/nope", headers=owner,
                                    json={"mute": False}), 404, "NOT_FOUND")

    listed = (await client.get(f"{API}/{project}/tracks", headers=owner)).json()
    assert [t["id"] for t in listed] == ["bass", drums_id]
    deleted = await client.delete(f"{API}/{project}/tracks/{drums_id}", headers=owner)
    assert deleted.status_code == 204
    listed = (await client.get(f"{API}/{project}/tracks", headers=owner)).json()
    assert [t["id"] for t in listed] == ["bass"]
    summaries = [v["summary"] for v in (await client.get(
        f"{API}/{project}/versions", headers=owner)).json()["items"]]
    assert summaries[0] == "deleted track Kit (1 notes)"
    assert summaries[1].startswith("changed track Bass: colour, mute, pan")


async def test_stale_track_edit_conflicts(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client)
    await client.post(f"{API}/{project}/tracks", headers=owner, json={"id": "t"})
    stale = await client.patch(f"{API}/{project}/tracks/t", headers={**owner, "If-Match": '"1"'},
                               json={"mute": True})
    assert_error(stale, 409, "CONFLICT")


async def test_note_batch_applies_everything_in_order(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client)
    await client.put(f"{API}/{project}/score", headers=owner,
                     json={"score": two_note_score(), "revision": 1})
    await client.post(f"{API}/{project}/tracks", headers=owner, json={"id": "strings"})
    response = await client.post(f"{API}/{project}/notes/batch", headers=owner, json={
        "revision": 3,
        "operations": [
            {"op": "add", "track_id": "piano", "pitch": 69, "start": 1440, "duration": 480},
            {"op": "add", "track_id": "piano", "id": "mine", "pitch": 70, "start": 1920,
             "duration": 240},
            {"op": "move", "note_id": "n1", "start": 240, "pitch": 64},
            {"op": "resize", "note_id": "n2", "duration": 480},
            {"op": "update", "note_id": "mine", "velocity": 120},
            {"op": "move", "note_id": "mine", "track_id": "strings"},
            {"op": "delete", "note_id": "n2"},
        ]})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["revision"] == 4
    assert len(result["added_note_ids"]) == 2 and result["added_note_ids"][1] == "mine"
    assert result["summary"] == "2 added, 1 deleted, 2 moved, 1 resized, 1 updated"

    tracks = {t["id"]: t for t in (await get_score(client, project, owner))["score"]["tracks"]}
    piano = {n["id"]: n for n in tracks["piano"]["notes"]}
    assert set(piano) == {"n1", result["added_note_ids"][0]}
    assert (piano["n1"]["start"], piano["n1"]["pitch"], piano["n1"]["duration"]) == (
        240, 64, 480)
    assert [(n["id"], n["velocity"], n["pitch"]) for n in tracks["strings"]["notes"]] == [
        ("mine", 120, 70)]


@pytest.mark.parametrize(("operations", "failing_index"), [
    ([{"op": "delete", "note_id": "n1"}, {"op": "delete", "note_id": "ghost"}], 1),
    ([{"op": "add", "track_id": "nope", "pitch": 60, "start": 0, "duration": 1}], 0),
    ([{"op": "add", "track_id": "piano", "id": "n1", "pitch": 60, "start": 0,
       "duration": 1}], 0),
    ([{"op": "move", "note_id": "n1"}], 0),
    ([{"op": "move", "note_id": "n1", "track_id": "nope"}], 0),
])
async def test_a_failing_operation_applies_nothing(client: httpx.AsyncClient,
                                                   operations: list[dict[str, Any]],
                                                   failing_index: int) -> None:
    project, owner = await project_with_owner(client)
    await client.put(f"{API}/{project}/score", headers=owner,
                     json={"score": two_note_score(), "revision": 1})
    before = await get_score(client, project, owner)
    response = await client.post(f"{API}/{project}/notes/batch", headers=owner,
                                 json={"revision": 2, "operations": operations})
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert error["details"][0]["loc"][:3] == ["body", "operations", failing_index]
    assert await get_score(client, project, owner) == before


async def test_note_batch_needs_a_fresh_revision(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client)
    ops = [{"op": "add", "track_id": "t", "pitch": 60, "start": 0, "duration": 10}]
    await client.post(f"{API}/{project}/tracks", headers=owner, json={"id": "t"})
    assert_error(await client.post(f"{API}/{project}/notes/batch", headers=owner,
                                   json={"operations": ops}), 422, "VALIDATION_ERROR")
    assert_error(await client.post(f"{API}/{project}/notes/batch", headers=owner,
                                   json={"operations": ops, "revision": 1}), 409, "CONFLICT")
    assert (await client.post(f"{API}/{project}/notes/batch", headers=owner,
                              json={"operations": ops, "revision": 2})).status_code == 200


async def test_versions_record_and_restore(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client)
    await client.put(f"{API}/{project}/score", headers=owner,
                     json={"score": two_note_score(), "revision": 1, "message": "first idea"})
    await client.post(f"{API}/{project}/notes/batch", headers=owner, json={
        "revision": 2, "operations": [{"op": "delete", "note_id": "n1"}]})

    page = (await client.get(f"{API}/{project}/versions", headers=owner,
                             params={"limit": 2})).json()
    assert page["total"] == 3
    assert [(v["number"], v["reason"], v["summary"]) for v in page["items"]] == [
        (3, "edited", "1 deleted"), (2, "edited", "first idea")]
    assert page["items"][0]["author"]["display_name"].startswith("owner-")

    second = (await client.get(f"{API}/{project}/versions/2", headers=owner)).json()
    assert len(second["score"]["tracks"][0]["notes"]) == 2
    # Like every other write, a restore names the revision it replaces.
    assert_error(await client.post(f"{API}/{project}/versions/2/restore", headers=owner),
                 422, "VALIDATION_ERROR")
    assert_error(await client.post(f"{API}/{project}/versions/2/restore",
                                   headers={**owner, "If-Match": '"2"'}), 409, "CONFLICT")
    restored = await client.post(f"{API}/{project}/versions/2/restore",
                                 headers={**owner, "If-Match": '"3"'})
    assert restored.status_code == 200
    assert restored.json()["revision"] == 4
    assert restored.json()["score"] == second["score"]
    latest = (await client.get(f"{API}/{project}/versions", headers=owner)).json()["items"][0]
    assert (latest["number"], latest["reason"], latest["summary"]) == (
        4, "restored", "restored version 2")
    assert_error(await client.get(f"{API}/{project}/versions/99", headers=owner), 404,
                 "NOT_FOUND")
    assert_error(await client.post(f"{API}/{project}/versions/99/restore", headers=owner,
                                   json={"revision": 4}), 404, "NOT_FOUND")


async def test_roles_on_score_endpoints(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_owner(client)
    viewer_email, viewer = await new_user(client, "viewer")
    _, stranger = await new_user(client, "stranger")
    await client.post(f"{API}/{project}/members", headers=owner,
                      json={"email": viewer_email, "role": "viewer"})
    reads = [("GET", "/score"), ("GET", "/tracks"), ("GET", "/versions"),
             ("GET", "/versions/1")]
    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("PUT", "/score", {"score": two_note_score(), "revision": 1}),
        ("POST", "/tracks", {"name": "x"}),
        ("POST", "/notes/batch", {"revision": 1, "operations": [
            {"op": "delete", "note_id": "n1"}]}),
        ("POST", "/versions/1/restore", {"revision": 1}),
    ]
    for method, path in reads:
        assert (await client.request(method, f"{API}/{project}{path}",
                                     headers=viewer)).status_code == 200
        assert_error(await client.request(method, f"{API}/{project}{path}", headers=stranger),
                     404, "NOT_FOUND")
        assert_error(await client.request(method, f"{API}/{project}{path}"), 401,
                     "AUTHENTICATION_ERROR")
    for method, path, body in writes:
        assert_error(await client.request(method, f"{API}/{project}{path}", headers=viewer,
                                          json=body), 403, "AUTHORIZATION_ERROR")
        assert_error(await client.request(method, f"{API}/{project}{path}",
                                          headers=stranger, json=body), 404, "NOT_FOUND")
    assert (await get_score(client, project, owner))["revision"] == 1
