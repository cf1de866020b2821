"""`ariaforge api --metrics-port` and `ariaforge worker --metrics-port`: metrics off the
public port, gauges that tell the truth, and the worker's liveness tied to its job loop."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import websockets
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.config import Settings
from ariaforge.core.db import run_after_commit
from ariaforge.models import Job
from ariaforge.queue.stream import submit
from tests.ops.metrics_tasks import BLOCK_LOOP
from tests.ops.processes import (
    ATTEMPTS_TIMED,
    JOBS_TIMED_SINCE_SUBMISSION,
    api_with_metrics_port,
    sample,
    wait_for,
    worker_with_metrics_port,
)


async def _submit(app: FastAPI, settings: Settings, kind: str,
                  payload: dict[str, str]) -> uuid.UUID:
    assert settings.redis_url
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    try:
        async with maker() as session:
            job = await submit(session, redis, kind, payload, max_attempts=1)
            await session.commit()
            await run_after_commit(session)
            return job.id
    finally:
        await redis.aclose()


async def _status(app: FastAPI, job_id: uuid.UUID) -> str:
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    async with maker() as session:
        job = await session.get(Job, job_id)
        assert job is not None
        return job.status


def test_api_metrics_live_on_their_own_port(settings: Settings, app: FastAPI, clean: None,
                                            tmp_path: Path) -> None:
    with api_with_metrics_port(settings, app.state.secret_key, tmp_path) as (base, metrics):
        hidden = httpx.get(f"{base}/metrics")
        unknown = httpx.get(f"{base}/no-such-page-at-all")
        # The app port answers /metrics exactly as it answers a path that does not exist.
        assert hidden.status_code == unknown.status_code == 404
        assert hidden.json() == unknown.json()
        assert hidden.json()["error"]["code"] == "NOT_FOUND"

        for _ in range(3):
            assert httpx.get(f"{base}/health").status_code == 200
        text = httpx.get(f"{metrics}/metrics").text
        assert sample(text, "http_requests_total", endpoint="/health", status="200") == 3
        # No server error yet: the 5xx class reads 0, it is not missing.
        assert sample(text, "ariaforge_http_responses_total", status_class="5xx") == 0
        assert (sample(text, "ariaforge_http_responses_total", status_class="4xx") or 0) >= 2
        # The API's metrics port has no liveness of its own (that is /health).
        assert httpx.get(f"{metrics}/healthz").status_code == 404


def test_open_websockets_are_counted(settings: Settings, app: FastAPI, clean: None,
                                     tmp_path: Path) -> None:
    with api_with_metrics_port(settings, app.state.secret_key, tmp_path) as (base, metrics):
        def open_sockets() -> float | None:
            return sample(httpx.get(f"{metrics}/metrics").text, "websocket_connections_active")

        assert open_sockets() == 0
        url = base.replace("http://", "ws://") + f"/api/v1/sessions/{uuid.uuid4()}/ws"

        async def hold_two_sockets() -> None:
            async with websockets.connect(url) as first, websockets.connect(url) as second:
                # Accepted, waiting for the token: both sockets are open now.
                await asyncio.to_thread(wait_for, lambda: open_sockets() == 2,
                                        "two open sockets counted")
                await first.close()
                await asyncio.to_thread(wait_for, lambda: open_sockets() == 1,
                                        "one socket left")
                assert second.state.name == "OPEN"

        asyncio.run(hold_two_sockets())
        wait_for(lambda: open_sockets() == 0, "no socket left")


async def test_worker_liveness_follows_its_job_loop(settings: Settings, app: FastAPI,
                                                    clean: None, tmp_path: Path) -> None:
    release = tmp_path / "release"
    with worker_with_metrics_port(settings, app.state.secret_key, tmp_path,
                                  WORKER_LIVENESS_TIMEOUT_S="5") as (metrics, _):
        def health() -> int:
            return httpx.get(f"{metrics}/healthz", timeout=5).status_code

        await asyncio.to_thread(wait_for, lambda: health() == 200, "the job loop to run")
        job_id = await _submit(app, settings, BLOCK_LOOP, {"release": str(release)})
        # The job blocks the worker's event loop: the probe must notice.
        await asyncio.to_thread(wait_for, lambda: health() == 503, "/healthz to fail")
        async with httpx.AsyncClient(base_url=metrics, timeout=5) as http:
            stalled = await http.get("/healthz")
            assert stalled.status_code == 503
            assert stalled.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
            assert "job loop" in stalled.json()["error"]["message"]
            # The metrics thread still answers: that alone never meant the worker was alive.
            assert (await http.get("/metrics")).status_code == 200
            assert await _status(app, job_id) == "running"

            release.touch()
            await asyncio.to_thread(wait_for, lambda: health() == 200, "/healthz to recover")
            for _ in range(600):
                if await _status(app, job_id) == "succeeded":
                    break
                await asyncio.sleep(0.1)
            assert await _status(app, job_id) == "succeeded"
            text = (await http.get("/metrics")).text
        assert sample(text, "ariaforge_jobs_finished_total", kind=BLOCK_LOOP,
                      outcome="succeeded") == 1
        assert sample(text, JOBS_TIMED_SINCE_SUBMISSION, kind=BLOCK_LOOP) == 1
        assert sample(text, ATTEMPTS_TIMED, kind=BLOCK_LOOP) == 1
