"""REST writes made during a live session (a note batch, a whole-score PUT, a restore)
appear in the clients' documents live, and live edits elsewhere survive them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.collab.live.conftest import (
    SEED_SCORE,
    Account,
    account,
    new_project,
    score_row,
    share,
    wait_for_row,
)
from tests.collab.live.mapping import comparable, score_of
from tests.collab.live.yclients import YClients, note_path, set_field

# The live session materialises into the row (a new revision) while we write over REST:
# a 409 means "look again", as for any REST client.
TRIES = 20


def _with_revision(http: httpx.Client, user: Account, project: str,
                   write: Callable[[int], httpx.Response]) -> dict[str, Any]:
    for _ in range(TRIES):
        revision, _ = score_row(http, user, project)
        response = write(revision)
        if response.status_code != 409:
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body
    raise AssertionError(f"the revision kept moving: {response.text}")


def test_rest_writes_appear_live_in_every_client(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    owner, editor = account(http, "owner"), account(http, "editor")
    project = new_project(http, owner)
    share(http, owner, project, editor, "editor")
    names = ["a", "b"]
    clients.open("a", [collab_api], project, owner)
    clients.open("b", [collab_api], project, editor)
    clients.converged(names)
    seed_version = http.get(f"/api/v1/projects/{project}/versions",
                            headers=owner.headers).json()["items"][0]["number"]

    # A live edit not yet materialised, then a REST note batch touching other notes.
    clients.edit("a", set_field(note_path("lead", "m5", "pitch"), 50))
    base = f"/api/v1/projects/{project}"
    _with_revision(http, editor, project, lambda revision: http.post(
        f"{base}/notes/batch", headers=editor.headers, json={"revision": revision, "operations": [
            {"op": "add", "id": "rest1", "track_id": "lead", "pitch": 81, "start": 7680,
             "duration": 240},
            {"op": "update", "note_id": "m2", "pitch": 77},
            {"op": "delete", "note_id": "b3"}]}))
    content = clients.converged(names, check=lambda c: "rest1" in c["tracks"]["lead"]["notes"])
    lead = content["tracks"]["lead"]["notes"]
    assert lead["m2"]["pitch"] == 77 and "b3" not in content["tracks"]["bass"]["notes"]
    assert lead["m5"]["pitch"] == 50, "the live edit survives the batch"
    wait_for_row(http, owner, project, comparable(score_of(content)))

    # A whole new score over PUT: the documents follow.
    replaced = {**SEED_SCORE, "tempo": 132.0, "tracks": [
        *SEED_SCORE["tracks"],
        {"id": "keys", "name": "Keys", "role": "chords", "program": 4,
         "notes": [{"id": "k0", "pitch": 57, "start": 0, "duration": 1920}]}]}
    _with_revision(http, owner, project, lambda revision: http.put(
        f"{base}/score", headers=owner.headers, json={"score": replaced, "revision": revision}))
    content = clients.converged(names, check=lambda c: "keys" in c["tracks"])
    assert comparable(score_of(content)) == comparable(replaced)
    assert content["settings"]["tempo"] == 132

    # Restoring the seed's version: the documents hold the seed again.
    _with_revision(http, owner, project, lambda revision: http.post(
        f"{base}/versions/{seed_version}/restore", headers=owner.headers,
        json={"revision": revision}))
    content = clients.converged(names, check=lambda c: "keys" not in c["tracks"])
    assert comparable(score_of(content)) == comparable(SEED_SCORE)
    wait_for_row(http, owner, project, comparable(SEED_SCORE))
