"""What other domains use of the library: the score service (which samples a project may
place), the renderer (sample files and SoundFont presets), and sharing on placement.

Light imports only (no NumPy, no audio stack): the score service runs in the API.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.core.errors import NotFound
from ariaforge.core.storage import Storage
from ariaforge.library.repository import LibraryRepository
from ariaforge.membership.access import WRITERS, authorize
from ariaforge.models import Sample, SoundFontFile, User


async def readable_samples(session: AsyncSession, project_id: uuid.UUID,
                           sample_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Sample]:
    """The samples among `sample_ids` that the project may use: shared with it, or owned
    by one of its members. Ids missing from the answer are not usable (unknown or
    private to someone else)."""
    wanted = sorted(set(sample_ids))
    if not wanted:
        return {}
    rows = await LibraryRepository(session).readable_by_project(project_id, wanted)
    return {row.id: row for row in rows}


async def sample_bytes(storage: Storage, sample: Sample) -> bytes:
    """The sample's file as uploaded (WAV/FLAC/MP3/OGG, at most LIBRARY_MAX_FILE_BYTES);
    raises core.storage.ObjectNotFoundError if the object is gone."""
    chunks = [chunk async for chunk in storage.stream(sample.storage_key)]
    return b"".join(chunks)


@dataclass(frozen=True)
class RenderPreset:
    """What the renderer needs of a preset. `soundfont_key` is None for a GM preset (use
    the default SoundFont with `program`/`is_drum`); otherwise the storage key of the
    uploaded SF2 and its `bank`/`preset`. `effects` has TrackMix's shape
    ({"gain_db", "fx": [...]}) and `mix` is {"volume", "pan"}."""

    id: uuid.UUID
    name: str
    program: int
    is_drum: bool
    soundfont_key: str | None
    bank: int
    preset: int
    effects: dict[str, Any]
    mix: dict[str, Any]
    soundfont: SoundFontFile | None = None

    @property
    def preset_number(self) -> int:
        return self.preset


async def preset_for_render(session: AsyncSession, preset_id: uuid.UUID) -> RenderPreset | None:
    """The preset (shipped or anyone's: the score that names it was checked on write), or
    None when it no longer exists (the renderer then keeps the track's GM program)."""
    repository = LibraryRepository(session)
    row = await repository.preset(preset_id)
    if row is None:
        from ariaforge.library.service import ensure_shipped
        from ariaforge.library.shipped import SHIPPED

        if preset_id not in {item.id for item in SHIPPED}:
            return None
        await ensure_shipped(session)
        row = await repository.preset(preset_id)
        if row is None:
            return None
    font = None
    if row.soundfont_id is not None:
        font = await repository.soundfont(row.soundfont_id)
    key = font.storage_key if font is not None else None
    return RenderPreset(id=row.id, name=row.name, program=row.program, is_drum=row.is_drum,
                        soundfont_key=key, bank=row.bank, preset=row.preset_number,
                        effects=dict(row.effects), mix=dict(row.mix), soundfont=font)


async def soundfont_bytes(storage: Storage, soundfont: SoundFontFile) -> bytes:
    """The uploaded SF2 (structure checked on upload; at most LIBRARY_MAX_FILE_BYTES)."""
    chunks = [chunk async for chunk in storage.stream(soundfont.storage_key)]
    return b"".join(chunks)


async def share_with_project(session: AsyncSession, sample_id: uuid.UUID,
                             project_id: uuid.UUID, user: User) -> None:
    """Share `user`'s sample with a project they may edit (placing it on a track). A
    sample already shared with the project needs nothing; someone else's private sample
    is NotFound (404, no existence leak). Idempotent; never commits."""
    await authorize(session, project_id, user, WRITERS)
    repository = LibraryRepository(session)
    row = await repository.sample(sample_id)
    if row is None:
        raise NotFound("sample not found")
    if row.owner_id == user.id:
        await repository.share(sample_id, [project_id])
        return
    if project_id not in (await repository.shares([sample_id]))[sample_id]:
        raise NotFound("sample not found")
