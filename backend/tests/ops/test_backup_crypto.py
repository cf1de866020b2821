"""Encryption of backup parts: every change to a stored part is caught, nothing else is."""

from __future__ import annotations

import io
import os

import pytest

from ariaforge.ops.backup_crypto import (
    CHUNK,
    MAGIC,
    PREFIX_BYTES,
    BackupKey,
    generate_key,
    parse_key,
    seal,
    unseal,
)
from ariaforge.ops.backup_errors import BackupError, redact

CONTEXT = b"ariaforge-backup/1/20261203T000000Z-abcdef/database.dump"


def _sealed(data: bytes, key: BackupKey | None, block: int = 65_536) -> bytes:
    blocks = (data[i:i + block] for i in range(0, len(data), block))
    return b"".join(seal(blocks, key, CONTEXT))


def _opened(stored: bytes, key: BackupKey | None, context: bytes = CONTEXT) -> bytes:
    return b"".join(unseal(io.BytesIO(stored).read, key, context, "part"))


@pytest.fixture(scope="module")
def key() -> BackupKey:
    return parse_key(generate_key())


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5])
def test_round_trip_at_every_chunk_boundary(key: BackupKey, size: int) -> None:
    data = os.urandom(size)
    stored = _sealed(data, key)
    assert size < 64 or data[:64] not in stored
    assert _opened(stored, key) == data


def test_without_a_key_the_part_is_stored_as_is() -> None:
    data = os.urandom(CHUNK + 3)
    assert _sealed(data, None) == data
    assert _opened(data, None) == data


def test_the_same_data_encrypts_differently_each_time(key: BackupKey) -> None:
    assert _sealed(b"same", key) != _sealed(b"same", key)


def _chunks(stored: bytes) -> tuple[bytes, list[bytes]]:
    """The header and the framed chunks of a sealed part."""
    header, rest = stored[:len(MAGIC) + PREFIX_BYTES], stored[len(MAGIC) + PREFIX_BYTES:]
    frames = []
    while rest:
        length = int.from_bytes(rest[:4], "big")
        frames.append(rest[:4 + length])
        rest = rest[4 + length:]
    return header, frames


def test_any_change_to_a_part_is_refused(key: BackupKey) -> None:
    stored = _sealed(os.urandom(2 * CHUNK + 100), key)
    header, frames = _chunks(stored)
    assert len(frames) == 3
    flipped = bytearray(stored)
    flipped[len(stored) // 2] ^= 0x80
    changed = {
        "a flipped bit": bytes(flipped),
        "the last chunk dropped": header + frames[0] + frames[1],
        "chunks swapped": header + frames[1] + frames[0] + frames[2],
        "a chunk repeated": header + frames[0] + frames[0] + frames[1] + frames[2],
        "bytes appended": stored + b"\x00",
        "cut mid-chunk": stored[:-10],
        "another header": MAGIC + os.urandom(PREFIX_BYTES) + b"".join(frames),
    }
    for what, data in changed.items():
        with pytest.raises(BackupError):
            _opened(data, key)
        assert what


def test_a_part_opens_only_as_itself_and_with_its_key(key: BackupKey) -> None:
    stored = _sealed(b"the dump", key)
    with pytest.raises(BackupError, match="fails authentication"):
        _opened(stored, key, CONTEXT.replace(b"database.dump", b"objects.bin"))
    with pytest.raises(BackupError, match="fails authentication"):
        _opened(stored, parse_key(generate_key()))
    with pytest.raises(BackupError, match="not an encrypted"):
        _opened(b"plain text, not sealed", key)


def test_keys_are_checked_and_never_echoed() -> None:
    key = generate_key()
    assert len(key) == 44 and parse_key(key).raw == parse_key(f" {key}\n").raw
    assert parse_key(key).id == parse_key(key).id != parse_key(generate_key()).id
    assert parse_key(key).id not in key
    for bad in ("", "short", key[:-4], "!" * 44, key + key):
        with pytest.raises(BackupError) as caught:
            parse_key(bad)
        assert "--generate-key" in str(caught.value)
        assert not bad or bad not in str(caught.value)


def test_urls_are_shown_without_their_password() -> None:
    text = ("cannot reach postgresql://app:s3cr%40t@db:5432/aria and "
            "redis://:hunter2@cache:6379/0; s3://bucket/prefix stays")
    shown = redact(text)
    assert "s3cr" not in shown and "hunter2" not in shown
    assert "postgresql://app:***@db:5432/aria" in shown
    assert "redis://:***@cache:6379/0" in shown
    assert "s3://bucket/prefix stays" in shown
