from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from ariaforge import __version__
from ariaforge.core.errors import ErrorCode, error_response
from ariaforge.core.liveness import live_workers
from ariaforge.core.metrics import JOB_WORKERS_ALIVE, render_latest
from ariaforge.core.supervisor import RuntimeSettings, read_state

router = APIRouter(tags=["operations"])
READY_TIMEOUT_S = 2.0
# Asked only of a Redis that has just answered: short, so /ready stays within 5 s.
WORKERS_TIMEOUT_S = 1.0


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the process answers. Touches nothing else."""
    return {"status": "ok", "version": __version__}


async def _check_database(request: Request) -> None:
    async with request.app.state.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _check_redis(request: Request) -> None:
    await request.app.state.redis.ping()


async def _live_workers(request: Request) -> list[str] | None:
    """Names of the job workers with a live heartbeat; None when Redis cannot say."""
    try:
        names = await asyncio.wait_for(live_workers(request.app.state.redis),
                                       WORKERS_TIMEOUT_S)
    except Exception:  # Redis down: its own check reports it
        return None
    JOB_WORKERS_ALIVE.set(len(names))
    return names


def _workers_check(alive: list[str] | None) -> str:
    if alive is None:
        return "unknown: Redis unavailable"
    return "ok" if alive else "unavailable: no live job worker"


def _worker_state(name: str, entry: dict[str, Any], alive: list[str]) -> str:
    """A supervised worker counts as running once its own heartbeat is seen: a restarted
    one is still starting while the heartbeat of the one it replaces has not expired.
    Worker names begin with host-pid (queue/worker.py)."""
    state = str(entry.get("state"))
    if state == "running" and name.startswith("worker"):
        prefix = f"{socket.gethostname()}-{entry.get('pid')}-"
        if not any(worker.startswith(prefix) for worker in alive):
            return "starting"
    return state


def _supervised(path: Path, alive: list[str] | None) -> tuple[str, Any]:
    """The check and the components that `ariaforge up` reports supervising."""
    components = read_state(path)
    if components is None:
        return "unknown: no state from `ariaforge up`", None
    for name, entry in components.items():
        entry["state"] = _worker_state(name, entry, alive or [])
    down = [f"{name} {entry['state']}" for name, entry in components.items()
            if entry["state"] != "running"]
    return ("ok" if not down else "unavailable: " + ", ".join(down)), components


@router.get("/ready", responses={503: {"description": "a dependency is unreachable"}})
async def ready(request: Request) -> Response:
    """Readiness: PostgreSQL and Redis both answer within 2 s, else 503.

    `workers` says how many job workers have a live heartbeat. It decides readiness only
    where workers are expected (READY_REQUIRES_WORKER, set by `ariaforge up`): an API
    replica in a cluster stays ready while its workers scale to zero. Under `up`,
    `components` also shows what `up` supervises; any of it down or restarting is 503.
    """
    runtime = RuntimeSettings()
    checks: dict[str, Any] = {}
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        try:
            await asyncio.wait_for(check(request), READY_TIMEOUT_S)
            checks[name] = "ok"
        except Exception as error:
            checks[name] = f"unavailable: {type(error).__name__}"
    alive = await _live_workers(request) if checks["redis"] == "ok" else None
    body: dict[str, Any] = {"checks": checks, "workers": {
        "alive": None if alive is None else len(alive),
        "required": runtime.ready_requires_worker}}
    if runtime.ready_requires_worker:
        checks["workers"] = _workers_check(alive)
    if runtime.supervisor_state_file is not None:
        checks["supervised"], body["components"] = _supervised(
            runtime.supervisor_state_file, alive)
    failing = [f"{name} {state}" for name, state in checks.items() if state != "ok"]
    if not failing:
        return JSONResponse({"status": "ready", **body})
    return error_response(503, ErrorCode.SERVICE_UNAVAILABLE,
                          "not ready: " + "; ".join(failing), body)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    await _live_workers(request)  # a gauge read at scrape time, best effort
    body, content_type = render_latest()
    return Response(body, media_type=content_type)

