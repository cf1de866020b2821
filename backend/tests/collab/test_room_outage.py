"""When PostgreSQL refuses an update, the room is dropped (1013) rather than keeping a
change in memory that is not persisted; the next joiner gets what PostgreSQL holds."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from tests.collab.conftest import YClient, add_note, project_with_score

REFUSE_INSERTS = ("ALTER TABLE collab_updates ADD CONSTRAINT test_refuse_inserts "
                  "CHECK (false) NOT VALID")
ALLOW_INSERTS = "ALTER TABLE collab_updates DROP CONSTRAINT IF EXISTS test_refuse_inserts"


@pytest.fixture
async def http(live_api: str, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_api, timeout=60) as client:
        yield client


async def test_an_update_postgresql_refuses_drops_the_room(
        http: httpx.AsyncClient, live_api: str, app: FastAPI) -> None:
    project, owner = await project_with_score(http)
    writer = await YClient.joined(http, live_api, project, owner)
    other = await YClient.joined(http, live_api, project, owner)
    await writer.edit(add_note("saved"))
    await other.wait(lambda: "saved" in other.notes(), "the saved note")
    async with app.state.engine.begin() as connection:
        await connection.execute(text(REFUSE_INSERTS))
    try:
        await writer.edit(add_note("lost", start=1440))
        assert await writer.wait_closed() == 1013
        assert await other.wait_closed() == 1013
        assert "lost" not in other.notes()  # never sent before its commit
    finally:
        async with app.state.engine.begin() as connection:
            await connection.execute(text(ALLOW_INSERTS))
    fresh = await YClient.joined(http, live_api, project, owner)
    assert "saved" in fresh.notes() and "lost" not in fresh.notes()
    await fresh.close()
