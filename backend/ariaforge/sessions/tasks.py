"""The `compose.run` job: runs a session's composer graph in the worker, checkpointed in
PostgreSQL under the session's id, publishing each node's progress, and stores the result
as a new project version (once, even when a crashed run is resumed). A `part` session (one
track written over the score as it stands) runs `composer.parts` instead of the graph: it
is one deterministic step, so a crashed run simply runs again."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.auth.repository import UserRepository
from ariaforge.collab.merge import DocumentInvalid, merge_onto
from ariaforge.composer.brief import Brief
from ariaforge.composer.brief.model import MAX_SEED
from ariaforge.composer.graph import ComposeContext, ProgressEvent, build_graph
from ariaforge.composer.llm import brief_reader_from_env
from ariaforge.composer.operations import ComposeRequest, Operation, OperationError
from ariaforge.composer.parts import part_report, write_part
from ariaforge.composer.state import ComposeState
from ariaforge.config import get_settings
from ariaforge.core.checkpoints import open_checkpointer
from ariaforge.core.db import run_after_commit
from ariaforge.core.errors import AppError, Conflict, ValidationFailed
from ariaforge.core.metrics import ACTIVE_SESSIONS, COMPOSITIONS_CREATED
from ariaforge.exports.service import PREVIEW_JOB
from ariaforge.models import CompositionSession, JobStatus, User, VersionReason
from ariaforge.music.score import Score
from ariaforge.queue import events
from ariaforge.queue.errors import JobCancelled, PermanentJobError
from ariaforge.queue.registry import Handler, JobContext, payload_id
from ariaforge.queue.stream import submit
from ariaforge.scores import service as scores
from ariaforge.scores.repository import ScoreRepository
from ariaforge.sessions.repository import CompositionSessionRepository
from ariaforge.sessions.service import COMPOSE_JOB

logger = logging.getLogger(__name__)
ORIGINALITY_TRIES = 3  # composes at most, the first included
Persist = Callable[[Score, ComposeState], Awaitable[int | None]]


async def run_session(ctx: JobContext) -> dict[str, Any]:
    # `active_sessions`: the sessions being composed right now, across workers.
    with ACTIVE_SESSIONS.track_inprogress():
        return await _run_session(ctx)


async def _run_session(ctx: JobContext) -> dict[str, Any]:
    session_id = payload_id(ctx, "session_id", "session")
    async with ctx.sessionmaker() as db:
        row = await CompositionSessionRepository(db).get(session_id)
        if row is None:
            raise PermanentJobError("the session was deleted")
        initial = await _initial_state(db, row)
    if row.operation == Operation.PART.value:
        return await _run_part(ctx, session_id, initial)
    config: Any = {"configurable": {"thread_id": str(session_id)}}
    reader = brief_reader_from_env()
    persist = _persister(ctx, session_id)
    if row.operation == Operation.COMPOSE.value:
        persist = _original(ctx, session_id, initial, persist, reader)
    context = ComposeContext(progress=_publisher(ctx), persist=persist, read_brief=reader)
    async with open_checkpointer(_database_url(ctx.sessionmaker)) as saver:
        final = await _run(build_graph(saver), initial, config, context)
    return {"session_id": str(session_id), "version": final.get("version")}


async def _run(graph: Any, initial: ComposeState, config: Any,
               context: ComposeContext) -> dict[str, Any]:
    snapshot = await graph.aget_state(config)
    # A checkpoint with steps still to run: a worker died mid-run, so resume it.
    resume = bool(snapshot.next)
    try:
        result: dict[str, Any] = await graph.ainvoke(None if resume else initial, config,
                                                     context=context, durability="sync")
    except (OperationError, ValueError) as error:
        raise PermanentJobError(str(error)) from error
    except AppError as error:  # e.g. the user lost write access meanwhile
        raise PermanentJobError(error.message) from error
    return result


async def _run_part(ctx: JobContext, session_id: uuid.UUID,
                    initial: ComposeState) -> dict[str, Any]:
    """One track's part over the stored score (`composer.parts`), stored like any result."""
    publish = _publisher(ctx)
    request = ComposeRequest.model_validate(initial["request"])
    if initial.get("base") is None:
        raise PermanentJobError("a part needs the score it is written for")
    base = Score.model_validate(initial["base"])
    previous = initial.get("previous_brief")
    await publish(ProgressEvent("interpret", 5.0, "reading the score's chords and sections"))
    try:
        part = await asyncio.to_thread(write_part, base, request,
                                       Brief.model_validate(previous) if previous else None)
    except (OperationError, ValueError) as error:
        raise PermanentJobError(str(error)) from error
    await publish(ProgressEvent("arrange", 65.0, f"{part.track.name}: "
                                f"{len(part.track.notes)} notes"))
    report = await asyncio.to_thread(part_report, part)
    await publish(ProgressEvent("validate", 80.0, f"score {report['score']}/100"))
    await publish(ProgressEvent("finalize", 95.0, "saving a new version"))
    state: ComposeState = {"brief": part.brief.model_dump(mode="json"),
                           "warnings": part.warnings, "report": report}
    version = await _persister(ctx, session_id, part.summary)(part.score, state)
    await publish(ProgressEvent("finalize", 100.0, f"done: {part.summary}"))
    return {"session_id": str(session_id), "version": version}


