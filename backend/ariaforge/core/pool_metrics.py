"""Database pool gauges and connect errors for Prometheus.

`MeteredPool` re-reads the pools' counts each time a connection leaves or returns to one
(after the pool's own bookkeeping, an overflow connection's close included), so the gauges
are exact and cannot drift. A process may hold several engines (tests do); the gauges add
them up.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from ariaforge.core.metrics import (
    DB_CONNECT_ERRORS,
    DB_POOL_CAPACITY,
    DB_POOL_CHECKED_OUT,
    DB_POOL_OVERFLOW,
)

_pools: weakref.WeakSet[MeteredPool] = weakref.WeakSet()


def _refresh() -> None:
    checked_out = overflow = capacity = 0
    for pool in list(_pools):
        checked_out += pool.checkedout()
        # QueuePool counts overflow from -size up: negative while under its size.
        overflow += max(0, pool.overflow())
        capacity += pool.size() + max(0, pool.max_overflow)
    DB_POOL_CHECKED_OUT.set(checked_out)
    DB_POOL_OVERFLOW.set(overflow)
    DB_POOL_CAPACITY.set(capacity)


class MeteredPool(AsyncAdaptedQueuePool):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_overflow = int(kwargs.get("max_overflow", 10))

    def _do_get(self) -> ConnectionPoolEntry:
        # Counted from its first connection on: `engine.dispose()` leaves a fresh pool
        # behind that may never be used (a migration's engine, say), and its capacity
        # would make the pod's look larger than it is.
        _pools.add(self)
        try:
            return super()._do_get()
        finally:
            _refresh()

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        try:
            super()._do_return_conn(record)
        finally:
            _refresh()

    def dispose(self) -> None:
        super().dispose()
        _pools.discard(self)
        _refresh()


def _connect_counting_errors(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Open the connection as SQLAlchemy would, counting failures: asyncpg's connect
    errors reach no `handle_error` hook."""
    try:
        return dialect.connect(*cargs, **cparams)
    except Exception:
        DB_CONNECT_ERRORS.inc()
        raise


def count_connect_errors(engine: AsyncEngine) -> None:
    event.listen(engine.sync_engine, "do_connect", _connect_counting_errors)
