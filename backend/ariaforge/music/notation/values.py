"""Written note values: MusicXML types, dots and tuplet ratios, in ticks (PPQ 480)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from ariaforge.music.score import PPQ


@dataclass(frozen=True, slots=True)
class NoteValue:
    """One written note or rest: a MusicXML type, dots and, for odd lengths, a tuplet ratio
    (actual notes in the time of normal notes) so the type's length / ratio is exactly `ticks`."""

    ticks: int
    type: str
    dots: int = 0
    actual: int = 1
    normal: int = 1

    @property
    def is_triplet(self) -> bool:
        return (self.actual, self.normal) == (3, 2)

    @property
    def beams(self) -> int:
        """Beams this value carries: 1 for an eighth, 2 for a sixteenth... 0 for longer."""
        return _BEAMS.get(self.type, 0)


# MusicXML note types from longest to shortest, with their length in ticks.
TYPES: tuple[tuple[str, Fraction], ...] = tuple(
    (name, Fraction(PPQ * 8) / 2**i)
    for i, name in enumerate(
        ("breve", "whole", "half", "quarter", "eighth", "16th", "32nd", "64th", "128th",
         "256th", "512th", "1024th")
    )
)
_BEAMS = {name: index - 3 for index, (name, _) in enumerate(TYPES) if index >= 4}


@lru_cache(maxsize=1)
def _plain_values() -> tuple[NoteValue, ...]:
    """Every undotted, dotted and double-dotted value that is a whole number of ticks,
    longest first."""
    values: list[NoteValue] = []
    for name, length in TYPES:
        for dots in range(3):
            total = length * (2 - Fraction(1, 2**dots))
            if total.denominator == 1:
                values.append(NoteValue(int(total), name, dots))
    return tuple(sorted(values, key=lambda v: -v.ticks))


@lru_cache(maxsize=1)
def _single_values() -> dict[int, NoteValue]:
    """Plain and single-dotted values by length (the ones a reader takes in at a glance)."""
    found: dict[int, NoteValue] = {}
    for value in sorted(_plain_values(), key=lambda v: v.dots):
        if value.dots <= 1:
            found.setdefault(value.ticks, value)
    return found


def single_value(ticks: int) -> NoteValue | None:
    """The one plain or dotted value `ticks` long, if there is one."""
    return _single_values().get(ticks)


def triplet_value(ticks: int) -> NoteValue | None:
    """A plain or dotted value played 3 in the time of 2 that lasts `ticks`, if any."""
    if (ticks * 3) % 2:
        return None
    written = single_value(ticks * 3 // 2)
    if written is None:
        return None
    return NoteValue(ticks, written.type, written.dots, 3, 2)


# Every plain or dotted value that is a whole number of ticks is a multiple of this (a
# 128th note); lengths that are not need a tuplet.
PLAIN_UNIT = 15
_WHOLE = PPQ * 4
# A tuplet ratio with a numerator up to this reads as a real tuplet (3:2, 5:4, 7:4...).
_PLAIN_TUPLET = 16


@lru_cache(maxsize=4096)
def note_values(ticks: int) -> tuple[NoteValue, ...]:
    """Written values that add up to `ticks` exactly (tied when they are one note), for
    lengths no metrical split explains (off every grid).

    Lengths made of plain and dotted values are split greedily, longest first. A length up
    to a whole note that one tuplet note fits with a readable ratio (a triplet, a
    quintuplet) is that note. Anything else is whole notes and plain values plus one short
    tuplet note for the remainder, so every ratio written is exact.
    """
    if ticks % PLAIN_UNIT == 0:
        return _greedy(ticks)
    if ticks <= _WHOLE:
        single = _tuplet(ticks)
        if single.actual <= _PLAIN_TUPLET:
            return (single,)
    remainder = ticks % PLAIN_UNIT
    return (*_greedy(ticks - remainder), _tuplet(remainder))


def _greedy(ticks: int) -> tuple[NoteValue, ...]:
    parts: list[NoteValue] = []
    remaining = ticks
    for value in _plain_values():
        while value.ticks <= remaining:
            parts.append(value)
            remaining -= value.ticks
    return tuple(parts)


def _tuplet(ticks: int) -> NoteValue:
    """One note of `ticks` (at most a whole note): the shortest type at least that long,
    squeezed by the ratio type/ticks."""
    name, length = next((n, v) for n, v in reversed(TYPES) if v >= ticks)
    ratio = length / ticks
    return NoteValue(ticks, name, 0, ratio.numerator, ratio.denominator)
