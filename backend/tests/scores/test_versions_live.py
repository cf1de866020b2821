"""Live edits (collab's document folded into the score row) go through the same
coalescing as REST edits: one person's live and REST edits within the window are one
version; another person's are another."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pycrdt import Doc

from ariaforge.collab.store import append_updates, materialise, open_document
from ariaforge.config import get_settings
from tests.collab.store_support import (
    add_editor,
    add_note,
    edit,
    maker,
    me,
    project_with_score,
    set_pitch,
)
from tests.scores.versions_support import API, coalescing, history, numbers_and_reasons

__all__ = ["coalescing"]


async def live_edit(app: FastAPI, project: uuid.UUID, author: uuid.UUID,
                    change: Callable[[Doc[Any]], None]) -> None:
    """What a live client of `author` appends after making `change`."""
    base = (await open_document(maker(app), project)).update
    await append_updates(maker(app), project, [(edit(base, change), author)])


@pytest.mark.usefixtures("coalescing")
async def test_live_edits_coalesce_with_the_same_persons_edits(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)  # version 2: the owner's PUT
    owner_id = await me(client, owner)
    await live_edit(app, project, owner_id, add_note("live1", 70))
    done = await materialise(maker(app), project, [owner_id])
    assert (done.changed, done.revision) == (True, 3)
    assert numbers_and_reasons(await history(client, str(project), owner)) == [
        (3, "edited"), (1, "created")]

    # A REST edit folds pending live edits first (collab's before-write hook): both are
    # the owner's, so still the one version.
    await live_edit(app, project, owner_id, set_pitch("n0", 50))
    batch = await client.post(f"{API}/{project}/notes/batch", headers=owner, json={
        "revision": 3, "operations": [{"op": "delete", "note_id": "n1"}]})
    assert batch.status_code == 409, batch.text  # the fold moved the revision to 4
    batch = await client.post(f"{API}/{project}/notes/batch", headers=owner, json={
        "revision": 4, "operations": [{"op": "delete", "note_id": "n1"}]})
    assert batch.status_code == 200, batch.text
    items = await history(client, str(project), owner)
    assert numbers_and_reasons(items) == [(5, "edited"), (1, "created")]
    assert items[0]["summary"].startswith("edits: tracks +1 -0, notes +2 -0; last: ")

    editor_id, _ = await add_editor(client, project, owner)
    await live_edit(app, project, editor_id, add_note("theirs", 72))
    await materialise(maker(app), project, [editor_id])
    items = await history(client, str(project), owner)
    assert numbers_and_reasons(items) == [(6, "edited"), (5, "edited"), (1, "created")]
    assert items[0]["author"]["id"] == str(editor_id)
    assert items[0]["summary"] == "live edits: tracks +0 -0, notes +1 -0"


async def test_live_edits_without_coalescing_are_a_version_each(
        app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "version_coalesce_s", 0.0)
    project, owner = await project_with_score(client)
    owner_id = await me(client, owner)
    for index in range(2):
        await live_edit(app, project, owner_id, add_note(f"l{index}", 70 + index))
        await materialise(maker(app), project, [owner_id])
    assert numbers_and_reasons(await history(client, str(project), owner)) == [
        (4, "edited"), (3, "edited"), (2, "edited"), (1, "created")]
