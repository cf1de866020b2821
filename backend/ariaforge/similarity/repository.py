"""The similarity tables in SQL: windows written in bulk (COPY, binary vectors), the
reference corpus's bookkeeping, versions still to index, and the nearest-window search
(pgvector HNSW, one round trip for every window of a query)."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from pgvector import Vector
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

WINDOW_COLUMNS = ("reference_tune_id", "project_id", "version_number", "track_id",
                  "track_name", "kind", "bars", "start_bar", "notes", "embedding")
# One advisory lock per job kind of this domain: two workers never ingest the corpus or
# index the same versions at once (they would store every window twice).
INGEST_LOCK = 0x51_4D_49_4E  # arbitrary, fixed
INDEX_LOCK = 0x51_4D_49_58
# pgvector 0.8: how many candidates the HNSW graph search keeps, and go on scanning the
# graph when the filter (reference / readable projects) removed too many of them.
EF_SEARCH = 100


@dataclass(frozen=True)
class WindowPlace:
    """Where a stored window comes from and what it holds (its row without the vector)."""

    reference_tune_id: str | None
    project_id: uuid.UUID | None
    version_number: int | None
    track_id: str | None
    track_name: str
    kind: str
    bars: int
    start_bar: int
    notes: list[list[Any]]


@dataclass(frozen=True)
class WindowRow(WindowPlace):
    """A window as stored: from a reference tune or a project's version."""

    embedding: np.ndarray


@dataclass(frozen=True)
class QueryWindow:
    kind: str
    bars: int  # windows of any length are candidates (a tune played at half speed
    # spreads a 4-bar window over 8)
    embedding: np.ndarray


@dataclass(frozen=True, kw_only=True)
class Candidate(WindowPlace):
    query: int  # index of the query window
    distance: float  # cosine distance


@dataclass(frozen=True)
class StaleVersion:
    project_id: uuid.UUID
    number: int
    updated_at: datetime
    data: dict[str, Any]


def vector_text(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{float(x):.7g}" for x in vector) + "]"


@contextlib.asynccontextmanager
async def _copying(session: AsyncSession) -> AsyncIterator[Any]:
    """The asyncpg connection under the session's transaction, with pgvector's binary
    codec for the time of a COPY (binary vectors, about 4x smaller than text). Reset
    afterwards: the pooled connection serves the whole app, and with the codec a text
    parameter cast to vector elsewhere would be refused."""
    # SQLAlchemy's asyncpg adapter sends BEGIN with its first statement: one goes through
    # it first, or COPY on the bare connection would commit on its own.
    await session.execute(text("SELECT 1"))
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    schema = await session.scalar(text(
        "SELECT n.nspname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE t.typname = 'vector'"))
    await driver.set_type_codec("vector", schema=schema, format="binary",
                                encoder=lambda v: Vector(v).to_binary(),
                                decoder=Vector.from_binary)
    try:
        yield driver
    finally:
        await driver.reset_type_codec("vector", schema=schema)


async def try_lock(session: AsyncSession, key: int) -> bool:
    """A transaction-scoped advisory lock, or False when another worker holds it."""
    return bool(await session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                     {"key": key}))


async def copy_windows(session: AsyncSession, rows: Iterable[WindowRow]) -> int:
    records = [(r.reference_tune_id, r.project_id, r.version_number, r.track_id,
                r.track_name[:100], r.kind, r.bars, r.start_bar, json.dumps(r.notes),
                r.embedding) for r in rows]
    if not records:
        return 0
    async with _copying(session) as driver:
        await driver.copy_records_to_table("similarity_windows", records=records,
                                           columns=list(WINDOW_COLUMNS))
    return len(records)


# --- the reference corpus -------------------------------------------------------------------

async def reference_counts(session: AsyncSession, *,
                           windows: bool = True) -> tuple[int, int, list[str]]:
    """Tunes, reference windows (0 unless `windows`: counting them reads the whole
    table), and the corpus versions stored."""
    tunes, versions = (await session.execute(text(
        "SELECT count(*), coalesce(array_agg(DISTINCT corpus_version), '{}') "
        "FROM reference_tunes"))).one()
    stored = await session.scalar(text(
        "SELECT count(*) FROM similarity_windows WHERE reference_tune_id IS NOT NULL")
    ) if windows else 0
    return int(tunes), int(stored or 0), list(versions)


async def stored_tune_ids(session: AsyncSession, version: str) -> set[str]:
    return set((await session.scalars(text(
        "SELECT id FROM reference_tunes WHERE corpus_version = :v"), {"v": version})).all())


async def delete_other_versions(session: AsyncSession, version: str,
                                keep: Sequence[str]) -> None:
    """Tunes of another corpus version, or beyond the limit (their windows cascade)."""
    await session.execute(text(
        "DELETE FROM reference_tunes WHERE corpus_version <> :v OR NOT (id = ANY(:keep))"),
        {"v": version, "keep": list(keep)})


async def insert_tunes(session: AsyncSession, version: str,
                       tunes: Sequence[tuple[str, str, str, str, dict[str, Any]]]) -> None:
    """(id, title, source, licence, data) rows."""
    if not tunes:
        return
    async with _copying(session) as driver:
        await driver.copy_records_to_table(
            "reference_tunes", columns=["id", "title", "source", "licence",
                                        "corpus_version", "data"],
            records=[(i, t[:300], s[:64], lic[:300], version, json.dumps(d))
                     for i, t, s, lic, d in tunes])


