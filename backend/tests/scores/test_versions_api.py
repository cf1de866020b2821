"""Naming versions (owners and editors; trimmed, at most 80 characters, "" clears) and
comparing two versions, or a version with the current score."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import assert_error, new_user
from tests.scores.versions_support import (
    API,
    Headers,
    history,
    new_project,
    put_score,
    score_json,
)


async def member(client: httpx.AsyncClient, project: str, owner: Headers,
                 role: str) -> Headers:
    email, headers = await new_user(client, role)
    added = await client.post(f"{API}/{project}/members", headers=owner,
                              json={"email": email, "role": role})
    assert added.status_code == 201, added.text
    return headers


async def rename(client: httpx.AsyncClient, project: str, headers: Headers, number: int,
                 body: Any) -> httpx.Response:
    return await client.patch(f"{API}/{project}/versions/{number}", headers=headers,
                              json=body)


async def test_owners_and_editors_name_versions(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    editor = await member(client, project, owner, "editor")
    named = await rename(client, project, owner, 2, {"name": "  verse idea 2  "})
    assert named.status_code == 200, named.text
    assert (named.json()["number"], named.json()["name"]) == (2, "verse idea 2")
    assert {"updated_at", "created_at", "reason", "summary", "author"} <= set(named.json())

    by_editor = await rename(client, project, editor, 1, {"name": "Ünïcode — ♪ start"})
    assert by_editor.status_code == 200, by_editor.text
    listed = {item["number"]: item["name"] for item in await history(client, project, owner)}
    assert listed == {2: "verse idea 2", 1: "Ünïcode — ♪ start"}
    one = (await client.get(f"{API}/{project}/versions/1", headers=owner)).json()
    assert one["name"] == "Ünïcode — ♪ start" and "updated_at" in one

    cleared = await rename(client, project, owner, 2, {"name": ""})
    assert cleared.json()["name"] == ""
    blank = await rename(client, project, owner, 1, {"name": "   "})
    assert blank.json()["name"] == ""
    longest = await rename(client, project, owner, 2, {"name": "x" * 80})
    assert longest.json()["name"] == "x" * 80


async def test_viewers_and_strangers_cannot_name(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    viewer = await member(client, project, owner, "viewer")
    _, stranger = await new_user(client, "stranger")
    assert_error(await rename(client, project, viewer, 2, {"name": "mine"}), 403,
                 "AUTHORIZATION_ERROR")
    assert_error(await rename(client, project, stranger, 2, {"name": "mine"}), 404,
                 "NOT_FOUND")
    assert_error(await client.patch(f"{API}/{project}/versions/2", json={"name": "x"}), 401,
                 "AUTHENTICATION_ERROR")
    assert [item["name"] for item in await history(client, project, owner)] == ["", ""]


@pytest.mark.parametrize("body", [
    {"name": "x" * 81}, {"name": "line\nbreak"}, {"name": "tab\there"}, {"name": 5},
    {"name": None}, {}, {"name": "ok", "extra": 1}, [], "name"])
async def test_bad_names_are_422(client: httpx.AsyncClient, body: Any) -> None:
    project, owner = await new_project(client)
    assert_error(await rename(client, project, owner, 2, body), 422, "VALIDATION_ERROR")
    assert [item["name"] for item in await history(client, project, owner)] == ["", ""]


async def test_naming_a_missing_version_is_404(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    assert_error(await rename(client, project, owner, 99, {"name": "x"}), 404, "NOT_FOUND")
    assert_error(await rename(client, project, owner, 0, {"name": "x"}), 422,
                 "VALIDATION_ERROR")


def before_score() -> dict[str, Any]:
    return {
        "tempo": 100, "key": {"tonic": "C", "mode": "major"},
        "meter": {"numerator": 4, "denominator": 4}, "bars": 4,
        "sections": [{"name": "A", "start_bar": 1, "bars": 2}],
        "chord_symbols": [{"tick": 0, "symbol": "C"}, {"tick": 1920, "symbol": "G"}],
        "tracks": [
            {"id": "piano", "name": "Piano", "role": "melody", "program": 0, "notes": [
                {"id": "keep", "pitch": 60, "start": 0, "duration": 480, "velocity": 90},
                {"id": "move", "pitch": 62, "start": 480, "duration": 480, "velocity": 90},
                {"id": "drop", "pitch": 64, "start": 960, "duration": 480, "velocity": 90}]},
            {"id": "old", "name": "Old pad", "role": "pad", "program": 89, "notes": [
                {"id": "p1", "pitch": 48, "start": 0, "duration": 1920, "velocity": 60}]},
        ]}


def after_score() -> dict[str, Any]:
    score = before_score()
    score["tempo"] = 90
    score["key"] = {"tonic": "A", "mode": "minor"}
    score["sections"] = [{"name": "A", "start_bar": 1, "bars": 2},
                         {"name": "B", "start_bar": 3, "bars": 2}]
    score["chord_symbols"] = [{"tick": 0, "symbol": "C"}, {"tick": 1920, "symbol": "Am"}]
    piano = {**score["tracks"][0], "program": 4, "notes": [
        {"id": "keep", "pitch": 60, "start": 0, "duration": 480, "velocity": 90},
        {"id": "move", "pitch": 65, "start": 720, "duration": 240, "velocity": 100},
        {"id": "new", "pitch": 67, "start": 1440, "duration": 480, "velocity": 80}]}
    bass = {"id": "bass", "name": "Bass", "role": "bass", "program": 33, "notes": [
        {"id": "b1", "pitch": 36, "start": 0, "duration": 960, "velocity": 100}]}
    score["tracks"] = [piano, bass]
    return score


def note(note_id: str, pitch: int, start: int, duration: int,
         velocity: int) -> dict[str, Any]:
    return {"id": note_id, "pitch": pitch, "start": start, "duration": duration,
            "velocity": velocity}


EXPECTED_TRACKS = [
    {"track_id": "piano", "name": "Piano", "change": "changed",
     "fields": [{"field": "program", "before": 0, "after": 4}],
     "added_notes": [note("new", 67, 1440, 480, 80)],
     "removed_notes": [note("drop", 64, 960, 480, 90)],
     "changed_notes": [{"id": "move", "before": note("move", 62, 480, 480, 90),
                        "after": note("move", 65, 720, 240, 100)}]},
    {"track_id": "bass", "name": "Bass", "change": "added", "fields": [],
     "added_notes": [note("b1", 36, 0, 960, 100)], "removed_notes": [],
     "changed_notes": []},
    {"track_id": "old", "name": "Old pad", "change": "removed", "fields": [],
     "added_notes": [], "removed_notes": [note("p1", 48, 0, 1920, 60)],
     "changed_notes": []},
]


async def test_compare_two_versions_exactly(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    viewer = await member(client, project, owner, "viewer")
    first = await put_score(client, project, owner, before_score())
    second = await put_score(client, project, owner, after_score())
    answer = await client.get(f"{API}/{project}/versions/{first}/compare", headers=viewer,
                              params={"with": second})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "number": first, "with_number": second, "with_revision": second,
        "tracks": EXPECTED_TRACKS,
        "settings": [{"field": "tempo", "before": 100.0, "after": 90.0},
                     {"field": "key", "before": {"tonic": "C", "mode": "major"},
                      "after": {"tonic": "A", "mode": "minor"}}],
        "tempo_changes": {"added": [], "removed": []},
        "meter_changes": {"added": [], "removed": []},
        "sections": {"added": [{"name": "B", "start_bar": 3, "bars": 2, "key": None}],
                     "removed": []},
        "chord_symbols": {"added": [{"tick": 1920, "symbol": "Am"}],
                          "removed": [{"tick": 1920, "symbol": "G"}]},
    }

    current = await client.get(f"{API}/{project}/versions/{first}/compare", headers=owner,
                               params={"with": "current"})
    assert current.status_code == 200, current.text
    assert (current.json()["with_number"], current.json()["with_revision"]) == (None, second)
    assert current.json()["tracks"] == EXPECTED_TRACKS

    backwards = (await client.get(f"{API}/{project}/versions/{second}/compare",
                                  headers=owner, params={"with": first})).json()
    assert [t["change"] for t in backwards["tracks"]] == ["changed", "added", "removed"]
    assert [t["track_id"] for t in backwards["tracks"]] == ["piano", "old", "bass"]
    assert backwards["tracks"][0]["added_notes"] == [note("drop", 64, 960, 480, 90)]

    same = (await client.get(f"{API}/{project}/versions/{second}/compare", headers=owner,
                             params={"with": "current"})).json()
    assert same["tracks"] == [] and same["settings"] == []


async def test_compare_bad_input(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    _, stranger = await new_user(client, "stranger")
    url = f"{API}/{project}/versions/2/compare"
    for bad in ("", "latest", "0", "-1", "1.5", "1234567890", "current "):
        assert_error(await client.get(url, headers=owner, params={"with": bad}), 422,
                     "VALIDATION_ERROR")
    assert_error(await client.get(url, headers=owner), 422, "VALIDATION_ERROR")
    assert_error(await client.get(url, headers=owner, params={"with": "99"}), 404,
                 "NOT_FOUND")
    assert_error(await client.get(f"{API}/{project}/versions/99/compare", headers=owner,
                                  params={"with": "current"}), 404, "NOT_FOUND")
    assert_error(await client.get(url, headers=stranger, params={"with": "1"}), 404,
                 "NOT_FOUND")


async def test_a_score_of_many_notes_compares_in_one_pass(client: httpx.AsyncClient) -> None:
    """Bounded work: 5,000 notes each side, every one changed, all reported."""
    project, owner = await new_project(client)
    many = score_json()
    many["bars"] = 400
    many["tracks"][0]["notes"] = [{"id": f"x{i}", "pitch": 40 + i % 40, "start": i * 120,
                                   "duration": 120} for i in range(5000)]
    first = await put_score(client, project, owner, many)
    moved = {**many, "tracks": [{**many["tracks"][0], "notes": [
        {**n, "pitch": n["pitch"] + 1} for n in many["tracks"][0]["notes"]]}]}
    second = await put_score(client, project, owner, moved)
    answer = await client.get(f"{API}/{project}/versions/{first}/compare", headers=owner,
                              params={"with": second})
    assert answer.status_code == 200
    assert len(answer.json()["tracks"][0]["changed_notes"]) == 5000
