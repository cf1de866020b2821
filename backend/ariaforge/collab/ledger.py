"""The live document as PostgreSQL holds it: rebuilt from the snapshot and the updates
after it; then, once a fold or a REST write is done with it, settled: which updates the
score row holds (`materialised_update_id`) and, when enough have piled up, a new snapshot.

Appends lock the document's row KEY SHARE before drawing their ids. `settle` locks it
FOR UPDATE only at the very end of the transaction (after the slow part: reading and
storing the score), so appends wait for a few milliseconds at most: it waits for the
appends in flight, holds back new ones (which then draw higher ids) and lists what is
committed. An update committed late with a lower id than one already folded is then
seen as missing, never marked as held or deleted. Only writers holding the project's
row settle, so no compaction runs while another one reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc, merge_updates
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.collab.repository import CollabRepository
from ariaforge.models import CollabDocument

# Updates folded into a new snapshot once more than this many follow the old one: a
# room's opening and every materialisation replay them all.
COMPACT_AFTER = 200


@dataclass
class Rebuilt:
    doc: Doc[Any]
    update_ids: list[int]  # every update row after the snapshot that it holds, ascending
    authors: list[uuid.UUID | None]


def merged(snapshot: bytes, updates: Sequence[bytes]) -> bytes:
    return merge_updates(snapshot, *updates) if updates else snapshot


async def rebuild(session: AsyncSession, document: CollabDocument) -> Rebuilt:
    rows = await CollabRepository(session).updates_after(document.project_id,
                                                         document.snapshot_update_id)
    doc: Doc[Any] = Doc()
    doc.apply_update(merged(document.snapshot, [data for _, data, _ in rows]))
    return Rebuilt(doc, [update_id for update_id, _, _ in rows],
                   [author for _, _, author in rows])


def unmaterialised(document: CollabDocument, rebuilt: Rebuilt) -> list[int]:
    """Positions (in `rebuilt`) of the updates the score row does not hold yet."""
    return [i for i, update_id in enumerate(rebuilt.update_ids)
            if update_id > document.materialised_update_id]


async def lock(session: AsyncSession, document: CollabDocument) -> list[int]:
    """Lock the document's row FOR UPDATE (until the commit); the ids of every update
    committed after its snapshot."""
    repository = CollabRepository(session)
    await repository.document(document.project_id, for_update=True)
    return await repository.update_ids_after(document.project_id,
                                             document.snapshot_update_id)


def contiguous(document: CollabDocument, folded: Sequence[int],
               committed: Sequence[int]) -> int:
    """The highest id up to which every committed update is among `folded`."""
    missing = sorted(set(committed) - set(folded))
    if missing:
        return missing[0] - 1
    return max([document.snapshot_update_id, *folded])


async def settle(session: AsyncSession, document: CollabDocument, rebuilt: Rebuilt, *,
                 folded: Sequence[int], committed: Sequence[int],
                 materialised: int) -> None:
    """Record what the row holds; compact when due: `rebuilt.doc` (which holds the
    snapshot and `folded`) becomes the snapshot and exactly the `folded` rows go."""
    repository = CollabRepository(session)
    snapshot, snapshot_update_id = None, 0
    if len(folded) > COMPACT_AFTER:
        snapshot = rebuilt.doc.get_update()
        snapshot_update_id = contiguous(document, folded, committed)
        await repository.forget(document.project_id, folded)
    if (snapshot is None and materialised == document.materialised_update_id):
        return
    await repository.record(document.project_id, materialised_update_id=materialised,
                            snapshot=snapshot, snapshot_update_id=snapshot_update_id)
