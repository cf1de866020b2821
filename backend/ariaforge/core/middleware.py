"""One pure-ASGI middleware for what every HTTP request needs.

Request id (accepted from a sane X-Request-ID or generated, echoed back), trusted-host
check (WebSocket handshakes too, with their Origin), request body limit, security
headers, metrics labelled by route template, and a JSON access log line. Pure ASGI
rather than BaseHTTPMiddleware: no extra task per request and streaming bodies pass
through untouched.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ariaforge.config import Settings
from ariaforge.core.errors import ErrorCode, PayloadTooLargeError, error_body
from ariaforge.core.logging import request_id_var
from ariaforge.core.metrics import UNMATCHED_ENDPOINT, track_request
from ariaforge.core.security import host_is_allowed, origin_is_allowed, security_headers

access_logger = logging.getLogger("ariaforge.access")
logger = logging.getLogger(__name__)
_CONTENT_LENGTH = re.compile(r"[0-9]+")  # ASCII digits only: "²".isdigit() is True
_LARGE_BODY_PATH = re.compile(r"^/api/v1/projects/[^/]+/(import|score|notes/batch)$"
                              r"|^/api/v1/library/upload$|^/api/v1/similarity/check-file$")
_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ENDPOINT


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID_PATTERN.match(incoming) else (
            uuid.uuid4().hex)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        path: str = scope["path"]
        status_holder = {"status": 500}
        extra_headers = [*security_headers(self.settings, path),
                         (b"x-request-id", request_id.encode())]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                # A response that set its own policy (e.g. /docs) keeps it.
                headers.extend(h for h in extra_headers if h[0] not in present)
                message["headers"] = headers
            await send(message)

        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = True
            await send_with_headers(message)

        try:
            refusal = self._refusal(scope, path)
            if refusal is not None:
                await self._send_error(tracking_send, *refusal)
            else:
                await self.app(scope, self._limited_receive(receive, path), tracking_send)
        except Exception:
            # Handled here, inside the request id's context, so the log line and the
            # answer carry it; the client never sees a stack trace.
            logger.exception("unhandled error on %s %s", scope["method"], path)
            if response_started:
                raise
            status_holder["status"] = 500
            await self._send_error(send_with_headers, 500, ErrorCode.INTERNAL_ERROR,
                                   "internal error", {"request_id": request_id})
        finally:
            duration = time.perf_counter() - started
            endpoint = _route_template(scope)
            track_request(scope["method"], endpoint, status_holder["status"], duration)
            access_logger.info(
                "%s %s %s", scope["method"], path, status_holder["status"],
                extra={"method": scope["method"], "path": path, "endpoint": endpoint,
                       "status": status_holder["status"],
                       "duration_ms": round(duration * 1000, 2)},
            )
            request_id_var.reset(token)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The same trusted-host check as HTTP, plus the Origin check browsers need
        (see `origin_is_allowed`); a refused handshake is answered 403 before accept."""
        host = _header(scope, b"host") or ""
        if not host_is_allowed(self.settings, host, scope["path"]):
            await self._refuse_websocket(scope, receive, send, "host not allowed")
        elif not origin_is_allowed(self.settings, _header(scope, b"origin"), host):
            await self._refuse_websocket(scope, receive, send, "origin not allowed")
        else:
            await self.app(scope, receive, send)

    @staticmethod
    async def _refuse_websocket(scope: Scope, receive: Receive, send: Send,
                                message: str) -> None:
        logger.info("refused a WebSocket handshake on %s: %s", scope["path"], message)
        await receive()  # websocket.connect
        if "websocket.http.response" in scope.get("extensions", {}):
            # The server lets us answer the handshake with a body: the one error shape.
            body = json.dumps(error_body(ErrorCode.AUTHORIZATION_ERROR, message)).encode()
            await send({"type": "websocket.http.response.start", "status": 403,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "websocket.http.response.body", "body": body})
        else:  # a close before accept: the server answers the handshake with 403
            await send({"type": "websocket.close", "code": 1008})

    def _refusal(self, scope: Scope, path: str) -> tuple[int, str, str] | None:
        if not host_is_allowed(self.settings, _header(scope, b"host") or "", path):
            return 400, ErrorCode.VALIDATION_ERROR, "host not allowed"
        length = _header(scope, b"content-length")
        if length is not None:
            if not _CONTENT_LENGTH.fullmatch(length):
                return 400, ErrorCode.VALIDATION_ERROR, "invalid Content-Length"
            limit = self._body_limit(path)
            if int(length) > limit:
                return (413, ErrorCode.PAYLOAD_TOO_LARGE, f"request body over {limit} bytes")
        return None

    def _body_limit(self, path: str) -> int:
        if _LARGE_BODY_PATH.match(path):
            return self.settings.max_upload_bytes
        return self.settings.max_request_bytes

    def _limited_receive(self, receive: Receive, path: str) -> Receive:
        limit = self._body_limit(path)
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLargeError(limit)
            return message

        return limited

    @staticmethod
    async def _send_error(send: Send, status: int, code: str, message: str,
                          details: object = None) -> None:
        body = json.dumps(error_body(code, message, details)).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
