"""Shared by the similarity tests: corpus tunes as scores and MIDI files, the corpus
ingested into the test database, versions indexed as the worker's sweep does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from fastapi import FastAPI

from ariaforge.music.interchange import write_midi
from ariaforge.music.score import Key, Meter, Mode, Note, Role, Score, Track
from ariaforge.music.similarity.reference import ReferenceTune, load_reference
from ariaforge.similarity.indexing import index_pending, ingest_reference
from tests.conftest import new_user

API = "/api/v1"
# Tunes of the shipped corpus the tests ingest (its first ones: the same for every run).
CORPUS_TUNES = 60
NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def tunes() -> list[ReferenceTune]:
    return load_reference(CORPUS_TUNES)


def long_tune(index: int = 0) -> ReferenceTune:
    """The `index`-th corpus tune with at least 12 bars of melody (enough for 8-bar
    windows), in 4/4 or 3/4."""
    found = [t for t in tunes() if t.meter in ((4, 4), (3, 4), (2, 4), (6, 8))
             and t.notes and (t.notes[-1][1] // t.bar_ticks) >= 12]
    return found[index]


def score_of(notes: Sequence[tuple[int, int, int]], meter: tuple[int, int] = (4, 4),
             tonic: int = 0, tempo: float = 100.0, name: str = "Melody") -> Score:
    bar = meter[0] * 480 * 4 // meter[1]
    end = max(s + d for _, s, d in notes)
    return Score(tempo=tempo, key=Key(tonic=NOTE_NAMES[tonic % 12], mode=Mode.MAJOR),
                 meter=Meter(numerator=meter[0], denominator=meter[1]),
                 bars=max(1, -(-end // bar)), tracks=[
                     Track(id="melody", name=name, role=Role.MELODY, program=73, notes=[
                         Note(pitch=max(0, min(127, p)), start=s, duration=d)
                         for p, s, d in notes])])


def midi_of(notes: Sequence[tuple[int, int, int]], meter: tuple[int, int] = (4, 4)) -> bytes:
    return write_midi(score_of(notes, meter))


async def ingest(app: FastAPI, limit: int = CORPUS_TUNES) -> None:
    report = await ingest_reference(app.state.sessionmaker, limit)
    assert not report.skipped and report.windows > 0


async def index_all(app: FastAPI) -> int:
    """Every version not yet indexed, as the worker's sweep does it."""
    total = 0
    while done := await index_pending(app.state.sessionmaker):
        total += done
    return total


async def project_with(client: httpx.AsyncClient, headers: dict[str, str], score: Score,
                       name: str = "Sketch") -> str:
    project: str = (await client.post(f"{API}/projects", headers=headers,
                                      json={"name": name})).json()["id"]
    answer = await client.post(f"{API}/projects/{project}/import", headers=headers, files={
        "file": ("song.mid", write_midi(score), "audio/midi")})
    assert answer.status_code == 200, answer.text
    return project


async def owner(client: httpx.AsyncClient, prefix: str = "owner") -> dict[str, str]:
    _, headers = await new_user(client, prefix)
    return headers


def sources(body: dict[str, Any]) -> list[str]:
    return [m["source"]["id"] for m in body["matches"]]
