"""Encryption of backup parts: AES-256-GCM over 1 MiB chunks, streamed.

A whole-message cipher (Fernet) would hold a database dump in memory; chunks keep memory
flat whatever the size. Each chunk's nonce is a random per-part prefix plus the chunk's
number, and its associated data names the backup set, the part, the chunk's number and
whether it is the last: chunks cannot be reordered, dropped, cut off at the end or moved
between parts or sets without the authentication failing.

The key is 32 random bytes written as URL-safe base64 (`ariaforge backup --generate-key`).
Its id (a hash of the key, not the key) is stored in each set's index, so a restore with
the wrong key says so before reading anything.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ariaforge.ops.backup_errors import BackupError

MAGIC = b"AFBK\x01"
PREFIX_BYTES = 8
CHUNK = 1 << 20
TAG = 16
ALGORITHM = "AES-256-GCM, 1 MiB chunks"


@dataclass(frozen=True)
class BackupKey:
    raw: bytes

    @property
    def id(self) -> str:
        return hashlib.sha256(b"ariaforge-backup-key-id:" + self.raw).hexdigest()[:16]


def generate_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def parse_key(text: str, name: str = "BACKUP_ENCRYPTION_KEY") -> BackupKey:
    try:
        raw = base64.b64decode(text.strip().encode(), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:  # the message never repeats the value: it is a secret
        raise BackupError(f"{name} must be 32 bytes in URL-safe base64 (44 characters), as "
                          "`ariaforge backup --generate-key` prints")
    return BackupKey(raw)


def _pieces(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Full CHUNK-sized pieces, then the rest (possibly empty) as the last one: a piece
    shorter than CHUNK is always the last, so the reader knows where the end is."""
    buffer = bytearray()
    for block in blocks:
        buffer += block
        while len(buffer) >= CHUNK:
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    yield bytes(buffer)


def _associated(prefix: bytes, context: bytes, number: int, last: bool) -> bytes:
    return MAGIC + prefix + number.to_bytes(8, "big") + (b"\x01" if last else b"\x00") + context


def _nonce(prefix: bytes, number: int) -> bytes:
    if number >= 1 << 32:
        raise BackupError("a backup part may hold at most 4 PiB")
    return prefix + number.to_bytes(4, "big")


def seal(blocks: Iterable[bytes], key: BackupKey | None, context: bytes) -> Iterator[bytes]:
    """The encrypted stream of `blocks`; the plain blocks when there is no key."""
    if key is None:
        yield from blocks
        return
    cipher = AESGCM(key.raw)
    prefix = os.urandom(PREFIX_BYTES)
    yield MAGIC + prefix
    for number, piece in enumerate(_pieces(blocks)):
        last = len(piece) < CHUNK
        sealed = cipher.encrypt(_nonce(prefix, number), piece,
                                _associated(prefix, context, number, last))
        yield len(sealed).to_bytes(4, "big") + sealed


def read_exactly(read: Callable[[int], bytes], size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the stream (network reads may return
    less than asked)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        data = read(wanted)
        if not data:
            break
        parts.append(data)
        wanted -= len(data)
    return b"".join(parts)


def unseal(read: Callable[[int], bytes], key: BackupKey | None, context: bytes,
           what: str) -> Iterator[bytes]:
    """The plain bytes of a stream written by `seal`; raises BackupError on any change."""
    if key is None:
        while data := read(CHUNK):
            yield data
        return
    header = read_exactly(read, len(MAGIC) + PREFIX_BYTES)
    if header[:len(MAGIC)] != MAGIC or len(header) != len(MAGIC) + PREFIX_BYTES:
        raise BackupError(f"{what}: not an encrypted AriaForge backup part")
    prefix = header[len(MAGIC):]
    cipher = AESGCM(key.raw)
    number = 0
    while True:
        length_bytes = read_exactly(read, 4)
        if len(length_bytes) != 4:
            raise BackupError(f"{what}: cut off after {number} chunks")
        length = int.from_bytes(length_bytes, "big")
        if not TAG <= length <= CHUNK + TAG:
            raise BackupError(f"{what}: damaged (chunk {number} has an impossible length)")
        sealed = read_exactly(read, length)
        if len(sealed) != length:
            raise BackupError(f"{what}: cut off in chunk {number}")
        last = length < CHUNK + TAG
        try:
            yield cipher.decrypt(_nonce(prefix, number), sealed,
                                 _associated(prefix, context, number, last))
        except InvalidTag:
            raise BackupError(f"{what}: chunk {number} fails authentication: the part was "
                              "altered, or belongs to another set or key") from None
        if last:
            break
        number += 1
    if read(1):
        raise BackupError(f"{what}: unexpected data after the last chunk")
