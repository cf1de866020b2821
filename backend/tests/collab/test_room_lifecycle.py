"""A room's life: joiners racing its close, coalesced versions, and shutdown with
nothing acknowledged lost."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.config import Settings
from tests.collab.conftest import API, WAIT_LIMIT_S, YClient, add_note, project_with_score
from tests.collab.test_collab_ws import until_score_has
from tests.conftest import api_process

ROUNDS = 6


@pytest.fixture
async def http(live_api: str, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_api, timeout=60) as client:
        yield client


async def test_a_joiner_racing_the_rooms_close_gets_everything(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    for round_number in range(ROUNDS):
        client = await YClient.joined(http, live_api, project, owner)
        assert {f"r{k}" for k in range(round_number)} <= set(client.notes())
        await client.edit(add_note(f"r{round_number}", start=480 * round_number))
        # Seen by a second socket = committed; then both leave and the room closes
        # while the next round's client is already connecting.
        witness = await YClient.joined(http, live_api, project, owner)
        await witness.wait(lambda w=witness, r=round_number: f"r{r}" in w.notes(),  # type: ignore[misc]
                           "the edit")
        await asyncio.gather(client.close(), witness.close())
    last = await YClient.joined(http, live_api, project, owner)
    assert {f"r{k}" for k in range(ROUNDS)} <= set(last.notes())
    await last.close()


async def test_a_burst_of_edits_becomes_one_version(http: httpx.AsyncClient,
                                                    live_api: str) -> None:
    project, owner = await project_with_score(http)
    before = (await http.get(f"{API}/{project}/versions", headers=owner)).json()["items"]
    client = await YClient.joined(http, live_api, project, owner)
    for k in range(5):
        await client.edit(add_note(f"b{k}", start=240 * k))
    await client.close()
    await until_score_has(http, project, owner, "b4")
    after = (await http.get(f"{API}/{project}/versions", headers=owner)).json()["items"]
    added = [v for v in after if v["number"] not in {b["number"] for b in before}]
    assert [v["reason"] for v in added] == ["edited"]


async def test_shutdown_materialises_and_closes_the_sockets(
        settings: Settings, app: FastAPI, client: httpx.AsyncClient, tmp_path: Path) -> None:
    home = tmp_path / "api"
    # A long pause: only the shutdown can have materialised the edit.
    with api_process(settings, app.state.secret_key, home,
                     COLLAB_MATERIALISE_PAUSE_S="600",
                     COLLAB_MATERIALISE_MAX_S="3600") as (base, process):
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            project, owner = await project_with_score(http)
            editor = await YClient.joined(http, base, project, owner)
            witness = await YClient.joined(http, base, project, owner)
            await editor.edit(add_note("kept"))
            await witness.wait(lambda: "kept" in witness.notes(), "the edit")
            process.send_signal(signal.SIGTERM)
            codes = await asyncio.wait_for(
                asyncio.gather(editor.wait_closed(), witness.wait_closed()), WAIT_LIMIT_S)
            assert set(codes) <= {1001, 1012}  # going away / service restart
            process.wait(WAIT_LIMIT_S)
    answer = await client.get(f"{API}/{project}/score", headers=owner)
    notes = {n["id"] for t in answer.json()["score"]["tracks"] for n in t["notes"]}
    assert "kept" in notes
