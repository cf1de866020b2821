"""uvicorn's HTTP/1.1 protocol, answering unparseable requests in the API's error shape.

A request the HTTP parser itself refuses (a NUL byte or another control character in a
header, a malformed request line) never reaches the ASGI app, so our error handlers
cannot answer it. uvicorn then writes a plain-text 400 and closes the connection; clients
that expect `{"error": {...}}` on every error see a foreign body instead. This protocol
keeps uvicorn's behaviour (400, close: after a parse error the stream cannot be trusted)
and only changes the body to the one error shape.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_BODY = json.dumps({"error": {
    "code": "VALIDATION_ERROR",
    "message": "the request is not valid HTTP (a header or the request line is malformed, "
               "e.g. it contains a control character)",
    "details": None,
}}).encode("ascii")


def bad_request_bytes(default_headers: list[tuple[bytes, bytes]]) -> bytes:
    """A complete `400 Bad Request` in the error shape, closing the connection."""
    lines = [b"HTTP/1.1 400 Bad Request\r\n"]
    lines += [name + b": " + value + b"\r\n" for name, value in default_headers]
    lines += [b"content-type: application/json\r\n",
              b"content-length: " + str(len(_BODY)).encode("ascii") + b"\r\n",
              b"connection: close\r\n", b"\r\n", _BODY]
    return b"".join(lines)


class ErrorShapeHttpToolsProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        self.transport.write(bad_request_bytes(self.server_state.default_headers))
        self.transport.close()
