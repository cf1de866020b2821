"""When a room's live edits become the score row (and one version): after a pause in
editing (collab_materialise_pause_s), at most collab_materialise_max_s after the first
unsaved change while editing goes on, when the last socket leaves, and at shutdown."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from ariaforge.collab import store

if TYPE_CHECKING:
    from ariaforge.collab.room import Room

logger = logging.getLogger(__name__)


class Materialiser:
    def __init__(self, room: Room) -> None:
        self.room = room
        self.editors: set[uuid.UUID] = set()  # who changed the song since the last run
        self._first: float | None = None  # loop time of the first unsaved change
        self._last = 0.0
        self._dirty = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    def changed(self, editor: uuid.UUID) -> None:
        """A change is persisted (called by the writer after its commit)."""
        now = asyncio.get_running_loop().time()
        self.editors.add(editor)
        if self._first is None:
            self._first = now
        self._last = now
        self._dirty.set()

    @property
    def dirty(self) -> bool:
        return self._first is not None

    async def _run(self) -> None:
        settings = self.room.services.settings
        loop = asyncio.get_running_loop()
        while True:
            await self._dirty.wait()
            first = self._first if self._first is not None else loop.time()
            while True:
                due = min(self._last + settings.collab_materialise_pause_s,
                          first + settings.collab_materialise_max_s)
                if due <= loop.time():
                    break
                await asyncio.sleep(due - loop.time())
            if not await self.run():
                await asyncio.sleep(settings.collab_materialise_pause_s)  # then retry

    async def run(self) -> bool:
        """Materialise now when anything changed; False when it failed (kept dirty)."""
        async with self._lock:
            if self._first is None:
                self._dirty.clear()
                return True
            editors, self.editors = self.editors, set()
            self._first = None
            self._dirty.clear()
            try:
                result = await store.materialise(self.room.services.maker,
                                                 self.room.project_id, editors)
            except (SQLAlchemyError, OSError) as error:
                logger.warning("collab: materialising project %s failed (%s)",
                               self.room.project_id, type(error).__name__)
                self.editors |= editors  # still unsaved: the next run takes them
                self._first = self._last = asyncio.get_running_loop().time()
                self._dirty.set()
                return False
        if result.problem is not None:
            logger.warning("collab: project %s's merged document was invalid (%s); repaired",
                           self.room.project_id, result.problem.message)
        if result.repair:
            self.room.apply_trusted(result.repair)
            await self.room.publish("u", result.repair)  # logs its own failures
        return True

    async def stop(self, *, final: bool) -> None:
        """End the schedule; with `final`, materialise what is still unsaved."""
        self.cancel()
        if self._task is not None:
            await asyncio.wait({self._task})
        if final:
            await self.run()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