async def _initial_state(db: AsyncSession, row: CompositionSession) -> ComposeState:
    base = None
    if row.base_revision is not None:
        found = await ScoreRepository(db).version(row.project_id, row.base_revision)
        if found is None:
            raise PermanentJobError("the score version the session started from is gone")
        base = found[0].data
    previous = await CompositionSessionRepository(db).previous_brief(row)
    return {"prompt": row.prompt, "request": dict(row.request), "base": base,
            "previous_brief": previous}


def _publisher(ctx: JobContext) -> Any:
    async def publish(event: ProgressEvent) -> None:
        if event.node == "finalize" and event.percent >= 100:
            # The version is stored: a cancel that arrives now is too late to honour.
            with contextlib.suppress(JobCancelled):
                ctx.report(event.percent, event.node, event.message)
        else:
            ctx.report(event.percent, event.node, event.message)  # raises if cancelled
        await events.publish(ctx.redis, ctx.job_id, {
            "status": JobStatus.RUNNING.value, "stage": event.node, "node": event.node,
            "progress": event.percent, "message": event.message, "finished": False})
    return publish


def _persister(ctx: JobContext, session_id: uuid.UUID, summary: str | None = None) -> Any:
    async def persist(score: Score, state: ComposeState) -> int | None:
        async with ctx.sessionmaker() as db:
            row = await CompositionSessionRepository(db).get(session_id, for_update=True)
            if row is None:
                raise PermanentJobError("the session was deleted")
            if row.result_version is not None:  # a resumed run: stored before the crash
                return row.result_version
            version = await _store(db, ctx, row, score, state, summary)
            await db.commit()
            await run_after_commit(db)
        COMPOSITIONS_CREATED.inc()
        return version
    return persist


def _original(ctx: JobContext, session_id: uuid.UUID, initial: ComposeState,
              persist: Persist, reader: Any) -> Persist:
    """The originality guard (similarity/, ADR 0037): a new piece whose melody comes too
    close to a reference tune is composed again with the next seed, at most
    ORIGINALITY_TRIES times in all; the most original one is stored, and the check's
    outcome is recorded in the session's validation report ("originality")."""
    async def guarded(score: Score, state: ComposeState) -> int | None:
        async with ctx.sessionmaker() as db:
            row = await CompositionSessionRepository(db).get(session_id)
            if row is not None and row.result_version is not None:  # resumed after storing
                return row.result_version
        best = (score, state, await _originality(ctx, score))
        attempts = 1
        seed = int((state.get("brief") or {}).get("seed") or 0)
        while not best[2].is_safe and attempts < ORIGINALITY_TRIES:
            seed = (seed + 1) % (MAX_SEED + 1)
            attempts += 1
            await _publisher(ctx)(ProgressEvent(
                "finalize", 95.0, f"the melody is close to a reference tune "
                f"({round(100 * best[2].score)}%); composing again (seed {seed})"))
            again = await _compose_again(initial, seed, reader)
            found = await _originality(ctx, again[0])
            if found.score < best[2].score:
                best = (again[0], again[1], found)
        chosen, chosen_state, originality = best
        report = {**(chosen_state.get("report") or {}),
                  "originality": originality.as_json(attempts)}
        return await persist(chosen, {**chosen_state, "report": report})
    return guarded


