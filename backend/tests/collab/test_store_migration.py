"""Migration 0008 (the live documents' tables) up and down on a fresh database, as
tests/core/test_migrations.py runs the others."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from ariaforge.core.embedded import EmbeddedServices
from ariaforge.core.migrations import check, downgrade, upgrade

LIVE_TABLES = {"collab_documents", "collab_updates"}
PROJECT = "00000000-0000-0000-0000-0000000000aa"


@pytest.fixture
def database(services: EmbeddedServices) -> Iterator[tuple[str, str]]:
    """(url, name) of an empty database of the embedded server."""
    assert services.postgres is not None
    name = f"collab_migration_{uuid.uuid4().hex[:8]}"
    services.postgres._psql(f"CREATE DATABASE {name}")
    yield services.postgres.url(name), name
    services.postgres._psql(f"DROP DATABASE {name} WITH (FORCE)")


def run(services: EmbeddedServices, name: str, sql: str) -> str:
    assert services.postgres is not None
    return services.postgres._psql(sql, name)


def tables(services: EmbeddedServices, name: str) -> set[str]:
    return set(run(services, name, "SELECT tablename FROM pg_tables "
                                   "WHERE schemaname = 'public'").split())


def test_0008_up_down_and_up_again_with_documents_stored(
        services: EmbeddedServices, database: tuple[str, str]) -> None:
    url, name = database
    upgrade(url)
    check(url)
    assert tables(services, name) >= LIVE_TABLES
    run(services, name, f"""
        INSERT INTO projects (id, name) VALUES ('{PROJECT}', 'live');
        INSERT INTO collab_documents (project_id, snapshot) VALUES ('{PROJECT}', '\\x0000');
        INSERT INTO collab_updates (project_id, data) VALUES ('{PROJECT}', '\\x01'),
                                                              ('{PROJECT}', '\\x02');
    """)  # noqa: S608
    assert run(services, name, "SELECT snapshot_update_id, materialised_update_id "
                               "FROM collab_documents") == "0|0"
    ids = [int(i) for i in run(services, name, "SELECT id FROM collab_updates "
                                               "ORDER BY id").split()]
    assert ids[0] < ids[1]

    downgrade(url, "0007")
    assert not LIVE_TABLES & tables(services, name)
    assert run(services, name, "SELECT name FROM projects") == "live"  # nothing else lost

    upgrade(url)
    check(url)
    assert tables(services, name) >= LIVE_TABLES
    run(services, name, f"""
        INSERT INTO collab_documents (project_id, snapshot) VALUES ('{PROJECT}', '\\x0000');
        INSERT INTO collab_updates (project_id, data) VALUES ('{PROJECT}', '\\x01');
        DELETE FROM projects WHERE id = '{PROJECT}';
    """)  # noqa: S608
    # A deleted project takes its document and its updates with it.
    assert run(services, name, "SELECT count(*) FROM collab_documents") == "0"
    assert run(services, name, "SELECT count(*) FROM collab_updates") == "0"
