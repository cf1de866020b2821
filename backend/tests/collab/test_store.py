"""The live documents' durability (collab/store.py) on the real embedded PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.audio.options import MixSettings
from ariaforge.collab.store import (
    DocumentMissing,
    append_updates,
    materialise,
    open_document,
)
from ariaforge.config import Settings
from ariaforge.core.db import create_engine, create_sessionmaker
from ariaforge.music.score import Score
from tests.collab.store_support import (
    add_note,
    applied,
    document_row,
    edit,
    maker,
    me,
    pitches,
    project_with_score,
    score_json,
    set_pitch,
    sql,
    state,
    update_ids,
)


async def test_two_processes_opening_at_once_create_one_document(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, _ = await project_with_score(client)
    # Each call takes its own connection: two replicas opening the room together.
    first, second = await asyncio.gather(open_document(maker(app), project),
                                         open_document(maker(app), project))
    assert await sql(app, "SELECT count(*) FROM collab_documents WHERE project_id = :p",
                     p=project) == [(1,)]
    expected = Score.model_validate(score_json())
    assert state(first.update) == (expected, MixSettings())
    # Both hold the one stored document (a second creation would differ in its client
    # ids, and merged, its sections and chords would appear twice).
    assert first.update == second.update
    assert first.last_update_id == second.last_update_id == 0
    both, _ = state(applied(first.update, second.update))
    assert both == expected


async def test_appends_are_committed_ids_ascend_and_opening_replays_them(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    author = await me(client, owner)
    stored = await open_document(maker(app), project)
    one = edit(stored.update, set_pitch("n0", 72))
    two = edit(stored.update, add_note("added", 70, 960))
    ids = await append_updates(maker(app), project, [(one, author), (two, None)])
    assert len(ids) == 2 and ids[0] < ids[1]
    more = await append_updates(maker(app), project, [(edit(stored.update,
                                                            set_pitch("n1", 50)), author)])
    assert more[0] > ids[1]
    # Committed: another connection sees the rows with their authors.
    rows = await sql(app, "SELECT id, author_id FROM collab_updates WHERE project_id = :p "
                          "ORDER BY id", p=project)
    assert rows == [(ids[0], author), (ids[1], None), (more[0], author)]

    reopened = await open_document(maker(app), project)
    assert reopened.last_update_id == more[0]
    score, _ = state(reopened.update)
    assert pitches(score) == {"n0": 72, "n1": 50, "added": 70}
    assert await append_updates(maker(app), project, []) == []


async def test_a_restart_of_every_process_loses_no_appended_update(
        app: FastAPI, client: httpx.AsyncClient, settings: Settings) -> None:
    project, _ = await project_with_score(client)
    assert settings.database_url
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        before = await open_document(create_sessionmaker(engine), project)
        changes = [edit(before.update, set_pitch("n0", 40 + i)) for i in range(5)]
        for change in changes:
            await append_updates(create_sessionmaker(engine), project, [(change, None)])
    finally:
        await engine.dispose()  # every connection of that "process" is gone

    fresh = create_engine(settings.database_url, pool_size=1)
    try:
        after = await open_document(create_sessionmaker(fresh), project)
    finally:
        await fresh.dispose()
    score, _ = state(after.update)
    # What the clients that sent them hold: the base with all five applied (five
    # concurrent pitches of n0: one wins, the same one everywhere).
    assert score == state(applied(before.update, *changes))[0]
    assert pitches(score)["n0"] in {40 + i for i in range(5)}
    assert after.last_update_id == (await update_ids(app, project))[-1]


async def test_a_missing_project_has_no_document(app: FastAPI, client: httpx.AsyncClient) -> None:
    with pytest.raises(DocumentMissing):
        await open_document(maker(app), uuid.uuid4())
    with pytest.raises(DocumentMissing):
        await append_updates(maker(app), uuid.uuid4(), [(b"\x00\x00", None)])
    gone = await materialise(maker(app), uuid.uuid4(), [])
    assert (gone.changed, gone.revision) == (False, None)


async def test_deleting_the_project_deletes_its_document_and_updates(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    stored = await open_document(maker(app), project)
    await append_updates(maker(app), project, [(edit(stored.update, set_pitch("n0", 70)),
                                                None)])
    deleted = await client.delete(f"/api/v1/projects/{project}", headers=owner)
    assert deleted.status_code == 204, deleted.text
    assert await document_row(app, project) is None
    assert await update_ids(app, project) == []
