"""Replica liveness: a replica that published into a joined room and then stops (cleanly,
or killed without any cleanup) is reported by `on_replica_gone` within seconds."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from pathlib import Path

from redis.asyncio import Redis

from ariaforge.core.embedded import EmbeddedServices
from tests.collab.relay_support import Inbox, running

BACKEND = Path(__file__).resolve().parents[2]
FAST = {"heartbeat_s": 0.3, "replica_ttl_s": 1.5, "liveness_check_s": 0.2}

# A replica in its own process: joins, publishes one awareness message, then idles until
# killed. SIGKILL leaves its key to expire: no stop(), no cleanup of any kind.
CRASHING_REPLICA = """
import asyncio, sys, uuid
from ariaforge.collab.relay import Relay

async def main(url, project):
    relay = Relay(url, heartbeat_s=0.3, replica_ttl_s=1.5, liveness_check_s=0.2)
    await relay.start()
    async def ignore(message): return None
    sub = await relay.join(uuid.UUID(project), ignore)
    await sub.publish("a", b"hello from " + relay.replica_id.encode())
    print(relay.replica_id, flush=True)
    await asyncio.Event().wait()

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


async def test_a_clean_stop_is_seen_at_once_and_a_crash_after_the_ttl(
        services: EmbeddedServices) -> None:
    assert services.redis_url
    project = uuid.uuid4()
    gone: list[str] = []
    changed = asyncio.Event()

    async def on_gone(replica_id: str) -> None:
        gone.append(replica_id)
        changed.set()

    async def wait_gone(replica_id: str) -> None:
        async with asyncio.timeout(20):
            while replica_id not in gone:
                changed.clear()
                await changed.wait()

    async with running(services.redis_url, **FAST) as watcher:
        watcher.on_replica_gone(on_gone)
        inbox = Inbox()
        await watcher.join(project, inbox)

        # A clean stop deletes the replica's key.
        async with running(services.redis_url, **FAST) as leaving:
            sub = await leaving.join(project, Inbox())
            await sub.publish("a", b"cursor")
            await inbox.wait_payload(b"cursor")
        await wait_gone(leaving.replica_id)

        # A killed process: its key expires.
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CRASHING_REPLICA, services.redis_url, str(project),
            cwd=BACKEND, stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(BACKEND)})
        try:
            assert process.stdout
            async with asyncio.timeout(60):
                crashed = (await process.stdout.readline()).decode().strip()
            assert crashed
            await inbox.wait_payload(b"hello from " + crashed.encode())
            assert crashed not in gone
            process.kill()  # SIGKILL
            await process.wait()
            await wait_gone(crashed)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert watcher.healthy
        assert sorted(gone) == sorted([leaving.replica_id, crashed])


async def test_a_live_replica_is_never_reported_and_keys_expire(
        services: EmbeddedServices) -> None:
    assert services.redis_url
    project = uuid.uuid4()
    gone: list[str] = []

    async def on_gone(replica_id: str) -> None:
        gone.append(replica_id)

    async with running(services.redis_url, **FAST) as watcher, \
            running(services.redis_url, **FAST) as staying:
        remove = watcher.on_replica_gone(on_gone)
        inbox = Inbox()
        await watcher.join(project, inbox)
        sub = await staying.join(project, Inbox())
        await sub.publish("a", b"here")
        await inbox.wait_payload(b"here")
        await asyncio.sleep(3.0)  # two TTLs of the fast settings
        await sub.publish("a", b"still here")
        await inbox.wait_payload(b"still here")
        assert gone == []
        redis = Redis.from_url(services.redis_url)
        try:
            ttl = await redis.pttl(f"collab:replica:{staying.replica_id}")
            assert 0 < ttl <= 1500
        finally:
            await redis.aclose()
        remove()
    assert gone == []
