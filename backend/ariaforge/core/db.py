"""Async SQLAlchemy engine and the per-request session (one request = one transaction)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import Depends, Request
from sqlalchemy import exc as sa_errors
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ariaforge.core.errors import AppError, Conflict
from ariaforge.core.pool_metrics import MeteredPool, count_connect_errors

logger = logging.getLogger(__name__)

_ASYNC_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg"}


def async_database_url(url: str) -> str:
    """Accept the seed's `postgresql://` URLs and hand SQLAlchemy the asyncpg dialect.

    asyncpg spells libpq's `sslmode` as `ssl`, so that parameter is renamed too.
    """
    parts = urlsplit(url)
    scheme = "postgresql+asyncpg" if parts.scheme in _ASYNC_SCHEMES else parts.scheme
    query = [("ssl" if key == "sslmode" else key, value) for key, value in parse_qsl(parts.query)]
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    engine = create_async_engine(
        async_database_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
        poolclass=MeteredPool,
    )
    count_connect_errors(engine)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's transaction, committed here at the edge, never inside services.

    `SessionDep` gives this dependency the "function" scope, so FastAPI closes it as
    soon as the endpoint has returned, *before* the response is sent: a 2xx means the
    change is durable and visible to the very next request, and a commit that fails
    answers an error instead of a 2xx already on the wire.
    """
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with maker() as session:
        try:
            yield session
        except AppError as error:
            if error.keep_changes:
                await commit(session)
            else:
                await session.rollback()
            raise
        except BaseException:
            await session.rollback()
            raise
        await commit(session)
        await run_after_commit(session)


# SQLSTATE classes a client can fix by reloading and retrying: integrity constraints
# (23xxx, checked at commit when deferred) and serialization failures/deadlocks (40xxx).
_RETRYABLE_SQLSTATE_CLASSES = ("23", "40")


def _sqlstate(error: sa_errors.DBAPIError) -> str:
    original = error.orig
    for name in ("sqlstate", "pgcode"):
        value = getattr(original, name, None) or getattr(
            getattr(original, "__cause__", None), name, None)
        if isinstance(value, str):
            return value
    return ""


async def commit(session: AsyncSession) -> None:
    """Commit, turning a conflict found only at commit time into a 409, never a 2xx."""
    try:
        await session.commit()
    except sa_errors.DBAPIError as error:
        await session.rollback()
        if _sqlstate(error)[:2] in _RETRYABLE_SQLSTATE_CLASSES:
            raise Conflict("the change conflicts with one saved meanwhile; nothing was "
                           "saved, reload and try again") from error
        raise


async def run_after_commit(session: AsyncSession) -> None:
    """Work that must only happen once the transaction is durable (e.g. enqueueing a job).

    A failure here is logged, not raised: the request's changes are committed, and the
    job sweeper re-sends any job whose enqueue was lost.
    """
    for callback in session.info.pop("after_commit", []):
        try:
            await callback()
        except Exception:
            logger.exception("after-commit step failed; the job sweeper will retry it")


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
