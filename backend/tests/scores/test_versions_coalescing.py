"""Edits coalesce into versions (ADR 0028): a burst of edits by one person is one version,
whose number follows the revision it holds; a pause (here: a window of 0), another
author, a name, an AI operation, an import or a restore starts a new one."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.config import get_settings
from ariaforge.models import VersionReason
from ariaforge.music.interchange import write_midi
from ariaforge.music.score import Note, Role, Score, Track
from ariaforge.scores import versions
from ariaforge.scores.repository import ScoreRepository
from tests.conftest import new_user
from tests.scores.versions_support import (
    API,
    Headers,
    add_note,
    coalescing,
    history,
    new_project,
    numbers_and_reasons,
    put_score,
    revision,
    score_json,
)
from tests.sessions.test_sessions_api import run_session

__all__ = ["coalescing"]


async def add_member(client: httpx.AsyncClient, project: str, owner: Headers,
                     role: str = "editor") -> Headers:
    email, headers = await new_user(client, role)
    added = await client.post(f"{API}/{project}/members", headers=owner,
                              json={"email": email, "role": role})
    assert added.status_code == 201, added.text
    return headers


async def current_score(client: httpx.AsyncClient, project: str,
                        headers: Headers) -> dict[str, Any]:
    body: dict[str, Any] = (await client.get(f"{API}/{project}/score",
                                             headers=headers)).json()["score"]
    return body


async def version_score(client: httpx.AsyncClient, project: str, headers: Headers,
                        number: int) -> dict[str, Any]:
    answer = await client.get(f"{API}/{project}/versions/{number}", headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()["score"]
    return body


@pytest.mark.usefixtures("coalescing")
async def test_quick_edits_by_one_person_are_one_version(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    for index in range(6):
        await add_note(client, project, owner, f"q{index}", 62 + index, start=480 * index)
    renamed = await client.patch(f"{API}/{project}/tracks/piano", headers=owner,
                                 json={"program": 4})
    assert renamed.status_code == 200, renamed.text
    current = await revision(client, project, owner)
    assert current == 9  # the score's revision counts every save...

    items = await history(client, project, owner)
    # ...the history holds one version for the burst, numbered by the revision it holds
    assert numbers_and_reasons(items) == [(9, "edited"), (1, "created")]
    latest = items[0]
    assert latest["summary"] == ("edits: tracks +1 -0, notes +7 -0; "
                                 "last: changed track Piano: program")
    assert latest["name"] == ""
    assert latest["updated_at"] >= latest["created_at"]
    assert await version_score(client, project, owner, 9) == await current_score(
        client, project, owner)
    gone = await client.get(f"{API}/{project}/versions/2", headers=owner)
    assert gone.status_code == 404


async def test_with_a_window_of_zero_every_edit_is_a_version(
        client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "version_coalesce_s", 0.0)
    project, owner = await new_project(client)
    for index in range(3):
        await add_note(client, project, owner, f"q{index}", 62 + index)
    assert numbers_and_reasons(await history(client, project, owner)) == [
        (5, "edited"), (4, "edited"), (3, "edited"), (2, "edited"), (1, "created")]


@pytest.mark.usefixtures("coalescing")
async def test_a_pause_starts_a_new_version(client: httpx.AsyncClient,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project, owner = await new_project(client)
    await add_note(client, project, owner, "a", 64)
    # The window closes (as after a pause): the next edit starts a version of its own,
    monkeypatch.setattr(get_settings(), "version_coalesce_s", 0.0)
    await add_note(client, project, owner, "b", 65)
    # which later quick edits then join.
    monkeypatch.setattr(get_settings(), "version_coalesce_s", 3600.0)
    await add_note(client, project, owner, "c", 66)
    assert numbers_and_reasons(await history(client, project, owner)) == [
        (5, "edited"), (3, "edited"), (1, "created")]


@pytest.mark.usefixtures("coalescing")
async def test_another_persons_edit_is_a_new_version(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    editor = await add_member(client, project, owner)
    await add_note(client, project, editor, "e1", 70)
    await add_note(client, project, editor, "e2", 71)
    await add_note(client, project, owner, "o1", 72)
    items = await history(client, project, owner)
    assert numbers_and_reasons(items) == [(5, "edited"), (4, "edited"), (2, "edited"),
                                          (1, "created")]
    assert len({item["author"]["id"] for item in items[:3]}) == 2


@pytest.mark.usefixtures("coalescing")
async def test_a_named_version_is_kept(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    named = await client.patch(f"{API}/{project}/versions/2", headers=owner,
                               json={"name": "verse idea"})
    assert named.status_code == 200, named.text
    kept = await version_score(client, project, owner, 2)
    await add_note(client, project, owner, "a", 64)
    await add_note(client, project, owner, "b", 65)
    items = await history(client, project, owner)
    assert [(i["number"], i["name"]) for i in items] == [(4, ""), (2, "verse idea"),
                                                        (1, "")]
    assert await version_score(client, project, owner, 2) == kept


@pytest.mark.usefixtures("coalescing")
async def test_imports_and_restores_are_always_new_versions(
        client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    song = Score(bars=2, tracks=[Track(id="piano", name="Piano", role=Role.MELODY, notes=[
        Note(id="m1", pitch=67, start=0, duration=480)])])
    imported = await client.post(f"{API}/{project}/import", headers=owner,
                                 files={"file": ("song.mid", write_midi(song), "audio/midi")})
    assert imported.status_code == 200, imported.text
    current = await revision(client, project, owner)
    restored = await client.post(f"{API}/{project}/versions/2/restore", headers=owner,
                                 json={"revision": current})
    assert restored.status_code == 200, restored.text
    await add_note(client, project, owner, "after", 72)  # not into the restore
    await add_note(client, project, owner, "again", 73)  # but into that edit
    assert numbers_and_reasons(await history(client, project, owner)) == [
        (6, "edited"), (4, "restored"), (3, "imported"), (2, "edited"), (1, "created")]


@pytest.mark.usefixtures("coalescing")
async def test_ai_operations_are_new_versions_and_keep_the_one_they_started_from(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    """An operation reads back the version it started from (to merge edits made
    meanwhile): an edit made while it runs must not rewrite that version."""
    project, owner = await new_project(client)
    started = await client.post(f"{API}/{project}/sessions", headers=owner,
                                json={"operation": "continue", "extra_bars": 2})
    assert started.status_code == 202, started.text
    assert started.json()["base_revision"] == 2
    await add_note(client, project, owner, "meanwhile", 64)  # kept apart from version 2
    done = await run_session(app, client, started.json()["id"], owner)
    assert done["status"] == "succeeded", done
    await add_note(client, project, owner, "later", 65)  # not into the AI's version
    items = await history(client, project, owner)
    assert numbers_and_reasons(items) == [(5, "edited"), (4, "generated"), (3, "edited"),
                                          (2, "edited"), (1, "created")]
    assert "merged with edits" in items[1]["summary"]
    notes = {n["id"] for t in (await current_score(client, project, owner))["tracks"]
             for n in t["notes"]}
    assert {"n0", "meanwhile", "later"} <= notes


@pytest.mark.usefixtures("coalescing")
async def test_two_editors_saving_at_once_lose_no_version(client: httpx.AsyncClient) -> None:
    """Saves race (each retries on 409 with the new revision): every save lands, the
    numbers stay unique, and the newest version holds the current score."""
    project, owner = await new_project(client)
    editor = await add_member(client, project, owner)
    saves_each = 8

    async def edits(headers: Headers, prefix: str) -> int:
        attempts = 0
        for index in range(saves_each):
            while True:
                attempts += 1
                assert attempts <= 20 * saves_each, "too many conflicts"
                current = await revision(client, project, headers)
                answer = await client.post(f"{API}/{project}/notes/batch", headers=headers,
                                           json={"revision": current, "operations": [{
                                               "op": "add", "track_id": "piano",
                                               "id": f"{prefix}{index}", "pitch": 60,
                                               "start": index * 240, "duration": 240}]})
                if answer.status_code == 200:
                    break
                assert answer.status_code == 409, answer.text
        return attempts

    await asyncio.gather(edits(owner, "o"), edits(editor, "e"))
    current = await revision(client, project, owner)
    assert current == 2 + 2 * saves_each
    items = await history(client, project, owner)
    numbers = [item["number"] for item in items]
    assert numbers == sorted(set(numbers), reverse=True)
    assert numbers[0] == current
    assert await version_score(client, project, owner, current) == await current_score(
        client, project, owner)
    notes = {n["id"] for t in (await current_score(client, project, owner))["tracks"]
             for n in t["notes"]}
    assert len(notes) == 1 + 2 * saves_each
    # Runs by one author coalesced; each change of author started a version.
    authors = [item["author"]["id"] for item in items if item["reason"] == "edited"]
    assert all(a != b for a, b in itertools.pairwise(authors))


def test_the_setting_is_bounded() -> None:
    from pydantic import ValidationError

    from ariaforge.config import Settings

    assert Settings(version_coalesce_s=0).version_coalesce_s == 0
    assert Settings.model_fields["version_coalesce_s"].default == 90.0
    for bad in (-1, 86_401):
        with pytest.raises(ValidationError):
            Settings(version_coalesce_s=bad)


async def test_version_numbers_named_in_the_list_all_resolve(
        client: httpx.AsyncClient, coalescing: None) -> None:
    project, owner = await new_project(client)
    await put_score(client, project, owner, {**score_json(), "tempo": 90})
    for item in await history(client, project, owner):
        answer = await client.get(f"{API}/{project}/versions/{item['number']}", headers=owner)
        assert answer.status_code == 200


@pytest.mark.usefixtures("coalescing")
async def test_two_saves_in_one_transaction_coalesce(app: FastAPI,
                                                     client: httpx.AsyncClient) -> None:
    """A transaction may record twice (collab folds live edits, then the REST edit lands):
    the second save joins the row the first one inserted in that same transaction."""
    project, owner = await new_project(client)
    editor = await add_member(client, project, owner)
    editor_id = uuid.UUID((await client.get("/api/v1/me", headers=editor)).json()["id"])
    maker = app.state.sessionmaker
    async with maker() as session:
        repository = ScoreRepository(session)
        row = await repository.current(uuid.UUID(project), for_update=True)
        assert row is not None
        for pitch in (70, 71):
            data = {**row.data, "tempo": pitch}
            await repository.store(row, data)
            await versions.record(session, row.project_id, row.revision, data,
                                  VersionReason.EDITED, f"tempo {pitch}", editor_id)
        await session.commit()
    items = await history(client, project, owner)
    assert numbers_and_reasons(items) == [(4, "edited"), (2, "edited"), (1, "created")]
    assert items[0]["summary"] == "edits: tracks +0 -0, notes +0 -0; last: tempo 71"
    assert (await version_score(client, project, owner, 4))["tempo"] == 71
