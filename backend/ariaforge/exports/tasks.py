"""The jobs of the exports domain: `export.render`, `preview.render` and `exports.expire`.
Only the worker imports this module: it loads the audio stack.

Idempotent by construction: files go to keys derived from the export id (a retry
overwrites them), and the export row is updated in place, never duplicated.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from anyio import to_thread
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.audio.errors import BadInputError
from ariaforge.audio.options import MixSettings, RenderOptions
from ariaforge.audio.pipeline import RenderResult, render_score
from ariaforge.audio.samples import SampleSource, sample_ids
from ariaforge.audio.synth import TrackVoice
from ariaforge.config import Settings, get_settings
from ariaforge.core.metrics import AUDIO_PROCESSING_TIME, AUDIO_QUALITY_SCORE
from ariaforge.core.storage import ObjectNotFoundError, Storage, create_storage
from ariaforge.exports import limits
from ariaforge.exports.previews import (
    PREVIEW_OPTIONS,
    ListenerMix,
    for_listener,
    preview_key,
    sound_of,
)
from ariaforge.exports.repository import ExportRepository, PreviewRepository
from ariaforge.exports.schemas import CONTENT_TYPES, ExportRequest, StoredFile
from ariaforge.exports.service import EXPIRE_JOB, EXPORT_JOB, PREVIEW_JOB, current_mix
from ariaforge.music.interchange import write_midi, write_musicxml
from ariaforge.music.score import Score
from ariaforge.queue.errors import PermanentJobError
from ariaforge.queue.registry import Handler, JobContext, payload_id


def storage_for(settings: Settings) -> Storage:
    return create_storage(settings.storage_url, settings.ariaforge_home,
                          settings.storage_endpoint_url)


@dataclass(frozen=True)
class _Written:
    """A file written to the job's folder, to be stored."""

    path: Path
    kind: str
    format: str
    track_id: str | None = None


@dataclass
class _Library:
    """What a render takes from the sound library, fetched into the job's folder: the
    samples the audio tracks' clips name and the SoundFonts of the tracks' presets."""

    samples: dict[str, SampleSource]
    voices: dict[str, TrackVoice]


async def _fetch_library(session: AsyncSession, storage: Storage, project_id: uuid.UUID,
                         score: Score, folder: Path) -> _Library:
    """Fetch the samples the project may use (a clip naming any other fails the job: it
    was unshared or deleted since the score was written) and the SoundFonts of presets
    that name one (a preset that is gone leaves the General MIDI program)."""
    from ariaforge.library import access as library  # the worker's side of the library

    samples: dict[str, SampleSource] = {}
    wanted = sample_ids(score)
    if wanted:
        rows = await library.readable_samples(session, project_id,
                                              [uuid.UUID(i) for i in sorted(wanted)])
        for row in rows.values():
            path = folder / f"sample-{row.id}.{row.format}"
            try:
                path.write_bytes(await library.sample_bytes(storage, row))
            except ObjectNotFoundError:
                continue  # its file is gone (deleted meanwhile): missing, below
            samples[str(row.id)] = SampleSource(path, row.bpm)
        missing = sorted(wanted - set(samples))
        if missing:
            raise PermanentJobError(f"sample {missing[0]} is no longer available to this "
                                    "project: remove its clips or share it again")
    voices: dict[str, TrackVoice] = {}
    fonts: dict[str, Path] = {}
    for track in score.tracks:
        if track.preset_id is None or track.is_audio:
            continue
        found = await library.preset_for_render(session, uuid.UUID(track.preset_id))
        if found is None or found.soundfont is None:
            continue  # a General MIDI preset: the track's program is its sound
        key = found.soundfont.storage_key
        if key not in fonts:
            fonts[key] = folder / f"soundfont-{len(fonts)}.sf2"
            try:
                fonts[key].write_bytes(await library.soundfont_bytes(storage, found.soundfont))
            except ObjectNotFoundError:
                raise PermanentJobError(f"the SoundFont of track {track.name!r}'s preset is "
                                        "gone: choose another preset") from None
        voices[track.id] = TrackVoice(fonts[key], found.bank, found.preset_number)
    return _Library(samples, voices)


