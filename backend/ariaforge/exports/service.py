"""Mix settings, export requests and preview jobs. Exports and previews render as jobs
(see tasks.py), never in the API process."""

from __future__ import annotations

import logging
import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.audio.options import MixSettings
from ariaforge.config import Settings
from ariaforge.core import quotas
from ariaforge.core.db import commit, run_after_commit
from ariaforge.core.errors import NotFound, RateLimited, ValidationFailed
from ariaforge.exports import limits
from ariaforge.exports.repository import ExportRepository, MixRepository, PreviewRepository
from ariaforge.exports.schemas import ExportFile, ExportOut, ExportRequest, StoredFile
from ariaforge.membership.access import WRITERS, authorize
from ariaforge.models import Export, Job, JobStatus, Project, ProjectMix, User
from ariaforge.music.score import Score
from ariaforge.queue.stream import submit
from ariaforge.scores import listeners
from ariaforge.scores import service as scores
from ariaforge.scores.download_names import clean_stem, download_name

logger = logging.getLogger(__name__)

EXPORT_JOB = "export.render"
PREVIEW_JOB = "preview.render"
ESTIMATE_KEY = "estimated_bytes"  # in the job's payload: what the quota counts meanwhile


# --- mix ----------------------------------------------------------------------------


async def current_mix(session: AsyncSession, project_id: uuid.UUID) -> tuple[int, MixSettings]:
    row = await MixRepository(session).get(project_id)
    if row is None:
        return 0, MixSettings()
    return row.revision, MixSettings.model_validate(row.settings)


async def get_mix(session: AsyncSession, user: User,
                  project_id: uuid.UUID) -> tuple[int, MixSettings]:
    await authorize(session, project_id, user)
    return await current_mix(session, project_id)


async def put_mix(session: AsyncSession, user: User, project_id: uuid.UUID,
                  settings: MixSettings, expected: int | None) -> int:
    await authorize(session, project_id, user, WRITERS, for_update=True)
    await listeners.before_write(session, project_id)
    loaded = await scores.get_score(session, user, project_id)
    known = {track.id for track in loaded.score.tracks}
    unknown = sorted(set(settings.tracks) - known)
    if unknown:
        raise ValidationFailed("mix settings name tracks that are not in the score", [
            {"loc": ["body", "settings", "tracks", track_id], "msg": "no such track",
             "type": "unknown_track"} for track_id in unknown[:20]])
    mixes = MixRepository(session)
    row = await mixes.get(project_id, for_update=True)
    data = settings.model_dump(mode="json")
    if row is None:
        listeners.check_revision(session, 0, expected, "mix")
        await mixes.add(ProjectMix(project_id=project_id, settings=data, revision=1))
        old, revision = None, 1
    else:
        listeners.check_revision(session, row.revision, expected, "mix")
        old = row.settings
        row.settings = data
        row.revision += 1
        row.updated_at = datetime.now(UTC)
        await session.flush()
        revision = row.revision
    await listeners.mix_saved(session, listeners.MixSaved(project_id, user.id, old, data))
    return revision


# --- exports ------------------------------------------------------------------------


def _check_range(request: ExportRequest, score: Score) -> None:
    for field in ("start_bar", "end_bar"):
        bar = getattr(request, field)
        if bar is not None and bar > score.bars:
            raise ValidationFailed(f"{field} {bar} is past the end of the score "
                                   f"({score.bars} bars)", [
                {"loc": ["body", field], "msg": "past the end of the score",
                 "type": "out_of_range"}])


def _check_music(request: ExportRequest, score: Score) -> None:
    """Refused at once rather than as a job that can only fail."""
    if not limits.has_notes(score):
        raise ValidationFailed("the score has no notes to export", [
            {"loc": ["score"], "msg": "no notes", "type": "empty_score"}])
    if not limits.notes_in_range(score, request):
        raise ValidationFailed("no note sounds in the requested bars", [
            {"loc": ["body", "start_bar"], "msg": "no notes in range", "type": "empty_range"}])


def _check_cost(cost: limits.ExportCost, settings: Settings) -> None:
    """422 for what no amount of waiting would let through."""
    limit = min(settings.export_max_bytes, settings.export_storage_bytes_per_user)
    if cost.bytes > limit:
        raise ValidationFailed(
            f"this export would store up to {_mib(cost.bytes)} MiB; one export may store at "
            f"most {_mib(limit)} MiB (fewer bars, no stems, a compressed format or a lower "
            "bit depth)", [
                {"loc": ["body"], "msg": "export too large", "type": "export_too_large",
                 "estimated_bytes": cost.bytes, "limit_bytes": limit}])
    if cost.render_memory > limits.RENDER_MEMORY_BYTES:
        raise ValidationFailed(
            "this export would need too much memory to render (too many tracks with "
            "effects or stems for its length); export fewer bars or without stems", [
                {"loc": ["body"], "msg": "render too large", "type": "render_too_large"}])


