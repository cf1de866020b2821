"""The metrics port: `/metrics` (and a worker's `/healthz`) on a port of their own.

`ariaforge api --metrics-port` and `ariaforge worker --metrics-port` serve it from a
daemon thread, so it is reachable in the cluster (Prometheus, kubelet) without going
through the ingress. The API's thread runs in the process that supervises the uvicorn
workers and reads their multiprocess metric files; a worker serves its own registry.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ariaforge.core.errors import ErrorCode, error_body
from ariaforge.core.metrics import render_latest

# Returns None while healthy, else why not (answered 503).
HealthCheck = Callable[[], str | None]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _ThreadingServer6(_ThreadingServer):
    address_family = socket.AF_INET6


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes and probes every few seconds would drown the logs."""


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(data)))])
    return [data]


def metrics_app(health: HealthCheck | None = None) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}:
            return _json(start_response, "405 Method Not Allowed", error_body(
                ErrorCode.VALIDATION_ERROR, "only GET is served here"))
        if path == "/metrics":
            body, content_type = render_latest()
            start_response("200 OK", [("Content-Type", content_type),
                                      ("Content-Length", str(len(body)))])
            return [body]
        if path == "/healthz" and health is not None:
            problem = health()
            if problem is None:
                return _json(start_response, "200 OK", {"status": "ok"})
            return _json(start_response, "503 Service Unavailable", error_body(
                ErrorCode.SERVICE_UNAVAILABLE, problem))
        return _json(start_response, "404 Not Found",
                     error_body(ErrorCode.NOT_FOUND, "no such resource"))
    return app


def start_metrics_server(port: int, host: str = "0.0.0.0",  # noqa: S104 - scraped in-cluster
                         health: HealthCheck | None = None) -> WSGIServer:
    """Serve on `host:port` from a daemon thread; raises OSError if the port is taken."""
    server_class = _ThreadingServer6 if ":" in host else _ThreadingServer
    server = make_server(host, port, metrics_app(health), server_class=server_class,
                         handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics-server", daemon=True).start()
    return server