def _render(score: Score, mix: MixSettings, options: RenderOptions, out: Path,
            settings: Settings, ctx: JobContext | None,
            library: _Library | None = None) -> RenderResult:
    def progress(percent: float, stage: str, message: str) -> None:
        if ctx is not None:
            ctx.report(percent * 0.9, stage, message)  # the last 10 %: storing the files

    # Settings of tracks deleted since the mix was saved are ignored, not fatal.
    known = {track.id for track in score.tracks}
    mix = mix.model_copy(update={"tracks": {k: v for k, v in mix.tracks.items() if k in known}})
    try:
        return render_score(score, mix, options, out, soundfont_path=settings.soundfont_path,
                            ffmpeg_binary=settings.ffmpeg_binary, progress=progress,
                            samples=library.samples if library else None,
                            voices=library.voices if library else None)
    except BadInputError as error:
        raise PermanentJobError(str(error)) from error


def _notation_files(score: Score, request: ExportRequest, out: Path) -> list[_Written]:
    files = []
    if request.include_midi:
        (out / "score.mid").write_bytes(write_midi(score))
        files.append(_Written(out / "score.mid", "midi", "mid"))
    if request.include_musicxml:
        (out / "score.musicxml").write_bytes(write_musicxml(score))
        files.append(_Written(out / "score.musicxml", "musicxml", "musicxml"))
    return files


def _bundle(files: list[_Written], out: Path) -> _Written:
    path = out / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            archive.write(item.path, arcname=item.path.name)
    return _Written(path, "bundle", "zip")


async def _store(storage: Storage, export_id: uuid.UUID,
                 files: list[_Written]) -> list[StoredFile]:
    stored = []
    for item in files:
        size = await storage.put_file(f"exports/{export_id}/{item.path.name}", item.path,
                                      CONTENT_TYPES.get(item.format, "application/octet-stream"))
        stored.append(StoredFile.model_validate({
            "name": item.path.name, "kind": item.kind, "format": item.format, "bytes": size,
            "track_id": item.track_id}))
    return stored


def _stored_music(score: dict[str, Any],
                  mix: dict[str, Any] | None) -> tuple[Score, MixSettings]:
    """A stored score that today's limits refuse can never render: fail at once."""
    try:
        return Score.model_validate(score), MixSettings.model_validate(mix or {})
    except ValidationError as error:
        raise PermanentJobError(f"the stored score is no longer valid: "
                                f"{error.errors()[0].get('msg', 'invalid')}") from None


def _stored_request(options: dict[str, Any]) -> ExportRequest:
    try:
        return ExportRequest.model_validate(options)
    except ValidationError as error:
        raise PermanentJobError(f"the stored export options are no longer valid: "
                                f"{error.errors()[0].get('msg', 'invalid')}") from None


async def render_export(ctx: JobContext) -> dict[str, Any]:
    export_id = payload_id(ctx, "export_id", "export")
    async with ctx.sessionmaker() as session:
        export = await ExportRepository(session).get(export_id)
        if export is None:
            raise PermanentJobError("the export was deleted")
        score, mix = _stored_music(export.score, export.mix)
        request = _stored_request(export.options)
        project_id = export.project_id
    settings = ctx.settings or get_settings()
    with TemporaryDirectory(prefix="ariaforge-export-") as folder, \
            TemporaryDirectory(prefix="ariaforge-library-") as fetched:
        out = Path(folder)
        async with ctx.sessionmaker() as session:
            library = await _fetch_library(session, storage_for(settings), project_id, score,
                                           Path(fetched))
        result = await to_thread.run_sync(
            _render, score, mix, request.render_options(), out, settings, ctx, library)
        files = [_Written(f.path, f.kind, f.format, f.track_id) for f in result.files]
        files += _notation_files(score, request, out)
        if len(files) > 1:
            files.append(_bundle(files, out))
        ctx.report(92.0, "storing")
        stored = await _store(storage_for(settings), export_id, files)
    async with ctx.sessionmaker() as session:
        export = await ExportRepository(session).get(export_id, for_update=True)
        if export is None:
            raise PermanentJobError("the export was deleted")
        # What the requester's quota counts from now on.
        export.files = [item.model_dump(mode="json") for item in stored]
        export.quality = result.quality.model_dump(mode="json")
        export.finished_at = datetime.now(UTC)
        await session.commit()
    AUDIO_PROCESSING_TIME.observe(result.render_seconds)
    AUDIO_QUALITY_SCORE.observe(result.quality.score)
    return {"export_id": str(export_id), "files": len(stored)}


