"""`ariaforge restore` and `ariaforge backup --verify`.

A restore goes only into an empty database: restoring over live data (`--clean`) mixes
two states and, as the old README's `psql` restore showed, can "succeed" with dozens of
errors. The order makes a failed restore safe to run again: every part is checked first,
the objects are written next (idempotent: same keys, same bytes), and the database last,
in one transaction that stops at the first error, so it holds all of the dump or none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from ariaforge.ops import backup_database as db
from ariaforge.ops import backup_sets as sets
from ariaforge.ops.backup_blobs import BlobStore
from ariaforge.ops.backup_config import BackupConfig
from ariaforge.ops.backup_crypto import CHUNK
from ariaforge.ops.backup_errors import BackupError
from ariaforge.ops.backup_read import OpenSet, open_set, split_objects

Say = Callable[[str], None]


def _refuse_unless_empty(connection: db.Connection) -> None:
    found = db.user_relations(connection)
    if found:
        listed = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
        raise BackupError(
            f"refusing to restore into {connection.url}: it already holds {listed}. Restore "
            "into a new, empty database (CREATE DATABASE ...), then point DATABASE_URL at it")


def _check_versions(opened: OpenSet, connection: db.Connection, tools: Path) -> None:
    made_by = opened.index.get("postgresql", {})
    client_major, _ = db.tool_version(tools / "pg_restore")
    if client_major < int(made_by.get("pg_dump_major", 0)):
        raise BackupError(f"the set was dumped by pg_dump {made_by.get('pg_dump')}, newer "
                          f"than this pg_restore ({client_major}); set PG_BIN_DIR")
    server_major, server_version = db.server_version(connection)
    db.check_client_for_server(client_major, server_major, "pg_restore")
    if server_major < int(made_by.get("server_major", 0)):
        raise BackupError(f"the set comes from PostgreSQL {made_by.get('server')}; restoring "
                          f"into the older PostgreSQL {server_version} is not supported")


def _write_database_part(opened: OpenSet, target: Path) -> None:
    with target.open("wb") as handle:
        for data in opened.part(sets.DATABASE):
            handle.write(data)


def _digest_of(store: BlobStore, key: str) -> tuple[int, str]:
    handle = store.open(key)
    digest, size = hashlib.sha256(), 0
    try:
        while data := handle.read(CHUNK):
            digest.update(data)
            size += len(data)
    finally:
        close = getattr(handle, "close", None)
        if close is not None:
            close()
    return size, digest.hexdigest()


def _each_object(opened: OpenSet, manifest: list[dict[str, Any]], folder: Path,
                 store: Callable[[dict[str, Any], Path], None]) -> None:
    """Each object of the set in a temporary file, checked against the manifest, then
    handed to `store`."""
    for entry, pieces in split_objects(opened, manifest):
        path = folder / "object"
        digest = hashlib.sha256()
        with path.open("wb") as handle:
            for piece in pieces:
                digest.update(piece)
                handle.write(piece)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"{opened.set_id}: object {entry['key']} differs from its "
                              "manifest checksum")
        store(entry, path)


def verify_backup(config: BackupConfig, wanted: str, say: Say, *,
                  allow_unencrypted: bool = False) -> str:
    """Read every part of a set and check every checksum, writing nothing anywhere."""
    opened = open_set(config, wanted, allow_unencrypted=allow_unencrypted)
    manifest = opened.manifest()
    with TemporaryDirectory(prefix="ariaforge-verify-") as folder:
        _write_database_part(opened, Path(folder) / "database.dump")
        _each_object(opened, manifest, Path(folder), lambda entry, path: None)
    say(f"set {opened.set_id} verified: database dump, {len(manifest)} objects and the "
        "manifest match their checksums")
    return opened.set_id


def restore_backup(config: BackupConfig, wanted: str, say: Say, *,
                   allow_unencrypted: bool = False) -> str:
    connection = db.Connection.from_url(config.database_url)
    _refuse_unless_empty(connection)
    opened = open_set(config, wanted, allow_unencrypted=allow_unencrypted)
    _check_versions(opened, connection, config.tools)
    say(f"restore {opened.set_id} from {config.destination.display} "
        f"(made {opened.index.get('created_at')}, schema {opened.index.get('schema_revision')})")
    manifest = opened.manifest()
    with TemporaryDirectory(prefix="ariaforge-restore-") as folder:
        archive = Path(folder) / "database.dump"
        _write_database_part(opened, archive)
        say("  database dump: checksum verified")

        def put(entry: dict[str, Any], path: Path) -> None:
            with path.open("rb") as handle:
                config.storage.put(entry["key"], handle)
            if _digest_of(config.storage, entry["key"]) != (entry["size"], entry["sha256"]):
                raise BackupError(f"object {entry['key']} reads back differently from "
                                  f"{config.storage.display}")

        _each_object(opened, manifest, Path(folder), put)
        say(f"  {len(manifest)} objects written to {config.storage.display}, each read back "
            "and its sha256 verified")
        _refuse_unless_empty(connection)  # nothing (an API pod migrating?) got there first
        db.restore(connection, config.tools, archive)
    say(f"  database restored into {connection.url} (pg_restore --exit-on-error "
        "--single-transaction)")
    return opened.set_id
