"""The similarity index (similarity/repository.py, ADR 0037) at 100,000 melody windows of
the shipped reference corpus, on an embedded PostgreSQL with pgvector 0.8, each figure
beside a peer measured in the same run:

* search: the HNSW index (`hnsw.ef_search = 100`, `iterative_scan = relaxed_order`, the
  reference filter the service uses) against the exact scan of the same query (index
  scans off): top-10 recall (goal >= 0.95) and median time per query (goal: the index
  >= 20x faster); queries are windows of tunes that are not in the index, so no query
  finds itself;
* the service's batched statement (every window of a 32-bar tune in one round trip);
* ingestion: windows/s of `copy_windows` (binary COPY) into the table without any
  index (the floor), the same followed by CREATE INDEX, and 5,000 more windows COPYed
  into the indexed table (the index in place, what the worker does).

The corpus has about 136,000 melody windows: 100,000 are taken from its first tunes
(transposed copies would add nothing: the embedding is transposition-invariant).
A script, not a test: nothing here fails.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.core.db import create_engine, create_sessionmaker
from ariaforge.core.embedded import EmbeddedServices
from ariaforge.core.migrations import upgrade
from ariaforge.music.similarity.reference import ReferenceTune, load_reference, reference_windows
from ariaforge.similarity import repository as repo
from ariaforge.similarity.indexing import tune_data, window_notes

WINDOWS = 100_000
EXTRA = 5_000  # windows added to the indexed table
QUERIES = 200
K = 10
BATCH = 5_000
INDEX = "ix_similarity_windows_embedding_hnsw"
CREATE_INDEX = (f"CREATE INDEX {INDEX} ON similarity_windows USING hnsw "
                "(embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)")
NEAREST = ("SELECT id FROM similarity_windows w WHERE w.kind = 'melody' AND "
           "w.reference_tune_id IS NOT NULL ORDER BY w.embedding <=> CAST(:q AS vector) "
           "LIMIT :k")


def corpus() -> tuple[list[ReferenceTune], list[repo.WindowRow],
                    list[tuple[ReferenceTune, list[repo.WindowRow]]], list[np.ndarray]]:
    """The first tunes up to WINDOWS melody windows; then tunes whose windows are added
    to the indexed table (EXTRA of them), and query windows of the tunes after those."""
    tunes: list[ReferenceTune] = []
    rows: list[repo.WindowRow] = []
    extra: list[tuple[ReferenceTune, list[repo.WindowRow]]] = []
    queries: list[np.ndarray] = []
    for tune in load_reference():
        melody = [w for w in reference_windows(tune) if w.kind == "melody"]
        found = [repo.WindowRow(tune.id, None, None, w.track_id, w.track_name, w.kind, w.bars,
                                w.start_bar, window_notes(w), w.embedding) for w in melody]
        if len(rows) < WINDOWS:
            tunes.append(tune)
            rows += found
        elif sum(len(f) for _, f in extra) < EXTRA:
            extra.append((tune, found))
        else:
            queries += [w.embedding for w in melody[:2]]
            if len(queries) >= QUERIES:
                break
    return tunes, rows[:WINDOWS], extra, queries[:QUERIES]


async def reset(maker: async_sessionmaker[AsyncSession], tunes: list[ReferenceTune], *,
                index: bool) -> None:
    async with maker() as session:
        await session.execute(text("DELETE FROM reference_tunes"))
        await session.execute(text(f"DROP INDEX IF EXISTS {INDEX}"))
        if index:
            await session.execute(text(CREATE_INDEX))
        await repo.insert_tunes(session, "bench", [
            (t.id, t.title, t.source, t.licence, tune_data(t)) for t in tunes])
        await session.commit()


async def load(maker: async_sessionmaker[AsyncSession], rows: list[repo.WindowRow]) -> float:
    """Seconds to store `rows` in committed batches."""
    start = time.perf_counter()
    for offset in range(0, len(rows), BATCH):
        async with maker() as session:
            await repo.copy_windows(session, rows[offset:offset + BATCH])
            await session.commit()
    return time.perf_counter() - start


async def build_index(maker: async_sessionmaker[AsyncSession]) -> float:
    start = time.perf_counter()
    async with maker() as session:
        await session.execute(text("SET maintenance_work_mem = '512MB'"))
        await session.execute(text(CREATE_INDEX))
        await session.commit()
    return time.perf_counter() - start


async def nearest(maker: async_sessionmaker[AsyncSession], query: np.ndarray,
                  exact: bool) -> tuple[list[int], float]:
    async with maker() as session:
        if exact:
            await session.execute(text("SET LOCAL enable_indexscan = off"))
        else:
            await session.execute(text(f"SET LOCAL hnsw.ef_search = {repo.EF_SEARCH}"))
            await session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
        start = time.perf_counter()
        ids = list((await session.scalars(text(NEAREST), {
            "q": repo.vector_text(query), "k": K})).all())
        return ids, time.perf_counter() - start


async def batched(maker: async_sessionmaker[AsyncSession], queries: list[np.ndarray],
                  exact: bool) -> float:
    """The service's statement: every query window in one round trip, k = 24 each."""
    windows = [repo.QueryWindow("melody", 4, q) for q in queries]
    async with maker() as session:
        if exact:
            await session.execute(text("SET LOCAL enable_indexscan = off"))
        start = time.perf_counter()
        await repo.nearest(session, windows, reference=True, projects=[], k=24)
        return time.perf_counter() - start