# --- previews -----------------------------------------------------------------------


async def render_preview(score: Score, mix: MixSettings, key: str, settings: Settings,
                         fetch: Callable[[Path], Awaitable[_Library]] | None = None) -> None:
    """The preview plays the score from its start to its last note (plus the release
    tail), at most PREVIEW_MAX_SECONDS, less when many tracks with effects would make
    that much audio too large to hold (`limits.preview_seconds_limit`): its memory
    follows the music heard, never the score's nominal length."""
    if not limits.has_notes(score):
        raise PermanentJobError("the score has no notes to render")
    seconds = limits.preview_seconds_limit(score, mix, settings.preview_max_seconds)
    heard = limits.preview_score(score, seconds)
    with TemporaryDirectory(prefix="ariaforge-preview-") as folder, \
            TemporaryDirectory(prefix="ariaforge-library-") as fetched:
        out = Path(folder)
        library = None if fetch is None else await fetch(Path(fetched))
        result = await to_thread.run_sync(_render, heard, mix, PREVIEW_OPTIONS, out, settings,
                                          None, library)
        mix_file = next(f for f in result.files if f.kind == "mix")
        await storage_for(settings).put_file(key, mix_file.path, CONTENT_TYPES["mp3"])


async def render_project_preview(ctx: JobContext) -> dict[str, Any]:
    """Render the preview of a project's current score, for a request waiting on it (see
    `exports.previews`) or to warm the cache after a composition, so the first play is
    instant. Content-addressed: a preview that exists is not rendered again."""
    project_id = payload_id(ctx, "project_id", "project")
    async with ctx.sessionmaker() as session:
        row = await PreviewRepository(session).score(project_id)
        if row is None:
            raise PermanentJobError("the project has no score")
        score, _ = _stored_music(row.data, None)
        _, mix = await current_mix(session, project_id)
    settings = ctx.settings or get_settings()
    asked = ctx.payload.get("sound")
    if asked is not None and asked != sound_of(settings):
        # Rendered here, it would be stored under a key the API never asks for, and every
        # preview would wait forever: say which settings to align instead.
        raise PermanentJobError("this worker's SOUNDFONT_PATH or PREVIEW_MAX_SECONDS "
                                "differ from the API's; previews need the same values")
    # A listener's own mute/solo; ids of tracks deleted since are ignored (the key then
    # differs from the one asked for, and the waiting request sees the score changed).
    score = for_listener(score, ListenerMix.from_payload(ctx.payload.get("listener")),
                         strict=False)
    key = preview_key(project_id, score, mix, settings)
    if await storage_for(settings).size(key) is None:
        ctx.report(5.0, "rendering")

        async def fetch(folder: Path) -> _Library:
            async with ctx.sessionmaker() as session:
                return await _fetch_library(session, storage_for(settings), project_id,
                                            score, folder)

        await render_preview(score, mix, key, settings, fetch)
    return {"key": key}


# --- expiry -------------------------------------------------------------------------

EXPIRE_BATCH = 200


async def expire_exports(ctx: JobContext) -> dict[str, Any]:
    """Delete the files of exports older than the retention (they no longer count against
    any quota, and their downloads answer 404). Idempotent: deleting twice is harmless."""
    settings = ctx.settings or get_settings()
    before = datetime.now(UTC) - timedelta(days=settings.export_retention_days)
    storage = storage_for(settings)
    expired = 0
    while True:
        async with ctx.sessionmaker() as session:
            exports = ExportRepository(session)
            ids = await exports.expired_with_files(before, EXPIRE_BATCH)
            for export_id in ids:
                await storage.delete_prefix(f"exports/{export_id}")
            await exports.forget_files(ids)
            await session.commit()
        expired += len(ids)
        if len(ids) < EXPIRE_BATCH:
            return {"expired": expired}


TASKS: dict[str, Handler] = {EXPORT_JOB: render_export, PREVIEW_JOB: render_project_preview,
                             EXPIRE_JOB: expire_exports}
