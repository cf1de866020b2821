"""`ariaforge backup`: one set = the database dump, every stored object, the manifest of
those objects (key, size, SHA-256), each encrypted, and the index, written last.

The dump comes first and the objects after it, so every object a dumped row names is in
the set (an object deleted in between, an expired export, is left out of the manifest
with its row still pointing at it, as the live system would have it a moment later).
The manifest is built from the bytes actually copied, so it always matches the set.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from ariaforge import __version__
from ariaforge.ops import backup_database as db
from ariaforge.ops import backup_sets as sets
from ariaforge.ops.backup_blobs import BlobMissingError, BlobStore
from ariaforge.ops.backup_config import BackupConfig
from ariaforge.ops.backup_crypto import ALGORITHM, CHUNK, BackupKey, seal
from ariaforge.ops.backup_errors import BackupError

Say = Callable[[str], None]


class _StreamReader:
    """A read()-able view of an iterator of bytes, hashing what is read (what is stored)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1, /) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        size = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        self.sha256.update(out)
        self.size += len(out)
        return out


def _file_blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while data := handle.read(CHUNK):
            yield data


def _upload(destination: BlobStore, set_id: str, part: str, blocks: Iterable[bytes],
            key: BackupKey | None) -> dict[str, Any]:
    name = sets.part_file(part, key is not None)
    reader = _StreamReader(seal(blocks, key, sets.part_context(set_id, part)))
    destination.put(f"{set_id}/{name}", reader)
    if reader.read(1):  # the store stopped reading before the end: the part is short
        raise BackupError(f"{set_id}/{name}: the destination stored only part of it")
    return {"file": name, "bytes": reader.size, "sha256": reader.sha256.hexdigest()}


def stream_objects(storage: BlobStore, manifest: list[dict[str, Any]]) -> Iterator[bytes]:
    """Every stored object's bytes, one after the other; each is added to `manifest` once
    it has been read whole."""
    for key in storage.list_keys():
        try:
            handle = storage.open(key)
        except BlobMissingError:  # deleted since it was listed (export expiry)
            continue
        digest, size = hashlib.sha256(), 0
        try:
            while data := handle.read(CHUNK):
                digest.update(data)
                size += len(data)
                yield data
        finally:
            close = getattr(handle, "close", None)
            if close is not None:
                close()
        manifest.append({"key": key, "size": size, "sha256": digest.hexdigest()})


def write_backup(config: BackupConfig, say: Say) -> str:
    connection = db.Connection.from_url(config.database_url)
    client_major, client_version = db.tool_version(config.tools / "pg_dump")
    server_major, server_version = db.server_version(connection)
    db.check_client_for_server(client_major, server_major, "pg_dump")
    revision = db.schema_revision(connection)
    set_id = sets.new_set_id()
    started = datetime.now(UTC)
    say(f"backup {set_id} to {config.destination.display}")
    say(f"  database {connection.url}: PostgreSQL {server_version}, pg_dump {client_version}, "
        f"schema {revision or '(none)'}")
    parts: dict[str, dict[str, Any]] = {}
    with TemporaryDirectory(prefix="ariaforge-backup-") as folder:
        archive = Path(folder) / "database.dump"
        db.dump(connection, config.tools, archive)
        dumped = archive.stat().st_size
        parts[sets.DATABASE] = _upload(config.destination, set_id, sets.DATABASE,
                                       _file_blocks(archive), config.key)
    _report(say, parts[sets.DATABASE], f"pg_dump custom format, {dumped} bytes")
    manifest: list[dict[str, Any]] = []
    parts[sets.OBJECTS] = _upload(config.destination, set_id, sets.OBJECTS,
                                  stream_objects(config.storage, manifest), config.key)
    total = sum(item["size"] for item in manifest)
    _report(say, parts[sets.OBJECTS], f"{len(manifest)} objects, {total} bytes "
            f"from {config.storage.display}")
    listing = json.dumps({"objects": manifest}, sort_keys=True).encode()
    parts[sets.MANIFEST] = _upload(config.destination, set_id, sets.MANIFEST, [listing],
                                   config.key)
    _report(say, parts[sets.MANIFEST], "the manifest: key, size, sha256 of each")
    sets.write_index(config.destination, set_id, {
        "format": sets.FORMAT, "id": set_id, "created_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(), "ariaforge_version": __version__,
        "schema_revision": revision,
        "source": {"database": connection.url, "storage": config.storage.display},
        "postgresql": {"server": server_version, "server_major": server_major,
                       "pg_dump": client_version, "pg_dump_major": client_major},
        "encryption": ({"algorithm": ALGORITHM, "key_id": config.key.id}
                       if config.key else None),
        "objects": {"count": len(manifest), "bytes": total},
        "parts": parts})
    say(f"  {sets.INDEX} written: set {set_id} is complete"
        + ("" if config.key else " (NOT encrypted: no BACKUP_ENCRYPTION_KEY)"))
    _expire(config, set_id, say)
    return set_id


def _report(say: Say, part: dict[str, Any], what: str) -> None:
    say(f"  {part['file']}: {part['bytes']} bytes, sha256 {part['sha256'][:16]}… ({what})")


def _expire(config: BackupConfig, current: str, say: Say) -> None:
    doomed = sets.expired(sets.list_sets(config.destination), config.keep, current)
    for set_id in doomed:
        sets.delete_set(config.destination, set_id)
    if doomed:
        say(f"  retention (BACKUP_KEEP={config.keep}): deleted {', '.join(doomed)}")
