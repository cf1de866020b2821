"""The real `ariaforge worker`: it ingests the reference corpus in the background (the
API answers meanwhile) and indexes each new version, whichever path wrote it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.config import Settings
from ariaforge.music.interchange import write_midi
from tests.conftest import new_user, worker_process
from tests.similarity.helpers import long_tune, score_of

API = "/api/v1"
WAIT_LIMIT_S = 120  # a deadline against hanging, never a measure


async def eventually(probe: Callable[[], Awaitable[Any]]) -> Any:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        found = await probe()
        if found:
            return found
        await asyncio.sleep(0.3)
    raise AssertionError("the worker never got there")


async def test_the_worker_ingests_the_corpus_and_indexes_each_new_version(
        app: FastAPI, settings: Settings, live_home: Path, live_client: httpx.AsyncClient,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFERENCE_CORPUS_LIMIT", "20")
    first, second = long_tune(0), long_tune(6)
    _, me = await new_user(live_client, "composer")

    async def status() -> dict[str, Any]:
        body: dict[str, Any] = (await live_client.get(f"{API}/similarity/status",
                                                      headers=me)).json()
        return body

    async def found(notes: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
        body = (await live_client.post(f"{API}/similarity/search", headers=me, json={
            "notes": [{"pitch": p, "start": s, "duration": d} for p, s, d in notes[:16]],
            "scope": "projects"})).json()
        matches: list[dict[str, Any]] = body["matches"]
        return matches

    assert (await status())["reference"]["tunes"] == 0
    with worker_process(settings, app.state.secret_key, live_home):
        ingested = await eventually(
            lambda: _when(status(), lambda s: s["reference"]["tunes"] == 20))
        assert ingested["reference"]["windows"] > 20
        project = (await live_client.post(f"{API}/projects", headers=me,
                                          json={"name": "Reel"})).json()["id"]
        imported = await live_client.post(f"{API}/projects/{project}/import", headers=me,
                                          files={"file": ("reel.mid",
                                                          write_midi(score_of(first.notes)),
                                                          "audio/midi")})
        assert imported.status_code == 200, imported.text
        matches = await eventually(lambda: found(first.notes))
        assert matches[0]["source"]["project_id"] == project
        assert matches[0]["source"]["version"] == imported.json()["revision"]
        # An edit through the REST API: its new version is indexed too.
        edited = await live_client.put(f"{API}/projects/{project}/score", headers=me, json={
            "score": score_of(second.notes).model_dump(mode="json"),
            "revision": imported.json()["revision"]})
        assert edited.status_code == 200, edited.text
        revision = edited.json()["revision"]

        async def the_edit() -> list[dict[str, Any]]:
            return [m for m in await found(second.notes)
                    if m["source"]["version"] == revision]

        assert (await eventually(the_edit))[0]["source"]["project_id"] == project
        assert (await status())["indexed_versions"] == 3


async def _when(value: Awaitable[dict[str, Any]],
                test: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    got = await value
    return got if test(got) else None
