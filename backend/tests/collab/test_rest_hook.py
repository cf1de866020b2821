"""Score and mix writes made outside a room (REST, restores, the composer in the worker)
reach the live document and every room; without a live document nothing changes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.collab.install import install
from ariaforge.collab.relay import Relay, RelayMessage
from ariaforge.collab.store import append_updates, materialise, open_document
from ariaforge.config import Settings
from ariaforge.core.db import run_after_commit
from ariaforge.models import User, VersionReason
from ariaforge.music.score import Score
from ariaforge.scores import service as scores
from tests.collab.store_support import (
    API,
    applied,
    document_row,
    edit,
    maker,
    me,
    pitches,
    project_with_score,
    score_json,
    score_of,
    set_pitch,
    state,
    update_ids,
    versions,
)
from tests.conftest import assert_error

WAIT_LIMIT_S = 20.0


@pytest.fixture(autouse=True)
def installed(settings: Settings) -> None:
    install(settings.redis_url)


class Room:
    """What a replica's room hears from the relay about one project."""

    def __init__(self) -> None:
        self.updates: list[RelayMessage] = []
        self._arrived = asyncio.Event()

    async def __call__(self, message: RelayMessage) -> None:
        if not message.resync:
            self.updates.append(message)
            self._arrived.set()

    async def wait(self, count: int) -> list[RelayMessage]:
        async with asyncio.timeout(WAIT_LIMIT_S):
            while len(self.updates) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.updates


@pytest.fixture
async def relay(settings: Settings) -> AsyncIterator[Relay]:
    assert settings.redis_url
    started = Relay(settings.redis_url)
    await started.start()
    yield started
    await started.stop()


async def listening(relay: Relay, project: uuid.UUID) -> Room:
    room = Room()
    await relay.join(project, room)
    return room


async def batch(client: httpx.AsyncClient, project: uuid.UUID, auth: dict[str, str],
                revision: int, pitch: int, note: str = "n0") -> httpx.Response:
    return await client.post(f"{API}/{project}/notes/batch", headers=auth, json={
        "revision": revision,
        "operations": [{"op": "update", "note_id": note, "pitch": pitch}]})


async def test_without_a_live_document_writes_are_as_before(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    assert (await batch(client, project, owner, 2, 70)).status_code == 200
    mix = await client.put(f"{API}/{project}/mix", headers=owner, json={
        "settings": {"master": {"gain_db": -2}}, "revision": 0})
    assert mix.status_code == 200, mix.text
    assert await document_row(app, project) is None
    assert await update_ids(app, project) == []
    assert [v["reason"] for v in await versions(client, project, owner)] == [
        "edited", "edited", "created"]


async def test_a_note_batch_reaches_the_document_and_every_room(
        app: FastAPI, client: httpx.AsyncClient, relay: Relay) -> None:
    project, owner = await project_with_score(client)
    room = await listening(relay, project)
    stored = await open_document(maker(app), project)

    answer = await batch(client, project, owner, 2, 70)
    assert answer.status_code == 200, answer.text
    assert answer.json()["revision"] == 3
    update_id, = await update_ids(app, project)
    message, = await room.wait(1)
    assert (message.kind, message.update_id) == ("u", update_id)
    # A room holding the document applies it and holds the REST score.
    score, revision = await score_of(client, project, owner)
    assert state(applied(stored.update, message.payload))[0] == score
    assert state((await open_document(maker(app), project)).update)[0] == score
    # The row already holds it: nothing to materialise, the version is the batch's own.
    assert await document_row(app, project) == (0, update_id)
    assert (await materialise(maker(app), project, [])).changed is False
    newest = (await versions(client, project, owner))[0]
    assert (newest["number"], newest["summary"]) == (revision, "1 updated")
    assert newest["author"]["id"] == str(await me(client, owner))


async def test_live_edits_are_folded_in_before_a_write_checks_the_revision(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    stored = await open_document(maker(app), project)
    await append_updates(maker(app), project, [(edit(stored.update, set_pitch("n1", 60)),
                                                None)])
    # The client loaded revision 2; live edits made since are revision 3 now.
    stale = await batch(client, project, owner, 2, 70)
    assert assert_error(stale, 409, "CONFLICT")["details"]["current_revision"] == 3
    score, revision = await score_of(client, project, owner)  # kept despite the 409
    assert (pitches(score), revision) == ({"n0": 48, "n1": 60}, 3)

    assert (await batch(client, project, owner, 3, 70)).status_code == 200
    score, revision = await score_of(client, project, owner)
    assert (pitches(score), revision) == ({"n0": 70, "n1": 60}, 4)
    assert state((await open_document(maker(app), project)).update)[0] == score
    assert [v["summary"] for v in await versions(client, project, owner)][:2] == [
        "1 updated", "live edits: tracks +0 -0, notes +0 -0"]


async def test_a_live_edit_elsewhere_survives_a_rest_write(
        app: FastAPI, client: httpx.AsyncClient, relay: Relay) -> None:
    """A client edits n1 while someone's REST batch changes n0: both stay."""
    project, owner = await project_with_score(client)
    room = await listening(relay, project)
    stored = await open_document(maker(app), project)
    live = edit(stored.update, set_pitch("n1", 61))  # still on its way to the server

    assert (await batch(client, project, owner, 2, 72)).status_code == 200
    message, = await room.wait(1)
    in_the_room = applied(stored.update, live, message.payload)
    assert pitches(state(in_the_room)[0]) == {"n0": 72, "n1": 61}

    await append_updates(maker(app), project, [(live, None)])
    assert (await materialise(maker(app), project, [])).changed
    assert pitches((await score_of(client, project, owner))[0]) == {"n0": 72, "n1": 61}


async def test_the_shared_mix_and_restores_reach_the_document(
        app: FastAPI, client: httpx.AsyncClient, relay: Relay) -> None:
    project, owner = await project_with_score(client)
    room = await listening(relay, project)
    stored = await open_document(maker(app), project)
    mix = await client.put(f"{API}/{project}/mix", headers=owner, json={
        "settings": {"master": {"gain_db": -4.5},
                     "tracks": {"piano": {"gain_db": -1.5}}}, "revision": 0})
    assert mix.status_code == 200, mix.text
    restored = await client.post(f"{API}/{project}/versions/1/restore", headers=owner,
                                 json={"revision": 2})
    assert restored.status_code == 200, restored.text

    first, second = await room.wait(2)
    assert first.update_id < second.update_id
    live_mix = state(applied(stored.update, first.payload))[1]
    assert (live_mix.master.gain_db, live_mix.tracks["piano"].gain_db) == (-4.5, -1.5)
    score, mix_now = state(applied(stored.update, first.payload, second.payload))
    assert score == (await score_of(client, project, owner))[0]
    assert score.tracks == [] and mix_now.master.gain_db == -4.5


async def test_a_write_outside_a_request_publishes_after_its_commit(
        app: FastAPI, client: httpx.AsyncClient, relay: Relay) -> None:
    """What the worker's composer and imports do: replace the score in a session of
    their own, commit, then run the after-commit steps."""
    project, owner = await project_with_score(client)
    room = await listening(relay, project)
    stored = await open_document(maker(app), project)
    new = Score.model_validate(score_json(notes=5))
    async with maker(app)() as session:
        user = await session.get(User, await me(client, owner))
        assert user is not None
        await scores.replace_score(session, user, project, new, VersionReason.GENERATED,
                                   "variation", expected=2)
        assert room.updates == []  # nothing before the commit
        await session.commit()
        await run_after_commit(session)
    message, = await room.wait(1)
    assert state(applied(stored.update, message.payload))[0] == new
