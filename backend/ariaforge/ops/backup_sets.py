"""Backup sets at the destination: `<BACKUP_URL>/<set id>/` holds the encrypted parts and
an unencrypted `index.json`, written last, so a set without an index is incomplete (a run
that failed) and is never restored.

The index tells what a set is without the key: when, which versions, which schema, and
the size and SHA-256 of each stored part, checked again on restore.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ariaforge.ops.backup_blobs import BlobStore
from ariaforge.ops.backup_crypto import read_exactly
from ariaforge.ops.backup_errors import BackupError

FORMAT = "ariaforge-backup/1"
INDEX = "index.json"
# Sortable by time; the random tail keeps two runs in the same second apart.
_SET_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
# The parts in the order they are written and read: objects before the manifest that
# lists what was actually copied.
DATABASE, OBJECTS, MANIFEST = "database.dump", "objects.bin", "manifest.json"
MAX_INDEX_BYTES = 1_048_576


def new_set_id(now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{moment}-{secrets.token_hex(3)}"


def part_file(part: str, encrypted: bool) -> str:
    return f"{part}.enc" if encrypted else part


def part_context(set_id: str, part: str) -> bytes:
    """What a part's chunks are bound to (see backup_crypto)."""
    return f"{FORMAT}/{set_id}/{part}".encode()


@dataclass(frozen=True)
class SetListing:
    complete: list[str]  # oldest first
    incomplete: list[str]


def list_sets(destination: BlobStore) -> SetListing:
    found: dict[str, bool] = {}
    for key in destination.list_keys():
        set_id, _, name = key.partition("/")
        if _SET_ID.match(set_id):
            found[set_id] = found.get(set_id, False) or name == INDEX
    return SetListing(sorted(s for s, done in found.items() if done),
                      sorted(s for s, done in found.items() if not done))


def resolve(destination: BlobStore, wanted: str) -> str:
    listing = list_sets(destination)
    if wanted == "latest":
        if not listing.complete:
            raise BackupError(f"no complete backup set in {destination.display}")
        return listing.complete[-1]
    if wanted not in listing.complete:
        state = "incomplete" if wanted in listing.incomplete else "not found"
        raise BackupError(f"backup set {wanted!r} is {state} in {destination.display}; "
                          "`ariaforge backup --list` shows the sets")
    return wanted


def write_index(destination: BlobStore, set_id: str, index: dict[str, Any]) -> None:
    import io

    data = json.dumps(index, indent=1, sort_keys=True).encode() + b"\n"
    destination.put(f"{set_id}/{INDEX}", io.BytesIO(data))


def read_index(destination: BlobStore, set_id: str) -> dict[str, Any]:
    handle = destination.open(f"{set_id}/{INDEX}")
    data = read_exactly(handle.read, MAX_INDEX_BYTES + 1)
    try:
        index = json.loads(data)
    except ValueError:
        index = None
    if len(data) > MAX_INDEX_BYTES or not isinstance(index, dict) or index.get("format") != FORMAT:
        raise BackupError(f"{set_id}/{INDEX} is not an index of format {FORMAT}")
    if index.get("id") != set_id or not isinstance(index.get("parts"), dict):
        raise BackupError(f"{set_id}/{INDEX} does not describe set {set_id}")
    return index


def expired(listing: SetListing, keep: int | None, current: str) -> list[str]:
    """Sets to delete: complete sets beyond the newest `keep`, and incomplete ones older
    than the newest complete set (left by failed runs). Never `current`."""
    doomed: list[str] = []
    if keep is not None and len(listing.complete) > keep:
        doomed += listing.complete[:-keep]
    if listing.complete:
        newest = listing.complete[-1]
        doomed += [s for s in listing.incomplete if s < newest]
    return [s for s in doomed if s != current]


def delete_set(destination: BlobStore, set_id: str) -> None:
    # The index first: a set whose deletion is interrupted reads as incomplete.
    destination.delete([f"{set_id}/{INDEX}"])
    destination.delete(list(destination.list_keys(f"{set_id}/")))