async def reference_titles(session: AsyncSession,
                           ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    rows = await session.execute(text(
        "SELECT id, title, licence FROM reference_tunes WHERE id = ANY(:ids)"),
        {"ids": list(set(ids))})
    return {row[0]: (row[1], row[2]) for row in rows}


# --- versions ---------------------------------------------------------------------------------

async def stale_versions(session: AsyncSession, limit: int) -> list[StaleVersion]:
    """Versions never indexed, or changed (a coalesced edit) since, oldest first."""
    rows = await session.execute(text(
        "SELECT v.project_id, v.number, v.updated_at, v.data FROM score_versions v "
        "LEFT JOIN similarity_indexed_versions i "
        "  ON i.project_id = v.project_id AND i.version_number = v.number "
        "WHERE i.project_id IS NULL OR i.indexed_at < v.updated_at "
        "ORDER BY v.updated_at LIMIT :limit"), {"limit": limit})
    return [StaleVersion(r[0], r[1], r[2], r[3]) for r in rows]


async def forget_version(session: AsyncSession, project_id: uuid.UUID, number: int) -> None:
    """The version's old windows, and those of numbers the project no longer has (a
    coalesced version moves to the new revision's number)."""
    await session.execute(text(
        "DELETE FROM similarity_windows WHERE project_id = :p AND (version_number = :n OR "
        "NOT EXISTS (SELECT 1 FROM score_versions v WHERE v.project_id = :p "
        "            AND v.number = similarity_windows.version_number))"),
        {"p": project_id, "n": number})
    await session.execute(text(
        "DELETE FROM similarity_indexed_versions i WHERE i.project_id = :p AND NOT EXISTS "
        "(SELECT 1 FROM score_versions v WHERE v.project_id = :p "
        " AND v.number = i.version_number)"), {"p": project_id})


async def mark_indexed(session: AsyncSession, version: StaleVersion, windows: int) -> None:
    # indexed_at is the version's own updated_at, so an edit coalesced into it while this
    # ran (a later updated_at) leaves it stale and it is indexed again.
    await session.execute(text(
        "INSERT INTO similarity_indexed_versions (project_id, version_number, windows, "
        "indexed_at) VALUES (:p, :n, :w, :at) ON CONFLICT (project_id, version_number) "
        "DO UPDATE SET windows = excluded.windows, indexed_at = excluded.indexed_at"),
        {"p": version.project_id, "n": version.number, "w": windows,
         "at": version.updated_at})


async def indexed_versions(session: AsyncSession) -> int:
    return int(await session.scalar(text(
        "SELECT count(*) FROM similarity_indexed_versions")) or 0)


async def readable_projects(session: AsyncSession, user_id: uuid.UUID,
                            exclude: uuid.UUID | None = None) -> list[uuid.UUID]:
    """Every project the user is a member of (any role may read), but `exclude`."""
    rows = await session.scalars(text(
        "SELECT project_id FROM project_members WHERE user_id = :u"), {"u": user_id})
    return [p for p in rows if p != exclude]


async def project_names(session: AsyncSession,
                        ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await session.execute(text("SELECT id, name FROM projects WHERE id = ANY(:ids)"),
                                 {"ids": list(set(ids))})
    return {row[0]: row[1] for row in rows}


# --- search -----------------------------------------------------------------------------------

_NEAREST = """
WITH q AS MATERIALIZED (
  SELECT ord, emb::vector(128) AS emb, kind, bars
  FROM unnest(CAST(:ords AS int[]), CAST(:embs AS text[]), CAST(:kinds AS text[]),
              CAST(:bars AS int[])) AS t(ord, emb, kind, bars))
SELECT q.ord, m.distance, m.reference_tune_id, m.project_id, m.version_number, m.track_id,
       m.track_name, m.kind, m.bars, m.start_bar, m.notes
FROM q CROSS JOIN LATERAL (
  SELECT w.reference_tune_id, w.project_id, w.version_number, w.track_id, w.track_name,
         w.kind, w.bars, w.start_bar, w.notes, w.embedding <=> q.emb AS distance
  FROM similarity_windows w
  WHERE w.kind = q.kind
    AND ((:reference AND w.reference_tune_id IS NOT NULL)
         OR w.project_id = ANY(CAST(:projects AS uuid[])))
  ORDER BY w.embedding <=> q.emb
  LIMIT :k) m
"""


async def nearest(session: AsyncSession, queries: Sequence[QueryWindow], *, reference: bool,
                  projects: Sequence[uuid.UUID], k: int) -> list[Candidate]:
    """The `k` nearest stored windows of each query window that the caller may see: the
    reference corpus when `reference`, and windows of `projects`. Nothing else can be
    returned: the filter is in the same statement as the index scan."""
    if not queries or (not reference and not projects):
        return []
    await session.execute(text(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, k)}"))
    await session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
    rows = await session.execute(text(_NEAREST), {
        "ords": list(range(len(queries))),
        "embs": [vector_text(q.embedding) for q in queries],
        "kinds": [q.kind for q in queries], "bars": [q.bars for q in queries],
        "reference": reference, "projects": list(projects), "k": k})
    return [Candidate(query=r[0], distance=float(r[1]), reference_tune_id=r[2],
                      project_id=r[3], version_number=r[4], track_id=r[5], track_name=r[6],
                      kind=r[7], bars=r[8], start_bar=r[9], notes=r[10]) for r in rows]
