"""Notation (issue 16): the share of exported measures whose written values add up to the
bar, and how long writing takes, for AriaForge's MusicXML writer against music21's own
notation export of the same scores, measured in the same run.

Scores: composer output (20 briefs over styles, meters and instruments: swing, lo-fi,
waltz, 6/8, 12/8, 2/4, rock, funk, bossa nova, piano, organ; seeds 0-2: 60 scores of 16
bars) and the 371 Bach chorales of music21's corpus (read with `read_musicxml`).

Peer: the same Score as MIDI (`write_midi`, the performance timing a musician would
hand music21), parsed by music21 (which quantises it) and written with music21's
MusicXML exporter, which runs `makeNotation` (its own splitting, ties, beams, voices).

"Adds up": music21 parses each output; every voice of every measure of every staff must
sum to the measure's `barDuration` (music21's own count). Also printed: the share of
written notes shorter than a sixteenth (a readability hint), and CPU seconds per score
(writer alone; the peer's MIDI parse and export separately). Run from backend/:
`python ../bench/bench_notation.py` (NOTATION_CHORALES=n to take fewer chorales).
A script, not a test: nothing here fails.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

from music21 import converter, corpus, harmony, note, stream
from music21.musicxml.m21ToXml import GeneralObjectExporter

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose
from ariaforge.music.interchange import read_musicxml, write_midi, write_musicxml
from ariaforge.music.score import Score

BRIEFS = (
    "a swing jazz tune for piano, bass and drums", "a bebop tune in Bb for sax and drums",
    "a lo-fi hip hop beat with electric piano", "a jazz waltz in Bb",
    "a melancholic waltz in D minor for piano and strings", "a jig in 6/8 for flute",
    "a lullaby in 6/8 for celesta and harp", "a slow blues in 12/8",
    "a march in 2/4 for brass band", "a rock song with drums, bass and distorted guitar",
    "a punk song with drums", "a funk groove with clavinet, slap bass and drums",
    "a bossa nova for nylon guitar and flute", "a piano ballad in E flat major",
    "a church organ chorale in G major", "a reel in D for fiddle",
    "an ambient piece for pad and electric piano", "a pop song in E major in 3/4",
    "a classical minuet in F in 3/4", "a reggae tune with organ, bass and drums",
)
SEEDS = (0, 1, 2)
BARS = 16


@dataclass
class Column:
    name: str
    good: int = 0
    bad: int = 0
    notes: int = 0
    short: int = 0
    seconds: list[float] = field(default_factory=list)
    failed: int = 0

    def share(self) -> str:
        total = self.good + self.bad
        return f"{100 * self.good / total:.2f}% of {total}" if total else "-"


def check(xml: bytes, column: Column) -> None:
    parsed: Any = converter.parseData(xml, format="musicxml")
    for part in parsed.parts:
        for measure in part.getElementsByClass(stream.Measure):
            bar = Fraction(measure.barDuration.quarterLength)
            for layer in list(measure.voices) or [measure]:
                values = list(layer.notesAndRests)
                total = sum((Fraction(e.duration.quarterLength) for e in values), Fraction(0))
                if total == bar:
                    column.good += 1
                else:
                    column.bad += 1
                for element in values:
                    if isinstance(element, note.NotRest) and not isinstance(
                            element, harmony.ChordSymbol):
                        column.notes += 1
                        column.short += element.duration.quarterLength < Fraction(1, 4)


def timed(action: Callable[[], bytes], seconds: list[float]) -> bytes:
    began = time.process_time()
    result = action()
    seconds.append(time.process_time() - began)
    return result


def peer_export(score: Score, parse_seconds: list[float]) -> Callable[[], bytes]:
    began = time.process_time()
    parsed: Any = converter.parseData(write_midi(score), format="midi")
    parse_seconds.append(time.process_time() - began)
    return lambda: bytes(GeneralObjectExporter(parsed).parse())


def measure(name: str, scores: list[Score]) -> None:
    ours, peer = Column("AriaForge"), Column("music21 makeNotation")
    peer_parse: list[float] = []
    for score in scores:
        check(timed(partial(write_musicxml, score), ours.seconds), ours)
        try:
            export = peer_export(score, peer_parse)
            check(timed(export, peer.seconds), peer)
        except Exception:
            peer.failed += 1
    print(f"  {name}: {len(scores)} scores")
    for column in (ours, peer):
        mean = sum(column.seconds) / max(len(column.seconds), 1)
        short = 100 * column.short / max(column.notes, 1)
        print(f"    {column.name:22s} measures adding up {column.share():>18s}   "
              f"notes < 16th {short:5.1f}%   write {1000 * mean:7.1f} ms/score"
              + (f"   failed on {column.failed}" if column.failed else ""))
    ratio = (sum(peer.seconds) / len(peer.seconds)) / (sum(ours.seconds) / len(ours.seconds))
    print(f"    writer speed: AriaForge {ratio:.1f}x music21's export "
          f"(music21 also spent {1000 * sum(peer_parse) / max(len(peer_parse), 1):.0f} "
          "ms/score reading the MIDI)")


def composed_scores() -> list[Score]:
    return [compose(ComposeRequest(prompt=brief, seed=seed, bars=BARS)).score
            for brief in BRIEFS for seed in SEEDS]


def chorale_scores(limit: int | None) -> list[Score]:
    names = list(corpus.chorales.Iterator(returnType="filename"))[:limit]
    scores = []
    for name in names:
        found: Any = corpus.getWork(name)
        stem = name.rsplit("/", 1)[-1]
        # A few names also match other files (bwv281.krn): take the MusicXML one.
        path = Path(found) if not isinstance(found, list) else next(
            Path(p) for p in found
            if Path(p).stem == stem and Path(p).suffix in (".mxl", ".xml", ".musicxml"))
        scores.append(read_musicxml(path.read_bytes()))
    return scores


def main() -> None:
    warnings.simplefilter("ignore")
    limit = int(os.environ.get("NOTATION_CHORALES", "0")) or None
    print("notation: measures adding up (goal 100%) and writer speed vs music21")
    measure("composer output", composed_scores())
    measure("Bach chorales", chorale_scores(limit))


if __name__ == "__main__":
    main()
