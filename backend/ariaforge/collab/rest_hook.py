"""Score and mix writes made outside a live room (REST, imports, restores, the composer
in the worker) go into the project's live document, when it has one.

- Before the write reads the score row, live edits not yet in the row are folded in, so
  revision checks and diffs see them.
- Once the write stored its score (or mix), the difference is appended to the document
  in the same transaction and published to the rooms after the commit.
Without a live document each costs one indexed lookup and changes nothing."""

from __future__ import annotations

import uuid

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.audio.options import MixSettings
from ariaforge.collab import publisher
from ariaforge.collab.document import apply_score_change
from ariaforge.collab.fold import current_mix, fold
from ariaforge.collab.ledger import lock, rebuild, settle
from ariaforge.collab.repository import CollabRepository
from ariaforge.models import CollabDocument
from ariaforge.music.score import Score
from ariaforge.queue.stream import AFTER_COMMIT
from ariaforge.scores.listeners import MixSaved, ScoreSaved
from ariaforge.scores.repository import ScoreRepository
from ariaforge.scores.service import stored_score

REST_ORIGIN = "collab.rest"


async def before_write(session: AsyncSession, project_id: uuid.UUID) -> bool:
    """Whether the score or the mix changed (live edits folded in)."""
    if not await CollabRepository(session).pending(project_id):
        return False
    # The writer holds the project's row; the score's follows (held already by score
    # writes, taken here by mix writes).
    row = await ScoreRepository(session).current(project_id, for_update=True)
    if row is None:
        return False
    result = await fold(session, row, ())
    if result.repair:
        _publish_after_commit(session, project_id, result.repair_id, result.repair)
    return result.changed


async def score_saved(session: AsyncSession, event: ScoreSaved) -> None:
    document = await CollabRepository(session).document(event.project_id)
    if document is None:
        return  # never opened live: nothing more to read
    mix = await current_mix(session, event.project_id)
    try:
        old: tuple[Score, MixSettings] | None = (Score.model_validate(event.old_data), mix)
    except ValidationError:
        old = None  # it broke a limit: diff against the document itself
    await _append_change(session, document, event.author_id, old, (event.new, mix))


async def mix_saved(session: AsyncSession, event: MixSaved) -> None:
    document = await CollabRepository(session).document(event.project_id)
    row = await ScoreRepository(session).current(event.project_id)
    if document is None or row is None:
        return
    score = stored_score(row.data)
    old_mix = (MixSettings() if event.old_settings is None
               else MixSettings.model_validate(event.old_settings))
    await _append_change(session, document, event.author_id, (score, old_mix),
                         (score, MixSettings.model_validate(event.new_settings)))


async def _append_change(session: AsyncSession, document: CollabDocument,
                         author_id: uuid.UUID | None, old: tuple[Score, MixSettings] | None,
                         new: tuple[Score, MixSettings]) -> None:
    project_id = document.project_id
    repository = CollabRepository(session)
    rebuilt = await rebuild(session, document)  # the slow part, before any lock on it
    payload = apply_score_change(rebuilt.doc, old, new, REST_ORIGIN)
    if not payload:
        return
    committed = await lock(session, document)
    ids = await repository.append(project_id, [(payload, author_id)])
    if not ids:
        return  # unreachable while the writer holds the project: it cannot be deleted
    update_id = ids[0]
    # The row now holds this change, and everything before it unless live edits were
    # appended after the writer's fold (the next materialisation takes them all then).
    behind = (any(i > document.materialised_update_id for i in committed)
              or document.snapshot_update_id > document.materialised_update_id)
    await settle(session, document, rebuilt, folded=[*rebuilt.update_ids, update_id],
                 committed=[*committed, update_id],
                 materialised=document.materialised_update_id if behind else update_id)
    _publish_after_commit(session, project_id, update_id, payload)


def _publish_after_commit(session: AsyncSession, project_id: uuid.UUID, update_id: int,
                          payload: bytes) -> None:
    async def publish() -> None:
        await publisher.publish(project_id, update_id, payload)

    session.info.setdefault(AFTER_COMMIT, []).append(publish)
