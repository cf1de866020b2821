"""LangGraph's PostgreSQL checkpoint tables: where composer runs save their state after each
step, so a run a crashed worker left behind resumes where it was.

LangGraph owns and migrates these tables itself (some of its steps create indexes
concurrently, which cannot run inside Alembic's transaction), so `setup_checkpoints` runs
after the Alembic migrations, under the same advisory lock, and Alembic's model comparison
ignores them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg.rows import dict_row

from ariaforge.core.dsn import libpq_url

__all__ = ["CHECKPOINT_TABLES", "drop_checkpoints", "libpq_url", "open_checkpointer",
           "setup_checkpoints"]

CHECKPOINT_TABLES: Final = frozenset({"checkpoints", "checkpoint_blobs", "checkpoint_writes",
                                      "checkpoint_migrations"})
_LOCK_ID: Final = 0x41726961  # the Alembic environment's lock: one migrator at a time


def setup_checkpoints(database_url: str) -> None:
    with psycopg.connect(libpq_url(database_url), autocommit=True,
                         row_factory=dict_row) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (_LOCK_ID,))
        try:
            PostgresSaver(connection).setup()
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_ID,))


def drop_checkpoints(database_url: str) -> None:
    """Remove LangGraph's tables (a downgrade to an empty schema)."""
    with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
        for table in sorted(CHECKPOINT_TABLES):
            connection.execute(f"DROP TABLE IF EXISTS {table}")  # names are our constants


@asynccontextmanager
async def open_checkpointer(database_url: str) -> AsyncIterator[AsyncPostgresSaver]:
    async with AsyncPostgresSaver.from_conn_string(libpq_url(database_url)) as saver:
        yield saver
