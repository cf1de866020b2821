"""The y-websocket wire format (y-protocols sync, awareness and auth), read strictly.

pycrdt's `Decoder` trusts its input (a truncated message reads past its end or returns a
short slice, and its var strings count characters rather than UTF-8 bytes), so incoming
frames are read here with every length checked; a frame that does not parse is
`Malformed` and closes the socket with 4400.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from pycrdt import write_var_uint

MESSAGE_SYNC: Final = 0
MESSAGE_AWARENESS: Final = 1
MESSAGE_AUTH: Final = 2
MESSAGE_QUERY_AWARENESS: Final = 3

SYNC_STEP1: Final = 0
SYNC_STEP2: Final = 1
SYNC_UPDATE: Final = 2

PERMISSION_DENIED: Final = 0  # y-protocols/auth: the only auth message there is
EMPTY_UPDATES: Final = frozenset({b"", b"\x00\x00"})
_MAX_VAR_UINT: Final = 2**53 - 1  # lib0 numbers are JS doubles


class Malformed(ValueError):
    """An incoming frame that is not a y-websocket message."""


@dataclass(frozen=True, slots=True)
class Incoming:
    kind: int  # MESSAGE_*
    sync_type: int | None  # SYNC_* for MESSAGE_SYNC
    payload: bytes  # state vector, update or awareness update; b"" for a query


class Reader:
    """lib0 decoding with bounds checks."""

    __slots__ = ("data", "position")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def var_uint(self) -> int:
        value, shift = 0, 0
        while True:
            if self.position >= len(self.data):
                raise Malformed("truncated number")
            byte = self.data[self.position]
            self.position += 1
            value |= (byte & 0x7F) << shift
            if value > _MAX_VAR_UINT:
                raise Malformed("number out of range")
            if byte < 0x80:
                return value
            shift += 7

    def var_bytes(self) -> bytes:
        length = self.var_uint()
        end = self.position + length
        if end > len(self.data):
            raise Malformed("truncated payload")
        chunk = self.data[self.position:end]
        self.position = end
        return chunk

    def var_string(self) -> str:
        try:
            return self.var_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("a string is not UTF-8") from None


def parse(frame: bytes) -> Incoming:
    reader = Reader(frame)
    kind = reader.var_uint()
    if kind == MESSAGE_SYNC:
        sync_type = reader.var_uint()
        if sync_type not in (SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE):
            raise Malformed(f"unknown sync message {sync_type}")
        return Incoming(kind, sync_type, reader.var_bytes())
    if kind == MESSAGE_AWARENESS:
        return Incoming(kind, None, reader.var_bytes())
    if kind in (MESSAGE_QUERY_AWARENESS, MESSAGE_AUTH):  # a client's auth message is ignored
        return Incoming(kind, None, b"")
    raise Malformed(f"unknown message type {kind}")


def _var_bytes(data: bytes) -> bytes:
    return write_var_uint(len(data)) + data


def sync_step1(state_vector: bytes) -> bytes:
    return bytes((MESSAGE_SYNC, SYNC_STEP1)) + _var_bytes(state_vector)


def sync_step2(update: bytes) -> bytes:
    return bytes((MESSAGE_SYNC, SYNC_STEP2)) + _var_bytes(update)


def update_message(update: bytes) -> bytes:
    return bytes((MESSAGE_SYNC, SYNC_UPDATE)) + _var_bytes(update)


def awareness_message(awareness_update: bytes) -> bytes:
    return bytes((MESSAGE_AWARENESS,)) + _var_bytes(awareness_update)


def query_awareness_message() -> bytes:
    return bytes((MESSAGE_QUERY_AWARENESS,))


def permission_denied(code: str, message: str, details: list[Any] | None = None) -> bytes:
    """An auth "permission denied" whose reason is the API's error object as JSON; the
    y-websocket client hands the reason to its `permissionDeniedHandler`."""
    reason = json.dumps({"code": code, "message": message, "details": details or []},
                        default=str, separators=(",", ":")).encode()
    return bytes((MESSAGE_AUTH, PERMISSION_DENIED)) + _var_bytes(reason)


@dataclass(frozen=True, slots=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: str  # the JSON text as sent; "null" removes the client


def read_awareness(update: bytes) -> list[AwarenessEntry]:
    reader = Reader(update)
    count = reader.var_uint()
    entries = []
    for _ in range(count):
        client_id = reader.var_uint()
        clock = reader.var_uint()
        entries.append(AwarenessEntry(client_id, clock, reader.var_string()))
    return entries


def write_awareness(entries: list[AwarenessEntry]) -> bytes:
    parts = [write_var_uint(len(entries))]
    for entry in entries:
        parts.append(write_var_uint(entry.client_id))
        parts.append(write_var_uint(entry.clock))
        parts.append(_var_bytes(entry.state.encode()))
    return b"".join(parts)
