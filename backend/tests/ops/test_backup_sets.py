"""Backup sets in a destination folder: listing, `latest`, retention, the index."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ariaforge.ops import backup_sets as sets
from ariaforge.ops.backup_blobs import LocalBlobs, open_store
from ariaforge.ops.backup_database import (
    Connection,
    check_client_for_server,
    parse_tool_version,
)
from ariaforge.ops.backup_errors import BackupError


def _make_set(store: LocalBlobs, set_id: str, complete: bool = True) -> None:
    store.put(f"{set_id}/database.dump.enc", io.BytesIO(b"dump"))
    if complete:
        sets.write_index(store, set_id, {"format": sets.FORMAT, "id": set_id, "parts": {}})


def test_sets_are_listed_oldest_first_and_only_complete_ones_restore(tmp_path: Path) -> None:
    store = LocalBlobs(tmp_path)
    ids = [sets.new_set_id(datetime(2026, 12, day, 2, tzinfo=UTC)) for day in (1, 2, 3)]
    for set_id in ids:
        _make_set(store, set_id, complete=set_id != ids[2])
    (tmp_path / "README").write_text("not a set")
    listing = sets.list_sets(store)
    assert listing.complete == ids[:2] and listing.incomplete == [ids[2]]
    assert sets.resolve(store, "latest") == ids[1]
    assert sets.resolve(store, ids[0]) == ids[0]
    with pytest.raises(BackupError, match="incomplete"):
        sets.resolve(store, ids[2])
    with pytest.raises(BackupError, match="not found"):
        sets.resolve(store, "20200101T000000Z-000000")
    with pytest.raises(BackupError, match="no complete backup set"):
        sets.resolve(LocalBlobs(tmp_path / "empty"), "latest")


def test_retention_keeps_the_newest_and_clears_failed_runs(tmp_path: Path) -> None:
    store = LocalBlobs(tmp_path)
    ids = [sets.new_set_id(datetime(2026, 12, day, 2, tzinfo=UTC)) for day in range(1, 7)]
    for set_id in ids:
        _make_set(store, set_id, complete=set_id not in (ids[1], ids[5]))
    listing = sets.list_sets(store)
    # Keep 2 of the complete (0, 2, 3, 4); the failed run before the newest complete goes;
    # the one after it may be a run still going, and stays.
    doomed = sets.expired(listing, 2, current=ids[4])
    assert sorted(doomed) == [ids[0], ids[1], ids[2]]
    assert sets.expired(listing, None, current=ids[4]) == [ids[1]]
    assert ids[4] not in sets.expired(listing, 1, current=ids[4])
    for set_id in doomed:
        sets.delete_set(store, set_id)
    after = sets.list_sets(store)
    assert after.complete == [ids[3], ids[4]] and after.incomplete == [ids[5]]
    assert sorted(p.name for p in tmp_path.iterdir()) == [ids[3], ids[4], ids[5]]


def test_an_index_must_describe_its_own_set(tmp_path: Path) -> None:
    store = LocalBlobs(tmp_path)
    set_id, other = sets.new_set_id(), sets.new_set_id()
    for body in (b"not json", json.dumps({"format": "other"}).encode(),
                 json.dumps({"format": sets.FORMAT, "id": other, "parts": {}}).encode()):
        store.put(f"{set_id}/index.json", io.BytesIO(body))
        with pytest.raises(BackupError):
            sets.read_index(store, set_id)


def test_local_stores_skip_files_being_written(tmp_path: Path) -> None:
    (tmp_path / "exports" / "a").mkdir(parents=True)
    (tmp_path / "exports" / "a" / "mix.mp3").write_bytes(b"ID3")
    (tmp_path / "exports" / "a" / "stem.wav.partial").write_bytes(b"half")
    (tmp_path / "previews").mkdir()
    (tmp_path / "previews" / "p.mp3").write_bytes(b"ID3")
    store = open_store(f"file://{tmp_path}")
    assert list(store.list_keys()) == ["exports/a/mix.mp3", "previews/p.mp3"]
    with pytest.raises(BackupError, match="must be"):
        open_store("ftp://host/path")


def test_client_versions_and_connections() -> None:
    assert parse_tool_version("pg_dump (PostgreSQL) 18.3\n", "pg_dump") == (18, "18.3")
    assert parse_tool_version("pg_restore (PostgreSQL) 16.4 (Debian 16.4-1)", "x")[0] == 16
    check_client_for_server(18, 17, "pg_dump")
    with pytest.raises(BackupError, match="PostgreSQL 18 but pg_dump is from PostgreSQL 16"):
        check_client_for_server(16, 18, "pg_dump")
    connection = Connection.from_url(
        "postgresql+asyncpg://app:p%40ss@db.internal:5432/aria?ssl=require")
    assert connection.password == "p@ss"
    assert connection.url == "postgresql://app@db.internal:5432/aria?sslmode=require"
    assert connection.env["PGPASSWORD"] == "p@ss"
    with pytest.raises(BackupError, match="postgresql://"):
        Connection.from_url("mysql://app@db/aria")


def test_an_object_deleted_during_the_backup_is_left_out_of_the_manifest(
        tmp_path: Path) -> None:
    """Exports expire while a backup runs: the manifest lists what was copied."""
    from ariaforge.ops.backup_write import stream_objects

    for name in ("a", "b", "c"):
        (tmp_path / name).write_bytes(name.encode() * 10)
    manifest: list[dict[str, object]] = []
    copied = []
    for block in stream_objects(LocalBlobs(tmp_path), manifest):
        copied.append(block)
        (tmp_path / "c").unlink(missing_ok=True)
    assert b"".join(copied) == b"a" * 10 + b"b" * 10
    assert [entry["key"] for entry in manifest] == ["a", "b"]
    assert manifest[0]["size"] == 10
