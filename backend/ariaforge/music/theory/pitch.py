"""Pitch names: letters, accidentals, pitch classes and spelling in a key.

MIDI numbers use scientific pitch notation with C4 = 60. Octave numbers follow the letter,
not the sound, so Cb4 is 59 and B#3 is 60, as in printed music.
"""

from __future__ import annotations

import re
from typing import Final

from ariaforge.music.score import Key
from ariaforge.music.theory._messages import quoted
from ariaforge.music.theory.modes import MODE_INTERVALS

LETTERS: Final = ("C", "D", "E", "F", "G", "A", "B")
LETTER_PITCH_CLASSES: Final = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
# Position of each natural on the line of fifths, C = 0 (F = -1, B = 5).
_LETTER_FIFTHS: Final = {"F": -1, "C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5}

# Spellings with no key to guide them: the names a keyboard player reads most often.
PITCH_CLASS_NAMES: Final = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
PITCH_CLASS_NAMES_SHARP: Final = (
    "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
PITCH_CLASS_NAMES_FLAT: Final = (
    "C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")

# For a pitch that is not in the key's scale: which scale degree's letter spells it, by
# semitones above the tonic. This is the usual chromatic spelling of both major and minor:
# b2, b3 (or raised 3 in minor), #4, b6 (or raised 6), b7 (or the raised leading tone).
CHROMATIC_DEGREES: Final = (1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7)

MIDI_MIN: Final = 0
MIDI_MAX: Final = 127
MAX_ALTER: Final = 2

_ACCIDENTALS: Final = {"#": 1, "♯": 1, "b": -1, "♭": -1}
_NAME = re.compile(r"^([A-Ga-g])([#♯b♭]{0,2})$")
_PITCH = re.compile(r"^([A-Ga-g])([#♯b♭]{0,2})(-?\d{1,2})$")


class PitchParseError(ValueError):
    """A note name or pitch that cannot be read."""


# --- letters ------------------------------------------------------------------------------

def letter_index(letter: str) -> int:
    """0 for C up to 6 for B."""
    return LETTERS.index(letter)


def shift_letter(letter: str, steps: int) -> str:
    """The letter `steps` diatonic steps above `letter` (negative goes down): E + 2 = G."""
    return LETTERS[(letter_index(letter) + steps) % 7]


def letter_steps(lower: str, upper: str) -> int:
    """Diatonic steps from `lower` up to `upper`, 0-6: C to A is 5 (a sixth)."""
    return (letter_index(upper) - letter_index(lower)) % 7


def signed_semitones(semitones: int) -> int:
    """Fold a pitch-class difference into -6..5, the way an alteration is read."""
    return (semitones + 6) % 12 - 6


# --- names --------------------------------------------------------------------------------

def split_name(name: str) -> tuple[str, int]:
    """("F", 1) for "F#", ("B", -2) for "Bbb". Accepts #, b, ♯ and ♭, at most two."""
    match = _NAME.match(name.strip())
    if not match:
        raise PitchParseError(f"not a note name: {quoted(name)} (expected e.g. C, F#, Bb)")
    letter, accidentals = match.groups()
    # Mixed accidentals like "#b" are never written; refuse rather than guess.
    if len({_ACCIDENTALS[a] for a in accidentals}) > 1:
        raise PitchParseError(f"mixed sharps and flats in {quoted(name)}")
    return letter.upper(), sum(_ACCIDENTALS[a] for a in accidentals)


def join_name(letter: str, alter: int) -> str:
    """The ASCII name of `letter` altered by `alter` semitones: ("E", -1) -> "Eb"."""
    if abs(alter) > MAX_ALTER:
        raise PitchParseError(f"{letter} altered by {alter} needs more than a double accidental")
    return letter + ("#" * alter if alter > 0 else "b" * -alter)


def pitch_class_of_name(name: str) -> int:
    """The pitch class (0-11, C = 0) of a note name: "Bb" -> 10, "Cb" -> 11, "E#" -> 5."""
    letter, alter = split_name(name)
    return (LETTER_PITCH_CLASSES[letter] + alter) % 12


def alteration_for(pitch_class: int, letter: str) -> int:
    """The alteration that makes `letter` sound `pitch_class` (between -6 and 5)."""
    return signed_semitones(pitch_class - LETTER_PITCH_CLASSES[letter])


def name_for_letter(pitch_class: int, letter: str) -> str:
    """Spell `pitch_class` with `letter`: (6, "G") -> "Gb"; raises past double accidentals."""
    return join_name(letter, alteration_for(pitch_class, letter))


def enharmonic_names(pitch_class: int, max_alter: int = 1) -> list[str]:
    """Every spelling of a pitch class with at most `max_alter` accidentals, naturals and
    smaller alterations first: 0 -> ["C", "B#"] (and "Dbb" with max_alter=2)."""
    spellings = []
    for letter in LETTERS:
        alter = alteration_for(pitch_class, letter)
        if abs(alter) <= max_alter:
            spellings.append((abs(alter), letter_index(letter), join_name(letter, alter)))
    return [name for _, _, name in sorted(spellings)]


def fifths_position(name: str) -> int:
    """Place on the line of fifths, C = 0: G = 1, F = -1, F# = 6, Bb = -2. A major key's
    signature has exactly this many sharps (positive) or flats (negative)."""
    letter, alter = split_name(name)
    return _LETTER_FIFTHS[letter] + 7 * alter


# --- MIDI pitches -------------------------------------------------------------------------

def parse_pitch(text: str) -> int:
    """The MIDI number of a scientific pitch name: "C4" -> 60, "C#4" -> 61, "Bb3" -> 58,
    "Cb4" -> 59, "A0" -> 21, "C-1" -> 0."""
    match = _PITCH.match(text.strip())
    if not match:
        raise PitchParseError(f"not a pitch: {quoted(text)} (expected e.g. C4, F#3, Bb5)")
    letter, accidentals, octave = match.groups()
    _, alter = split_name(letter + accidentals)
    midi = (int(octave) + 1) * 12 + LETTER_PITCH_CLASSES[letter.upper()] + alter
    if not MIDI_MIN <= midi <= MIDI_MAX:
        raise PitchParseError(f"{quoted(text)} is outside the MIDI range 0-127")
    return midi


def pitch_name(midi: int, key: Key | None = None) -> str:
    """The scientific name of a MIDI pitch, spelled for `key`: 66 -> "F#4" in D major and
    "Gb4" in Db major; 65 -> "E#4" in F# major; 60 -> "B#3" in C# major."""
    if not MIDI_MIN <= midi <= MIDI_MAX:
        raise ValueError(f"MIDI pitch {midi} is outside 0-127")
    name = pitch_class_name(midi % 12, key)
    _, alter = split_name(name)
    # The octave belongs to the written letter, so undo the alteration first.
    octave = (midi - alter) // 12 - 1
    return f"{name}{octave}"


def pitch_class_name(pitch_class: int, key: Key | None = None) -> str:
    """Spell a pitch class (no octave). In a key, notes of the scale take the scale's
    letters (F# in D major, Gb in Db major) and other notes the usual chromatic
    spelling (G# in A minor, Bb in C major); with no key, `PITCH_CLASS_NAMES`."""
    pitch_class %= 12
    if key is None:
        return PITCH_CLASS_NAMES[pitch_class]
    tonic_letter, _ = split_name(key.tonic)
    offset = (pitch_class - pitch_class_of_name(key.tonic)) % 12
    intervals = MODE_INTERVALS[key.mode]
    degree = intervals.index(offset) if offset in intervals else CHROMATIC_DEGREES[offset] - 1
    letter = shift_letter(tonic_letter, degree)
    if abs(alteration_for(pitch_class, letter)) > MAX_ALTER:
        # Only keys on double-sharp or double-flat tonics get here: keep the sound right.
        return PITCH_CLASS_NAMES[pitch_class]
    return name_for_letter(pitch_class, letter)
