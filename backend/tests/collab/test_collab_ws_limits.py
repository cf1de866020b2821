"""The collaboration socket's limits, on a server of its own with small ones: message
size (1009), rate (rate_limited, then 4029), clients per room (4013), malformed (4400)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.collab import protocol
from ariaforge.config import Settings
from tests.collab.conftest import YClient, project_with_score, ticket
from tests.conftest import api_process

MAX_BYTES = 2048
BURST = 8
CLIENTS_PER_ROOM = 3


@pytest.fixture(scope="module")
def small_limits(settings: Settings, app: FastAPI,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("collab-limits")
    with api_process(settings, app.state.secret_key, home,
                     COLLAB_MAX_MESSAGE_BYTES=str(MAX_BYTES),
                     COLLAB_MESSAGES_PER_S="1", COLLAB_MESSAGE_BURST=str(BURST),
                     COLLAB_MAX_CLIENTS_PER_ROOM=str(CLIENTS_PER_ROOM)) as (base, _):
        yield base, home


@pytest.fixture
async def http(small_limits: tuple[str, Path], clean: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=small_limits[0], timeout=60) as client:
        yield client


async def test_a_message_over_the_size_limit_closes_with_1009(
        http: httpx.AsyncClient, small_limits: tuple[str, Path]) -> None:
    base = small_limits[0]
    project, owner = await project_with_score(http)
    client = await YClient.joined(http, base, project, owner)
    await client.send(protocol.update_message(b"\x00" * MAX_BYTES))
    assert await client.wait_closed() == 1009


async def test_too_many_messages_are_refused_then_closed_with_4029(
        http: httpx.AsyncClient, small_limits: tuple[str, Path]) -> None:
    base = small_limits[0]
    project, owner = await project_with_score(http)
    client = await YClient.joined(http, base, project, owner)
    calm = await YClient.joined(http, base, project, owner)
    for _ in range(BURST * 2):
        await client.send(protocol.query_awareness_message())
    assert await client.wait_closed() == 4029
    assert [denial["code"] for denial in client.denials] == ["rate_limited"]
    assert calm.close_code is None  # the limit is per connection
    await calm.close()


async def test_a_full_room_refuses_the_next_client_with_4013(
        http: httpx.AsyncClient, small_limits: tuple[str, Path]) -> None:
    base = small_limits[0]
    project, owner = await project_with_score(http)
    inside = [await YClient.joined(http, base, project, owner) for _ in range(CLIENTS_PER_ROOM)]
    extra = await YClient.open(base, project, await ticket(http, project, owner))
    assert await extra.wait_closed() == 4013
    await inside[0].close()
    # A place is free again.
    again = await YClient.joined(http, base, project, owner)
    for client in [*inside[1:], again]:
        assert client.close_code is None
        await client.close()


@pytest.mark.parametrize("frame", [
    b"\x00\x02\x09short",          # a payload shorter than its length
    b"\x07",                        # no such message type
    b"\x00\x02\x03\xff\xff\xff",    # framed correctly, but not a Yjs update
])
async def test_a_malformed_message_closes_with_4400(
        http: httpx.AsyncClient, small_limits: tuple[str, Path], frame: bytes) -> None:
    base = small_limits[0]
    project, owner = await project_with_score(http)
    client = await YClient.joined(http, base, project, owner)
    other = await YClient.joined(http, base, project, owner)
    await client.send(frame)
    assert await client.wait_closed() == 4400
    assert other.close_code is None and set(other.notes()) == {"n1", "n2"}
    await other.close()


async def test_text_frames_are_not_y_websocket(
        http: httpx.AsyncClient, small_limits: tuple[str, Path]) -> None:
    base = small_limits[0]
    project, owner = await project_with_score(http)
    client = await YClient.joined(http, base, project, owner)
    await client.socket.send("hello")
    assert await client.wait_closed() == 4400


async def test_the_server_log_has_no_traceback(small_limits: tuple[str, Path]) -> None:
    log = (small_limits[1] / "api.log").read_text()
    assert "Traceback" not in log, log[-3000:]
