"""The relay between two replicas (two Relay instances) on the session's real Redis."""

from __future__ import annotations

import uuid

import pytest
from redis.asyncio import Redis

from ariaforge.collab.relay import STREAM_MAXLEN, Relay, publish_update, stream_key
from ariaforge.core.embedded import EmbeddedServices, free_port
from ariaforge.core.redis import create_redis
from tests.collab.relay_support import Inbox, delivered_once_caught_up, running


async def test_messages_reach_other_replicas_and_never_their_sender(
        services: EmbeddedServices) -> None:
    assert services.redis_url
    project = uuid.uuid4()
    async with running(services.redis_url) as one, running(services.redis_url) as two:
        assert one.replica_id != two.replica_id  # random by default
        assert one.healthy and two.healthy
        got_one, got_two = Inbox(), Inbox()
        sub_one = await one.join(project, got_one)
        sub_two = await two.join(project, got_two)
        await sub_one.publish("u", b"\x00update\xff", update_id=7)
        message = await got_two.wait_payload(b"\x00update\xff")
        assert (message.kind, message.update_id, message.replica_id, message.resync) == (
            "u", 7, one.replica_id, False)
        for kind in ("a", "q", "x"):
            await sub_two.publish(kind, kind.encode())
        await got_one.wait_payload(b"x")
        # In stream order, so had one's own update been delivered back it would be first.
        assert [(m.kind, m.payload) for m in got_one.messages] == [
            ("a", b"a"), ("q", b"q"), ("x", b"x")]
        assert got_two.payloads() == [b"\x00update\xff"]
        assert got_one.resyncs() == got_two.resyncs() == 0


async def test_rooms_only_get_their_own_stream(services: EmbeddedServices) -> None:
    assert services.redis_url
    first, second = uuid.uuid4(), uuid.uuid4()
    async with running(services.redis_url) as one, running(services.redis_url) as two:
        got_first, got_second = Inbox(), Inbox()
        await one.join(first, got_first)
        await one.join(second, got_second)
        sender_first = await two.join(first, Inbox())
        sender_second = await two.join(second, Inbox())
        await sender_first.publish("a", b"to first")
        await sender_second.publish("a", b"to second")
        await got_first.wait_payload(b"to first")
        await got_second.wait_payload(b"to second")
        assert got_first.payloads() == [b"to first"]
        assert got_second.payloads() == [b"to second"]


async def test_join_starts_at_the_stream_end_recorded_before_it_returns(
        services: EmbeddedServices) -> None:
    """What was published before join is the caller's to load from PostgreSQL; all that
    follows is delivered, REST updates (no replica) to every replica including the
    publisher's process."""
    assert services.redis_url
    project = uuid.uuid4()
    app_redis = create_redis(services.redis_url)  # the app's client: decoded responses
    try:
        assert await publish_update(app_redis, project, 1, b"before join")
        async with running(services.redis_url) as one, running(services.redis_url) as two:
            got_one, got_two = Inbox(), Inbox()
            await one.join(project, got_one)
            await two.join(project, got_two)
            assert await publish_update(app_redis, project, 2, b"after join")
            for inbox in (got_one, got_two):
                message = await inbox.wait_payload(b"after join")
                assert (message.kind, message.update_id, message.replica_id) == ("u", 2, "")
                assert inbox.payloads() == [b"after join"]
        assert 0 < await app_redis.pttl(stream_key(project)) <= 10 * 60 * 1000
    finally:
        await app_redis.aclose()


async def test_a_room_joining_during_a_blocked_read_is_read_at_once(
        services: EmbeddedServices) -> None:
    """The reader blocks for a minute here: only the wake-up can get the new room read
    within the wait limit."""
    assert services.redis_url
    async with running(services.redis_url, block_ms=60_000) as reader, \
            running(services.redis_url) as writer:
        await reader.join(uuid.uuid4(), Inbox())  # the read now blocks on this room
        for _ in range(3):
            project = uuid.uuid4()
            inbox = Inbox()
            await reader.join(project, inbox)
            sender = await writer.join(project, Inbox())
            await sender.publish("u", project.bytes)
            await inbox.wait_payload(project.bytes)


