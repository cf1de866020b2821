from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import text

from ariaforge import __version__
from ariaforge.core.errors import ErrorCode, error_response
from ariaforge.core.metrics import render_latest

router = APIRouter(tags=["operations"])
# Only mounted when no web app is built: then `/` says the server runs and where to look.
start_page_router = APIRouter(include_in_schema=False)
READY_TIMEOUT_S = 2.0


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the process answers. Touches nothing else."""
    return {"status": "ok", "version": __version__}


async def _check_database(request: Request) -> None:
    async with request.app.state.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _check_redis(request: Request) -> None:
    await request.app.state.redis.ping()


@router.get("/ready", responses={503: {"description": "a dependency is unreachable"}})
async def ready(request: Request) -> Response:
    """Readiness: PostgreSQL and Redis both answer within 2 s, else 503."""
    checks: dict[str, Any] = {}
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        try:
            await asyncio.wait_for(check(request), READY_TIMEOUT_S)
            checks[name] = "ok"
        except Exception as error:
            checks[name] = f"unavailable: {type(error).__name__}"
    if all(state == "ok" for state in checks.values()):
        return JSONResponse({"status": "ready", "checks": checks})
    return error_response(503, ErrorCode.SERVICE_UNAVAILABLE, "not ready", {"checks": checks})


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    body, content_type = render_latest()
    return Response(body, media_type=content_type)


_START_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AriaForge</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto;">
<h1>AriaForge is running</h1>
<p>Version {version}. The API lives under <code>/api/v1</code>;
its interactive documentation is at <a href="/docs">/docs</a>.</p>
<p>Health: <a href="/health">/health</a> · Readiness: <a href="/ready">/ready</a> ·
Metrics: <a href="/metrics">/metrics</a></p>
</body></html>"""


@start_page_router.get("/")
async def start_page() -> HTMLResponse:
    return HTMLResponse(_START_PAGE.format(version=__version__))
