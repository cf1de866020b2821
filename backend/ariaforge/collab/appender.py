"""Appending a room's updates on connections of the collab layer's own.

Every update a client sends is committed to PostgreSQL before anyone else receives it, so
the append is on the path of every delivery. Through a SQLAlchemy session it cost a pool
checkout with its pre-ping (a round trip), BEGIN, the INSERT and COMMIT (two more) and the
ORM's bookkeeping: about a quarter of the server's CPU per update in the 50-client bench
(py-spy). Here it is one prepared statement in autocommit mode on a plain asyncpg
connection: a single statement is its own transaction, durable when it returns, one round
trip. The statement is the repository's (collab/repository.py APPEND_SQL), with its
locking.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from typing import Final

import asyncpg
from sqlalchemy.engine import URL

from ariaforge.collab.repository import APPEND_SQL
from ariaforge.collab.store import DocumentMissing

CONNECT_TIMEOUT_S: Final = 10.0
STATEMENT_TIMEOUT_S: Final = 30.0


class AppendFailed(Exception):
    """PostgreSQL did not take the updates (unreachable, refused, timed out)."""


def asyncpg_dsn(url: URL) -> str:
    """The engine's URL as libpq-style DSN for asyncpg (its `ssl` query back to `sslmode`)."""
    query = {("sslmode" if key == "ssl" else key): value for key, value in url.query.items()}
    plain = url.set(drivername="postgresql", query=query)
    return plain.render_as_string(hide_password=False)


class UpdateAppender:
    """A few connections, opened on first use, each reused while it works; one that
    fails is closed and replaced on the next append."""

    def __init__(self, dsn: str, connections: int = 4) -> None:
        self._dsn = dsn
        self._slots = asyncio.Semaphore(connections)
        self._idle: list[asyncpg.Connection] = []
        self._closed = False

    async def append(self, project_id: uuid.UUID,
                     items: Sequence[tuple[bytes, uuid.UUID | None]]) -> list[int]:
        """Store updates with their authors, committed; their ids in order. Raises
        DocumentMissing when the project has no live document (deleted meanwhile)."""
        if not items:
            return []
        async with self._slots:
            connection = await self._take()
            try:
                rows = await connection.fetch(
                    APPEND_SQL, project_id, [data for data, _ in items],
                    [author for _, author in items], timeout=STATEMENT_TIMEOUT_S)
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError,
                    TimeoutError) as error:
                await _discard(connection)
                raise AppendFailed(type(error).__name__) from error
            except BaseException:  # cancelled mid-statement: the connection's state is unknown
                await _discard(connection)
                raise
            self._idle.append(connection)
        if not rows:
            raise DocumentMissing(f"project {project_id} has no live document")
        return [int(row["id"]) for row in rows]

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            await _discard(connection)

    async def _take(self) -> asyncpg.Connection:
        if self._closed:
            raise AppendFailed("closed")
        if self._idle:
            return self._idle.pop()
        try:
            return await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT_S)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as error:
            raise AppendFailed(type(error).__name__) from error


async def _discard(connection: asyncpg.Connection) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(connection.close(), timeout=5.0)
