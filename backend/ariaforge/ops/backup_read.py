"""Reading a backup set back: the key it needs, and each part decrypted while its stored
bytes are checked against the index (size and SHA-256)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ariaforge.ops import backup_sets as sets
from ariaforge.ops.backup_blobs import BlobStore
from ariaforge.ops.backup_config import BackupConfig
from ariaforge.ops.backup_crypto import BackupKey, unseal
from ariaforge.ops.backup_errors import BackupError


@dataclass(frozen=True)
class OpenSet:
    destination: BlobStore
    set_id: str
    index: dict[str, Any]
    key: BackupKey | None

    def part(self, part: str) -> Iterator[bytes]:
        """The plain bytes of `part`. The stored bytes' checksum is compared at the end,
        so a caller must read the iterator to its end (every caller here does)."""
        entry = self.index["parts"].get(part)
        if not isinstance(entry, dict) or not {"file", "bytes", "sha256"} <= entry.keys():
            raise BackupError(f"the index of {self.set_id} lists no part {part}")
        handle = self.destination.open(f"{self.set_id}/{entry['file']}")
        digest, count = hashlib.sha256(), 0

        def read(size: int) -> bytes:
            nonlocal count
            data = handle.read(size)
            digest.update(data)
            count += len(data)
            return data

        try:
            yield from unseal(read, self.key, sets.part_context(self.set_id, part),
                              f"{self.set_id}/{entry['file']}")
        finally:
            close = getattr(handle, "close", None)
            if close is not None:
                close()
        if count != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"{self.set_id}/{entry['file']}: checksum differs from the "
                              "index (the stored part was changed or damaged)")

    def manifest(self) -> list[dict[str, Any]]:
        try:
            objects = json.loads(b"".join(self.part(sets.MANIFEST)))["objects"]
        except (ValueError, KeyError, TypeError):
            raise BackupError(f"{self.set_id}: the object manifest is unreadable") from None
        expected = self.index.get("objects", {}).get("count")
        if not isinstance(objects, list) or len(objects) != expected:
            raise BackupError(f"{self.set_id}: the manifest lists {len(objects)} objects, "
                              f"the index {expected}")
        return objects


def _key_for(config: BackupConfig, set_id: str, index: dict[str, Any],
             allow_unencrypted: bool) -> BackupKey | None:
    encryption = index.get("encryption")
    if encryption is None:
        if config.key is not None and not allow_unencrypted:
            raise BackupError(f"set {set_id} is not encrypted, but BACKUP_ENCRYPTION_KEY is "
                              "set: refusing it (pass --allow-unencrypted if you made it so)")
        return None
    wanted = encryption.get("key_id")
    for key in config.readable_keys():
        if key.id == wanted:
            return key
    known = ", ".join(key.id for key in config.readable_keys()) or "none configured"
    raise BackupError(f"set {set_id} was encrypted with key id {wanted}; the configured "
                      f"keys have ids {known}. Set BACKUP_ENCRYPTION_KEY (or add the old key "
                      "to BACKUP_PREVIOUS_KEYS) to the key that made it")


def open_set(config: BackupConfig, wanted: str, *, allow_unencrypted: bool = False) -> OpenSet:
    set_id = sets.resolve(config.destination, wanted)
    index = sets.read_index(config.destination, set_id)
    return OpenSet(config.destination, set_id, index,
                   _key_for(config, set_id, index, allow_unencrypted))


def split_objects(opened: OpenSet, manifest: list[dict[str, Any]]
                  ) -> Iterator[tuple[dict[str, Any], Iterator[bytes]]]:
    """(manifest entry, its bytes) for each object of the objects part, in order. Each
    object's iterator must be read whole before the next is asked for."""
    stream = opened.part(sets.OBJECTS)
    pending = b""

    def take(size: int) -> Iterator[bytes]:
        nonlocal pending
        while size > 0:
            if not pending:
                pending = next(stream, b"")
                if not pending:
                    raise BackupError(f"{opened.set_id}: the objects part ends early")
            piece, pending = pending[:size], pending[size:]
            size -= len(piece)
            yield piece

    for entry in manifest:
        yield entry, take(int(entry["size"]))
    if pending or any(stream):  # reads the rest: the part's checksum is checked at its end
        raise BackupError(f"{opened.set_id}: the objects part holds more than its manifest")
