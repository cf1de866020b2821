"""Folding a project's live document into its score row ("materialising"), inside a
transaction that already holds the project's and the score's rows.

The document is always rebuilt from PostgreSQL (snapshot + every later update), never
taken from a replica's memory, which may lag what other replicas appended."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pycrdt import Doc
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.audio.options import MixSettings
from ariaforge.collab.document import DocumentInvalid, apply_score_change, read_document
from ariaforge.collab.ledger import (
    Rebuilt,
    contiguous,
    lock,
    rebuild,
    settle,
    unmaterialised,
)
from ariaforge.collab.repository import CollabRepository
from ariaforge.core.errors import ValidationFailed
from ariaforge.exports.repository import MixRepository
from ariaforge.models import ProjectMix, ProjectScore, VersionReason
from ariaforge.music.score import Score
from ariaforge.scores import versions
from ariaforge.scores.repository import ScoreRepository
from ariaforge.scores.service import describe_change, stored_score

logger = logging.getLogger(__name__)

REPAIR_ORIGIN = "collab.repair"


@dataclass(frozen=True)
class Materialised:
    changed: bool  # the score or the mix was stored anew
    revision: int | None  # the score's revision after (None: the project is gone)
    problem: DocumentInvalid | None = None  # the merged document was invalid...
    repair: bytes = b""  # ...and this update (appended) repaired it: relay it
    repair_id: int = 0  # the repair's update row


async def current_mix(session: AsyncSession, project_id: uuid.UUID) -> MixSettings:
    row = await MixRepository(session).get(project_id)
    return MixSettings() if row is None else MixSettings.model_validate(row.settings)


def comparable(mix: MixSettings) -> MixSettings:
    """The mix as the document holds it: a track entry without trim or effects says
    nothing (it is the default), so the document does not keep it."""
    return mix.model_copy(update={"tracks": {
        track_id: track for track_id, track in mix.tracks.items()
        if track.gain_db != 0 or track.fx}})


async def fold(session: AsyncSession, row: ProjectScore,
               editors: Collection[uuid.UUID]) -> Materialised:
    """Store what the document holds into the score row (and the mix), with one version,
    when it differs; repair a document that is invalid; compact when due. The caller
    holds the project's and the score's rows."""
    project_id = row.project_id
    repository = CollabRepository(session)
    document = await repository.document(project_id)
    if document is None or not await repository.pending(project_id):
        return Materialised(False, row.revision)  # the row holds it all: write nothing
    rebuilt = await rebuild(session, document)
    pending = unmaterialised(document, rebuilt)
    problem: DocumentInvalid | None = None
    repair, repair_ids, changed = b"", list[int](), False
    try:
        score, mix = read_document(rebuilt.doc)
    except DocumentInvalid as invalid:
        problem = invalid
        repair, repair_ids = await _repair(session, row, rebuilt.doc, invalid)
        if not repair:
            return Materialised(False, row.revision, problem)  # nothing to hold it against
    else:
        changed = await _store(session, row, score, mix,
                               _last_editor(rebuilt, pending, editors))
    folded = [*rebuilt.update_ids, *repair_ids]
    committed = await lock(session, document)
    await settle(session, document, rebuilt, folded=folded, committed=committed,
                 materialised=contiguous(document, folded, committed))
    return Materialised(changed, row.revision, problem, repair,
                        repair_ids[0] if repair_ids else 0)


def _last_editor(rebuilt: Rebuilt, pending: list[int],
                 editors: Collection[uuid.UUID]) -> uuid.UUID | None:
    """Whoever appended the newest change not yet in the row (on any replica); the
    caller's last editor when those rows name nobody."""
    for index in reversed(pending):
        if rebuilt.authors[index] is not None:
            return rebuilt.authors[index]
    return list(editors)[-1] if editors else None


async def _store(session: AsyncSession, row: ProjectScore, score: Score, mix: MixSettings,
                 author: uuid.UUID | None) -> bool:
    data = score.model_dump(mode="json")
    changed = False
    if data != row.data:
        try:
            summary = describe_change(Score.model_validate(row.data), score)
        except ValidationError:
            summary = "replaced a score that broke a limit"
        scores = ScoreRepository(session)
        await scores.store(row, data)
        await versions.record(session, row.project_id, row.revision, data,
                              VersionReason.EDITED, f"live edits: {summary}", author)
        changed = True
    return await _store_mix(session, row.project_id, mix) or changed


async def _store_mix(session: AsyncSession, project_id: uuid.UUID, mix: MixSettings) -> bool:
    mixes = MixRepository(session)
    mix_row = await mixes.get(project_id, for_update=True)
    if mix_row is not None:
        try:
            if comparable(MixSettings.model_validate(mix_row.settings)) == comparable(mix):
                return False
        except ValidationError:
            pass  # a stored mix that no longer validates is replaced
    elif mix == MixSettings():
        return False
    data = mix.model_dump(mode="json")
    if mix_row is None:
        await mixes.add(ProjectMix(project_id=project_id, settings=data, revision=1))
    else:
        mix_row.settings = data
        mix_row.revision += 1
        mix_row.updated_at = datetime.now(UTC)
        await session.flush()
    return True


async def _repair(session: AsyncSession, row: ProjectScore, doc: Doc[Any],
                  problem: DocumentInvalid) -> tuple[bytes, list[int]]:
    """Two replicas each accepted a change valid alone, together invalid: the document
    goes back to the score row (the last valid state); the repair is appended."""
    try:
        score = stored_score(row.data)
        mix = await current_mix(session, row.project_id)
    except (ValidationFailed, ValidationError):
        logger.error("live document of %s is invalid (%s) and its score row cannot "
                     "repair it", row.project_id, problem.message)
        return b"", []
    repair = apply_score_change(doc, None, (score, mix), REPAIR_ORIGIN)
    if not repair:
        return b"", []
    logger.warning("live document of %s was invalid (%s); reset to revision %s",
                   row.project_id, problem.message, row.revision)
    ids = await CollabRepository(session).append(row.project_id, [(repair, None)])
    return repair, ids or []
