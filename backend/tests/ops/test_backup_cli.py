"""`ariaforge backup` / `restore` as an operator runs them, with folders for storage and
destination, on the session's PostgreSQL (the full drill with S3 is tests/drills)."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from ariaforge.core.dsn import libpq_url
from ariaforge.core.embedded import EmbeddedServices
from ariaforge.ops import backup_sets as sets
from ariaforge.ops.backup_blobs import LocalBlobs
from ariaforge.ops.backup_crypto import generate_key
from tests.conftest import TEST_SECRET
from tests.drills.snapshots import database_snapshot, user_tables

CLI_LIMIT_S = 180


def ariaforge(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ariaforge", *args], env=env, text=True,
                          capture_output=True, timeout=CLI_LIMIT_S, check=False)


def _env(tmp_path: Path, database_url: str, **values: str) -> dict[str, str]:
    base = {name: value for name, value in os.environ.items()
            if not name.startswith(("DATABASE_", "STORAGE_", "BACKUP_", "PG_BIN"))}
    return {**base, "ENVIRONMENT": "testing", "SECRET_KEY": TEST_SECRET,
            "ARIAFORGE_HOME": str(tmp_path / "home"), "DATABASE_URL": database_url,
            "STORAGE_URL": f"file://{tmp_path / 'storage'}",
            "BACKUP_URL": f"file://{tmp_path / 'offsite'}", **values}


def _files(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def _recreate(services: EmbeddedServices, name: str) -> str:
    assert services.postgres
    with psycopg.connect(libpq_url(services.postgres.url("postgres")),
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return services.postgres.url(name)


@pytest.fixture(scope="module")
def source_database(services: EmbeddedServices) -> str:
    """A migrated database of its own on the session's server, with a user in it: the
    session's database changes under other tests' servers."""
    from ariaforge.core.migrations import upgrade

    url = _recreate(services, "backup_cli_source")
    upgrade(url)
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("INSERT INTO users (id, email, password_hash, display_name, is_active) VALUES "
                     "(gen_random_uuid(), 'ada@example.com', 'x', 'Ada', true)")
    return url


@pytest.fixture
def empty_database(services: EmbeddedServices, request: pytest.FixtureRequest) -> str:
    return _recreate(services, f"restore_{request.node.name[:40].lower()}")


def test_backups_to_a_folder_rotate_and_restore(tmp_path: Path, source_database: str,
                                                empty_database: str) -> None:
    storage = tmp_path / "storage"
    (storage / "exports" / "e1").mkdir(parents=True)
    (storage / "exports" / "e1" / "mix.flac").write_bytes(os.urandom(300_000))
    (storage / "previews").mkdir()
    (storage / "previews" / "p.mp3").write_bytes(b"ID3" + os.urandom(5000))
    (storage / "exports" / "e1" / "stem.wav.partial").write_bytes(b"being written")
    leftover = "20000101T000000Z-000000"  # a failed run: a part, no index
    LocalBlobs(tmp_path / "offsite").put(f"{leftover}/database.dump", io.BytesIO(b"half"))
    env = _env(tmp_path, source_database, BACKUP_KEEP="2")
    for _ in range(3):
        done = ariaforge(env, "backup")
        assert done.returncode == 0, done.stderr
    assert "NOT encrypted" in done.stdout
    listing = sets.list_sets(LocalBlobs(tmp_path / "offsite"))
    assert len(listing.complete) == 2 and listing.incomplete == []
    assert "deleted" in done.stdout

    source_rows = database_snapshot(source_database)
    restore_env = _env(tmp_path, empty_database, STORAGE_URL=f"file://{tmp_path / 'restored'}")
    keyed = ariaforge({**restore_env, "BACKUP_ENCRYPTION_KEY": generate_key()},
                      "restore", "latest")
    assert keyed.returncode == 1
    assert "not encrypted" in keyed.stderr and user_tables(empty_database) == []
    restored = ariaforge(restore_env, "restore", listing.complete[-1], "--migrate")
    assert restored.returncode == 0, restored.stderr
    assert "migrated" in restored.stdout
    assert database_snapshot(empty_database) == source_rows
    expected = {k: v for k, v in _files(storage).items() if not k.endswith(".partial")}
    assert _files(tmp_path / "restored") == expected
    again = ariaforge(restore_env, "restore", "latest")
    assert again.returncode == 1 and "refusing to restore" in again.stderr


def test_production_demands_a_key_and_a_destination_apart(tmp_path: Path) -> None:
    url = "postgresql://app:db-password@127.0.0.1:9/aria"
    production = _env(tmp_path, url, ENVIRONMENT="production")
    no_key = ariaforge(production, "backup")
    assert no_key.returncode == 1 and "BACKUP_ENCRYPTION_KEY is required" in no_key.stderr
    no_destination = ariaforge({**production, "BACKUP_ENCRYPTION_KEY": generate_key(),
                                "BACKUP_URL": ""}, "backup")
    assert no_destination.returncode == 1 and "BACKUP_URL must" in no_destination.stderr
    inside = ariaforge(_env(tmp_path, url, BACKUP_URL=f"file://{tmp_path / 'storage/bk'}"),
                       "backup")
    assert inside.returncode == 1 and "overlaps STORAGE_URL" in inside.stderr
    bad_key = ariaforge({**production, "BACKUP_ENCRYPTION_KEY": "not-a-key"}, "backup")
    assert bad_key.returncode == 1 and "URL-safe base64" in bad_key.stderr
    for done in (no_key, no_destination, inside, bad_key):
        assert "db-password" not in done.stdout + done.stderr
        assert "Traceback" not in done.stderr


def test_a_client_older_than_the_server_is_refused(tmp_path: Path,
                                                   source_database: str) -> None:
    """The old CronJob's failure: pg_dump 16 against the PostgreSQL 18 server."""
    old = tmp_path / "pg16" / "bin"
    old.mkdir(parents=True)
    (old / "pg_dump").write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 16.4'\n")
    (old / "pg_dump").chmod(0o755)
    done = ariaforge(_env(tmp_path, source_database, PG_BIN_DIR=str(old)), "backup")
    assert done.returncode == 1
    assert "PostgreSQL 18 but pg_dump is from PostgreSQL 16" in done.stderr
    assert "PG_BIN_DIR" in done.stderr
    assert not (tmp_path / "offsite").exists()


