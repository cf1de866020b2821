"""The live documents' durability (collab/store.py) on an embedded PostgreSQL, for a
2,000-note score, each figure beside a peer measured in the same run:

* append: one update row committed (`append_updates`), against a plain INSERT of the
  same bytes into a table without locks or foreign keys, committed (the floor);
* open: `open_document` creating the document from the score row, and loading it
  again (snapshot + 0 / 200 updates), against reading the score row and validating it
  (what a REST GET of the score costs at least);
* materialise: one pending live edit folded into the row (read, store, one version),
  and a materialisation with nothing pending, against `read_document` alone.

Wall-clock milliseconds, median (and p95 for appends). A script, not a test.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from pycrdt import Doc, Map
from servers import run_on_migrated_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.collab.document import read_document
from ariaforge.collab.store import append_updates, materialise, open_document
from ariaforge.core.db import create_engine, create_sessionmaker
from ariaforge.models import Project, ProjectScore
from ariaforge.music.score import Note, Score, Track

ROUNDS = 7
APPENDS = 200


def song() -> Score:
    """2,000 notes in four tracks over 64 bars of 4/4."""
    def notes(prefix: str, low: int) -> list[Note]:
        return [Note(id=f"{prefix}{i}", pitch=low + (i * 7) % 24, start=i * 240,
                     duration=200, velocity=60 + i % 40) for i in range(500)]
    return Score(tempo=110, bars=64, tracks=[
        Track(id="lead", role="melody", notes=notes("l", 60)),
        Track(id="keys", role="chords", notes=notes("k", 48)),
        Track(id="bass", role="bass", notes=notes("b", 28)),
        Track(id="drums", role="drums", is_drum=True, notes=notes("d", 36))])


def pitch_edit(base: bytes, note: str, pitch: int) -> bytes:
    doc: Doc[Any] = Doc()
    doc.apply_update(base)
    before = doc.get_state()
    doc.get("tracks", type=Map)["lead"]["notes"][note]["pitch"] = pitch
    return doc.get_update(before)


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await call()
    return (time.perf_counter() - start) * 1000


async def new_project(maker: async_sessionmaker[AsyncSession], score: Score) -> uuid.UUID:
    async with maker() as session:
        project = Project(name="bench")
        session.add(project)
        await session.flush()
        session.add(ProjectScore(project_id=project.id, data=score.model_dump(mode="json"),
                                 revision=1))
        await session.commit()
        return project.id


def line(name: str, ours: float, peer_name: str, peer: float) -> None:
    print(f"{name:<44} {ours:8.2f} ms   {peer_name:<34} {peer:8.2f} ms   x{ours / peer:5.1f}")


async def run(database_url: str) -> None:
    engine = create_engine(database_url)
    maker = create_sessionmaker(engine)
    score = song()
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE IF NOT EXISTS bench_plain (id bigserial "
                                      "PRIMARY KEY, data bytea NOT NULL)"))

    creations = []
    for _ in range(ROUNDS):
        project = await new_project(maker, score)
        creations.append(await timed(partial(open_document, maker, project)))
    stored = await open_document(maker, project)

    async def read_row() -> None:
        async with maker() as session:
            row = await session.get(ProjectScore, project)
            assert row is not None
            Score.model_validate(row.data)
    peer_open = statistics.median([await timed(read_row) for _ in range(ROUNDS)])
    line("open_document, creating (2,000 notes)", statistics.median(creations),
         "score row read + validated", peer_open)
    loads = [await timed(lambda: open_document(maker, project)) for _ in range(ROUNDS)]
    line("open_document, snapshot only", statistics.median(loads),
         "score row read + validated", peer_open)

    edit = pitch_edit(stored.update, "l1", 61)
    appends = [await timed(lambda: append_updates(maker, project, [(edit, None)]))
               for _ in range(APPENDS)]

    async def plain_insert() -> None:
        async with maker() as session:
            await session.execute(text("INSERT INTO bench_plain (data) VALUES (:d)"),
                                  {"d": edit})
            await session.commit()
    plain = [await timed(plain_insert) for _ in range(APPENDS)]
    line(f"append one update ({len(edit)} B), median", statistics.median(appends),
         "plain INSERT + COMMIT, median", statistics.median(plain))
    line("append one update, p95", statistics.quantiles(appends, n=20)[18],
         "plain INSERT + COMMIT, p95", statistics.quantiles(plain, n=20)[18])
    loads = [await timed(lambda: open_document(maker, project)) for _ in range(ROUNDS)]
    line(f"open_document, snapshot + {APPENDS} updates", statistics.median(loads),
         "score row read + validated", peer_open)

    folds, idle = [], []
    for round_ in range(ROUNDS):
        project = await new_project(maker, score)
        base = (await open_document(maker, project)).update
        await append_updates(maker, project, [(pitch_edit(base, "l2", 70 + round_), None)])
        folds.append(await timed(partial(materialise, maker, project, [])))
        idle.append(await timed(partial(materialise, maker, project, [])))
    doc: Doc[Any] = Doc()
    doc.apply_update(base)
    reads = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        read_document(doc)
        reads.append((time.perf_counter() - start) * 1000)
    line("materialise one pending edit (2,000 notes)", statistics.median(folds),
         "read_document alone", statistics.median(reads))
    line("materialise with nothing pending", statistics.median(idle),
         "read_document alone", statistics.median(reads))
    await engine.dispose()


def main() -> None:
    run_on_migrated_database(run, "bench-collab-store-")


if __name__ == "__main__":
    main()
