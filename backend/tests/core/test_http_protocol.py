"""Requests the HTTP parser refuses still answer 400 in the one error shape (issue 10: a
NUL byte in If-Match broke the connection instead)."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

import pytest

CRLF = b"\r\n"


async def raw_exchange(base: str, request: bytes) -> bytes:
    parts = urlsplit(base)
    assert parts.hostname and parts.port
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        writer.write(request)
        await writer.drain()
        async with asyncio.timeout(30):
            return await reader.read()  # the server closes after a refused request
    finally:
        writer.close()


def split_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(CRLF + CRLF)
    status_line, *header_lines = head.split(CRLF)
    headers = {}
    for line in header_lines:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize("header", [
    b'If-Match: "1\x00"', b"If-Match: \x001", b"X-Anything: a\x00b", b"Authorization: \x7f",
])
async def test_control_characters_in_headers_answer_400_in_the_error_shape(
        live_api: str, header: bytes) -> None:
    request = CRLF.join([
        b"PUT /api/v1/projects/00000000-0000-0000-0000-000000000000/score HTTP/1.1",
        b"Host: 127.0.0.1", header, b"Content-Type: application/json",
        b"Content-Length: 2", b"", b"{}"])
    status, headers, body = split_response(await raw_exchange(live_api, request))
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    error = json.loads(body)["error"]
    assert error["code"] == "VALIDATION_ERROR" and "control character" in error["message"]


async def test_a_well_formed_request_on_the_same_server_is_answered_normally(
        live_api: str) -> None:
    request = CRLF.join([b"GET /health HTTP/1.1", b"Host: 127.0.0.1",
                         b"Connection: close", b"", b""])
    status, headers, body = split_response(await raw_exchange(live_api, request))
    assert status == 200 and headers["content-type"] == "application/json"
    assert json.loads(body)["status"] == "ok"
