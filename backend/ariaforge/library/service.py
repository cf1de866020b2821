"""The sound library's rules: visibility, validation of uploads, quotas, sharing.

Services never commit (the request's edge does); the upload is the one place where an
object is written to storage before the commit, so the endpoint commits explicitly and
removes the object if the commit fails. Deleting a row removes its object after commit.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anyio import CapacityLimiter, to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.config import Settings
from ariaforge.core.errors import AppError, ErrorCode, Forbidden, NotFound, ValidationFailed
from ariaforge.core.storage import Storage
from ariaforge.library import decode
from ariaforge.library.repository import LibraryRepository
from ariaforge.library.schemas import (
    DetectedOut,
    PresetCreate,
    PresetMix,
    PresetOut,
    SampleOut,
    SamplePatch,
    SoundFontOut,
    SoundFontPresetOut,
    UploadOut,
    normalise_key,
    relative_key,
)
from ariaforge.library.shipped import SHIPPED
from ariaforge.membership.access import WRITERS, authorize
from ariaforge.models import Preset, Sample, SoundFontFile, User

logger = logging.getLogger(__name__)
__all__ = ["preset_for_render", "readable_samples", "sample_bytes", "share_with_project",
           "soundfont_bytes"]
# Decoding runs FFmpeg and NumPy in threads; a few at once keep the API responsive.
_DECODERS = CapacityLimiter(4)
ONE_SHOT_SECONDS = 2.0


class PayloadTooLarge(AppError):
    status_code = 413
    code = ErrorCode.PAYLOAD_TOO_LARGE


def refused(error: decode.Refused, filename: str) -> AppError:
    details = [{"loc": ["body", "file"], "msg": error.message, "type": error.kind}]
    message = f"cannot accept {filename}: {error.message}"
    if error.status == 413:
        return PayloadTooLarge(message, details)
    return ValidationFailed(message, details)


# --- presets -------------------------------------------------------------------------


async def ensure_shipped(session: AsyncSession) -> None:
    """Insert the shipped presets that are missing (idempotent, safe concurrently)."""
    repository = LibraryRepository(session)
    if await repository.shipped_count() >= len(SHIPPED):
        return
    await repository.insert_shipped([{
        "id": item.id, "owner_id": None, "name": item.name, "category": item.category,
        "program": item.program, "is_drum": item.is_drum, "bank": 128 if item.is_drum else 0,
        "preset_number": item.program,
        "effects": {"gain_db": item.gain_db, "fx": item.fx},
        "mix": {"volume": item.volume, "pan": item.pan}} for item in SHIPPED])


def preset_out(row: Preset) -> PresetOut:
    return PresetOut(
        id=row.id, name=row.name, category=row.category,
        source="soundfont" if row.soundfont_id else "gm", shipped=row.owner_id is None,
        program=row.program, is_drum=row.is_drum, soundfont_id=row.soundfont_id,
        bank=row.bank, preset=row.preset_number, effects=row.effects,
        mix=PresetMix.model_validate(row.mix), created_at=row.created_at)


async def list_presets(session: AsyncSession, user: User, search: str | None,
                       category: str | None) -> list[PresetOut]:
    await ensure_shipped(session)
    repository = LibraryRepository(session)
    search = " ".join(search.split()) if search else None
    if search:
        await repository.set_word_similarity()
    rows = await repository.presets(user.id, search, category)
    return [preset_out(row) for row in rows]


async def create_preset(session: AsyncSession, user: User, body: PresetCreate) -> PresetOut:
    repository = LibraryRepository(session)
    if body.soundfont_id is not None:
        soundfont = await repository.soundfont(body.soundfont_id)
        if soundfont is None or soundfont.owner_id != user.id:
            raise ValidationFailed("no such SoundFont among yours", [
                {"loc": ["body", "soundfont_id"], "msg": "unknown SoundFont",
                 "type": "unknown_soundfont"}])
        offered = {(item["bank"], item["preset"]) for item in soundfont.presets}
        if (body.bank, body.preset) not in offered:
            raise ValidationFailed(
                f"the SoundFont has no preset {body.bank}:{body.preset}", [
                    {"loc": ["body", "preset"], "msg": "not a preset of that SoundFont",
                     "type": "unknown_preset"}])
    row = Preset(owner_id=user.id, name=body.name, category=body.category,
                 program=body.program, is_drum=body.is_drum, soundfont_id=body.soundfont_id,
                 bank=body.bank, preset_number=body.preset,
                 effects=body.effects.model_dump(mode="json"),
                 mix=body.mix.model_dump(mode="json"))
    await repository.add(row)
    await session.refresh(row)
    return preset_out(row)


async def delete_preset(session: AsyncSession, user: User, preset_id: uuid.UUID) -> None:
    repository = LibraryRepository(session)
    row = await repository.preset(preset_id)
    if row is None or (row.owner_id is not None and row.owner_id != user.id):
        raise NotFound("preset not found")
    if row.owner_id is None:
        raise Forbidden("shipped presets cannot be deleted")
    await repository.delete(row)


# --- soundfonts ----------------------------------------------------------------------


def soundfont_out(row: SoundFontFile) -> SoundFontOut:
    return SoundFontOut(id=row.id, name=row.name, size_bytes=row.size_bytes,
                        presets=[SoundFontPresetOut(**item) for item in row.presets],
                        created_at=row.created_at)


async def list_soundfonts(session: AsyncSession, user: User) -> list[SoundFontOut]:
    return [soundfont_out(row) for row in await LibraryRepository(session).soundfonts(user.id)]


async def delete_soundfont(session: AsyncSession, storage: Storage, user: User,
                           soundfont_id: uuid.UUID) -> None:
    """The file, and the presets made from it (cascade)."""
    repository = LibraryRepository(session)
    row = await repository.soundfont(soundfont_id)
    if row is None or row.owner_id != user.id:
        raise NotFound("SoundFont not found")
    await repository.delete(row)
    _delete_after_commit(session, storage, row.storage_key)


# --- samples -------------------------------------------------------------------------


def sample_out(row: Sample, user: User, shared: list[uuid.UUID]) -> SampleOut:
    owned = row.owner_id == user.id
    return SampleOut(
        id=row.id, name=row.name, category=row.category, bpm=row.bpm, key=row.key,
        tags=list(row.tags), format=row.format, size_bytes=row.size_bytes,
        duration_s=row.duration_s, sample_rate=row.sample_rate, channels=row.channels,
        detected=DetectedOut.model_validate(row.detected), owned=owned,
        shared_with=shared if owned else [],
        audio_url=f"/api/v1/library/samples/{row.id}/audio", created_at=row.created_at)


@dataclass(frozen=True)
class SampleQuery:
    category: str | None = None
    bpm: float | None = None
    bpm_tolerance: float = 3.0
    key: str | None = None
    key_match: str = "exact"
    search: str | None = None
    project_id: uuid.UUID | None = None
    limit: int = 50
    offset: int = 0


async def search_samples(session: AsyncSession, user: User,
                         query: SampleQuery) -> tuple[list[SampleOut], int]:
    repository = LibraryRepository(session)
    if query.project_id is not None:
        await authorize(session, query.project_id, user)
    keys: list[str] = []
    if query.key:
        keys = [normalise_key(query.key)]
        if query.key_match == "relative":
            keys.append(relative_key(keys[0]))
    search = " ".join(query.search.split()) if query.search else None
    if search:
        await repository.set_word_similarity()
    rows, total = await repository.search_samples(
        user.id, category=query.category, bpm=query.bpm, bpm_tolerance=query.bpm_tolerance,
        keys=keys, search=search, project_id=query.project_id, limit=query.limit,
        offset=query.offset)
    shares = await repository.shares([row.id for row in rows])
    return [sample_out(row, user, shares[row.id]) for row in rows], total


async def visible_sample(session: AsyncSession, user: User, sample_id: uuid.UUID) -> Sample:
    row = await LibraryRepository(session).visible_sample(sample_id, user.id)
    if row is None:
        raise NotFound("sample not found")
    return row


async def get_sample(session: AsyncSession, user: User, sample_id: uuid.UUID) -> SampleOut:
    row = await visible_sample(session, user, sample_id)
    shares = await LibraryRepository(session).shares([row.id])
    return sample_out(row, user, shares[row.id])


async def _own_sample(session: AsyncSession, user: User, sample_id: uuid.UUID) -> Sample:
    row = await visible_sample(session, user, sample_id)
    if row.owner_id != user.id:
        raise Forbidden("only the sample's owner may change or delete it")
    return row


async def patch_sample(session: AsyncSession, user: User, sample_id: uuid.UUID,
                       body: SamplePatch) -> SampleOut:
    row = await _own_sample(session, user, sample_id)
    repository = LibraryRepository(session)
    changes = body.model_fields_set
    if body.name is not None:
        row.name = body.name
    if body.category is not None:
        row.category = body.category
    if body.tags is not None:
        row.tags = _unique_tags(body.tags)
    if "bpm" in changes:
        row.bpm = None if body.bpm is None else round(body.bpm, 2)
    if "key" in changes:
        row.key = body.key
    row.search_text = search_text(row.name, row.category, row.tags, row.key)
    if body.project_ids is not None:
        current = set((await repository.shares([row.id]))[row.id])
        wanted = set(body.project_ids)
        for project_id in sorted(wanted - current):
            await authorize(session, project_id, user, WRITERS)
        await repository.share(row.id, sorted(wanted - current))
        await repository.unshare(row.id, sorted(current - wanted))
    await session.flush()
    shares = await repository.shares([row.id])
    return sample_out(row, user, shares[row.id])


async def delete_sample(session: AsyncSession, storage: Storage, user: User,
                        sample_id: uuid.UUID) -> None:
    row = await _own_sample(session, user, sample_id)
    await LibraryRepository(session).delete(row)
    _delete_after_commit(session, storage, row.storage_key)


def _delete_after_commit(session: AsyncSession, storage: Storage, key: str) -> None:
    async def remove() -> None:
        await storage.delete_prefix(object_folder(key))

    session.info.setdefault("after_commit", []).append(remove)


def _unique_tags(tags: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.strip().lower(), tag.strip())
    return list(seen.values())


def search_text(name: str, category: str, tags: list[str], key: str | None) -> str:
    return " ".join([name, category, *tags, key or ""]).lower().strip()[:1000]


# --- uploads -------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadForm:
    filename: str
    name: str | None
    category: str | None
    tags: list[str]
    bpm: float | None
    key: str | None


@dataclass
class Stored:
    """An upload written to storage, not yet committed: `discard` undoes the object."""

    out: UploadOut
    key: str


def object_key(owner_id: uuid.UUID, row_id: uuid.UUID, extension: str) -> str:
    return f"library/{owner_id}/{row_id}/file.{extension}"


def object_folder(key: str) -> str:
    return key.rsplit("/", 1)[0]


_UNSAFE = re.compile(r"[^\w .()&+#-]+")


def display_name(given: str | None, filename: str) -> str:
    if given:
        return given
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return _UNSAFE.sub(" ", stem).strip()[:100] or "Untitled"


def parse_tags(raw: str | None) -> list[str]:
    from ariaforge.library.schemas import MAX_TAGS, TAG_PATTERN

    if not raw:
        return []
    tags = [tag.strip() for tag in raw.split(",") if tag.strip()]
    bad = [tag for tag in tags if not re.fullmatch(TAG_PATTERN, tag)]
    if bad or len(tags) > MAX_TAGS:
        raise ValidationFailed("tags are comma-separated words (letters, digits, space, "
                               f"_ . + # & -), at most {MAX_TAGS}, each at most 40 long", [
                                   {"loc": ["body", "tags"], "msg": "invalid tags",
                                    "type": "invalid_tags"}])
    return _unique_tags(tags)


def _analyse(path: Path, kind: decode.SampleFormat, max_seconds: float,
             ffmpeg: str | None) -> tuple[decode.Decoded, dict[str, Any]]:
    from ariaforge.library.detect import detect  # NumPy: only in this worker thread

    decoded = decode.decode(path, kind, max_seconds, decode.ffmpeg_exe(ffmpeg))
    detected = detect(decoded.pcm, decode.ANALYSIS_RATE)
    return decoded, detected.as_json()


def _parse_soundfont(data: bytes) -> Any:
    from ariaforge.library.soundfonts import parse_sf2

    return parse_sf2(data)


async def upload(session: AsyncSession, storage: Storage, settings: Settings, user: User,
                 data: bytes, form: UploadForm) -> Stored:
    """Validate by decoding, check the storage quota, insert the row and store the file."""
    try:
        kind = decode.file_kind(form.filename, data[:64])
    except decode.Refused as error:
        raise refused(error, form.filename) from None
    digest = hashlib.sha256(data).hexdigest()
    repository = LibraryRepository(session)
    with tempfile.TemporaryDirectory(prefix="ariaforge-upload-") as folder:
        path = Path(folder) / f"upload.{kind}"
        await to_thread.run_sync(path.write_bytes, data)
        try:
            if kind == "sf2":
                info = await to_thread.run_sync(_parse_soundfont, data, limiter=_DECODERS)
                decoded: decode.Decoded | None = None
                detected: dict[str, Any] = {}
            else:
                decoded, detected = await to_thread.run_sync(
                    _analyse, path, kind, settings.library_max_sample_seconds,
                    settings.ffmpeg_binary, limiter=_DECODERS)
        except decode.Refused as error:
            raise refused(error, form.filename) from None
        await repository.lock_owner(user.id)
        stored = await repository.stored_bytes(user.id)
        quota = settings.library_storage_bytes_per_user
        if stored + len(data) > quota:
            raise PayloadTooLarge(
                f"your library holds {stored / 1_048_576:.1f} MiB; with this file "
                f"({len(data) / 1_048_576:.1f} MiB) it would pass your quota of "
                f"{quota / 1_048_576:.0f} MiB; delete something first",
                [{"loc": ["body", "file"], "msg": "storage quota exceeded",
                  "type": "storage_quota"}])
        name = display_name(form.name, form.filename)
        if decoded is None:
            font = SoundFontFile(id=uuid.uuid4(), owner_id=user.id, name=form.name or
                                 info.name or name, storage_key="", sha256=digest,
                                 size_bytes=len(data),
                                 presets=[item.as_json() for item in info.presets])
            font.storage_key = object_key(user.id, font.id, "sf2")
            await repository.add(font)
            await session.refresh(font)
            await storage.put_file(font.storage_key, path, decode.CONTENT_TYPES["sf2"])
            return Stored(UploadOut(kind="soundfont", soundfont=soundfont_out(font)),
                          font.storage_key)
        assert kind != "sf2"
        row = _sample_row(user, name, form, kind, digest, len(data), decoded, detected)
        await repository.add(row)
        await session.refresh(row)
        await storage.put_file(row.storage_key, path, decode.CONTENT_TYPES[kind])
        return Stored(UploadOut(kind="sample", sample=sample_out(row, user, [])),
                      row.storage_key)


def _sample_row(user: User, name: str, form: UploadForm, kind: decode.SampleFormat,
                digest: str, size: int, decoded: decode.Decoded,
                detected: dict[str, Any]) -> Sample:
    bpm = form.bpm if form.bpm is not None else detected.get("bpm")
    key = form.key if form.key is not None else detected.get("key")
    tags = list(form.tags)
    if not any(tag.lower() in ("loop", "one-shot") for tag in tags):
        looped = detected.get("bpm") is not None and decoded.duration_s >= ONE_SHOT_SECONDS
        tags.append("loop" if looped else "one-shot")
    category = form.category or "other"
    row = Sample(id=uuid.uuid4(), owner_id=user.id, name=name, category=category, bpm=bpm,
                 key=key, tags=tags, search_text=search_text(name, category, tags, key),
                 storage_key="", format=kind, sha256=digest, size_bytes=size,
                 duration_s=decoded.duration_s, sample_rate=decoded.sample_rate,
                 channels=decoded.channels, detected=detected)
    row.storage_key = object_key(user.id, row.id, kind)
    return row


async def discard(storage: Storage, key: str) -> None:
    try:
        await storage.delete_prefix(object_folder(key))
    except Exception:  # the commit's error is what the client must see
        logger.exception("could not remove %s after a failed upload", key)


# What the score service and the renderer use (defined in access.py, which imports only
# light modules; re-exported here under the names other domains were told).
from ariaforge.library.access import (  # noqa: E402
    preset_for_render,
    readable_samples,
    sample_bytes,
    share_with_project,
    soundfont_bytes,
)
