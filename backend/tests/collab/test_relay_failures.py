"""The relay when Redis fails or a room falls behind: its own killable Redis server
(the embedded one, on a fixed port so it can come back), trimmed streams, slow rooms."""

from __future__ import annotations

import asyncio
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from ariaforge.collab.relay import STREAM_MAXLEN, RelayMessage, stream_key
from ariaforge.collab.relay_subscription import MAX_INBOX_MESSAGES
from ariaforge.collab.relay_wire import entry_fields
from ariaforge.core.embedded import EmbeddedRedis, EmbeddedServices, free_port
from tests.collab.relay_support import Inbox, delivered_once_caught_up, eventually, running


@pytest.fixture
def own_redis(embedded_home: Path) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(embedded_home, port=free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def kill(server: EmbeddedRedis) -> None:
    assert server.process
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    server.process = None


async def test_a_redis_restart_turns_unhealthy_then_resumes_with_a_resync(
        own_redis: EmbeddedRedis) -> None:
    project = uuid.uuid4()
    async with running(own_redis.url(), block_ms=500) as one, \
            running(own_redis.url(), block_ms=500) as two:
        got_one = Inbox()
        await one.join(project, got_one)
        sender = await two.join(project, Inbox())
        await sender.publish("u", b"before")
        await got_one.wait_payload(b"before")
        # Idle across several BLOCK periods: the blocking read must not time out (the trap).
        await asyncio.sleep(1.5)
        assert one.healthy and two.healthy

        kill(own_redis)
        await eventually(lambda: not one.healthy and not two.healthy)
        assert any("reader" in problem for problem in one.problems)
        await sender.publish("u", b"lost while down")  # dropped: a gap marker follows
        own_redis.start()
        await eventually(lambda: one.healthy and two.healthy)

        await got_one.wait_for(lambda messages: any(m.resync for m in messages))
        await delivered_once_caught_up(sender, got_one)
        assert b"lost while down" not in got_one.payloads()
        assert got_one.payloads()[0] == b"before"


async def test_joining_while_redis_is_down_locates_the_room_later(
        own_redis: EmbeddedRedis) -> None:
    """Start and join never fail for Redis being away; once it is back the room gets a
    resync (its load happened before its stream position was known) and then messages."""
    project = uuid.uuid4()
    kill(own_redis)
    async with running(own_redis.url()) as one:
        assert not one.healthy
        inbox = Inbox()
        sub = await one.join(project, inbox)
        await sub.publish("a", b"nobody hears this")
        own_redis.start()
        async with running(own_redis.url()) as two:
            await eventually(lambda: one.healthy)
            await inbox.wait_for(lambda messages: any(m.resync for m in messages))
            sender = await two.join(project, Inbox())
            await delivered_once_caught_up(sender, inbox)


async def test_a_stream_trimmed_past_a_room_gives_it_a_resync(
        services: EmbeddedServices) -> None:
    """15,000 entries added in one MULTI/EXEC: the room's reader, blocked before it,
    wakes to a stream trimmed (MAXLEN ~ 10,000) past its position."""
    assert services.redis_url
    project = uuid.uuid4()
    key = stream_key(project)
    async with running(services.redis_url) as one:
        inbox = Inbox()
        await one.join(project, inbox)
        redis = Redis.from_url(services.redis_url)
        try:
            async with redis.pipeline(transaction=True) as pipe:
                for number in range(STREAM_MAXLEN + 5_000):
                    fields: dict[Any, Any] = entry_fields("elsewhere", "a",
                                                          number.to_bytes(4, "big"), 0)
                    pipe.xadd(key, fields, maxlen=STREAM_MAXLEN, approximate=True)
                await pipe.execute()
            assert await redis.xlen(key) < STREAM_MAXLEN + 5_000
            await inbox.wait_for(lambda messages: any(m.resync for m in messages))
            # The gap is found before any entry after it is handed over.
            assert inbox.messages[0].resync
            last = (STREAM_MAXLEN + 4_999).to_bytes(4, "big")
            await inbox.wait_for(lambda messages: any(m.payload == last for m in messages)
                                 or inbox.resyncs() > 1)
        finally:
            await redis.aclose()
        assert one.healthy


async def test_a_slow_room_keeps_a_bounded_backlog_and_resyncs(
        services: EmbeddedServices) -> None:
    """A room whose callback is stuck never holds more than the inbox bound; what it
    could not take is replaced by one resync, then delivery goes on in order."""
    assert services.redis_url
    project = uuid.uuid4()
    release = asyncio.Event()
    slow = Inbox()

    async def stuck(message: RelayMessage) -> None:
        await release.wait()
        await slow(message)

    async with running(services.redis_url) as one, running(services.redis_url) as two:
        sub = await one.join(project, stuck)
        sender = await two.join(project, Inbox())
        total = MAX_INBOX_MESSAGES * 2
        for number in range(total):
            await sender.publish("a", number.to_bytes(4, "big"))
            if number % 200 == 0:
                await asyncio.sleep(0)
        await eventually(lambda: sub.dropped_backlogs > 0)
        assert len(sub._inbox) <= MAX_INBOX_MESSAGES
        release.set()
        await delivered_once_caught_up(sender, slow)
        assert slow.resyncs() >= 1
        numbers = [int.from_bytes(p, "big") for p in slow.payloads() if len(p) == 4]
        assert numbers == sorted(numbers)  # in stream order, with a hole where the resync is
        assert len(numbers) < total


async def test_a_frozen_redis_is_noticed_by_timeouts_and_survived(
        own_redis: EmbeddedRedis) -> None:
    """SIGSTOP: no connection error, only silence. The short command timeout marks the
    relay unhealthy; the blocking read, whose timeout is well above BLOCK, just waits.
    Once Redis runs again, what was published meanwhile arrives or its room resyncs."""
    assert own_redis.process
    project = uuid.uuid4()
    async with running(own_redis.url(), block_ms=500) as one, \
            running(own_redis.url(), block_ms=500) as two:
        inbox = Inbox()
        await one.join(project, inbox)
        sender = await two.join(project, Inbox())
        own_redis.process.send_signal(signal.SIGSTOP)
        try:
            await sender.publish("u", b"during the freeze")
            await eventually(lambda: not one.healthy and not two.healthy)
        finally:
            own_redis.process.send_signal(signal.SIGCONT)
        await eventually(lambda: one.healthy and two.healthy)
        await inbox.wait_for(lambda messages: any(
            m.resync or m.payload == b"during the freeze" for m in messages))
        await delivered_once_caught_up(sender, inbox)
