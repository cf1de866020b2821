"""The composer's originality guard: a composed piece is checked against the reference
corpus in the worker; one too close is composed again with the next seed (3 tries at
most) and the most original kept; the session says how it went."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.conftest import overridden_settings
from tests.exports.test_exports_api import work_until_finished
from tests.similarity.helpers import API, CORPUS_TUNES, ingest, owner

BRIEF = {"prompt": "a cheerful folk tune for fiddle and guitar", "bars": 16, "seed": 7}


async def compose(app: FastAPI, client: httpx.AsyncClient,
                  headers: dict[str, str]) -> tuple[str, dict[str, Any]]:
    project = (await client.post(f"{API}/projects", headers=headers,
                                 json={"name": "Folk"})).json()["id"]
    started = await client.post(f"{API}/projects/{project}/sessions", headers=headers,
                                json=BRIEF)
    assert started.status_code == 202, started.text
    done = await work_until_finished(app, client, f"{API}/sessions/{started.json()['id']}",
                                     headers)
    assert done["status"] == "succeeded", done
    return project, done


async def test_a_composed_piece_is_checked_against_the_corpus(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    await ingest(app)
    headers = await owner(client)
    with overridden_settings(app, reference_corpus_limit=CORPUS_TUNES):
        project, done = await compose(app, client, headers)
        checked = (await client.post(f"{API}/similarity/check", headers=headers, json={
            "project_id": project, "scope": "reference", "limit": 20})).json()
    originality = done["originality"]
    assert originality == done["validation"]["originality"]
    assert originality["is_safe"] and originality["attempts"] == 1
    assert originality["reference_tunes"] == CORPUS_TUNES
    assert done["brief"]["seed"] == BRIEF["seed"]  # the first composition was kept
    # The API's check of the stored piece agrees with the worker's guard.
    assert checked["is_safe"] and checked["query"]["kind"] == "project"
    assert checked["score"] == originality["score"]
    assert checked["reference"] == {"tunes": CORPUS_TUNES, "ready": True}


async def test_a_piece_too_close_is_composed_again_and_the_most_original_kept(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    await ingest(app)
    headers = await owner(client)
    # A threshold no melody passes: every attempt is "too close".
    with overridden_settings(app, similarity_threshold=0.01):
        project, done = await compose(app, client, headers)
        checked = (await client.post(f"{API}/similarity/check", headers=headers, json={
            "project_id": project, "scope": "reference"})).json()
    originality = done["originality"]
    assert originality["attempts"] == 3 and originality["is_safe"] is False
    assert done["brief"]["seed"] in (7, 8, 9)
    # What was stored is the kept attempt: its check gives the score the guard recorded.
    assert checked["score"] == originality["score"]
    assert done["version"] == 2  # three compositions, one version stored
