"""Interval patterns of the seven diatonic modes.

This is the lowest layer of the theory package: `pitch` needs the patterns to spell notes
in a key and `scales` builds on `pitch`, so the data lives here to keep imports acyclic.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ariaforge.music.score import Mode

_IONIAN = (0, 2, 4, 5, 7, 9, 11)
_AEOLIAN = (0, 2, 3, 5, 7, 8, 10)

# Semitones above the tonic of each of the seven degrees. MAJOR/IONIAN and MINOR/AEOLIAN
# share a pattern; they differ only in how harmony treats them (see `is_tonal_minor`).
MODE_INTERVALS: Final[Mapping[Mode, tuple[int, ...]]] = MappingProxyType({
    Mode.MAJOR: _IONIAN,
    Mode.IONIAN: _IONIAN,
    Mode.DORIAN: (0, 2, 3, 5, 7, 9, 10),
    Mode.PHRYGIAN: (0, 1, 3, 5, 7, 8, 10),
    Mode.LYDIAN: (0, 2, 4, 6, 7, 9, 11),
    Mode.MIXOLYDIAN: (0, 2, 4, 5, 7, 9, 10),
    Mode.MINOR: _AEOLIAN,
    Mode.AEOLIAN: _AEOLIAN,
    Mode.LOCRIAN: (0, 1, 3, 5, 6, 8, 10),
})

# Where each mode's tonic sits relative to the tonic of the major scale with the same
# notes, counted in fifths: D dorian has C major's signature, two fifths below D.
MODE_FIFTHS_OFFSET: Final[Mapping[Mode, int]] = MappingProxyType({
    Mode.MAJOR: 0,
    Mode.IONIAN: 0,
    Mode.DORIAN: -2,
    Mode.PHRYGIAN: -4,
    Mode.LYDIAN: 1,
    Mode.MIXOLYDIAN: -1,
    Mode.MINOR: -3,
    Mode.AEOLIAN: -3,
    Mode.LOCRIAN: -5,
})


def has_minor_third(mode: Mode) -> bool:
    """True for the modes whose tonic triad is minor or diminished."""
    return MODE_INTERVALS[mode][2] == 3


def is_tonal_minor(mode: Mode) -> bool:
    """True only for `Mode.MINOR`: tonal minor borrows the harmonic minor's raised 7th for
    its dominant and leading-tone chords; `Mode.AEOLIAN` is the pure mode and does not."""
    return mode is Mode.MINOR