async def run(url: str) -> None:
    tunes, rows, extra, queries = corpus()
    print(f"{len(rows):,} melody windows of {len(tunes):,} tunes; {len(queries)} queries "
          "from other tunes")
    engine = create_engine(url, pool_size=2)
    maker = create_sessionmaker(engine)

    await reset(maker, tunes + [t for t, _ in extra], index=False)
    floor = await load(maker, rows)
    built = await build_index(maker)
    async with maker() as session:
        await session.execute(text("ANALYZE similarity_windows"))
        await session.commit()

    hits, fast, slow = 0, [], []
    for query in queries:
        approximate, took = await nearest(maker, query, exact=False)
        exact, took_exact = await nearest(maker, query, exact=True)
        hits += len(set(approximate) & set(exact))
        fast.append(took)
        slow.append(took_exact)
    recall = hits / (K * len(queries))
    hnsw_ms, exact_ms = statistics.median(fast) * 1000, statistics.median(slow) * 1000
    print(f"top-{K} recall of the HNSW search against the exact scan: {recall:.3f} "
          "(goal >= 0.95)")
    print(f"median query: HNSW {hnsw_ms:.2f} ms, exact scan {exact_ms:.2f} ms: "
          f"{exact_ms / hnsw_ms:.1f}x faster (goal >= 20x)")
    tune_windows = queries[:42]
    index_s = min([await batched(maker, tune_windows, exact=False) for _ in range(3)])
    scan_s = min([await batched(maker, tune_windows, exact=True) for _ in range(3)])
    print(f"one check's statement ({len(tune_windows)} windows, k=24, one round trip): "
          f"{index_s * 1000:.0f} ms, exact scan {scan_s * 1000:.0f} ms "
          f"({scan_s / index_s:.1f}x)")

    # Steady state: more windows into the indexed table (what the worker does).
    added = [row for _, found in extra for row in found]
    in_place = await load(maker, added)
    n = len(rows)
    floor_rate, in_place_rate = n / floor, len(added) / in_place
    print(f"ingest, COPY without any index (floor): {floor_rate:,.0f} windows/s")
    print(f"ingest, COPY then CREATE INDEX ({built:.1f} s of it): "
          f"{n / (floor + built):,.0f} windows/s = {floor / (floor + built):.2f}x the floor")
    print(f"ingest, COPY of {len(added):,} more windows with the HNSW index in place "
          f"(100k already in): {in_place_rate:,.0f} windows/s = "
          f"{in_place_rate / floor_rate:.2f}x the floor")
    await engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-similarity-") as home, \
            EmbeddedServices(Path(home)) as services:
        services.start(database=True, redis=False)
        assert services.database_url
        upgrade(services.database_url)
        asyncio.run(run(services.database_url))


if __name__ == "__main__":
    main()
