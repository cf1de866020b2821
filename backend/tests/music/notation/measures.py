"""The external check: music21 parses our MusicXML and, for every part, staff, voice and
measure, the written values must add up to the bar its time signature makes (music21's
own `barDuration`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from music21 import converter, stream


@dataclass
class Tally:
    good: int = 0
    bad: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.good + len(self.bad)

    def add(self, other: Tally) -> None:
        self.good += other.good
        self.bad += other.bad


def parse(xml: bytes) -> stream.Score:
    parsed: Any = converter.parseData(xml, format="musicxml")
    assert isinstance(parsed, stream.Score)
    return parsed


def measures_add_up(parsed: stream.Score, name: str = "") -> Tally:
    """Each voice of each measure of each staff (music21 parts, a grand staff's staves
    included) summed against the measure's time signature."""
    tally = Tally()
    for part in parsed.parts:
        for measure in part.getElementsByClass(stream.Measure):
            bar = Fraction(measure.barDuration.quarterLength)
            layers: list[stream.Stream[Any]] = list(measure.voices) or [measure]
            for layer in layers:
                total = sum((Fraction(e.duration.quarterLength) for e in layer.notesAndRests),
                            Fraction(0))
                if total == bar:
                    tally.good += 1
                else:
                    tally.bad.append(f"{name} {part.id} bar {measure.number}: {total} != {bar}")
    return tally
