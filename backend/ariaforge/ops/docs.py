"""Swagger UI served from the `swagger-ui-bundle` wheel, so /docs works offline.

The page keeps our strict Content-Security-Policy: its one inline script is allowed by
hash rather than by 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from ariaforge.core.security import CONTENT_SECURITY_POLICY

ASSETS = "/docs-assets"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _policy_allowing_inline_scripts(html: str) -> str:
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    ]
    return CONTENT_SECURITY_POLICY.replace("script-src 'self'",
                                           "script-src 'self' " + " ".join(hashes))


def install_offline_docs(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
        html = bytes(page.body).decode()
        return HTMLResponse(html, headers={
            "Content-Security-Policy": _policy_allowing_inline_scripts(html)})
