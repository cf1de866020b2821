"""The session WebSocket over a real uvicorn: Host and Origin checked before the handshake
is accepted, and clients that drop early leave no Redis connection or subscription."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import websockets
from fastapi import FastAPI
from redis.asyncio import Redis

from ariaforge.config import Settings
from ariaforge.core.embedded import free_port
from ariaforge.queue.events import EVENTS_CHANNEL, job_channel
from tests.conftest import new_user, server_env, stop_process, wait_until_healthy

API = "/api/v1"
APP_ORIGIN = "https://app.example.com"
WAIT_LIMIT_S = 60.0
CLIENTS = 20


@pytest.fixture(scope="module")
def server(settings: Settings, app: FastAPI,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """An `ariaforge api` of its own (its log is read by the tests), allowing one
    cross-origin web app; no worker, so sessions stay queued and sockets stay open."""
    home = tmp_path_factory.mktemp("ws-api")
    (home / "metrics").mkdir()
    port = free_port()
    log_path = home / "api.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ariaforge", "api", "--host", "127.0.0.1",
             "--port", str(port), "--no-migrate"],
            env=server_env(settings, app.state.secret_key, home, CORS_ORIGINS=APP_ORIGIN),
            stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", process)
            yield f"127.0.0.1:{port}", log_path
        finally:
            stop_process(process)


@pytest.fixture
async def http(server: tuple[str, Path], clean: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"http://{server[0]}", timeout=60) as client:
        yield client


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    assert settings.redis_url
    client = Redis.from_url(settings.redis_url, decode_responses=True)
    yield client
    await client.aclose()


async def queued_session(http: httpx.AsyncClient) -> tuple[str, str, dict[str, str]]:
    """A composition session that stays queued (no worker): (session id, job id, auth)."""
    _, owner = await new_user(http, "listener")
    project = (await http.post(f"{API}/projects", headers=owner,
                               json={"name": "Live"})).json()["id"]
    answer = await http.post(f"{API}/projects/{project}/sessions", headers=owner,
                             json={"prompt": "a march"})
    assert answer.status_code == 202, answer.text
    return answer.json()["id"], answer.json()["job_id"], owner


def connect(address: str, session_id: str, *, host: str | None = None,
            origin: str | None = None, auth: dict[str, str] | None = None) -> Any:
    """Open a socket to 127.0.0.1 whatever `host` the handshake names."""
    port = int(address.rsplit(":", 1)[1])
    url = f"ws://{host or address}{API}/sessions/{session_id}/ws"
    return websockets.connect(url, host="127.0.0.1", port=port, origin=cast(Any, origin),
                              additional_headers=auth or {}, open_timeout=WAIT_LIMIT_S)


# --- Host and Origin ----------------------------------------------------------------


@pytest.mark.parametrize(("host", "origin"), [
    ("evil.com", "http://evil.com"),      # the hostile review's case
    ("evil.com", None),                   # the Host check alone
    (None, "http://evil.com"),            # a page on another site
    (None, "null"),                       # a sandboxed frame or a file: page
    (None, "https://app.example.com.evil.com"),
    (None, "javascript:alert(1)"),
])
async def test_a_foreign_host_or_origin_is_refused_before_the_handshake(
        server: tuple[str, Path], http: httpx.AsyncClient, host: str | None,
        origin: str | None) -> None:
    session_id, _, owner = await queued_session(http)
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with connect(server[0], session_id, host=host and f"{host}:80",
                           origin=origin, auth=owner):
            pass
    response = refused.value.response
    assert response.status_code == 403
    error = json.loads(response.body)["error"]
    assert error["code"] == "AUTHORIZATION_ERROR" and set(error) == {
        "code", "message", "details"}


@pytest.mark.parametrize("origin", [
    None,                                 # not a browser (the token is still required)
    "http://127.0.0.1:3000",              # the same host, another port (the dev server)
    APP_ORIGIN,                           # listed in CORS_ORIGINS
])
async def test_allowed_origins_stream_the_session(
        server: tuple[str, Path], http: httpx.AsyncClient, origin: str | None) -> None:
    session_id, _, owner = await queued_session(http)
    async with connect(server[0], session_id, origin=origin, auth=owner) as socket:
        hello = json.loads(await asyncio.wait_for(socket.recv(), WAIT_LIMIT_S))
        assert hello["type"] == "session" and hello["session"]["id"] == session_id


# --- dropped clients ----------------------------------------------------------------


async def redis_clients(redis: Redis) -> list[dict[str, Any]]:
    return list(await redis.client_list())


async def subscribers(redis: Redis, channel: str) -> int:
    counts: Any = await redis.pubsub_numsub(channel)
    return int(counts[0][1])


async def until(condition: Any, what: str) -> None:
    """Poll; the limit only stops a broken test from hanging."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


