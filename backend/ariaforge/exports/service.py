"""Mix settings and export requests. Exports run as `export.render` jobs (see render.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic import ValidationError
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.audio.mix import MixSettings
from ariaforge.core.errors import NotFound, ValidationFailed
from ariaforge.core.revisions import check_revision
from ariaforge.exports.schemas import ExportFile, ExportOut, ExportRequest
from ariaforge.jobs.queue import submit
from ariaforge.models import Export, Job, JobStatus, ProjectMix, User
from ariaforge.music.score import Score
from ariaforge.projects.access import WRITERS, authorize
from ariaforge.scores import service as scores

EXPORT_JOB = "export.render"


# --- mix ----------------------------------------------------------------------------


async def _mix_row(session: AsyncSession, project_id: uuid.UUID, *,
                   for_update: bool = False) -> ProjectMix | None:
    query = select(ProjectMix).where(ProjectMix.project_id == project_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def current_mix(session: AsyncSession, project_id: uuid.UUID) -> tuple[int, MixSettings]:
    row = await _mix_row(session, project_id)
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
    loaded = await scores.get_score(session, user, project_id)
    known = {track.id for track in loaded.score.tracks}
    unknown = sorted(set(settings.tracks) - known)
    if unknown:
        raise ValidationFailed("mix settings name tracks that are not in the score", [
            {"loc": ["body", "settings", "tracks", track_id], "msg": "no such track",
             "type": "unknown_track"} for track_id in unknown[:20]])
    row = await _mix_row(session, project_id, for_update=True)
    data = settings.model_dump(mode="json")
    if row is None:
        check_revision(0, expected, "mix")
        session.add(ProjectMix(project_id=project_id, settings=data, revision=1))
        await session.flush()
        return 1
    check_revision(row.revision, expected, "mix")
    row.settings = data
    row.revision += 1
    row.updated_at = datetime.now(UTC)
    await session.flush()
    return row.revision


# --- exports ------------------------------------------------------------------------


def _check_range(request: ExportRequest, score: Score) -> None:
    for field in ("start_bar", "end_bar"):
        bar = getattr(request, field)
        if bar is not None and bar > score.bars:
            raise ValidationFailed(f"{field} {bar} is past the end of the score "
                                   f"({score.bars} bars)", [
                {"loc": ["body", field], "msg": "past the end of the score",
                 "type": "out_of_range"}])


async def create_export(session: AsyncSession, redis: Redis, user: User,
                        project_id: uuid.UUID, request: ExportRequest,
                        max_attempts: int = 3) -> Export:
    """Anyone who may see the project may export it (viewers included)."""
    loaded = await scores.get_score(session, user, project_id)
    _check_range(request, loaded.score)
    _, mix = await current_mix(session, project_id)
    export = Export(project_id=project_id, requested_by=user.id,
                    options=request.model_dump(mode="json"),
                    score=loaded.score.model_dump(mode="json"),
                    mix=mix.model_dump(mode="json"), score_revision=loaded.row.revision)
    session.add(export)
    await session.flush()
    job = await submit(session, redis, EXPORT_JOB, {"export_id": str(export.id)},
                       project_id=project_id, created_by=user.id, max_attempts=max_attempts)
    export.job_id = job.id
    await session.flush()
    return export


async def visible_export(session: AsyncSession, user: User,
                         export_id: uuid.UUID) -> tuple[Export, Job | None]:
    export = await session.get(Export, export_id)
    if export is None:
        raise NotFound("export not found")
    try:
        await authorize(session, export.project_id, user)
    except NotFound:
        raise NotFound("export not found") from None
    job = await session.get(Job, export.job_id) if export.job_id else None
    return export, job


def export_out(export: Export, job: Job | None, url_base: str) -> ExportOut:
    try:
        files = [ExportFile(**{**f, "url": f"{url_base}/exports/{export.id}/files/{f['name']}"})
                 for f in export.files]
    except ValidationError:  # pragma: no cover - rows are written by our own job only
        files = []
    return ExportOut(
        id=export.id, project_id=export.project_id, job_id=export.job_id,
        status=JobStatus(job.status) if job else JobStatus.FAILED,
        progress=job.progress if job else 0.0, stage=job.stage if job else "",
        message=job.message if job else "", error=job.error if job else "job lost",
        options=export.options, score_revision=export.score_revision, quality=export.quality,
        files=files, created_at=export.created_at, finished_at=export.finished_at)


async def list_exports(session: AsyncSession, user: User,
                       project_id: uuid.UUID) -> list[tuple[Export, Job | None]]:
    await authorize(session, project_id, user)
    rows = await session.execute(
        select(Export, Job).outerjoin(Job, Job.id == Export.job_id)
        .where(Export.project_id == project_id).order_by(Export.created_at.desc()).limit(50))
    return [(export, job) for export, job in rows]
