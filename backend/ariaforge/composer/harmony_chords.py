"""Chord tokens (see `composer.model.tokens`) as theory chords in a key, and the chords a
key allows: the shared vocabulary of the harmony and melody decoders."""

from __future__ import annotations

from functools import cache
from typing import Final

from ariaforge.composer.model.tokens import CHORD_TONES, chord_token, split_chord_token
from ariaforge.music.score import Key, Mode
from ariaforge.music.theory.chords import Chord, ChordQuality
from ariaforge.music.theory.pitch import pitch_class_name
from ariaforge.music.theory.roman import RomanParseError, diatonic_triad, roman_numeral
from ariaforge.music.theory.scales import functional_pitch_classes, tonic_pc

QUALITY_OF: Final = {
    "maj": ChordQuality.MAJOR, "min": ChordQuality.MINOR, "dim": ChordQuality.DIMINISHED,
    "aug": ChordQuality.AUGMENTED, "7": ChordQuality.DOMINANT_7, "m7": ChordQuality.MINOR_7,
    "maj7": ChordQuality.MAJOR_7, "m7b5": ChordQuality.HALF_DIMINISHED_7,
    "dim7": ChordQuality.DIMINISHED_7, "sus4": ChordQuality.SUS4, "6": ChordQuality.MAJOR_6,
    "m6": ChordQuality.MINOR_6, "9": ChordQuality.DOMINANT_9, "m9": ChordQuality.MINOR_9,
    "maj9": ChordQuality.MAJOR_9,
}
_TRIAD_NAMES: Final = {ChordQuality.MAJOR: "maj", ChordQuality.MINOR: "min",
                       ChordQuality.DIMINISHED: "dim", ChordQuality.AUGMENTED: "aug"}
TONAL: Final = (Mode.MAJOR, Mode.MINOR)


def chord_for(token: str, key: Key) -> tuple[Chord, str]:
    """The chord a token names in `key`, spelled for the key, and its Roman numeral."""
    return _chord_for(token, key.tonic, key.mode)


@cache
def _chord_for(token: str, tonic: str, mode: Mode) -> tuple[Chord, str]:
    key = Key(tonic=tonic, mode=mode)
    degree, quality = split_chord_token(token)
    root = pitch_class_name((tonic_pc(key) + degree) % 12, key)
    chord = Chord.of(root, QUALITY_OF[quality])
    try:
        roman = roman_numeral(chord, key)
    except (RomanParseError, ValueError):
        roman = token
    if degree == 0 and quality == "7":
        roman = "I7"  # the blues tonic, not a dominant of IV
    return chord, roman


def diatonic_token(key: Key, degree: int) -> str:
    chord = diatonic_triad(key, degree)
    semitones = (chord.root_pc - tonic_pc(key)) % 12
    return chord_token(semitones, _TRIAD_NAMES.get(chord.quality, "maj"))


def tonic_token(key: Key) -> str:
    return diatonic_token(key, 1)


def dominant_token(key: Key, seventh: bool = True) -> str:
    """V7 (or V) in major and minor, whose dominant takes the leading tone; the scale's
    own fifth-degree chord in the church modes where it is major or minor."""
    if key.mode in TONAL:
        return "7:7" if seventh else "7:maj"
    modal = diatonic_token(key, 5)
    # Phrygian and Locrian have a diminished chord there: borrow the major dominant.
    return "7:maj" if modal.endswith(":dim") else modal


def subdominant_token(key: Key) -> str:
    return diatonic_token(key, 4)


def in_key(token: str, key: Key) -> bool:
    return _in_key(token, key.tonic, key.mode)


@cache
def _in_key(token: str, tonic_name: str, mode: Mode) -> bool:
    key = Key(tonic=tonic_name, mode=mode)
    degree, quality = split_chord_token(token)
    tonic = tonic_pc(key)
    allowed = {(pc - tonic) % 12 for pc in functional_pitch_classes(key)}
    return all((degree + step) % 12 in allowed for step in CHORD_TONES[quality])