async def test_two_subscriptions_on_one_room_and_close(services: EmbeddedServices) -> None:
    assert services.redis_url
    project = uuid.uuid4()
    async with running(services.redis_url) as one, running(services.redis_url) as two:
        first, second = Inbox(), Inbox()
        sub_first = await one.join(project, first)
        await one.join(project, second)
        sender = await two.join(project, Inbox())
        await sender.publish("a", b"both")
        await first.wait_payload(b"both")
        await second.wait_payload(b"both")
        await sub_first.close()
        await sender.publish("a", b"second only")
        await second.wait_payload(b"second only")
        await sender.publish("a", b"still second")
        await second.wait_payload(b"still second")
        assert first.payloads() == [b"both"]
        await sub_first.publish("a", b"from a closed subscription")  # nothing, no error
        await sender.publish("a", b"last")
        await second.wait_payload(b"last")
        assert b"from a closed subscription" not in second.payloads()


async def test_a_failing_callback_does_not_stop_delivery(services: EmbeddedServices) -> None:
    assert services.redis_url
    project = uuid.uuid4()
    inbox = Inbox()

    async def flaky(message: object) -> None:
        await inbox(message)  # type: ignore[arg-type]
        if len(inbox.messages) == 1:
            raise RuntimeError("a room bug")

    async with running(services.redis_url) as one, running(services.redis_url) as two:
        await one.join(project, flaky)
        sender = await two.join(project, Inbox())
        await sender.publish("u", b"first")
        await sender.publish("u", b"second")
        await inbox.wait_payload(b"second")
        assert inbox.payloads() == [b"first", b"second"]
        assert one.healthy


async def test_streams_are_capped_and_a_publishing_burst_beyond_the_outbox_becomes_a_resync(
        services: EmbeddedServices) -> None:
    """13,000 publishes without yielding: the outbox keeps its bound (10,000) and drops
    the rest; the room's other replica is told to resync instead of missing them."""
    assert services.redis_url
    project = uuid.uuid4()
    async with running(services.redis_url) as one, running(services.redis_url) as two:
        inbox = Inbox()
        await two.join(project, inbox)
        sub = await one.join(project, Inbox())
        for number in range(STREAM_MAXLEN + 3_000):
            await sub.publish("a", number.to_bytes(4, "big"))
        await inbox.wait_for(lambda messages: any(m.resync for m in messages))
        await delivered_once_caught_up(sub, inbox)
        redis = Redis.from_url(services.redis_url)
        try:
            assert await redis.xlen(stream_key(project)) <= STREAM_MAXLEN + 200
        finally:
            await redis.aclose()
        assert one.healthy and two.healthy


async def test_publish_update_without_redis_reports_instead_of_raising() -> None:
    redis = create_redis(f"redis://127.0.0.1:{free_port()}/0")
    try:
        assert not await publish_update(redis, uuid.uuid4(), 3, b"x")
    finally:
        await redis.aclose()


async def test_stop_is_clean_and_final(services: EmbeddedServices) -> None:
    assert services.redis_url
    relay = Relay(services.redis_url)
    assert not relay.healthy
    await relay.start()
    assert relay.healthy
    await relay.join(uuid.uuid4(), Inbox())
    await relay.stop()
    assert not relay.healthy
    redis = Redis.from_url(services.redis_url)
    try:
        assert not await redis.exists(f"collab:replica:{relay.replica_id}")
        assert not await redis.exists(f"collab:wake:{relay.replica_id}")
    finally:
        await redis.aclose()
    with pytest.raises(RuntimeError, match="not running"):
        await relay.join(uuid.uuid4(), Inbox())
