"""The page at `/` when no web app is built: it says the server runs and where to look."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse

from ariaforge import __version__

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


async def start_page() -> HTMLResponse:
    return HTMLResponse(_START_PAGE.format(version=__version__))


def install_start_page(app: FastAPI) -> None:
    page = APIRouter(include_in_schema=False)
    page.add_api_route("/", start_page, methods=["GET"])
    app.include_router(page)