def _mib(size: int) -> int:
    return math.ceil(size / 1_048_576)


ACTIVE_RETRY_AFTER_S = 30
_ACTIVE = frozenset({JobStatus.QUEUED.value, JobStatus.RUNNING.value})


def _counted_bytes(status: str | None, payload: dict[str, Any] | None,
                   files: list[dict[str, Any]]) -> int:
    """What one export counts against the quota: its stored files once written, its
    estimate (kept in its job's payload) while it waits or runs."""
    if files:
        return sum(int(item.get("bytes") or 0) for item in files)
    if status in _ACTIVE and payload:
        return int(payload.get(ESTIMATE_KEY) or 0)
    return 0


async def _check_quota(session: AsyncSession, redis: Redis, user: User, cost_bytes: int,
                       settings: Settings) -> None:
    """Per-user limits: exports waiting or running, stored bytes, exports per hour.

    The user's row is locked first, so parallel requests of one user are counted one
    after the other (each sees the exports the previous ones committed)."""
    exports = ExportRepository(session)
    await exports.lock_requester(user)
    since = datetime.now(UTC) - timedelta(days=settings.export_retention_days)
    running, stored, oldest = 0, 0, None
    for status, payload, files, created_at in await exports.requested_since(user, since):
        size = _counted_bytes(status, payload, files)
        running += status in _ACTIVE
        stored += size
        if size:
            oldest = created_at if oldest is None else min(oldest, created_at)
    if running >= settings.exports_active_per_user:
        raise RateLimited(f"at most {settings.exports_active_per_user} exports may wait or "
                          "run at once; try again when one has finished",
                          retry_after=ACTIVE_RETRY_AFTER_S)
    if stored + cost_bytes > settings.export_storage_bytes_per_user:
        wait = ((oldest + timedelta(days=settings.export_retention_days)) - datetime.now(UTC)
                if oldest else timedelta(seconds=1))
        raise RateLimited(
            f"your exports of the last {settings.export_retention_days} days hold "
            f"{_mib(stored)} MiB; with this one ({_mib(cost_bytes)} MiB) they would pass the "
            f"quota of {_mib(settings.export_storage_bytes_per_user)} MiB",
            retry_after=max(1, math.ceil(wait.total_seconds())))
    await quotas.take(redis, "exports", str(user.id), settings.exports_per_hour, "exports")


async def create_export(session: AsyncSession, redis: Redis, user: User,
                        project_id: uuid.UUID, request: ExportRequest,
                        settings: Settings) -> tuple[Export, Job]:
    """Anyone who may see the project may export it (viewers included), within their own
    quota (see `_check_quota`): listening to and downloading a piece is what a viewer
    is for, and the quota bounds what any account can cost."""
    loaded = await scores.get_score(session, user, project_id)
    _check_range(request, loaded.score)
    _check_music(request, loaded.score)
    _, mix = await current_mix(session, project_id)
    cost = limits.export_cost(loaded.score, mix, request)
    _check_cost(cost, settings)
    await _check_quota(session, redis, user, cost.bytes, settings)
    export = await ExportRepository(session).add(Export(
        project_id=project_id, requested_by=user.id, options=request.model_dump(mode="json"),
        score=loaded.score.model_dump(mode="json"), mix=mix.model_dump(mode="json"),
        score_revision=loaded.row.revision))
    job = await submit(session, redis, EXPORT_JOB,
                       {"export_id": str(export.id), ESTIMATE_KEY: cost.bytes},
                       project_id=project_id, created_by=user.id)
    export.job_id = job.id
    await session.flush()
    await _schedule_expiry(session, redis, user, settings)
    return export, job


EXPIRE_JOB = "exports.expire"
EXPIRE_EVERY_S = 3600
EXPIRE_DUE_KEY = "ariaforge:exports:expire-scheduled"


async def _schedule_expiry(session: AsyncSession, redis: Redis, user: User,
                           settings: Settings) -> None:
    """At most once an hour (across API processes), a job deletes expired exports' files.
    It rides on export requests: until the next one, expired files merely wait on disk,
    where they count against no quota and cannot be downloaded."""
    if await redis.set(EXPIRE_DUE_KEY, "1", nx=True, ex=EXPIRE_EVERY_S):
        await submit(session, redis, EXPIRE_JOB, {}, created_by=user.id)


def expires_at(export: Export, settings: Settings) -> datetime:
    return export.created_at + timedelta(days=settings.export_retention_days)


