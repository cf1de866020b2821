"""Who else hears of score and mix writes, without this domain knowing them.

Another domain (live co-editing) registers callbacks at start-up (its `install()`, called
by the composition roots); with none registered, every write behaves as if this module
did not exist. Every callback runs inside the writer's transaction, so what it writes
commits or rolls back with the write.

- before a write: called once the score's row is locked, before the writer reads it; it
  may bring the row up to date (and say so by returning True).
- saved: the new score (or mix) was stored; `old` is what the row held before.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.core.errors import Conflict
from ariaforge.core.revisions import check_revision as _check_revision
from ariaforge.music.score import Score


@dataclass(frozen=True)
class ScoreSaved:
    project_id: uuid.UUID
    author_id: uuid.UUID | None
    old_data: dict[str, Any]  # the row's data before the write (it may break a limit)
    new: Score


@dataclass(frozen=True)
class MixSaved:
    project_id: uuid.UUID
    author_id: uuid.UUID | None
    old_settings: dict[str, Any] | None  # None: the project had no stored mix
    new_settings: dict[str, Any]


BeforeWrite = Callable[[AsyncSession, uuid.UUID], Awaitable[bool]]
OnScoreSaved = Callable[[AsyncSession, ScoreSaved], Awaitable[None]]
OnMixSaved = Callable[[AsyncSession, MixSaved], Awaitable[None]]

_before_write: list[BeforeWrite] = []
_score_saved: list[OnScoreSaved] = []
_mix_saved: list[OnMixSaved] = []
# In session.info while the transaction holds changes a before-write callback made.
_UPDATED = "scores.listeners.updated"


def register(*, before_write: BeforeWrite | None = None,
             score_saved: OnScoreSaved | None = None,
             mix_saved: OnMixSaved | None = None) -> None:
    """Add callbacks; registering the same one again changes nothing."""
    for callback, registry in ((before_write, _before_write), (score_saved, _score_saved),
                               (mix_saved, _mix_saved)):
        if callback is not None and callback not in registry:
            registry.append(callback)  # type: ignore[arg-type]


def unregister_all() -> None:
    _before_write.clear()
    _score_saved.clear()
    _mix_saved.clear()


async def before_write(session: AsyncSession, project_id: uuid.UUID) -> None:
    session.info.pop(_UPDATED, None)  # a session may run one transaction after another
    for callback in _before_write:
        if await callback(session, project_id):
            session.info[_UPDATED] = True


async def score_saved(session: AsyncSession, event: ScoreSaved) -> None:
    for callback in _score_saved:
        await callback(session, event)


async def mix_saved(session: AsyncSession, event: MixSaved) -> None:
    for callback in _mix_saved:
        await callback(session, event)


class _ConflictKeepingUpdate(Conflict):
    keep_changes = True


def check_revision(session: AsyncSession, current: int, expected: int | None,
                   what: str) -> None:
    """`core.revisions.check_revision`, except that when a before-write callback brought
    the row up to date in this transaction, the 409 keeps that update committed: the
    client reloads and sees the revision it must send, instead of the old one again."""
    try:
        _check_revision(current, expected, what)
    except Conflict as conflict:
        if not session.info.pop(_UPDATED, False):
            raise
        raise _ConflictKeepingUpdate(conflict.message, conflict.details) from None
