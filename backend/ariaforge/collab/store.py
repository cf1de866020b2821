"""Durability of the live documents in PostgreSQL (tables collab_documents and
collab_updates; docs/collaboration.md).

- `open_document`: the document as one Yjs update, created from the score and the mix
  the first time (once, even when several processes open it at the same moment).
- `append_updates`: updates, committed before the call returns.
- `materialise`: the score row (and the mix) brought up to the document, with one
  version; an invalid merged document repaired; compaction when due.

Each call is a transaction of its own, taken from `maker`."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.collab.document import new_document
from ariaforge.collab.fold import Materialised, current_mix, fold
from ariaforge.collab.ledger import merged
from ariaforge.collab.repository import CollabRepository
from ariaforge.scores.repository import ScoreRepository
from ariaforge.scores.service import stored_score

__all__ = ["DocumentMissing", "Materialised", "StoredDocument", "append_updates",
           "materialise", "open_document"]


@dataclass(frozen=True)
class StoredDocument:
    update: bytes  # the whole document as one Yjs update (snapshot + later updates)
    last_update_id: int  # the newest update row it holds (0: none yet)


class DocumentMissing(LookupError):
    """The project (and with it its live document) does not exist (any more)."""


async def open_document(maker: async_sessionmaker[AsyncSession],
                        project_id: uuid.UUID) -> StoredDocument:
    """Raises DocumentMissing for a deleted project, and `ValidationFailed` when the
    stored score breaks today's limits (it cannot be opened live until repaired)."""
    async with maker() as session:
        found = await _load(session, project_id)
        if found is None:
            await _create(session, project_id)
            found = await _load(session, project_id)
        await session.commit()
    if found is None:
        raise DocumentMissing(f"project {project_id} not found")
    return found


async def _load(session: AsyncSession, project_id: uuid.UUID) -> StoredDocument | None:
    # KEY SHARE on the document's row: a compaction (FOR UPDATE) cannot swap the
    # snapshot and delete the updates it folded between the two reads.
    repository = CollabRepository(session)
    document = await repository.document(project_id, key_share=True)
    if document is None:
        return None
    rows = await repository.updates_after(project_id, document.snapshot_update_id)
    return StoredDocument(merged(document.snapshot, [data for _, data, _ in rows]),
                          rows[-1][0] if rows else document.snapshot_update_id)


async def _create(session: AsyncSession, project_id: uuid.UUID) -> None:
    """Under the project's and the score's row locks, so no score or mix write falls
    between reading them and storing the document; a second opener waits here, then
    finds the document (ON CONFLICT is the last line, should anything skip the lock)."""
    repository = CollabRepository(session)
    if not await repository.lock_project(project_id):
        return
    row = await ScoreRepository(session).current(project_id, for_update=True)
    if row is None or await repository.document(project_id) is not None:
        return
    score = stored_score(row.data)
    mix = await current_mix(session, project_id)
    track_ids = {track.id for track in score.tracks}
    mix = mix.model_copy(update={"tracks": {
        track_id: track for track_id, track in mix.tracks.items() if track_id in track_ids}})
    await repository.create(project_id, new_document(score, mix).get_update())
    await session.commit()


async def append_updates(maker: async_sessionmaker[AsyncSession], project_id: uuid.UUID,
                         items: list[tuple[bytes, uuid.UUID | None]]) -> list[int]:
    """Store updates (with their authors) in one INSERT, committed before returning;
    their ids, in order. Raises DocumentMissing when the project is gone."""
    if not items:
        return []
    async with maker() as session:
        ids = await CollabRepository(session).append(project_id, items)
        if ids is None:
            raise DocumentMissing(f"project {project_id} has no live document")
        await session.commit()
    return ids


async def materialise(maker: async_sessionmaker[AsyncSession], project_id: uuid.UUID,
                      editors: Collection[uuid.UUID]) -> Materialised:
    """`editors`: who edited since the last materialisation, oldest first (the last one
    authors the version when the update rows name nobody)."""
    async with maker() as session:
        repository = CollabRepository(session)
        if not await repository.pending(project_id):
            # Nothing to fold (an update appended just after this check marks the room
            # dirty again): no lock, no score read.
            return Materialised(False, await repository.score_revision(project_id))
        if not await repository.lock_project(project_id):
            return Materialised(False, None)
        row = await ScoreRepository(session).current(project_id, for_update=True)
        if row is None:
            return Materialised(False, None)
        result = await fold(session, row, editors)
        await session.commit()
    return result
