from __future__ import annotations
import asyncio, time
import httpx, psutil
from fastapi import FastAPI
from ariaforge.config import Settings
from tests.conftest import api_process
from tests.collab.conftest import YClient, add_note, project_with_score, ticket

async def test_cpu(settings: Settings, app: FastAPI, clean: None, tmp_path) -> None:
    with api_process(settings, app.state.secret_key, tmp_path / "a") as (base, process):
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            project, owner = await project_with_score(http)
            issued = [await ticket(http, project, owner) for _ in range(50)]
            clients = await asyncio.gather(*(YClient.open(base, project, t) for t in issued))
            for c in clients:
                await c.wait(c.synced.is_set, "sync")
            proc = psutil.Process(process.pid)
            t0 = proc.cpu_times(); w0 = time.monotonic()
            n = 200
            for k in range(n):
                await clients[k % 50].edit(add_note(f"x{k}", pitch=48 + k // 16, start=(k % 16) * 480))
                await asyncio.sleep(0.05)
            last = f"x{n-1}"
            missing = []
            for i, c in enumerate(clients):
                try:
                    await asyncio.wait_for(c.wait(lambda c=c: last in c.notes(), "last"), 5)
                except (AssertionError, TimeoutError):
                    missing.append((i, len(c.notes()), c.close_code))
            print("missing", missing[:10], len(missing))
            t1 = proc.cpu_times(); w1 = time.monotonic()
            cpu = (t1.user + t1.system) - (t0.user + t0.system)
            print(f"\nCPU {cpu:.3f}s for {n} updates x 49 deliveries: {cpu / (n*49) * 1e6:.1f} us/delivery, {cpu/n*1e3:.2f} ms/update; wall {w1-w0:.1f}")
            await asyncio.gather(*(c.close() for c in clients))
    assert False
