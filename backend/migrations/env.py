"""Alembic environment: async engine, AriaForge's metadata, URL from the caller."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from ariaforge.core.checkpoints import CHECKPOINT_TABLES
from ariaforge.core.db import create_engine
from ariaforge.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    from ariaforge.core.services import resolve_database_url_for_tools

    return resolve_database_url_for_tools()


# Any constant; held for the migration's transaction so that replicas starting together
# migrate one after the other instead of racing.
MIGRATION_LOCK_ID = 0x41726961


def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """LangGraph migrates its checkpoint tables itself; Alembic leaves them alone."""
    return not (type_ == "table" and name in CHECKPOINT_TABLES)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_ours,
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_url(), pool_size=1)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
