"""The similarity index (similarity/repository.py, ADR 0037) at 100,000 melody windows of
the shipped reference corpus, on an embedded PostgreSQL with pgvector 0.8, each figure
beside a peer measured in the same run:

* search: the HNSW index (`hnsw.iterative_scan = relaxed_order`, the reference filter
  the service uses) at `hnsw.ef_search` 40 / 64 / 100, against the exact scan of the same
  query (index scans off), both as PostgreSQL plans it (a parallel sequential scan) and
  on one core (`max_parallel_workers_per_gather = 0`, as the index search runs): top-10
  recall, strict (same ids) and tie-aware (a returned window counts when its distance is
  <= the 10th exact distance: folk tunes repeat phrases, many windows have identical
  vectors), goal >= 0.95; and time per query, median over the queries after a warm-up,
  two ways: the server's execution time (EXPLAIN (ANALYZE, BUFFERS) 'Execution Time',
  planning apart) and the client's round trip through SQLAlchemy (goal: the index >= 20x
  faster than the exact scan); the plans are checked (index scan with the filter, or a
  sequential scan) and the statement selecting the stored notes (JSONB) as the service
  does is timed beside the one selecting only id and distance; queries are windows of
  tunes that are not in the index, so no query finds itself;
* the service's batched statement (every window of a 32-bar tune in one round trip);
* ingestion: windows/s of `copy_windows` (binary COPY) into the table without any
  index (the floor), the same followed by CREATE INDEX, and 5,000 more windows COPYed
  into the indexed table (the index in place, what the worker does).

The corpus has about 136,000 melody windows: 100,000 are taken from its first tunes
(transposed copies would add nothing: the embedding is transposition-invariant).
A script, not a test: nothing here fails.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from servers import run_on_migrated_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.core.db import create_engine, create_sessionmaker
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
WARMUP = 20  # queries run in every mode before the measured ones
EF_SEARCHES = (40, 64, 100)
# Only id and distance (what recall needs), and the columns the service reads (notes: JSONB);
# the filter is the service's for the reference corpus.
NEAREST = ("SELECT w.id, w.embedding <=> CAST(:q AS vector) FROM similarity_windows w "
           "WHERE w.kind = 'melody' AND w.reference_tune_id IS NOT NULL "
           "ORDER BY w.embedding <=> CAST(:q AS vector) LIMIT :k")
NEAREST_ROWS = ("SELECT w.id, w.embedding <=> CAST(:q AS vector), w.reference_tune_id, "
                "w.track_id, w.track_name, w.kind, w.bars, w.start_bar, w.notes "
                "FROM similarity_windows w "
                "WHERE w.kind = 'melody' AND w.reference_tune_id IS NOT NULL "
                "ORDER BY w.embedding <=> CAST(:q AS vector) LIMIT :k")
TIE = 1e-9  # distances of identical vectors are computed identically; rounding margin


@dataclass(frozen=True)
class Mode:
    name: str
    settings: tuple[str, ...]
    statement: str = NEAREST
    exact: bool = False


def modes() -> list[Mode]:
    iterative = "SET LOCAL hnsw.iterative_scan = relaxed_order"
    found = [Mode(f"HNSW ef_search {ef}", (f"SET LOCAL hnsw.ef_search = {ef}", iterative))
             for ef in EF_SEARCHES]
    product = (f"SET LOCAL hnsw.ef_search = {repo.EF_SEARCH}", iterative)
    found.append(Mode(f"HNSW ef_search {repo.EF_SEARCH}, + notes (JSONB)", product,
                      NEAREST_ROWS))
    found.append(Mode("exact, parallel (as planned)", ("SET LOCAL enable_indexscan = off",),
                      exact=True))
    found.append(Mode("exact, one core", ("SET LOCAL enable_indexscan = off",
                                          "SET LOCAL max_parallel_workers_per_gather = 0"),
                      exact=True))
    return found


@dataclass
class Measured:
    client: list[float] = field(default_factory=list)  # seconds, round trip
    server: list[float] = field(default_factory=list)  # ms, 'Execution Time'
    planning: list[float] = field(default_factory=list)  # ms
    results: list[list[tuple[int, float]]] = field(default_factory=list)
    plans: Counter[str] = field(default_factory=Counter)
    buffers: list[int] = field(default_factory=list)  # shared hit + read per query


def plan_shape(node: dict[str, Any]) -> str:
    """'Limit > Index Scan ix (filter: ...)' — the node types down the plan."""
    part = str(node["Node Type"])
    if "Index Name" in node:
        part += f" {node['Index Name']}"
    if "Workers Launched" in node:
        part += f" ({node['Workers Launched']} workers)"
    if "Filter" in node:
        part += f" [filter {node['Filter']}]"
    children = node.get("Plans", [])
    return part + "".join(f" > {plan_shape(child)}" for child in children[:1])


async def measure(maker: async_sessionmaker[AsyncSession], mode: Mode, query: np.ndarray,
                  into: Measured | None) -> None:
    params = {"q": repo.vector_text(query), "k": K}
    async with maker() as session:
        for setting in mode.settings:
            await session.execute(text(setting))
        start = time.perf_counter()
        rows = (await session.execute(text(mode.statement), params)).all()
        took = time.perf_counter() - start
        explained = (await session.execute(
            text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {mode.statement}"), params)).scalar_one()
    if into is None:
        return
    plan: dict[str, Any] = (json.loads(explained) if isinstance(explained, str)
                            else explained)[0]
    into.client.append(took)
    into.server.append(plan["Execution Time"])
    into.planning.append(plan["Planning Time"])
    into.plans[plan_shape(plan["Plan"])] += 1
    into.buffers.append(plan["Plan"].get("Shared Hit Blocks", 0)
                        + plan["Plan"].get("Shared Read Blocks", 0))
    into.results.append([(int(r[0]), float(r[1])) for r in rows])


def recall(found: list[list[tuple[int, float]]],
           exact: list[list[tuple[int, float]]]) -> tuple[float, float]:
    """(strict, tie-aware) top-K recall of `found` against the exact results."""
    strict = tied = 0
    for got, truth in zip(found, exact, strict=True):
        strict += len({i for i, _ in got} & {i for i, _ in truth})
        kth = max(d for _, d in truth)
        tied += min(K, sum(1 for _, d in got if d <= kth + TIE))
    return strict / (K * len(exact)), tied / (K * len(exact))


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

    async with maker() as session:
        parallel = (await session.execute(text("SHOW max_parallel_workers_per_gather"))).scalar()
    print(f"max_parallel_workers_per_gather = {parallel} (as configured); "
          f"warm-up: {WARMUP} queries in every mode, then {len(queries)} measured, "
          "modes interleaved per query, their order turning")
    kinds = modes()
    for query in queries[:WARMUP]:
        for mode in kinds:
            await measure(maker, mode, query, None)
    measured = {mode.name: Measured() for mode in kinds}
    for number, query in enumerate(queries):
        # The order of the modes turns with every query: a statement right after an exact
        # scan runs on cold CPU caches (seen as +1 ms in the round trip of the first mode).
        turn = number % len(kinds)
        for mode in kinds[turn:] + kinds[:turn]:
            await measure(maker, mode, query, measured[mode.name])
    truth = measured["exact, one core"].results
    peer = measured["exact, one core"]
    peer_server = statistics.median(peer.server)
    peer_client = statistics.median(peer.client) * 1000
    print(f"\nper query, median; ratios = the exact scan on one core / this "
          f"(server {peer_server:.2f} ms, round trip {peer_client:.2f} ms); goals: "
          "recall >= 0.95, ratio >= 20x")
    print(f"{'mode':<36} {'recall':>6} {'ties':>6} {'server ms':>9} {'x':>6} "
          f"{'plan ms':>7} {'trip ms':>8} {'x':>6} {'buffers':>7}")
    for mode in kinds:
        m = measured[mode.name]
        strict, tied = recall(m.results, truth)
        server = statistics.median(m.server)
        client = statistics.median(m.client) * 1000
        print(f"{mode.name:<36} {strict:>6.3f} {tied:>6.3f} {server:>9.2f} "
              f"{peer_server / server:>5.1f}x {statistics.median(m.planning):>7.2f} "
              f"{client:>8.2f} {peer_client / client:>5.1f}x "
              f"{statistics.median(m.buffers):>7.0f}")
    parallel_peer = measured["exact, parallel (as planned)"]
    print("\nagainst the exact scan as PostgreSQL plans it (parallel, "
          f"server {statistics.median(parallel_peer.server):.2f} ms, round trip "
          f"{statistics.median(parallel_peer.client) * 1000:.2f} ms):")
    for mode in kinds[:-2]:
        m = measured[mode.name]
        print(f"  {mode.name:<36} server "
              f"{statistics.median(parallel_peer.server) / statistics.median(m.server):.1f}x, "
              f"round trip "
              f"{statistics.median(parallel_peer.client) / statistics.median(m.client):.1f}x")
    print("\nplans (how many of the measured queries had each):")
    for mode in kinds:
        for shape, count in measured[mode.name].plans.most_common():
            print(f"  {mode.name}: {count}x {shape}")
    print()
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
    run_on_migrated_database(run, "bench-similarity-")


if __name__ == "__main__":
    main()
