"""Run Alembic from code (used by `ariaforge up` / `migrate` and by the tests).

A database already at the newest schema is recognised without loading Alembic or
LangGraph (about a second of imports and checks at every `up`): a full upgrade leaves a
note on `alembic_version` naming the revision and the checkpoint saver's version it
reached, and `upgrade` returns at once while both still match.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from ariaforge.core.dsn import libpq_url

if TYPE_CHECKING:
    from alembic.config import Config

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_REVISION = re.compile(r'^revision(?::[^=]*)?=\s*["\']([^"\']+)["\']', re.MULTILINE)
_DOWN_REVISION = re.compile(r'^down_revision(?::[^=]*)?=\s*(.+)$', re.MULTILINE)


def _script_location() -> Path:
    source_tree = _PACKAGE_DIR.parent / "migrations"
    return source_tree if source_tree.is_dir() else _PACKAGE_DIR / "_migrations"


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_script_location()))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    if revision == "head" and _current_note(database_url) == _head_note():
        return
    from alembic import command

    from ariaforge.core.checkpoints import setup_checkpoints

    command.upgrade(alembic_config(database_url), revision)
    if revision == "head":  # LangGraph's own tables follow the current schema only
        setup_checkpoints(database_url)
        note = _head_note()
        if note is not None:
            _write_note(database_url, note)


def downgrade(database_url: str, revision: str) -> None:
    from alembic import command

    from ariaforge.core.checkpoints import drop_checkpoints

    command.downgrade(alembic_config(database_url), revision)
    if revision == "base":
        drop_checkpoints(database_url)


def check(database_url: str) -> None:
    """Raise if the models and the migrated schema differ (a migration is missing)."""
    from alembic import command

    command.check(alembic_config(database_url))


@lru_cache(maxsize=1)
def _revision_graph() -> tuple[frozenset[str], str | None] | None:
    """Every revision shipped in the version files, and the one no other names as its
    parent (None when several or none are); None when a file cannot be read."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_script_location() / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision, parent = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or parent is None:
            return None
        revisions.add(revision.group(1))
        parents.update(re.findall(r'["\']([^"\']+)["\']', parent.group(1)))
    heads = revisions - parents
    return frozenset(revisions), (next(iter(heads)) if len(heads) == 1 else None)


def head_revision() -> str | None:
    """The head revision read from the version files; None when they hold several heads
    or none (Alembic then decides)."""
    graph = _revision_graph()
    return None if graph is None else graph[1]


def schema_lag(applied: Collection[str]) -> str | None:
    """Why a database whose alembic_version holds `applied` is behind this code, or None.

    A revision this code does not know is newer, not behind: during a rollout the
    migration runs first and the old pods keep serving on the new schema (migrations stay
    backward compatible), so only a schema older than the code is a reason to refuse.
    """
    graph = _revision_graph()
    if graph is None or graph[1] is None:
        return None  # cannot tell: Alembic's own checks decide at `migrate`
    known, head = graph
    if not applied:
        return f"not migrated: this code needs revision {head} (run `ariaforge migrate`)"
    if head in applied or not set(applied) & known:
        return None
    return (f"behind: the database is at {', '.join(sorted(applied))}, this code needs "
            f"{head} (run `ariaforge migrate`)")


def _head_note() -> str | None:
    head = head_revision()
    if head is None:
        return None
    saver = importlib.metadata.version("langgraph-checkpoint-postgres")
    return f"ariaforge schema {head}; langgraph-checkpoint-postgres {saver}"


def _current_note(database_url: str) -> str | None:
    """The note of the last full upgrade, if the schema is still at the revision it names."""
    try:
        with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
            row = connection.execute(
                "SELECT obj_description('alembic_version'::regclass, 'pg_class'), "
                "(SELECT string_agg(version_num, ',') FROM alembic_version)").fetchone()
    except psycopg.Error:  # no table yet, or not ours to read: the full path decides
        return None
    if row is None or row[0] is None or row[1] is None:
        return None
    note, versions = str(row[0]), str(row[1])
    return note if note.startswith(f"ariaforge schema {versions};") else None


def _write_note(database_url: str, note: str) -> None:
    with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
        connection.execute(psycopg.sql.SQL("COMMENT ON TABLE alembic_version IS {}").format(
            psycopg.sql.Literal(note)))
