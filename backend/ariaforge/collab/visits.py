"""Live-editing visits (models/analytics.py `CollabVisit`), for a project's collaboration
hours: one row per person while they are in a project's room in this process, however
many sockets (tabs) they have open there.

Off the editing path: a row is written when a person's first socket joins and closed when
their last one leaves; while visits are open one background task moves their
`last_seen_at` forward every HEARTBEAT_S in a single UPDATE, so a process that dies leaves
visits that end at their last heartbeat. A failed write is logged and never closes or
delays a socket beyond that one statement.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import func, insert, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.models.analytics import CollabVisit

logger = logging.getLogger(__name__)
HEARTBEAT_S: Final = 30.0
_STATE_NAME: Final = "collab_visits"


@dataclass
class _Open:
    visit_id: uuid.UUID | None
    sockets: int = 1
    ready: asyncio.Event = field(default_factory=asyncio.Event)


class Visits:
    """The visits open in this process, by (project, person)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession],
                 heartbeat_s: float = HEARTBEAT_S) -> None:
        self._sessionmaker = sessionmaker
        self._heartbeat_s = heartbeat_s
        self._open: dict[tuple[uuid.UUID, uuid.UUID], _Open] = {}
        self._beating: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._open)

    @property
    def heartbeat_stopped(self) -> bool:
        return self._beating is None or self._beating.done()

    async def arrive(self, project_id: uuid.UUID, user_id: uuid.UUID) -> None:
        key = (project_id, user_id)
        present = self._open.get(key)
        if present is not None:
            present.sockets += 1
            return
        present = self._open[key] = _Open(None)
        try:
            async with self._sessionmaker() as db, db.begin():
                present.visit_id = await db.scalar(
                    insert(CollabVisit).values(project_id=project_id, user_id=user_id)
                    .returning(CollabVisit.id))
        except (SQLAlchemyError, OSError) as error:
            logger.warning("collab: recording a visit failed (%s)", type(error).__name__)
        finally:
            present.ready.set()
        self._start_heartbeat()

    async def depart(self, project_id: uuid.UUID, user_id: uuid.UUID) -> None:
        key = (project_id, user_id)
        present = self._open.get(key)
        if present is None:
            return
        present.sockets -= 1
        if present.sockets > 0:
            return
        del self._open[key]
        await present.ready.wait()  # its row is written (or failed) before it is ended
        if present.visit_id is not None:
            await self._write(update(CollabVisit)
                              .where(CollabVisit.id == present.visit_id)
                              .values(ended_at=func.now(), last_seen_at=func.now()))
        if not self._open and self._beating is not None:
            self._beating.cancel()
            self._beating = None

    def _start_heartbeat(self) -> None:
        if self._beating is None or self._beating.done():
            self._beating = asyncio.get_running_loop().create_task(self._heartbeat())

    async def _heartbeat(self) -> None:
        while self._open:
            await asyncio.sleep(self._heartbeat_s)
            ids = [item.visit_id for item in self._open.values() if item.visit_id is not None]
            if ids:
                await self._write(update(CollabVisit).where(CollabVisit.id.in_(ids))
                                  .values(last_seen_at=func.now()))

    async def _write(self, statement: Any) -> None:
        try:
            async with self._sessionmaker() as db, db.begin():
                await db.execute(statement)
        except (SQLAlchemyError, OSError) as error:
            logger.warning("collab: updating visits failed (%s)", type(error).__name__)

    async def stop(self) -> None:
        if self._beating is not None:
            self._beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beating
            self._beating = None


def of_app(state: Any) -> Visits:
    """The app's visit book (made on first use, beside its sessionmaker)."""
    visits: Visits | None = getattr(state, _STATE_NAME, None)
    if visits is None:
        visits = Visits(state.sessionmaker)
        setattr(state, _STATE_NAME, visits)
    return visits