def test_a_role_that_owns_neither_the_server_nor_the_extensions_can_restore(
        tmp_path: Path, services: EmbeddedServices, source_database: str) -> None:
    """As on a managed PostgreSQL: an administrator created pgvector and pg_trgm in the
    new database, the application's role restores into it."""
    assert services.postgres
    password = secrets.token_urlsafe(16)
    with psycopg.connect(libpq_url(services.postgres.url("postgres")),
                         autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS managed WITH (FORCE)")
        conn.execute("DROP ROLE IF EXISTS app_role")
        conn.execute(sql.SQL("CREATE ROLE app_role LOGIN PASSWORD {}").format(
            sql.Literal(password)))
        conn.execute("CREATE DATABASE managed OWNER app_role")
    with psycopg.connect(libpq_url(services.postgres.url("managed")), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION vector")
        conn.execute("CREATE EXTENSION pg_trgm")
    made = ariaforge(_env(tmp_path, source_database), "backup")
    assert made.returncode == 0, made.stderr
    target = (f"postgresql://app_role:{quote(password, safe='')}@127.0.0.1:"
              f"{services.postgres.port}/managed")
    restored = ariaforge(_env(tmp_path, target, STORAGE_URL=f"file://{tmp_path / 'r'}"),
                         "restore", "latest")
    assert restored.returncode == 0, restored.stderr
    assert password not in restored.stdout + restored.stderr
    assert database_snapshot(target) == database_snapshot(source_database)
