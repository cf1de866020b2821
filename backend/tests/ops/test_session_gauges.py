"""`active_sessions`: a composition counts while its compose job runs, and only then."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY

from tests.sessions.test_sessions_api import API, WALTZ, new_project, run_session


def active_sessions() -> float:
    found = REGISTRY.get_sample_value("active_sessions")
    assert found is not None
    return found


async def test_active_sessions_counts_a_composition_while_it_runs(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    before = active_sessions()
    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"prompt": WALTZ, "bars": 8})
    assert answer.status_code == 202, answer.text
    assert active_sessions() == before  # queued is not composing yet
    seen: list[float] = []

    async def watch() -> None:
        # The handler awaits the database many times while it composes: this task reads
        # the gauge at each of those turns of the event loop.
        while True:
            seen.append(active_sessions())
            await asyncio.sleep(0.005)

    watcher = asyncio.create_task(watch())
    try:
        done = await run_session(app, client, answer.json()["id"], owner)
    finally:
        watcher.cancel()
    assert done["status"] == "succeeded", done
    assert max(seen) == before + 1
    assert active_sessions() == before
