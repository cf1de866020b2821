"""Cross-replica delivery between two Relay instances in one process, on the session's
Redis. The figures are printed (run with -s), never asserted: speed belongs in bench/."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid

from ariaforge.core.embedded import EmbeddedServices
from tests.collab.relay_support import Inbox, running

ONE_BY_ONE = 300
PACED = 1_000  # one every ~2 ms: a busy room's sustained rate, many times the bench's 20/s
BURST = 2_000  # all at once: throughput


def percentiles(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered):.2f} ms, p99 {p99:.2f} ms (n={len(ordered)})"


async def test_cross_replica_delivery_in_order(services: EmbeddedServices) -> None:
    assert services.redis_url
    project = uuid.uuid4()
    async with running(services.redis_url) as one, running(services.redis_url) as two:
        inbox = Inbox()
        await two.join(project, inbox)
        sender = await one.join(project, Inbox())
        sent: dict[bytes, float] = {}

        for number in range(ONE_BY_ONE):
            payload = b"single %d" % number
            sent[payload] = time.perf_counter()
            await sender.publish("u", payload, update_id=number)
            await inbox.wait_payload(payload)
            await asyncio.sleep(0.002)  # an idle reader blocked in XREAD, as in real use

        for number in range(PACED):
            payload = b"paced %d" % number
            sent[payload] = time.perf_counter()
            await sender.publish("u", payload, update_id=ONE_BY_ONE + number)
            await asyncio.sleep(0.002)
        await inbox.wait_payload(b"paced %d" % (PACED - 1))

        first_burst = time.perf_counter()
        for number in range(BURST):
            payload = b"burst %d" % number
            sent[payload] = time.perf_counter()
            await sender.publish("u", payload, update_id=ONE_BY_ONE + PACED + number)
        await inbox.wait_payload(b"burst %d" % (BURST - 1))
        drained = time.perf_counter()

        received = {m.payload: at for m, at in zip(inbox.messages, inbox.arrivals, strict=True)}

        def delays(prefix: bytes) -> list[float]:
            return [(received[p] - sent[p]) * 1000 for p in sent if p.startswith(prefix)]

        print(f"\ncross-replica one at a time: {percentiles(delays(b'single'))}")
        print(f"cross-replica paced (~500/s): {percentiles(delays(b'paced'))}")
        print(f"cross-replica burst of {BURST} at once: {percentiles(delays(b'burst'))}, "
              f"{BURST / (drained - first_burst):.0f} messages/s")
        assert [m.update_id for m in inbox.messages] == list(range(ONE_BY_ONE + PACED + BURST))
        assert inbox.resyncs() == 0
