"""Which version a stored score becomes: the one place every write path (REST edits,
imports, restores, AI operations, live edits materialised by collab) records history.

Edits coalesce (ADR 0028): an edit by the author of the latest version, when that
version is itself an unnamed edit changed less than VERSION_COALESCE_S ago, rewrites it
(its data, summary, `updated_at`, and its number, which moves to the new revision)
instead of adding a row. So a burst of micro-edits is one version, a pause starts a new
one, and everything else (created, generated, imported, restored) always adds a row.

The caller holds the score row's lock (every writer takes it before storing), so writes
to one project's history are serialised: the (project_id, number) constraint cannot be
hit and no row is lost. The latest version's row is locked too, so a rename and a
coalescing edit never interleave: the edit sees the name and keeps the version.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.config import get_settings
from ariaforge.models import ScoreVersion, VersionReason
from ariaforge.scores.repository import Latest, ScoreRepository

MAX_SUMMARY = 500


def coalesce_window_s() -> float:
    """VERSION_COALESCE_S, read once per process with the other settings (a test
    changes it on the object `get_settings()` returns)."""
    return get_settings().version_coalesce_s


async def record(session: AsyncSession, project_id: uuid.UUID, number: int,
                 data: dict[str, Any], reason: VersionReason, summary: str,
                 author_id: uuid.UUID | None) -> None:
    """Record revision `number` (just stored in the score row) in the history."""
    repository = ScoreRepository(session)
    if reason == VersionReason.EDITED and author_id is not None:
        latest = await repository.latest_version(project_id)
        if latest is not None and await _absorbs(repository, latest, number, author_id):
            base = await repository.data_before(project_id, latest.version.number)
            await repository.coalesce(latest, number, data,
                                      coalesced_summary(base, data, summary))
            return
    await repository.add_version(ScoreVersion(
        project_id=project_id, number=number, data=data, reason=reason,
        summary=summary[:MAX_SUMMARY], author_id=author_id))


async def _absorbs(repository: ScoreRepository, latest: Latest, number: int,
                   author_id: uuid.UUID) -> bool:
    version = latest.version
    window = coalesce_window_s()
    return (window > 0
            and version.reason == VersionReason.EDITED
            and version.author_id == author_id
            and not version.name
            # It holds the score this edit started from (nothing was stored past it).
            and version.number == number - 1
            and latest.age.total_seconds() < window
            and not await repository.is_session_base(version.project_id, version.number))


def _ids(data: dict[str, Any] | None) -> tuple[set[str], set[str]]:
    """Track and note ids of stored score data, read without validating it (a score
    stored before today's limits is still described)."""
    tracks: set[str] = set()
    notes: set[str] = set()
    for track in _items(data, "tracks"):
        tracks.add(str(track.get("id")))
        notes.update(str(note.get("id")) for note in _items(track, "notes"))
    return tracks, notes


def _items(parent: Any, key: str) -> Iterator[dict[str, Any]]:
    items = parent.get(key) if isinstance(parent, dict) else None
    return (item for item in items if isinstance(item, dict)) if isinstance(items, list) \
        else iter(())


def coalesced_summary(base: dict[str, Any] | None, data: dict[str, Any], last: str) -> str:
    """What the whole burst changed since the version before it, and its last edit."""
    old_tracks, old_notes = _ids(base)
    new_tracks, new_notes = _ids(data)
    change = (f"tracks +{len(new_tracks - old_tracks)} -{len(old_tracks - new_tracks)}, "
              f"notes +{len(new_notes - old_notes)} -{len(old_notes - new_notes)}")
    return f"edits: {change}; last: {last}"[:MAX_SUMMARY]
