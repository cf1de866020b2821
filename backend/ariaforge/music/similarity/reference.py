"""The reference corpus shipped with the app: public-domain tunes that composed music is
checked against (built by training/reference_corpus.py)."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from ariaforge.music.similarity.windows import Window, chord_windows, line_windows

DATA_FILE: Final = Path(__file__).resolve().parent / "data" / "reference.json.gz"
FORMAT: Final = 1
PPQ: Final = 480


@dataclass(frozen=True)
class ReferenceTune:
    id: str
    title: str
    source: str
    licence: str
    tonic: int  # pitch class
    mode: str
    meter: tuple[int, int]
    notes: list[tuple[int, int, int]]  # (pitch, start tick, duration), bar 1 at tick 0
    chords: list[tuple[int, int, str]]  # (start tick, duration ticks, chord symbol)

    @property
    def bar_ticks(self) -> int:
        numerator, denominator = self.meter
        return numerator * PPQ * 4 // denominator


@cache
def reference_version() -> str:
    """sha256 of the shipped file: a new file means the corpus must be ingested again."""
    return hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()


@cache
def _all_tunes() -> tuple[ReferenceTune, ...]:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    if data.get("format") != FORMAT:
        raise ValueError(f"{DATA_FILE.name}: unknown format {data.get('format')!r}")
    licences: dict[str, str] = data["licences"]
    return tuple(_tune(row, licences) for row in data["tunes"])


def _tune(row: list[Any], licences: dict[str, str]) -> ReferenceTune:
    tune_id, title, source, tonic, mode, numerator, denominator, packed, chords = row
    notes: list[tuple[int, int, int]] = []
    start = 0
    for index in range(0, len(packed), 3):
        start += packed[index + 1]  # starts are stored as steps from the previous note
        notes.append((packed[index], start, packed[index + 2]))
    return ReferenceTune(tune_id, title, source, licences[source], tonic, mode,
                         (numerator, denominator), notes,
                         [(tick, length, symbol) for tick, length, symbol in chords])


def load_reference(limit: int | None = None) -> list[ReferenceTune]:
    """The corpus tunes in the file's order (by source, then id); `limit`: the first n."""
    tunes = _all_tunes()
    return list(tunes if limit is None else tunes[:max(0, limit)])


def reference_windows(tune: ReferenceTune) -> list[Window]:
    """Melody windows of the tune and harmony windows of its chords."""
    windows = line_windows(tune.notes, tune.bar_ticks)
    if tune.chords:
        end = max(tick + length for tick, length, _ in tune.chords)
        windows += chord_windows([(tick, symbol) for tick, _, symbol in tune.chords],
                                 tune.bar_ticks, tune.tonic, end=end, track_name="Chords")
    return windows
