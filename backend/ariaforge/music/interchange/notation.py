"""Small notation facts the writers share: key signatures, pitch spelling (note values live
in `ariaforge.music.notation.values` and are re-exported here)."""

from __future__ import annotations

from ariaforge.music.notation.values import NoteValue, note_values
from ariaforge.music.score import Key, Mode

__all__ = ["MINOR_LIKE", "NoteValue", "key_fifths", "note_values", "pitch_name", "spell",
           "tonic_fifths"]

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
