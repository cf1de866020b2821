"""What the worker does for similarity in the background (ADR 0037): ingest the shipped
reference corpus when the database lacks it, and index every project version that has
no windows yet (or changed since: a coalesced edit), a sweep rather than a job per save,
so that every path that writes versions (REST, imports, AI, collab) is covered without
knowing about this one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from anyio import to_thread
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.music.score import Score
from ariaforge.music.similarity import Window, score_windows
from ariaforge.music.similarity.reference import (
    ReferenceTune,
    load_reference,
    reference_version,
    reference_windows,
)
from ariaforge.similarity import repository as repo

logger = logging.getLogger(__name__)

INGEST_BATCH_TUNES = 200
INDEX_BATCH_VERSIONS = 20
IDLE_SWEEP_S = 1.0
RETRY_INGEST_S = 30.0


@dataclass(frozen=True)
class IngestReport:
    tunes: int  # stored by this run
    windows: int
    skipped: bool  # another worker holds the ingest, or nothing was missing


def tune_data(tune: ReferenceTune) -> dict[str, object]:
    return {"tonic": tune.tonic, "mode": tune.mode, "meter": list(tune.meter),
            "notes": [list(n) for n in tune.notes],
            "chords": [list(c) for c in tune.chords]}


def window_notes(window: Window) -> list[list[object]]:
    """Stored notes; a harmony window's chord symbol rides along as a fourth item."""
    if window.kind == "harmony":
        labels = list(window.labels) + [""] * (len(window.notes) - len(window.labels))
        return [[*n, label] for n, label in zip(window.notes, labels, strict=False)]
    return [list(n) for n in window.notes]


def reference_rows(tunes: Sequence[ReferenceTune]) -> list[repo.WindowRow]:
    return [repo.WindowRow(reference_tune_id=tune.id, project_id=None, version_number=None,
                           track_id=w.track_id, track_name=w.track_name, kind=w.kind,
                           bars=w.bars, start_bar=w.start_bar, notes=window_notes(w),
                           embedding=w.embedding)
            for tune in tunes for w in reference_windows(tune)]


async def ingest_reference(maker: async_sessionmaker[AsyncSession], limit: int | None,
                           batch: int = INGEST_BATCH_TUNES) -> IngestReport:
    """Store the shipped corpus (its first `limit` tunes) unless it is there: tunes of
    another corpus version or past the limit are deleted, the missing ones added in
    batches, each committed (a run cut short resumes where it stopped). One worker at a
    time (a session-level advisory lock)."""
    version = await to_thread.run_sync(reference_version)
    tunes = [] if limit == 0 else await to_thread.run_sync(load_reference, limit)
    engine = maker.kw["bind"]
    async with engine.connect() as connection:
        if not await connection.scalar(text("SELECT pg_try_advisory_lock(:k)"),
                                       {"k": repo.INGEST_LOCK}):
            return IngestReport(0, 0, skipped=True)
        await connection.commit()  # the session's transactions are then its own to commit
        try:
            async with AsyncSession(bind=connection, expire_on_commit=False) as session:
                return await _ingest(session, version, tunes, batch)
        finally:
            await connection.rollback()
            await connection.execute(text("SELECT pg_advisory_unlock(:k)"),
                                     {"k": repo.INGEST_LOCK})
            await connection.commit()


async def _ingest(session: AsyncSession, version: str, tunes: list[ReferenceTune],
                  batch: int) -> IngestReport:
    await repo.delete_other_versions(session, version, [t.id for t in tunes])
    stored = await repo.stored_tune_ids(session, version)
    await session.commit()
    missing = [t for t in tunes if t.id not in stored]
    windows = 0
    for start in range(0, len(missing), batch):
        chunk = missing[start:start + batch]
        rows = await to_thread.run_sync(reference_rows, chunk)
        await repo.insert_tunes(session, version, [
            (t.id, t.title, t.source, t.licence, tune_data(t)) for t in chunk])
        windows += await repo.copy_windows(session, rows)
        await session.commit()
    if missing:
        logger.info("reference corpus %s: %d tunes, %d windows ingested", version[:12],
                    len(missing), windows)
    return IngestReport(len(missing), windows, skipped=not missing)


def version_rows(version: repo.StaleVersion) -> list[repo.WindowRow]:
    try:
        score = Score.model_validate(version.data)
    except ValueError:  # stored before today's limits: nothing to index
        return []
    try:
        windows = score_windows(score)
    except Exception:  # one score the windowing cannot take must not stop the sweep
        logger.exception("version %s of %s cannot be indexed", version.number,
                         version.project_id)
        return []
    return [repo.WindowRow(reference_tune_id=None, project_id=version.project_id,
                           version_number=version.number, track_id=w.track_id,
                           track_name=w.track_name, kind=w.kind, bars=w.bars,
                           start_bar=w.start_bar, notes=window_notes(w), embedding=w.embedding)
            for w in windows]


async def index_pending(maker: async_sessionmaker[AsyncSession],
                        batch: int = INDEX_BATCH_VERSIONS) -> int:
    """Index up to `batch` versions that need it; how many were. One transaction, under
    an advisory lock (two workers would store the same windows twice)."""
    async with maker() as session:
        if not await repo.try_lock(session, repo.INDEX_LOCK):
            return 0
        stale = await repo.stale_versions(session, batch)
        for version in stale:
            rows = await to_thread.run_sync(version_rows, version)
            await repo.forget_version(session, version.project_id, version.number)
            await repo.copy_windows(session, rows)
            await repo.mark_indexed(session, version, len(rows))
        await session.commit()
        return len(stale)


async def run_background(maker: async_sessionmaker[AsyncSession], limit: int | None,
                         stopping: asyncio.Event) -> None:
    """The worker's similarity duties until `stopping`: the corpus ingest and the version
    sweep run side by side (a first full ingest takes minutes; new versions do not wait)."""
    await asyncio.gather(_keep_ingested(maker, limit, stopping), _sweep(maker, stopping))


async def _keep_ingested(maker: async_sessionmaker[AsyncSession], limit: int | None,
                         stopping: asyncio.Event) -> None:
    while not stopping.is_set():
        try:
            report = await ingest_reference(maker, limit)
            if not report.skipped or await _complete(maker, limit):
                return
        except Exception:  # the database away, or asyncpg's own errors from COPY
            logger.warning("reference corpus ingest failed; retrying", exc_info=True)
        # Another worker is ingesting (or this one failed): look again later.
        await _wait(stopping, RETRY_INGEST_S)


async def _complete(maker: async_sessionmaker[AsyncSession], limit: int | None) -> bool:
    from ariaforge.similarity.service import reference_status
    async with maker() as session:
        return (await reference_status(session, limit)).ready


async def _sweep(maker: async_sessionmaker[AsyncSession], stopping: asyncio.Event) -> None:
    while not stopping.is_set():
        try:
            done = await index_pending(maker)
        except Exception:
            # A project deleted while its version was indexed (a foreign key error from
            # COPY, asyncpg's own), or the database away for a moment: the next sweep
            # tries again; the sweep itself never stops.
            logger.info("similarity sweep failed; retrying", exc_info=True)
            done = 0
        if not done:
            await _wait(stopping, IDLE_SWEEP_S)


async def _wait(stopping: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)
