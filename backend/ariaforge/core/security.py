"""Security headers, trusted hosts and CORS, following current OWASP guidance.

Differences from the deployment seed (docs/adr/0003-security-headers.md): no
`X-XSS-Protection` (OWASP: deprecated, can create XSS in old browsers), a
Content-Security-Policy with `frame-ancestors 'none'`, cross-origin isolation
headers, HSTS only in production, and `Cache-Control: no-store` on API answers.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from ariaforge.config import Environment, Settings

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    # WebAssembly only (no JS eval): the in-browser synthesizer's AudioWorklet (ADR 0025).
    "script-src 'self' 'wasm-unsafe-eval'",
    # Swagger UI and Next.js put inline styles on elements.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self' ws: wss:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

BASE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
]
HSTS_HEADER = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
NO_STORE_HEADER = (b"cache-control", b"no-store")

# Probes and scrapers address pods by IP; these paths reveal nothing host-specific.
HOST_CHECK_EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics"})


def security_headers(settings: Settings, path: str) -> list[tuple[bytes, bytes]]:
    headers = list(BASE_HEADERS)
    if settings.environment is Environment.PRODUCTION:
        headers.append(HSTS_HEADER)
    if path.startswith("/api/"):
        headers.append(NO_STORE_HEADER)
    return headers


def _hostname(host_header: str) -> str:
    """The host name of a Host header (or an origin's netloc), without the port."""
    host = host_header.strip().lower()
    if host.startswith("["):  # IPv6 literal with optional port
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_is_allowed(settings: Settings, host_header: str, path: str) -> bool:
    if path in HOST_CHECK_EXEMPT_PATHS or "*" in settings.allowed_hosts:
        return True
    host = _hostname(host_header)
    for allowed in settings.allowed_hosts:
        allowed = allowed.lower()
        if allowed.startswith("*.") and host.endswith(allowed[1:]):
            return True
        if host == allowed:
            return True
    return False


def origin_is_allowed(settings: Settings, origin: str | None, host_header: str) -> bool:
    """Whether a WebSocket handshake's Origin may open a socket (cross-site WebSocket
    hijacking: browsers send any site's handshake with the user's cookies and let the
    page read the answers, and CORS does not apply to WebSockets).

    Allowed: no Origin (not a browser: it has no ambient credentials to abuse), an
    origin listed in CORS_ORIGINS, or one on the same host name as the request's Host
    (ports are not compared: a reverse proxy's `$host` drops them, and the API and the
    web app's dev server share a host on different ports). `null` (sandboxed frames,
    file: pages) is refused.
    """
    if origin is None:
        return True
    origin = origin.strip().lower().rstrip("/")
    if origin in {o.lower().rstrip("/") for o in settings.cors_origins} or (
            "*" in settings.cors_origins):
        return True
    scheme, separator, netloc = origin.partition("://")
    if not separator or scheme not in {"http", "https"} or not netloc or "/" in netloc:
        return False
    return _hostname(netloc) == _hostname(host_header) != ""


def configure_cors(app: FastAPI, settings: Settings) -> None:
    if not settings.cors_origins:
        return  # same-origin by default: the API serves the web UI itself
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "X-Request-ID",
                       "X-Share-Token"],
        expose_headers=["ETag", "X-Request-ID", "Retry-After", "X-Page-Count",
                        "X-Page-First-Bar", "X-Page-Last-Bar", "Content-Disposition",
                        "X-RateLimit-Limit", "X-RateLimit-Remaining"],
        max_age=600,
    )
