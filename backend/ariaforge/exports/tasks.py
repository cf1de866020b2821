"""The `export.render` job, and cached previews.

Idempotent by construction: files go to keys derived from the export id (a retry
overwrites them), and the export row is updated in place, never duplicated.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from anyio import to_thread
from pydantic import ValidationError
from sqlalchemy import func, select, update

from ariaforge.audio.errors import BadInputError
from ariaforge.audio.mix import MixSettings
from ariaforge.audio.pipeline import RenderOptions, RenderResult, render_score
from ariaforge.config import Settings, get_settings
from ariaforge.core.metrics import AUDIO_PROCESSING_TIME, AUDIO_QUALITY_SCORE
from ariaforge.core.storage import Storage, create_storage
from ariaforge.exports import limits
from ariaforge.exports.service import EXPIRE_JOB, EXPORT_JOB, PREVIEW_JOB, current_mix
from ariaforge.models import Export, ProjectScore
from ariaforge.music.interchange import write_midi, write_musicxml
from ariaforge.music.score import Score
from ariaforge.queue.errors import PermanentJobError
from ariaforge.queue.registry import JobContext, handler, payload_id

CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac",
                 "ogg": "audio/ogg", "opus": "audio/ogg", "mid": "audio/midi",
                 "musicxml": "application/vnd.recordare.musicxml+xml",
                 "zip": "application/zip"}
PREVIEW_OPTIONS = {"format": "mp3", "quality": "medium", "sample_rate": 44100}


def storage_for(settings: Settings) -> Storage:
    return create_storage(settings.storage_url, settings.ariaforge_home,
                          settings.storage_endpoint_url)


def render_options(options: dict[str, Any]) -> RenderOptions:
    return RenderOptions(**{k: options[k] for k in (
        "format", "quality", "sample_rate", "bit_depth", "target_lufs", "include_stems",
        "start_bar", "end_bar") if k in options})


def _render(score: Score, mix: MixSettings, options: RenderOptions, out: Path,
            settings: Settings, ctx: JobContext | None) -> RenderResult:
    def progress(percent: float, stage: str, message: str) -> None:
        if ctx is not None:
            ctx.report(percent * 0.9, stage, message)  # the last 10 %: storing the files

    # Settings of tracks deleted since the mix was saved are ignored, not fatal.
    known = {track.id for track in score.tracks}
    mix = mix.model_copy(update={"tracks": {k: v for k, v in mix.tracks.items() if k in known}})
    try:
        return render_score(score, mix, options, out, soundfont_path=settings.soundfont_path,
                            ffmpeg_binary=settings.ffmpeg_binary, progress=progress)
    except BadInputError as error:
        raise PermanentJobError(str(error)) from error


def _notation_files(score: Score, options: dict[str, Any], out: Path) -> list[dict[str, Any]]:
    files = []
    if options.get("include_midi"):
        (out / "score.mid").write_bytes(write_midi(score))
        files.append({"path": out / "score.mid", "kind": "midi", "format": "mid"})
    if options.get("include_musicxml"):
        (out / "score.musicxml").write_bytes(write_musicxml(score))
        files.append({"path": out / "score.musicxml", "kind": "musicxml",
                      "format": "musicxml"})
    return files


def _bundle(files: list[dict[str, Any]], out: Path) -> dict[str, Any]:
    path = out / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            archive.write(item["path"], arcname=item["path"].name)
    return {"path": path, "kind": "bundle", "format": "zip"}


async def _store(storage: Storage, export_id: uuid.UUID,
                 files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stored = []
    for item in files:
        path: Path = item["path"]
        size = await storage.put_file(f"exports/{export_id}/{path.name}", path,
                                      CONTENT_TYPES.get(item["format"], "application/octet-stream"))
        stored.append({"name": path.name, "kind": item["kind"], "format": item["format"],
                       "bytes": size, "track_id": item.get("track_id")})
    return stored


def _stored_music(score: dict[str, Any],
                  mix: dict[str, Any] | None) -> tuple[Score, MixSettings]:
    """A stored score that today's limits refuse can never render: fail at once."""
    try:
        return Score.model_validate(score), MixSettings.model_validate(mix or {})
    except ValidationError as error:
        raise PermanentJobError(f"the stored score is no longer valid: "
                                f"{error.errors()[0].get('msg', 'invalid')}") from None


