"""The API serves the web app's static export: routing, caching, types, CSP, traversal.

A small fake export stands in for `frontend/out` (no Next.js build needed). Static
serving never touches PostgreSQL or Redis, so these apps run without their lifespan.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
from collections.abc import AsyncIterator, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.config import ConfigurationError, Environment, Settings
from ariaforge.main import create_app
from ariaforge.web import web_root
from tests.conftest import BASE_URL, TEST_SECRET

BOOTSTRAP = "(self.__next_f=self.__next_f||[]).push([0])"
INDEX = (f'<!DOCTYPE html><html><head><script src="/_next/static/chunk-abc.js" async>'
         f'</script></head><body><h1>Home page</h1><script>{BOOTSTRAP}</script>'
         '<script>self.__next_f.push([1,"x"])</script></body></html>')


def _sha(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "login").mkdir(parents=True)
    (out / "_next" / "static" / "media").mkdir(parents=True)
    (out / "index.html").write_text(INDEX)
    (out / "index.txt").write_text("0:rsc payload")
    (out / "login" / "index.html").write_text("<html><body>Sign in page</body></html>")
    (out / "404.html").write_text("<html><body>Page not found here</body></html>")
    (out / "_next" / "static" / "chunk-abc.js").write_text("console.log('chunk')")
    (out / "_next" / "static" / "app.css").write_text("body{}")
    (out / "_next" / "static" / "media" / "font.woff2").write_bytes(b"wOF2font")
    (out / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (out / "manifest.json").write_text("{}")
    (out / "robots.txt").write_text("User-agent: *")
    (tmp_path / "secret.txt").write_text("outside the export")
    return out


def _settings(tmp_path: Path, web_dir: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {"environment": Environment.TESTING,
                              "ariaforge_home": tmp_path / "home", "secret_key": TEST_SECRET,
                              "web_dir": web_dir, **extra}
    return Settings(**values)


@pytest.fixture
def site_app(export: Path, tmp_path: Path) -> FastAPI:
    return create_app(_settings(tmp_path, str(export)))


@pytest.fixture
async def web(site_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=site_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


async def _raw_get(app: FastAPI, path: str) -> tuple[int, dict[str, str], bytes]:
    """Send a path exactly as a server would pass it on (decoded, dots and all);
    HTTP clients normalise `..` away before it could reach us."""
    messages: list[dict[str, Any]] = []
    requested = False
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()  # like a server: the client goes away after the answer
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(dict(message))
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path,
             "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 80)}
    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, body


async def test_pages_map_to_index_files(web: httpx.AsyncClient) -> None:
    home = await web.get("/")
    assert home.status_code == 200 and "Home page" in home.text
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    login = await web.get("/login/")
    assert login.status_code == 200 and "Sign in page" in login.text
    assert (await web.get("/index.html")).text == home.text


async def test_folder_without_slash_redirects_keeping_the_query(web: httpx.AsyncClient) -> None:
    response = await web.get("/login?next=%2Fprojects%2F")
    assert response.status_code == 308
    assert response.headers["location"] == "/login/?next=%2Fprojects%2F"


async def test_double_slash_never_redirects_off_site(site_app: FastAPI) -> None:
    # "//login/" in a Location header would send the browser to the host "login".
    status, headers, _ = await _raw_get(site_app, "//login")
    assert status == 308
    assert headers["location"] == "/login/"


async def test_unknown_client_route_gets_the_404_page(web: httpx.AsyncClient) -> None:
    for path in ("/no-such-page", "/no/such/page/"):
        response = await web.get(path)
        assert response.status_code == 404, path
        assert "Page not found here" in response.text
        assert response.headers["cache-control"] == "no-cache"


async def test_missing_asset_gets_the_json_404(web: httpx.AsyncClient) -> None:
    response = await web.get("/_next/static/missing.js")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/projects/x/y/z",
                                  "/health/extra", "/metrics/x", "/docs/x", "/api"])
async def test_api_paths_are_never_the_web_app(web: httpx.AsyncClient, path: str) -> None:
    response = await web.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


async def test_operations_routes_still_answer(web: httpx.AsyncClient) -> None:
    assert (await web.get("/health")).json()["status"] == "ok"
    assert "openmetrics" in (await web.get("/metrics")).headers["content-type"] or \
        (await web.get("/metrics")).status_code == 200
    docs = await web.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert "/api/v1/auth/login" in (await web.get("/openapi.json")).json()["paths"]


async def test_known_route_keeps_405_for_other_methods(web: httpx.AsyncClient) -> None:
    assert (await web.post("/health")).status_code == 405
    response = await web.post("/login/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


async def test_cache_headers(web: httpx.AsyncClient) -> None:
    chunk = await web.get("/_next/static/chunk-abc.js")
    assert chunk.status_code == 200 and chunk.text == "console.log('chunk')"
    assert chunk.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (await web.get("/")).headers["cache-control"] == "no-cache"
    assert (await web.get("/index.txt")).headers["cache-control"] == "no-cache"
    logo = (await web.get("/logo.svg")).headers["cache-control"]
    assert "immutable" not in logo and "max-age=300" in logo


@pytest.mark.parametrize(("path", "expected"), [
    ("/_next/static/chunk-abc.js", "text/javascript; charset=utf-8"),
    ("/_next/static/app.css", "text/css; charset=utf-8"),
    ("/_next/static/media/font.woff2", "font/woff2"),
    ("/logo.svg", "image/svg+xml"),
    ("/manifest.json", "application/json"),
    ("/robots.txt", "text/plain; charset=utf-8"),
])
async def test_content_types(web: httpx.AsyncClient, path: str, expected: str) -> None:
    response = await web.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == expected
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_html_policy_allows_exactly_its_inline_scripts(web: httpx.AsyncClient) -> None:
    policy = (await web.get("/")).headers["content-security-policy"]
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert _sha(BOOTSTRAP) in script_src
    assert _sha('self.__next_f.push([1,"x"])') in script_src
    assert script_src.count("'sha256-") == 2  # the <script src> needs none
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    for directive in ("connect-src 'self' ws: wss:", "media-src 'self' blob:",
                      "img-src 'self' data: blob:", "frame-ancestors 'none'"):
        assert directive in policy
    login_policy = (await web.get("/login/")).headers["content-security-policy"]
    assert "sha256" not in login_policy  # another page, no inline script


async def test_not_modified_keeps_the_page_policy(web: httpx.AsyncClient) -> None:
    first = await web.get("/")
    again = await web.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    # Browsers take a 304's headers over the cached ones: the hashes must be there too.
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]


async def test_a_rebuilt_page_gets_new_hashes(web: httpx.AsyncClient, export: Path) -> None:
    (export / "login" / "index.html").write_text("<script>rebuilt()</script>")
    os.utime(export / "login" / "index.html", ns=(1, 10**18))  # a new mtime for sure
    response = await web.get("/login/")
    assert response.text == "<script>rebuilt()</script>"
    assert _sha("rebuilt()") in response.headers["content-security-policy"]


async def test_head_requests(web: httpx.AsyncClient) -> None:
    page = await web.head("/")
    assert page.status_code == 200 and page.content == b""
    assert int(page.headers["content-length"]) == len(INDEX)
    chunk = await web.head("/_next/static/chunk-abc.js")
    assert chunk.status_code == 200 and chunk.content == b""


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/login/../../secret.txt", "/_next/../../secret.txt",
    "/..", "/./../secret.txt", "/..\\secret.txt", "/login/..%2f..%2fsecret.txt",
])
async def test_no_path_traversal(site_app: FastAPI, path: str) -> None:
    status, _, body = await _raw_get(site_app, path)
    assert status in (400, 404), (path, status)
    assert b"outside the export" not in body


async def test_encoded_traversal_through_http(web: httpx.AsyncClient) -> None:
    for path in ("/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
                 "/login/%2e%2e/%2e%2e/secret.txt"):
        response = await web.get(path)
        assert "outside the export" not in response.text, path
        assert response.status_code == 404, path


async def test_symlink_out_of_the_export_is_refused(export: Path, site_app: FastAPI,
                                                    web: httpx.AsyncClient) -> None:
    (export / "leak.txt").symlink_to(export.parent / "secret.txt")
    (export / "leakdir").symlink_to(export.parent, target_is_directory=True)
    assert (await web.get("/leak.txt")).status_code == 404
    assert (await web.get("/leakdir/secret.txt")).status_code == 404
    # A symlink that stays inside the export is an ordinary file.
    (export / "alias.js").symlink_to(export / "_next" / "static" / "chunk-abc.js")
    assert (await web.get("/alias.js")).text == "console.log('chunk')"


async def test_production_uses_the_same_cache_rules(export: Path, tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path, str(export), environment=Environment.PRODUCTION,
                               database_url="postgresql://u:p@db.internal/a",
                               redis_url="redis://cache.internal/0",
                               storage_url="s3://files/ariaforge",
                               allowed_hosts=["127.0.0.1"]))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        page = await http.get("/")
        chunk = await http.get("/_next/static/chunk-abc.js")
    assert page.headers["cache-control"] == "no-cache"
    assert "strict-transport-security" in page.headers
    assert chunk.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_disabled_web_app_keeps_the_start_page(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path, ""))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        page = await http.get("/")
        other = await http.get("/login/")
    assert page.status_code == 200 and "AriaForge is running" in page.text
    assert other.status_code == 404 and other.json()["error"]["code"] == "NOT_FOUND"


def test_web_dir_setting(tmp_path: Path, export: Path) -> None:
    assert web_root(_settings(tmp_path, str(export))) == export
    assert web_root(_settings(tmp_path, "  ")) is None
    with pytest.raises(ConfigurationError, match="WEB_DIR"):
        web_root(_settings(tmp_path, str(tmp_path / "not-built")))
