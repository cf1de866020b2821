"""Which samples a score may name: a clip (`Track.clips`) must name a library sample the
project can use (shared with it, or owned by one of its members). Checked on every score
write that places a sample the stored score did not already name (`scores.service`
calls `check_placed_samples`, registered by `install`); the writer's own samples are then
shared with the project, so they stay usable when the writer leaves it. Samples already in
the score are not checked again: a sample unshared later makes renders fail with a clear
message rather than every unrelated edit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.core.errors import ValidationFailed
from ariaforge.models import User
from ariaforge.music.score import Score


def named_samples(data: dict[str, Any]) -> set[str]:
    """Sample ids the clips of stored score data name (read loosely: it may be old)."""
    found: set[str] = set()
    for track in data.get("tracks") or []:
        if isinstance(track, dict):
            for clip in track.get("clips") or []:
                if isinstance(clip, dict) and isinstance(clip.get("sample_id"), str):
                    found.add(clip["sample_id"])
    return found


async def check_placed_samples(session: AsyncSession, user: User, project_id: uuid.UUID,
                               old_data: dict[str, Any], new: Score) -> None:
    """ValidationFailed (422) when a newly placed sample is not usable by the project."""
    placed = {clip.sample_id for track in new.tracks for clip in track.clips}
    fresh = placed - named_samples(old_data)
    if not fresh:
        return
    from ariaforge.library.access import readable_samples, share_with_project

    usable = await readable_samples(session, project_id, [uuid.UUID(i) for i in fresh])
    unusable = sorted(fresh - {str(sample_id) for sample_id in usable})
    if unusable:
        details = [{"loc": ["body", "tracks", t, "clips", c, "sample_id"],
                    "msg": "no sample this project may use has this id",
                    "type": "unknown_sample"}
                   for t, track in enumerate(new.tracks)
                   for c, clip in enumerate(track.clips) if clip.sample_id in unusable][:50]
        raise ValidationFailed(f"sample {unusable[0]} is not in the library of this "
                               "project: upload it or ask its owner to share it", details)
    for sample_id, sample in usable.items():
        if sample.owner_id == user.id:
            await share_with_project(session, sample_id, project_id, user)
