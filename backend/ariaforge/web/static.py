"""Serve the web app's static export (`frontend/out/`) from the API's own origin.

Installed as the router's *default* handler, so it only ever sees requests that no API
route, /docs, /health, /ready or /metrics matched: those can never be shadowed, and a
method the API knows keeps answering 405 rather than an HTML page. Paths under the
API's own prefixes still answer the JSON 404 even when nothing matched.

Next.js writes `trailingSlash` exports: `/login/` is `out/login/index.html`. Pages carry
inline bootstrap scripts; rather than `'unsafe-inline'`, each HTML answer gets a
Content-Security-Policy listing the sha256 of its own inline scripts (as /docs does).
Hashes are computed when a page is first served and again whenever the file changes,
so rebuilding the frontend under a running server needs no restart.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ariaforge.core.security import CONTENT_SECURITY_POLICY

# First path segments never answered with the web app, even when no route matched
# (they get the JSON 404 instead): a typo in an API URL must not look like a page.
RESERVED_SEGMENTS = frozenset({
    "api", "docs", "docs-assets", "health", "ready", "metrics", "openapi.json"})

IMMUTABLE = "public, max-age=31536000, immutable"  # content-hashed names under _next/static
NO_CACHE = "no-cache"  # revalidate every time: a deploy must show up at once
SHORT_CACHE = "public, max-age=300"  # favicon, fonts and images without hashed names

# Explicit, because `mimetypes` reads /etc/mime.types and differs between machines.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"

# Inline scripts only: a <script src=...> is covered by 'self'. The hash covers the exact
# text between the tags, which is what browsers hash.
_INLINE_SCRIPT = re.compile(
    rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
# Path segments that could escape the folder or mean something else on some platform.
_BAD_SEGMENT = re.compile(r"^\.{1,2}$|[\\\x00]")


def policy_for_html(html: bytes) -> str:
    """The site-wide policy with this page's inline scripts allowed by hash."""
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html) if body.strip()})
    if not hashes:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", "script-src 'self' " + " ".join(hashes), 1)


def cache_control(relative: str) -> str:
    if relative.startswith("_next/static/"):
        return IMMUTABLE
    # HTML and the RSC payloads (`index.txt`) Next fetches on client-side navigation are
    # per build and must match the build's chunks, so both are revalidated every time.
    if relative.endswith((".html", ".txt")):
        return NO_CACHE
    return SHORT_CACHE


def content_type(relative: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(relative).suffix.lower(), DEFAULT_CONTENT_TYPE)


def _etag(info: os.stat_result) -> str:
    return f'"{info.st_mtime_ns:x}-{info.st_size:x}"'


def _not_modified(scope: Scope, etag: str) -> bool:
    sent = Headers(scope=scope).get("if-none-match", "")
    return etag in {tag.strip() for tag in sent.split(",")} or sent.strip() == "*"


@dataclass(frozen=True)
class _Page:
    stamp: tuple[int, int]
    body: bytes
    policy: str


class StaticSite:
    """Looks paths up in one export folder; `None` means 'not mine, answer 404'."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve(strict=True)
        self._pages: dict[Path, _Page] = {}
        # Hash every page's inline scripts now, so no visitor waits for it; a page that
        # changes later is re-hashed when next served.
        for page in self.root.rglob("*.html"):
            found = self._file(page.relative_to(self.root).as_posix())
            if found is not None:
                self._page(*found)

    def _inside(self, relative: str) -> Path | None:
        """The file or folder for a URL path, or None if it is absent or escapes the root.

        Segments are checked before touching the disk (`..`, backslashes, NUL); the
        resolved path is checked after, which catches symlinks pointing outside.
        """
        parts = [part for part in relative.split("/") if part]
        if any(_BAD_SEGMENT.search(part) for part in parts):
            return None
        try:
            resolved = self.root.joinpath(*parts).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):  # missing, symlink loop, bad name
            return None
        if resolved != self.root and not resolved.is_relative_to(self.root):
            return None
        return resolved

    def _file(self, relative: str) -> tuple[Path, os.stat_result] | None:
        found = self._inside(relative)
        if found is None:
            return None
        try:
            info = found.stat()
        except OSError:
            return None
        return (found, info) if stat.S_ISREG(info.st_mode) else None

    def _page(self, path: Path, info: os.stat_result) -> _Page:
        stamp = (info.st_mtime_ns, info.st_size)
        page = self._pages.get(path)
        if page is None or page.stamp != stamp:
            body = path.read_bytes()
            page = _Page(stamp, body, policy_for_html(body))
            self._pages[path] = page
        return page

    def _serve(self, scope: Scope, path: Path, info: os.stat_result, relative: str,
               status: int = 200) -> Response:
        etag = _etag(info)
        headers = {"cache-control": cache_control(relative), "etag": etag}
        page = self._page(path, info) if relative.endswith(".html") else None
        if page is not None:
            # On a 304 too: browsers replace the cached page's headers with the 304's,
            # and the site-wide policy would then block the page's inline scripts.
            headers["content-security-policy"] = page.policy
        if status == 200 and _not_modified(scope, etag):
            return Response(status_code=304, headers=headers)
        if page is not None:
            body = b"" if scope["method"] == "HEAD" else page.body
            response = Response(body, status_code=status, headers=headers,
                                media_type=content_type(relative))
            if scope["method"] == "HEAD":
                response.headers["content-length"] = str(len(page.body))
            return response
        return FileResponse(path, status_code=status, headers=headers,
                            media_type=content_type(relative), stat_result=info)

    def respond(self, scope: Scope) -> Response | None:
        relative = str(scope["path"]).lstrip("/")
        if not relative or relative.endswith("/"):
            index = f"{relative}index.html"
            found = self._file(index)
            if found is not None:
                return self._serve(scope, *found, index)
        else:
            found = self._file(relative)
            if found is not None:
                return self._serve(scope, *found, relative)
            # A page folder asked for without its slash: send the browser to the one URL
            # (relative links in the page resolve against it), keeping the query string.
            if self._file(f"{relative}/index.html") is not None:
                # Built from the checked relative path: "//host" must never become a
                # protocol-relative redirect to another site.
                query = scope.get("query_string", b"").decode("latin-1")
                target = "/" + quote(relative.strip("/")) + "/" + (f"?{query}" if query else "")
                return RedirectResponse(target, status_code=308)
        return self._not_found_page(scope, relative)

    def _not_found_page(self, scope: Scope, relative: str) -> Response | None:
        # Only client routes get Next's HTML 404 page; a missing asset (`x.js`) gets the
        # JSON 404, so a broken script reference never parses an HTML page as code.
        last = relative.rstrip("/").rsplit("/", 1)[-1]
        if "." in last:
            return None
        found = self._file("404.html")
        if found is None:
            return None
        return self._serve(scope, *found, "404.html", status=404)


def is_reserved(path: str) -> bool:
    return path.lstrip("/").split("/", 1)[0] in RESERVED_SEGMENTS


def serve_static_site(site: StaticSite, fallback: ASGIApp) -> ASGIApp:
    """An ASGI default handler: the web app for GET/HEAD outside the API, else `fallback`."""

    async def default(scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["method"] in {"GET", "HEAD"}
                and not is_reserved(scope["path"])):
            response = site.respond(scope)
            if response is not None:
                await response(scope, receive, send)
                return
        await fallback(scope, receive, send)

    return default
