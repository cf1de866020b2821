"""Helpers for the relay tests: a recording callback and bounded waits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from ariaforge.collab.relay import Relay, RelayMessage, Subscription

WAIT_LIMIT_S = 20.0


class Inbox:
    """An `on_message` callback that records what it is given."""

    def __init__(self) -> None:
        self.messages: list[RelayMessage] = []
        self.arrivals: list[float] = []
        self._changed = asyncio.Event()

    async def __call__(self, message: RelayMessage) -> None:
        self.arrivals.append(time.perf_counter())
        self.messages.append(message)
        self._changed.set()

    def payloads(self) -> list[bytes]:
        return [m.payload for m in self.messages if not m.resync]

    def resyncs(self) -> int:
        return sum(1 for m in self.messages if m.resync)

    async def wait_for(self, found: Callable[[list[RelayMessage]], bool],
                       limit_s: float = WAIT_LIMIT_S) -> None:
        """Wait until `found(messages)` holds; the limit only keeps a broken relay from
        hanging the run."""
        async with asyncio.timeout(limit_s):
            while not found(self.messages):
                self._changed.clear()
                await self._changed.wait()

    async def wait_payload(self, payload: bytes) -> RelayMessage:
        await self.wait_for(lambda ms: any(m.payload == payload for m in ms))
        return next(m for m in self.messages if m.payload == payload)


async def eventually(check: Callable[[], Any], limit_s: float = WAIT_LIMIT_S) -> None:
    async with asyncio.timeout(limit_s):
        while not check():  # noqa: ASYNC110 - polls state that has no event to await
            await asyncio.sleep(0.02)


async def delivered_once_caught_up(sender: Subscription, inbox: Inbox) -> None:
    """After a backlog, a message may be covered by a resync (dropped from a full inbox)
    instead of delivered; once the receiver has caught up, messages arrive again."""
    for attempt in range(100):
        probe = f"probe {attempt}".encode()
        resyncs = inbox.resyncs()
        await sender.publish("a", probe)

        def answered(messages: list[RelayMessage], probe: bytes = probe,
                     resyncs: int = resyncs) -> bool:
            return any(m.payload == probe for m in messages) or inbox.resyncs() > resyncs

        await inbox.wait_for(answered)
        if probe in inbox.payloads():
            return
    raise AssertionError("the receiver never caught up")


@asynccontextmanager
async def running(redis_url: str, **options: Any) -> AsyncIterator[Relay]:
    relay = Relay(redis_url, **options)
    await relay.start()
    try:
        yield relay
    finally:
        await relay.stop()
