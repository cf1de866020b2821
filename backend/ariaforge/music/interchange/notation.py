"""Small notation facts the writers share: key signatures, pitch spelling, note values."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from ariaforge.music.score import PPQ, Key, Mode

# Position of each natural on the circle of fifths, relative to C.
_LETTER_FIFTHS = {"F": -1, "C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5}
# How far each mode's signature sits from the major key on the same tonic.
_MODE_OFFSET = {
    Mode.MAJOR: 0, Mode.IONIAN: 0, Mode.LYDIAN: 1, Mode.MIXOLYDIAN: -1, Mode.DORIAN: -2,
    Mode.MINOR: -3, Mode.AEOLIAN: -3, Mode.PHRYGIAN: -4, Mode.LOCRIAN: -5,
}
MINOR_LIKE = {Mode.MINOR, Mode.AEOLIAN, Mode.DORIAN, Mode.PHRYGIAN, Mode.LOCRIAN}

_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")


def tonic_fifths(tonic: str) -> int:
    """Circle-of-fifths position of a spelled tonic: C 0, G 1, F -1, F# 6, Bb -2."""
    return _LETTER_FIFTHS[tonic[0]] + 7 * (tonic.count("#") - tonic.count("b"))


def key_fifths(key: Key) -> int:
    """Sharps (+) or flats (-) in the signature of `key`, kept within ±7.

    Keys past seven accidentals (G# major) take the enharmonic signature (Ab major).
    """
    fifths = tonic_fifths(key.tonic) + _MODE_OFFSET[key.mode]
    while fifths > 7:
        fifths -= 12
    while fifths < -7:
        fifths += 12
    return fifths


def spell(pitch: int, fifths: int) -> tuple[str, int, int]:
    """(step, alter, octave) for a MIDI pitch: flats in flat keys, sharps otherwise."""
    name = (_FLAT_NAMES if fifths < 0 else _SHARP_NAMES)[pitch % 12]
    alter = 1 if name.endswith("#") else -1 if name.endswith("b") else 0
    return name[0], alter, pitch // 12 - 1


def pitch_name(pitch_class: int, fifths: int) -> str:
    return (_FLAT_NAMES if fifths < 0 else _SHARP_NAMES)[pitch_class % 12]


# --- note values ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoteValue:
    """One written note or rest: a MusicXML type, dots and, for odd lengths, a tuplet ratio
    (actual notes in the time of normal notes) so the type's length / ratio is exactly `ticks`."""

    ticks: int
    type: str
    dots: int = 0
    actual: int = 1
    normal: int = 1


# MusicXML note types from longest to shortest, with their length in ticks.
_TYPES: tuple[tuple[str, Fraction], ...] = tuple(
    (name, Fraction(PPQ * 8) / 2**i)
    for i, name in enumerate(
        ("breve", "whole", "half", "quarter", "eighth", "16th", "32nd", "64th", "128th",
         "256th", "512th", "1024th")
    )
)


@lru_cache(maxsize=1)
def _plain_values() -> tuple[NoteValue, ...]:
    """Every undotted, dotted and double-dotted value that is a whole number of ticks,
    longest first."""
    values: list[NoteValue] = []
    for name, length in _TYPES:
        for dots in range(3):
            total = length * (2 - Fraction(1, 2**dots))
            if total.denominator == 1:
                values.append(NoteValue(int(total), name, dots))
    return tuple(sorted(values, key=lambda v: -v.ticks))


# Every plain or dotted value that is a whole number of ticks is a multiple of this (a
# 128th note); lengths that are not need a tuplet.
_PLAIN_UNIT = 15
_WHOLE = PPQ * 4
# A tuplet ratio with a numerator up to this reads as a real tuplet (3:2, 5:4, 7:4...).
_PLAIN_TUPLET = 16


@lru_cache(maxsize=4096)
def note_values(ticks: int) -> tuple[NoteValue, ...]:
    """Written values that add up to `ticks` exactly (tied when they are one note).

    Lengths made of plain and dotted values are split greedily, longest first. A length up
    to a whole note that one tuplet note fits with a readable ratio (a triplet, a
    quintuplet) is that note. Anything else is whole notes and plain values plus one short
    tuplet note for the remainder, so every ratio written is exact.
    """
    if ticks % _PLAIN_UNIT == 0:
        return _greedy(ticks)
    if ticks <= _WHOLE:
        single = _tuplet(ticks)
        if single.actual <= _PLAIN_TUPLET:
            return (single,)
    remainder = ticks % _PLAIN_UNIT
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
    name, length = next((n, v) for n, v in reversed(_TYPES) if v >= ticks)
    ratio = length / ticks
    return NoteValue(ticks, name, 0, ratio.numerator, ratio.denominator)
