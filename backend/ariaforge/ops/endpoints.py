from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ariaforge import __version__
from ariaforge.core.errors import ErrorCode, error_response
from ariaforge.core.liveness import live_workers
from ariaforge.core.metrics import JOB_WORKERS_ALIVE, render_latest
from ariaforge.core.supervisor import RuntimeSettings, read_state
from ariaforge.ops.readiness import (
    UNKNOWN_SCHEMA,
    ReadinessMemory,
    check_database,
    check_redis,
    decide,
    server_marker,
)

router = APIRouter(tags=["operations"])
# Asked only of a Redis that has just answered: short, so /ready stays within 5 s.
WORKERS_TIMEOUT_S = 1.0


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the process answers. Touches nothing else."""
    return {"status": "ok", "version": __version__}


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


def _memory(request: Request, strict: bool) -> ReadinessMemory:
    memory = getattr(request.app.state, "readiness", None)
    if memory is None:
        # Under `up` nothing is graced, so nothing needs sharing between processes.
        run_dir = request.app.state.settings.ariaforge_home / "run"
        memory = ReadinessMemory(marker=None if strict else server_marker(run_dir))
        request.app.state.readiness = memory
    return memory


@router.get("/ready", responses={503: {"description": "not ready; the message says why"}})
async def ready(request: Request) -> Response:
    """Readiness (ops/readiness.py): the schema is the one this code needs (503 while it is
    behind: run `ariaforge migrate`), PostgreSQL and Redis answer within 2 s. A process
    that has been ready stays ready (`"status": "degraded"`) through an outage of
    PostgreSQL or Redis shorter than READY_OUTAGE_GRACE_S; the routes that need them
    answer 503 meanwhile, the web app and /health keep working.

    `workers` says how many job workers have a live heartbeat. It decides readiness only
    where workers are expected (READY_REQUIRES_WORKER, set by `ariaforge up`): an API
    replica in a cluster stays ready while its workers scale to zero. Under `up`,
    `components` also shows what `up` supervises; any of it down or restarting is 503,
    and so is any failed check, at once.
    """
    runtime = RuntimeSettings()
    state = request.app.state
    checks: dict[str, Any] = {}
    try:
        engine = state.engine
    except AttributeError:  # the lifespan has not run: nothing to check yet
        checks["database"], checks["schema"] = "unavailable: not started", UNKNOWN_SCHEMA
    else:
        checks["database"], checks["schema"] = await check_database(engine)
    checks["redis"] = await check_redis(getattr(state, "redis", None))
    alive = await _live_workers(request) if checks["redis"] == "ok" else None
    body: dict[str, Any] = {"checks": checks, "workers": {
        "alive": None if alive is None else len(alive),
        "required": runtime.ready_requires_worker}}
    if runtime.ready_requires_worker:
        checks["workers"] = _workers_check(alive)
    if runtime.supervisor_state_file is not None:
        checks["supervised"], body["components"] = _supervised(
            runtime.supervisor_state_file, alive)
    strict = runtime.ready_requires_worker or runtime.supervisor_state_file is not None
    verdict = decide(_memory(request, strict), checks, strict=strict,
                     grace_s=state.settings.ready_outage_grace_s)
    if verdict.outage_for_s is not None:
        body["outage"] = {"for_s": round(verdict.outage_for_s, 1),
                          "grace_s": state.settings.ready_outage_grace_s}
    if verdict.ready:
        return JSONResponse({"status": verdict.status, **body})
    return error_response(503, ErrorCode.SERVICE_UNAVAILABLE,
                          "not ready: " + "; ".join(verdict.failing), body)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    if request.app.state.settings.metrics_port is not None:
        # Served on the metrics port (`ariaforge api --metrics-port`), never publicly.
        return error_response(404, ErrorCode.NOT_FOUND, "no such resource")
    await _live_workers(request)  # a gauge read at scrape time, best effort
    body, content_type = render_latest()
    return Response(body, media_type=content_type)

