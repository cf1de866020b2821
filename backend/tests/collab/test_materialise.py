"""Materialising a live document into the score row (collab/store.py `materialise`)."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from ariaforge.collab.ledger import COMPACT_AFTER
from ariaforge.collab.repository import CollabRepository
from ariaforge.collab.store import append_updates, materialise, open_document
from tests.collab.store_support import (
    API,
    add_editor,
    add_note,
    applied,
    delete_note,
    document_row,
    edit,
    maker,
    me,
    pitches,
    project_with_score,
    score_of,
    set_master_gain,
    set_pitch,
    sql,
    state,
    update_ids,
    versions,
)


async def test_live_edits_become_one_version_by_the_last_editor(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    owner_id = await me(client, owner)
    editor_id, _ = await add_editor(client, project, owner)
    base = (await open_document(maker(app), project)).update
    await append_updates(maker(app), project, [(edit(base, add_note("a", 70)), owner_id)])
    await append_updates(maker(app), project, [(edit(base, set_pitch("n0", 50)), editor_id),
                                               (edit(base, add_note("b", 71)), editor_id)])

    done = await materialise(maker(app), project, [owner_id, editor_id])
    assert (done.changed, done.revision, done.problem, done.repair) == (True, 3, None, b"")
    score, revision = await score_of(client, project, owner)
    assert revision == 3
    assert pitches(score) == {"n0": 50, "n1": 49, "a": 70, "b": 71}
    newest = (await versions(client, project, owner))[0]
    assert (newest["number"], newest["reason"]) == (3, "edited")
    assert newest["summary"] == "live edits: tracks +0 -0, notes +2 -0"
    assert newest["author"]["id"] == str(editor_id)

    again = await materialise(maker(app), project, [editor_id])
    assert (again.changed, again.revision) == (False, 3)
    assert [v["number"] for v in await versions(client, project, owner)] == [3, 2, 1]


async def test_edits_that_cancel_out_write_no_version(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    stored = await open_document(maker(app), project)
    added = edit(stored.update, add_note("brief", 80))
    removed = edit(applied(stored.update, added), delete_note("brief"))
    ids = await append_updates(maker(app), project, [(added, None), (removed, None)])
    before = await versions(client, project, owner)

    done = await materialise(maker(app), project, [])
    assert (done.changed, done.revision) == (False, 2)
    assert await versions(client, project, owner) == before
    assert (await score_of(client, project, owner))[1] == 2
    # The row is known to hold them: the next write does not fold them again.
    assert await document_row(app, project) == (0, ids[-1])


async def test_the_shared_mix_is_stored_in_the_project_mix(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    stored = await open_document(maker(app), project)
    await append_updates(maker(app), project, [(edit(stored.update, set_master_gain(-3.5)),
                                                None)])
    done = await materialise(maker(app), project, [])
    assert (done.changed, done.revision) == (True, 2)  # the score itself did not change
    mix = await client.get(f"{API}/{project}/mix", headers=owner)
    assert mix.status_code == 200, mix.text
    assert mix.json()["settings"]["master"]["gain_db"] == -3.5
    assert mix.json()["revision"] == 1
    assert [v["number"] for v in await versions(client, project, owner)] == [2, 1]


async def test_two_replicas_materialising_at_once_store_one_version(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    stored = await open_document(maker(app), project)
    await append_updates(maker(app), project, [(edit(stored.update, set_pitch("n1", 77)),
                                                None)])
    results = await asyncio.gather(materialise(maker(app), project, []),
                                   materialise(maker(app), project, []))
    assert sorted(result.changed for result in results) == [False, True]
    assert {result.revision for result in results} == {3}
    assert [v["number"] for v in await versions(client, project, owner)] == [3, 2, 1]


async def test_an_invalid_merged_document_is_reset_to_the_score_row(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    """Each replica's gate accepted a change valid alone; merged they are not. Here the
    store is handed such an update directly: a note beyond the pitch range."""
    project, owner = await project_with_score(client)
    stored = await open_document(maker(app), project)
    bad = edit(stored.update, set_pitch("n0", 200))
    bad_id, = await append_updates(maker(app), project, [(bad, None)])

    done = await materialise(maker(app), project, [])
    assert done.problem is not None and done.problem.details
    assert done.repair and not done.changed
    assert done.repair_id > bad_id
    assert await update_ids(app, project) == [bad_id, done.repair_id]
    # Stored and relayed, the repair brings every copy back to the valid score.
    reopened = await open_document(maker(app), project)
    assert pitches(state(reopened.update)[0]) == {"n0": 48, "n1": 49}
    client_copy = applied(stored.update, bad, done.repair)
    assert pitches(state(client_copy)[0]) == {"n0": 48, "n1": 49}
    assert (await score_of(client, project, owner))[1] == 2
    assert [v["number"] for v in await versions(client, project, owner)] == [2, 1]


async def test_compaction_folds_the_updates_into_a_snapshot(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    stored = await open_document(maker(app), project)
    changes = [edit(stored.update, add_note(f"c{i}", 40 + i % 40, i * 24))
               for i in range(COMPACT_AFTER + 10)]
    ids = await append_updates(maker(app), project, [(change, None) for change in changes])
    folded_state = state((await open_document(maker(app), project)).update)

    done = await materialise(maker(app), project, [])
    assert done.changed
    assert await update_ids(app, project) == []
    assert await document_row(app, project) == (ids[-1], ids[-1])
    reopened = await open_document(maker(app), project)
    assert reopened.last_update_id == ids[-1]
    assert state(reopened.update) == folded_state
    assert len(pitches((await score_of(client, project, owner))[0])) == 2 + len(changes)

    # Later updates follow the snapshot; a client that kept its old copy still merges.
    later, = await append_updates(maker(app), project, [(edit(reopened.update,
                                                              set_pitch("c0", 90)), None)])
    assert await update_ids(app, project) == [later]
    assert pitches(state((await open_document(maker(app), project)).update)[0])["c0"] == 90


async def _until_waiting_for_a_lock(app: FastAPI) -> None:
    """Until some session of this database waits for a lock (bounded)."""
    for _ in range(3000):
        rows = await sql(app, "SELECT count(*) FROM pg_stat_activity WHERE "
                              "wait_event_type = 'Lock' AND datname = current_database()")
        if rows[0][0]:
            return
        await asyncio.sleep(0.01)  # the state of another connection: polled
    raise AssertionError("nothing ever waited for the lock")


async def test_an_update_committed_late_with_a_lower_id_is_never_lost(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    """Ids are drawn in one order and committed in another: an append still in flight
    (id A) when a later one (id B > A) has committed and a materialisation compacts.
    A must stay a row, outside the new snapshot, and reach the score next time."""
    project, owner = await project_with_score(client)
    base = (await open_document(maker(app), project)).update
    await append_updates(maker(app), project, [(edit(base, add_note(f"c{i}", 60, i * 24)),
                                                None) for i in range(COMPACT_AFTER + 1)])
    async with maker(app)() as slow:
        late_id, = await CollabRepository(slow).append(
            project, [(edit(base, set_pitch("n0", 66)), None)]) or []
        early_id, = await append_updates(maker(app), project,
                                         [(edit(base, set_pitch("n1", 77)), None)])
        assert late_id < early_id
        folding = asyncio.create_task(materialise(maker(app), project, []))
        await _until_waiting_for_a_lock(app)  # the materialisation waits for it
        await slow.commit()
    done = await folding
    assert done.changed
    assert pitches((await score_of(client, project, owner))[0])["n1"] == 77
    assert await update_ids(app, project) == [late_id]  # folded rows went, it stayed
    assert await document_row(app, project) == (late_id - 1, late_id - 1)
    assert pitches(state((await open_document(maker(app), project)).update)[0])["n0"] == 66

    assert (await materialise(maker(app), project, [])).changed
    assert pitches((await score_of(client, project, owner))[0])["n0"] == 66