async def visible_export(session: AsyncSession, user: User,
                         export_id: uuid.UUID) -> tuple[Export, Job | None]:
    exports = ExportRepository(session)
    export = await exports.get(export_id)
    if export is None:
        raise NotFound("export not found")
    try:
        await authorize(session, export.project_id, user)
    except NotFound:
        raise NotFound("export not found") from None
    return export, await exports.job(export)


async def downloadable(session: AsyncSession, user: User,
                       export_id: uuid.UUID) -> tuple[Export, Project]:
    """An export the user may download, and its project (whose name its files take)."""
    export = await ExportRepository(session).get(export_id)
    if export is None:
        raise NotFound("export not found")
    try:
        project, _ = await authorize(session, export.project_id, user)
    except NotFound:
        raise NotFound("export not found") from None
    return export, project


def download_file_name(export: Export, project_name: str, stored: StoredFile) -> str:
    """What the browser saves a file as: "Rainy waltz - mix.mp3", "Rainy waltz - Bass.mp3"
    (a stem, by its track's name when the exported score has it), "Rainy waltz.mid",
    "Rainy waltz - export.zip"."""
    extension = stored.name.rpartition(".")[2]
    if stored.kind in {"midi", "musicxml"}:
        return download_name(project_name, f".{extension}")
    if stored.kind == "stem":
        track = _track_name(export, stored.track_id) or stored.name.rpartition(".")[0]
        return download_name(project_name, f" - {clean_stem(track)}.{extension}")
    return download_name(project_name, f" - {stored.name}")


def _track_name(export: Export, track_id: str | None) -> str | None:
    tracks = export.score.get("tracks") if isinstance(export.score, dict) else None
    for track in tracks if isinstance(tracks, list) else []:
        if isinstance(track, dict) and track.get("id") == track_id:
            name = track.get("name")
            return name if isinstance(name, str) else None
    return None


def is_expired(export: Export, settings: Settings) -> bool:
    return expires_at(export, settings) <= datetime.now(UTC)


def export_out(export: Export, job: Job | None, url_base: str,
               settings: Settings) -> ExportOut:
    files = [] if is_expired(export, settings) else [
        ExportFile(**stored.model_dump(),
                   url=f"{url_base}/exports/{export.id}/files/{stored.name}")
        for stored in stored_files(export)]
    return ExportOut(
        id=export.id, project_id=export.project_id, job_id=export.job_id,
        status=JobStatus(job.status) if job else JobStatus.FAILED,
        progress=job.progress if job else 0.0, stage=job.stage if job else "",
        message=job.message if job else "", error=job.error if job else "job lost",
        options=export.options, score_revision=export.score_revision, quality=export.quality,
        files=files, created_at=export.created_at, finished_at=export.finished_at,
        expires_at=expires_at(export, settings))


LISTED_EXPORTS = 50  # the newest; older ones are still downloadable by id


async def list_exports(session: AsyncSession, user: User,
                       project_id: uuid.UUID) -> list[tuple[Export, Job | None]]:
    await authorize(session, project_id, user)
    return await ExportRepository(session).of_project(project_id, LISTED_EXPORTS)


def stored_files(export: Export) -> list[StoredFile]:
    """The files its job recorded (none before it finished). Rows are written only by our
    own job; one that no longer fits is shown without files rather than failing every
    read of the project's exports."""
    try:
        return [StoredFile.model_validate(item) for item in export.files]
    except ValidationError:
        logger.warning("export %s has file records that no longer validate", export.id)
        return []


# --- previews -----------------------------------------------------------------------


async def preview_job(sessionmaker: async_sessionmaker[AsyncSession], redis: Redis,
                      user: User, project_id: uuid.UUID, key: str, sound: str,
                      listener: str = "") -> uuid.UUID:
    """The job that renders the preview stored at `key`: one already waiting or running,
    else a new one. Decided under a lock on the key, so concurrent requests (in any API
    process) join one job. Committed and enqueued before returning, in a transaction of
    its own: the caller waits for a worker to run it. `listener` is a listener's own
    mute/solo (`previews.ListenerMix.to_payload`): it supersedes only jobs of that mix."""
    async with sessionmaker() as session:
        previews = PreviewRepository(session)
        await previews.lock_key(key)
        job = await previews.active_job(PREVIEW_JOB, key)
        await previews.supersede(PREVIEW_JOB, project_id, key, listener)
        if job is None:
            job = await submit(session, redis, PREVIEW_JOB,
                               {"project_id": str(project_id), "key": key,
                                "sound": sound, "listener": listener},
                               project_id=project_id, created_by=user.id)
        job_id = job.id
        await commit(session)
        await run_after_commit(session)
    return job_id