@handler(EXPORT_JOB)
async def render_export(ctx: JobContext) -> dict[str, Any]:
    export_id = payload_id(ctx, "export_id", "export")
    async with ctx.sessionmaker() as session:
        export = await session.get(Export, export_id)
        if export is None:
            raise PermanentJobError("the export was deleted")
        score, mix = _stored_music(export.score, export.mix)
        options = dict(export.options)
    settings = ctx.settings or get_settings()
    with TemporaryDirectory(prefix="ariaforge-export-") as folder:
        out = Path(folder)
        result = await to_thread.run_sync(
            _render, score, mix, render_options(options), out, settings, ctx)
        files = [{"path": f.path, "kind": f.kind, "format": f.format, "track_id": f.track_id}
                 for f in result.files]
        files += _notation_files(score, options, out)
        if len(files) > 1:
            files.append(_bundle(files, out))
        ctx.report(92.0, "storing")
        stored = await _store(storage_for(settings), export_id, files)
    async with ctx.sessionmaker() as session:
        export = await session.get(Export, export_id, with_for_update=True)
        if export is None:
            raise PermanentJobError("the export was deleted")
        export.files = stored  # what the requester's quota counts from now on
        export.quality = result.quality.model_dump(mode="json")
        export.finished_at = datetime.now(UTC)
        await session.commit()
    AUDIO_PROCESSING_TIME.observe(result.render_seconds)
    AUDIO_QUALITY_SCORE.observe(result.quality.score)
    return {"export_id": str(export_id), "files": len(stored)}


# --- previews -----------------------------------------------------------------------


def preview_key(project_id: uuid.UUID, score: Score, mix: MixSettings,
                settings: Settings) -> str:
    """Content-addressed: the same score, mix and sound produce the same key."""
    material = json.dumps({"score": score.model_dump(mode="json"),
                           "mix": mix.model_dump(mode="json"), "options": PREVIEW_OPTIONS,
                           "max_seconds": settings.preview_max_seconds,
                           "soundfont": str(settings.soundfont_path or "")}, sort_keys=True)
    digest = hashlib.sha256(material.encode()).hexdigest()[:32]
    return f"previews/{project_id}/{digest}.mp3"


async def render_preview(score: Score, mix: MixSettings, key: str, settings: Settings) -> None:
    """The preview plays the score from its start to its last note (plus the release
    tail), at most PREVIEW_MAX_SECONDS, less when many tracks with effects would make
    that much audio too large to hold (`limits.preview_seconds_limit`): its memory
    follows the music heard, never the score's nominal length."""
    if not limits.has_notes(score):
        raise PermanentJobError("the score has no notes to render")
    seconds = limits.preview_seconds_limit(score, mix, settings.preview_max_seconds)
    heard = limits.preview_score(score, seconds)
    with TemporaryDirectory(prefix="ariaforge-preview-") as folder:
        out = Path(folder)
        options = RenderOptions.model_validate(PREVIEW_OPTIONS)
        result = await to_thread.run_sync(_render, heard, mix, options, out, settings, None)
        mix_file = next(f for f in result.files if f.kind == "mix")
        await storage_for(settings).put_file(key, mix_file.path, CONTENT_TYPES["mp3"])


@handler(PREVIEW_JOB)
async def render_project_preview(ctx: JobContext) -> dict[str, Any]:
    """Warm the preview cache for a project's current score (after a composition), so the
    first play is instant. Content-addressed: a preview that exists is not rendered again."""
    project_id = payload_id(ctx, "project_id", "project")
    async with ctx.sessionmaker() as session:
        row = await session.get(ProjectScore, project_id)
        if row is None:
            raise PermanentJobError("the project has no score")
        score, _ = _stored_music(row.data, None)
        _, mix = await current_mix(session, project_id)
    settings = ctx.settings or get_settings()
    key = preview_key(project_id, score, mix, settings)
    if await storage_for(settings).size(key) is None:
        ctx.report(5.0, "rendering")
        await render_preview(score, mix, key, settings)
    return {"key": key}


# --- expiry -------------------------------------------------------------------------

EXPIRE_BATCH = 200


@handler(EXPIRE_JOB)
async def expire_exports(ctx: JobContext) -> dict[str, Any]:
    """Delete the files of exports older than the retention (they no longer count against
    any quota, and their downloads answer 404). Idempotent: deleting twice is harmless."""
    settings = ctx.settings or get_settings()
    before = datetime.now(UTC) - timedelta(days=settings.export_retention_days)
    storage = storage_for(settings)
    expired = 0
    while True:
        async with ctx.sessionmaker() as session:
            ids = list((await session.execute(
                select(Export.id).where(Export.created_at <= before,
                                        func.jsonb_array_length(Export.files) > 0)
                .limit(EXPIRE_BATCH).with_for_update(skip_locked=True))).scalars())
            for export_id in ids:
                await storage.delete_prefix(f"exports/{export_id}")
            await session.execute(update(Export).where(Export.id.in_(ids)).values(files=[]))
            await session.commit()
        expired += len(ids)
        if len(ids) < EXPIRE_BATCH:
            return {"expired": expired}
