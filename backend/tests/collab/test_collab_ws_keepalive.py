"""A client whose network vanishes (no TCP close, no close frame) is noticed by the
server's WebSocket pings, and its presence is removed for everyone else."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.collab.conftest import YClient, project_with_score, ticket, user_id


class FreezableProxy:
    """A TCP relay to the API that can stop forwarding while keeping its sockets open:
    what a laptop lid or a dead Wi-Fi looks like from the server."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.frozen = asyncio.Event()
        self.tasks: set[asyncio.Task[None]] = set()
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers += [writer, up_writer]
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pipe(source, sink))
            self.tasks.add(task)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while not self.frozen.is_set():
                data = await source.read(65536)
                if not data or self.frozen.is_set():
                    break
                sink.write(data)
                await sink.drain()
        if self.frozen.is_set():
            await asyncio.Event().wait()  # keep both sockets open, and silent

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for writer in self.writers:
            writer.close()
        if self.server is not None:
            self.server.close()


@pytest.fixture
async def http(live_api: str, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_api, timeout=60) as client:
        yield client


async def test_a_vanished_clients_presence_is_removed(http: httpx.AsyncClient,
                                                      live_api: str) -> None:
    project, owner = await project_with_score(http)
    owner_id = await user_id(http, owner)
    address = urlsplit(live_api)
    assert address.hostname and address.port
    proxy = FreezableProxy(address.hostname, address.port)
    proxied = f"http://127.0.0.1:{await proxy.start()}"
    try:
        gone = await YClient.open(proxied, project, await ticket(http, project, owner))
        await gone.wait(gone.synced.is_set, "sync")
        await gone.publish_awareness(55, 1, {"user": {"id": owner_id}, "playhead": 0})
        stays = await YClient.joined(http, live_api, project, owner)
        await stays.wait(lambda: 55 in stays.awareness, "the other's presence")
        proxy.frozen.set()  # from now on nothing passes, and nothing is closed
        await stays.wait(lambda: 55 not in stays.awareness, "the vanished client's removal")
        assert stays.close_code is None
        await stays.close()
    finally:
        await proxy.stop()
