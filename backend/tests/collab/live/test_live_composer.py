"""An AI operation run by a worker during a live session (regenerate a section) appears in
every client's document, and the document then says what the score row says."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.collab.live.conftest import (
    SEED_SCORE,
    Servers,
    account,
    new_project,
    score_row,
    share,
)
from tests.collab.live.mapping import comparable, score_of
from tests.collab.live.yclients import YClients

SESSION_LIMIT_S = 90.0
FINAL = {"succeeded", "failed", "cancelled"}


def _finished(http: httpx.Client, session: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + SESSION_LIMIT_S
    while True:
        body: dict[str, Any] = http.get(f"/api/v1/sessions/{session}", headers=headers).json()
        if body["status"] in FINAL:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"the session never finished: {body}")
        time.sleep(0.3)


def test_a_regenerated_section_appears_live(servers: Servers, http: httpx.Client,
                                            clients: YClients, collab_api: str) -> None:
    owner, editor = account(http, "owner"), account(http, "editor")
    project = new_project(http, owner)
    share(http, owner, project, editor, "editor")
    names = ["owner", "editor"]
    clients.open("owner", [collab_api], project, owner)
    clients.open("editor", [collab_api], project, editor)
    clients.converged(names)

    with servers.worker():
        started = http.post(f"/api/v1/projects/{project}/sessions", headers=editor.headers,
                            json={"operation": "regenerate", "section": 0, "seed": 5})
        assert started.status_code == 202, started.text
        done = _finished(http, started.json()["id"], editor.headers)
        assert done["status"] == "succeeded", done
    _, row = score_row(http, owner, project)
    assert comparable(row) != comparable(SEED_SCORE), "the section was regenerated"
    content = clients.converged(names, check=lambda c: comparable(score_of(c)) == comparable(
        row))
    assert comparable(score_of(content)) == comparable(row)