async def _originality(ctx: JobContext, score: Score) -> Any:
    from ariaforge.similarity.service import reference_originality

    threshold = (ctx.settings or get_settings()).similarity_threshold
    async with ctx.sessionmaker() as db:
        return await reference_originality(db, score, threshold)


async def _compose_again(initial: ComposeState, seed: int,
                         reader: Any) -> tuple[Score, ComposeState]:
    """The same request with another seed, run to its end without storing anything. In a
    task with a context of its own: inside the running graph's node, LangGraph would
    otherwise take this run for a subgraph of it (and checkpoint it there)."""
    state: ComposeState = {**initial, "request": {**initial["request"], "seed": seed}}
    context = ComposeContext(read_brief=reader)
    run = build_graph(None).ainvoke(state, context=context)
    final: dict[str, Any] = await asyncio.get_running_loop().create_task(
        run, context=contextvars.Context())
    return Score.model_validate(final["score"]), final  # type: ignore[return-value]


async def _store(db: AsyncSession, ctx: JobContext, row: CompositionSession, score: Score,
                 state: ComposeState, summary: str | None = None) -> int:
    user = await UserRepository(db).by_id(row.created_by) if row.created_by else None
    if user is None or not user.is_active:
        raise PermanentJobError("the account that started the session is gone")
    brief = state.get("brief") or {}
    summary = summary or f"{row.operation}: {(row.prompt or brief.get('style', ''))[:200]}"
    try:
        loaded = await scores.replace_score(db, user, row.project_id, score,
                                            VersionReason.GENERATED, summary,
                                            expected=row.base_revision)
    except Conflict:
        loaded = await _store_merged(db, user, row, score, summary)
    row.brief = brief
    row.warnings = list(state.get("warnings") or [])
    row.validation = state.get("report")
    row.result_version = loaded.row.revision
    row.finished_at = datetime.now(UTC)
    preview = await submit(db, ctx.redis, PREVIEW_JOB, {"project_id": str(row.project_id)},
                           project_id=row.project_id, created_by=row.created_by)
    row.preview_job_id = preview.id
    return loaded.row.revision


async def _store_merged(db: AsyncSession, user: User, row: CompositionSession, score: Score,
                        summary: str) -> scores.Loaded:
    """The score was edited (live or through REST) while the operation ran: its own
    changes, replayed onto the score as it is now (collab.merge), so nobody's work is lost.
    Refused only when the two together break a Score rule."""
    found = await ScoreRepository(db).version(row.project_id, row.base_revision or 0)
    current = await scores.get_score(db, user, row.project_id)
    track_id = row.request.get("track_id") if row.operation == Operation.PART.value else None
    if track_id is not None and all(t.id != track_id for t in current.score.tracks):
        # The merge would bring the deleted track back with its new part.
        raise PermanentJobError("the track was deleted while its part was being written")
    if found is None:
        raise PermanentJobError("the score was edited while the session ran; "
                                "start the operation again on the new score")
    try:
        merged = merge_onto(scores.stored_score(found[0].data), score, current.score)
    except (DocumentInvalid, ValidationFailed):
        raise PermanentJobError("the score was edited while the session ran and the edits "
                                "cannot be combined with the result; start the operation "
                                "again on the new score") from None
    return await scores.replace_score(db, user, row.project_id, merged,
                                      VersionReason.GENERATED, summary + " (merged with edits)",
                                      expected=current.row.revision)


def _database_url(maker: async_sessionmaker[AsyncSession]) -> str:
    engine = maker.kw["bind"]
    return str(engine.url.render_as_string(hide_password=False))


TASKS: dict[str, Handler] = {COMPOSE_JOB: run_session}