async def open_subscribed(address: str, session_id: str, owner: dict[str, str]) -> Any:
    """A socket whose server side has subscribed: the server subscribes before it sends
    the session, so once that arrives the subscription exists."""
    socket = await connect(address, session_id, auth=owner)
    hello = json.loads(await asyncio.wait_for(socket.recv(), WAIT_LIMIT_S))
    assert hello["type"] == "session"
    return socket


async def drop(socket: Any, how: int) -> None:
    if how % 2:
        socket.transport.abort()  # the network goes away: no close frame at all
    else:
        await socket.close()


async def test_clients_that_drop_early_leave_no_connection_or_subscription(
        server: tuple[str, Path], http: httpx.AsyncClient, redis: Redis) -> None:
    address, log_path = server
    session_id, job_id, owner = await queued_session(http)
    channel = job_channel(job_id)
    subscribed_before = len(_pubsub_clients(await redis_clients(redis)))
    baseline = 0
    for round_ in range(3):
        # One after another, so the API's ordinary pool needs no more connections than a
        # request at a time; all 20 are open (and subscribed) at once.
        sockets = [await open_subscribed(address, session_id, owner)
                   for _ in range(CLIENTS)]
        assert await subscribers(redis, channel) == CLIENTS
        await asyncio.gather(*(drop(s, i + round_) for i, s in enumerate(sockets)))
        # Some drop before authenticating, while the server waits for their token.
        for i in range(4):
            early = await connect(address, session_id)
            await drop(early, i)
        try:
            await until(lambda: _no_subscriber(redis, channel), "every subscription to end")
        except AssertionError as error:
            raise AssertionError(f"{error}: {_summary(await redis_clients(redis))}") from None
        if round_ == 0:  # the first round warms the API's pool: the baseline
            baseline = len(await redis_clients(redis))
            continue
        # Each subscription's connection was closed: none left subscribed, none left
        # in pub/sub mode; the ordinary pool's idle connections may differ by one (which
        # connection a command takes last is up to the pool).
        try:
            await until(lambda limit=baseline + 1: _at_most(redis, limit),
                        f"the connections to return to about {baseline}")
        except AssertionError as error:
            raise AssertionError(f"{error}: {_summary(await redis_clients(redis))}") from None
        clients = await redis_clients(redis)
        assert len(_pubsub_clients(clients)) == subscribed_before, clients
    channels: Any = await redis.pubsub_channels(f"{EVENTS_CHANNEL}:*")
    assert channels == []
    # The server still serves this session, and its log shows no error.
    socket = await open_subscribed(address, session_id, owner)
    await socket.close()
    log = log_path.read_text(errors="replace")
    assert "Traceback" not in log and "RuntimeError" not in log, log[-3000:]


def _summary(clients: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: c.get(k) for k in ("id", "age", "idle", "sub", "cmd")} for c in clients]


def _pubsub_clients(clients: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Connections subscribed to something, or last used to (un)subscribe: a pub/sub
    connection that was never closed."""
    return [c for c in clients if int(c.get("sub", 0)) or int(c.get("psub", 0))
            or c.get("cmd") in {"subscribe", "unsubscribe", "psubscribe", "punsubscribe"}]


async def _no_subscriber(redis: Redis, channel: str) -> bool:
    return await subscribers(redis, channel) == 0


async def _at_most(redis: Redis, count: int) -> bool:
    return len(await redis_clients(redis)) <= count
