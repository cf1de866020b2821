"""Composition sessions: start one (a job on the queue), read, list and cancel them. The
run itself is `ariaforge.sessions.tasks`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Final

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.composer.brief import MAX_BRIEF_BARS
from ariaforge.composer.operations import NEEDS_MELODY, ON_EMPTY, Operation, melody_track_index
from ariaforge.core.errors import NotFound, ValidationFailed
from ariaforge.jobs import service as jobs
from ariaforge.membership.access import WRITERS, authorize
from ariaforge.models import CompositionSession, Job, JobStatus, User
from ariaforge.music.score import Score
from ariaforge.queue.stream import submit
from ariaforge.scores import service as scores
from ariaforge.sessions.repository import CompositionSessionRepository
from ariaforge.sessions.schemas import SessionCreate, SessionOut

__all__ = ["COMPOSE_JOB", "cancel_session", "create_session", "list_sessions",
           "session_out", "visible_session"]

COMPOSE_JOB: Final = "compose.run"
MAX_LISTED: Final = 200


async def create_session(session: AsyncSession, redis: Redis, user: User,
                         project_id: uuid.UUID, body: SessionCreate,
                         ) -> tuple[CompositionSession, Job]:
    """Writers compose; the job is enqueued after the request commits."""
    await authorize(session, project_id, user, WRITERS)
    base_revision = None
    if body.operation is not Operation.COMPOSE:
        loaded = await scores.get_score(session, user, project_id)
        _check_operation(body, loaded.score)
        base_revision = loaded.row.revision
    row = CompositionSession(project_id=project_id, created_by=user.id,
                             operation=body.operation.value, prompt=body.prompt,
                             request=body.model_dump(mode="json", exclude_none=True),
                             base_revision=base_revision)
    await CompositionSessionRepository(session).add(row)
    job = await submit(session, redis, COMPOSE_JOB, {"session_id": str(row.id)},
                       project_id=project_id, created_by=user.id)
    row.job_id = job.id
    await session.flush()
    return row, job


def _check_operation(body: SessionCreate, score: Score) -> None:
    """Refusals that depend on the stored score (what the request's form cannot show), so
    each says so in its `type`. (A restyle without a style is refused by SessionCreate.)"""
    def invalid(field: str, message: str, kind: str) -> ValidationFailed:
        return ValidationFailed(message, [{"loc": ["body", field], "msg": message,
                                           "type": kind}])

    if body.operation is Operation.PART:
        _check_part(body, score, invalid)
    elif not any(track.notes for track in score.tracks) and body.operation not in ON_EMPTY:
        raise invalid("operation", f"{body.operation.value} needs a score with notes; "
                      "compose one first", "empty_score")
    if body.operation in NEEDS_MELODY and melody_track_index(score) is None:
        raise invalid("operation", f"{body.operation.value} needs a melody track with notes",
                      "invalid_operation")
    # As the composer sees the form: the sections only when they cover the piece exactly.
    covered = sum(section.bars for section in score.sections) == score.bars
    sections = len(score.sections) if score.sections and covered else 1
    if body.section is not None and body.section >= sections:
        raise invalid("section", f"the score has {sections} sections (0 to {sections - 1})",
                      "out_of_range")
    if body.operation is Operation.CONTINUE and score.bars + (body.extra_bars or 8) > 512:
        raise invalid("extra_bars", "a piece is at most 512 bars", "out_of_range")


def _check_part(body: SessionCreate, score: Score,
                invalid: Callable[[str, str, str], ValidationFailed]) -> None:
    if all(track.id != body.track_id for track in score.tracks):
        raise invalid("track_id", "the score has no such track", "unknown_track")
    if score.meter_changes:
        raise invalid("operation", "a part cannot be written yet over meter changes",
                      "invalid_operation")
    if score.bars > MAX_BRIEF_BARS:
        raise invalid("operation", f"a part is written for pieces of at most {MAX_BRIEF_BARS}"
                      " bars", "invalid_operation")


async def visible_session(session: AsyncSession, user: User, session_id: uuid.UUID, *,
                          write: bool = False) -> tuple[CompositionSession, Job | None]:
    sessions = CompositionSessionRepository(session)
    row = await sessions.get(session_id)
    if row is None:
        raise NotFound("session not found")
    try:
        await authorize(session, row.project_id, user, WRITERS if write else None)
    except NotFound:
        raise NotFound("session not found") from None
    return row, await sessions.job(row)


async def list_sessions(session: AsyncSession, user: User, project_id: uuid.UUID
                        ) -> list[tuple[CompositionSession, Job | None]]:
    await authorize(session, project_id, user)
    return await CompositionSessionRepository(session).of_project(project_id, MAX_LISTED)


async def cancel_session(session: AsyncSession, user: User,
                         session_id: uuid.UUID) -> tuple[CompositionSession, Job | None]:
    row, job = await visible_session(session, user, session_id, write=True)
    if job is None:
        raise NotFound("the session's job is gone")
    job = await jobs.cancel(session, user, job.id)
    return row, job


def session_out(row: CompositionSession, job: Job | None) -> SessionOut:
    return SessionOut(
        id=row.id, project_id=row.project_id, job_id=row.job_id,
        operation=Operation(row.operation), prompt=row.prompt,
        status=JobStatus(job.status) if job else JobStatus.FAILED,
        progress=job.progress if job else 0.0, stage=job.stage if job else "",
        message=job.message if job else "", error=job.error if job else "job lost",
        request=row.request, brief=row.brief, warnings=list(row.warnings or []),
        validation=row.validation, version=row.result_version,
        base_revision=row.base_revision, preview_job_id=row.preview_job_id,
        created_at=row.created_at, finished_at=row.finished_at)
