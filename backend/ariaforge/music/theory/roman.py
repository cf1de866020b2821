"""Roman numeral analysis: name a chord by its function in a key, and back.

Quality is explicit in the numeral, as in most current textbooks: case gives the third
(V major, ii minor), ° diminished, ø half-diminished, + augmented, "7" a minor seventh
over the triad (V7 dominant, ii7 minor), "maj7" a major seventh (Imaj7). Inversions use
figured-bass figures: V6 and V64 for triads, V65, V43 and V42 for sevenths. Roots off the
scale carry an accidental against the key's own scale (bVII, bVI, #iv° in major). In minor,
V and vii° use the raised leading tone, as harmonic minor does, so no accidental is shown
for it on a lowercase numeral (vii°7 is G#dim7 in A minor; VII is G major).
Chromatic major and dominant-seventh chords that are the dominant of a major or minor
scale degree are read as secondary dominants: V/V, V7/ii, V65/IV.

Not covered: Neapolitan (N6, written bII6 here), augmented sixths, cadential 6/4 labels,
secondary leading-tone chords (F#dim7 in C is #iv°7, not vii°7/V) and figures for chords
over a bass that is not a chord tone (the bass is dropped).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from ariaforge.music.score import Key, Mode
from ariaforge.music.theory._messages import quoted
from ariaforge.music.theory.chords import Chord, ChordQuality
from ariaforge.music.theory.modes import is_tonal_minor
from ariaforge.music.theory.pitch import (
    CHROMATIC_DEGREES,
    PitchParseError,
    alteration_for,
    join_name,
    letter_steps,
    shift_letter,
    signed_semitones,
    split_name,
)
from ariaforge.music.theory.scales import (
    functional_pitch_classes,
    leading_tone_pc,
    scale_pitch_classes,
    tonic_pc,
)


class RomanParseError(ValueError):
    """A Roman numeral that cannot be read."""


ROMAN_NUMERALS: Final = ("I", "II", "III", "IV", "V", "VI", "VII")
_TRIAD: Final = ("", "6", "64")
_SEVENTH: Final = ("7", "65", "43", "42")
_MAJOR_SEVENTH: Final = tuple("maj" + figure for figure in _SEVENTH)
_MAX_LENGTH: Final = 32


@dataclass(frozen=True)
class _Notation:
    """How a quality is written: numeral case, quality mark, and the figure for each
    inversion (a single figure means inversions are not shown)."""

    upper: bool
    mark: str
    figures: tuple[str, ...]


_NOTATION: Final[Mapping[ChordQuality, _Notation]] = MappingProxyType({
    ChordQuality.MAJOR: _Notation(True, "", _TRIAD),
    ChordQuality.MINOR: _Notation(False, "", _TRIAD),
    ChordQuality.DIMINISHED: _Notation(False, "°", _TRIAD),
    ChordQuality.AUGMENTED: _Notation(True, "+", _TRIAD),
    ChordQuality.DOMINANT_7: _Notation(True, "", _SEVENTH),
    ChordQuality.MINOR_7: _Notation(False, "", _SEVENTH),
    ChordQuality.HALF_DIMINISHED_7: _Notation(False, "ø", _SEVENTH),
    ChordQuality.DIMINISHED_7: _Notation(False, "°", _SEVENTH),
    ChordQuality.MAJOR_7: _Notation(True, "", _MAJOR_SEVENTH),
    ChordQuality.MINOR_MAJOR_7: _Notation(False, "", _MAJOR_SEVENTH),
    ChordQuality.SUS2: _Notation(True, "", ("sus2",)),
    ChordQuality.SUS4: _Notation(True, "", ("sus4",)),
    ChordQuality.SEVEN_SUS4: _Notation(True, "", ("7sus4",)),
    ChordQuality.ADD9: _Notation(True, "", ("add9",)),
    # "add6", because a bare 6 is the figure of a first-inversion triad.
    ChordQuality.MAJOR_6: _Notation(True, "", ("add6",)),
    ChordQuality.MINOR_6: _Notation(False, "", ("add6",)),
    ChordQuality.DOMINANT_9: _Notation(True, "", ("9",)),
    ChordQuality.MINOR_9: _Notation(False, "", ("9",)),
    ChordQuality.MAJOR_9: _Notation(True, "", ("maj9",)),
    ChordQuality.DOMINANT_11: _Notation(True, "", ("11",)),
    ChordQuality.DOMINANT_13: _Notation(True, "", ("13",)),
})

# The reverse lookup: (uppercase numeral, mark, figure) -> (quality, inversion).
_READINGS: Final = {
    (notation.upper, notation.mark, figure): (quality, inversion)
    for quality, notation in _NOTATION.items()
    for inversion, figure in enumerate(notation.figures)
}
_MARK_ALIASES: Final = {"o": "°", "ø": "ø", "°": "°", "+": "+", "": ""}
_FIGURE_ALIASES: Final = {"M7": "maj7", "Δ7": "maj7"}
_DOMINANT_QUALITIES: Final = frozenset(
    {ChordQuality.MAJOR, ChordQuality.DOMINANT_7, ChordQuality.DOMINANT_9})
_TRIAD_QUALITIES: Final = {(4, 7): ChordQuality.MAJOR, (3, 7): ChordQuality.MINOR,
                           (3, 6): ChordQuality.DIMINISHED, (4, 8): ChordQuality.AUGMENTED}
_SEVENTH_QUALITIES: Final = {
    (ChordQuality.MAJOR, 11): ChordQuality.MAJOR_7,
    (ChordQuality.MAJOR, 10): ChordQuality.DOMINANT_7,
    (ChordQuality.MINOR, 10): ChordQuality.MINOR_7,
    (ChordQuality.MINOR, 11): ChordQuality.MINOR_MAJOR_7,
    (ChordQuality.DIMINISHED, 10): ChordQuality.HALF_DIMINISHED_7,
    (ChordQuality.DIMINISHED, 9): ChordQuality.DIMINISHED_7,
}
_NUMERAL = re.compile(
    r"^(?P<accidental>[#♯b♭]{0,2})"
    r"(?P<numeral>VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)"
    r"(?P<mark>[°oø+]?)"
    r"(?P<figure>[^/]*)"
    r"(?:/(?P<target>.+))?$"
)


# --- diatonic chords ----------------------------------------------------------------------

def harmonic_scale(key: Key, degree: int) -> tuple[int, ...]:
    """The scale chords on `degree` (1-7) are built from: the key's scale, except that in
    minor the chords on V and vii° take the raised leading tone."""
    scale = scale_pitch_classes(key)
    if is_tonal_minor(key.mode) and degree in (5, 7):
        return (*scale[:6], leading_tone_pc(key))
    return scale


def diatonic_triad(key: Key, degree: int) -> Chord:
    """The triad on a scale degree (1-7): ii of C major is Dm, V of A minor is E."""
    return _diatonic_chord(key, degree, seventh=False)


def diatonic_seventh(key: Key, degree: int) -> Chord:
    """The seventh chord on a scale degree (1-7): V7 of C major is G7, vii°7 of A minor is
    G#dim7, ii7 of A minor is Bm7b5."""
    return _diatonic_chord(key, degree, seventh=True)


def _diatonic_chord(key: Key, degree: int, *, seventh: bool) -> Chord:
    if not 1 <= degree <= 7:
        raise ValueError(f"scale degrees run 1-7, not {degree}")
    scale = harmonic_scale(key, degree)
    root = scale[degree - 1]

    def above(steps: int) -> int:
        return (scale[(degree - 1 + steps) % 7] - root) % 12

    quality = _TRIAD_QUALITIES[(above(2), above(4))]
    if seventh:
        quality = _SEVENTH_QUALITIES[(quality, above(6))]
    return Chord.of(_degree_root_name(key, degree - 1, root), quality)


def _degree_root_name(key: Key, index: int, root_pc: int) -> str:
    """Spell a root on the letter of the scale degree `index` (0-6)."""
    letter = shift_letter(split_name(key.tonic)[0], index)
    try:
        return join_name(letter, alteration_for(root_pc, letter))
    except PitchParseError:
        raise RomanParseError(f"degree {index + 1} of {key.tonic} {key.mode} needs more "
                              "than a double accidental") from None


# --- chord -> numeral ---------------------------------------------------------------------

def roman_numeral(chord: Chord, key: Key) -> str:
    """The Roman numeral of `chord` in `key`: G7 in C major -> "V7", B/D# in E minor ->
    "V6", Bb in C -> "bVII", D in C -> "V/V", A7 in C -> "V7/ii", G#dim7 in A minor ->
    "vii°7"."""
    return _secondary_dominant(chord, key) or _numeral(chord, key)


def _numeral(chord: Chord, key: Key) -> str:
    degree, alter = _root_degree(chord, key)
    notation = _NOTATION[chord.quality]
    numeral = ROMAN_NUMERALS[degree] if notation.upper else ROMAN_NUMERALS[degree].lower()
    if is_tonal_minor(key.mode) and degree == 6 and alter == 1 and not notation.upper:
        alter = 0  # the leading tone of harmonic minor, which vii° implies
    return _accidental(alter) + numeral + notation.mark + _figure(chord, notation)


def _root_degree(chord: Chord, key: Key) -> tuple[int, int]:
    """(0-based degree, alteration against the key's scale) of the chord's root, read
    from its letter so that Ab in C is a lowered 6th and G# a raised 5th."""
    scale = scale_pitch_classes(key)
    degree = letter_steps(split_name(key.tonic)[0], split_name(chord.root_name)[0])
    alter = signed_semitones(chord.root_pc - scale[degree])
    if abs(alter) > 1:
        # An odd spelling (Fbb in C): fall back to the usual chromatic degree of the sound.
        offset = (chord.root_pc - tonic_pc(key)) % 12
        degree = CHROMATIC_DEGREES[offset] - 1
        alter = signed_semitones(chord.root_pc - scale[degree])
    return degree, alter


def _accidental(alter: int) -> str:
    return "#" * alter if alter > 0 else "b" * -alter


def _figure(chord: Chord, notation: _Notation) -> str:
    inversion = chord.inversion
    if inversion is None or inversion >= len(notation.figures):
        return notation.figures[0]
    return notation.figures[inversion]


def _secondary_dominant(chord: Chord, key: Key) -> str | None:
    """"V/x" when a chromatic major or dominant chord is the dominant of degree x, whose
    triad is major or minor; None otherwise (diatonic chords are never secondary)."""
    if chord.quality not in _DOMINANT_QUALITIES:
        return None
    if set(chord.tone_pitch_classes) <= functional_pitch_classes(key):
        return None
    target_pc = (chord.root_pc + 5) % 12  # a fifth below the root
    scale = scale_pitch_classes(key)
    if target_pc not in scale or target_pc == scale[0]:
        return None
    target = diatonic_triad(key, scale.index(target_pc) + 1)
    if target.quality not in (ChordQuality.MAJOR, ChordQuality.MINOR):
        return None
    target_key = _key_of(target)
    return f"{_numeral(chord, target_key)}/{_numeral(target, key)}"


def _key_of(triad: Chord) -> Key:
    mode = Mode.MAJOR if triad.quality is ChordQuality.MAJOR else Mode.MINOR
    return Key(tonic=triad.root_name, mode=mode)


# --- numeral -> chord ---------------------------------------------------------------------

def chord_from_roman(numeral: str, key: Key) -> Chord:
    """The chord a Roman numeral names in `key`, the inverse of `roman_numeral`:
    "V65" in C -> G7/B, "bVI" in C -> Ab, "V7/ii" in C -> A7, "vii°7" in A minor ->
    G#dim7. Raises RomanParseError on anything outside that vocabulary."""
    text = numeral.strip()
    if not text or len(text) > _MAX_LENGTH:
        raise RomanParseError(f"not a Roman numeral: {quoted(text)}")
    match = _NUMERAL.match(text)
    if not match:
        raise RomanParseError(f"not a Roman numeral: {quoted(text)} "
                              "(expected e.g. I, ii, V7, vii°, bVII, V65, V7/ii)")
    if match["target"] is not None:
        return _secondary(match["target"], text[:match.start("target") - 1], key, text)
    return _chord(match, key, text)


def _secondary(target_text: str, primary: str, key: Key, text: str) -> Chord:
    """Read "primary/target" as `primary` in the key of the target triad."""
    target = chord_from_roman(target_text, key)
    if target.quality not in (ChordQuality.MAJOR, ChordQuality.MINOR):
        raise RomanParseError(f"{quoted(text)}: only a major or minor triad can be "
                              f"tonicized, not {quoted(target_text)}")
    return chord_from_roman(primary, _key_of(target))


def _chord(match: re.Match[str], key: Key, text: str) -> Chord:
    numeral = match["numeral"]
    upper = numeral.isupper()
    mark = _MARK_ALIASES[match["mark"]]
    figure = _FIGURE_ALIASES.get(match["figure"], match["figure"])
    reading = _READINGS.get((upper, mark, figure))
    if reading is None and mark == "ø" and figure == "":
        reading = (ChordQuality.HALF_DIMINISHED_7, 0)  # "viiø" is always a seventh chord
    if reading is None:
        raise RomanParseError(f"{quoted(text)}: no chord is written "
                              f"{quoted(numeral + mark + figure)}")
    quality, inversion = reading
    index = ROMAN_NUMERALS.index(numeral.upper())
    try:
        _, alter = split_name("C" + match["accidental"])
    except PitchParseError:
        raise RomanParseError(f"{quoted(text)}: bad accidental") from None
    root_pc = scale_pitch_classes(key)[index] + alter
    if is_tonal_minor(key.mode) and index == 6 and alter == 0 and not upper:
        root_pc += 1  # vii in minor stands on the leading tone
    chord = Chord.of(_degree_root_name(key, index, root_pc % 12), quality)
    if inversion:
        chord = Chord.of(chord.root_name, quality, chord.spell()[inversion])
    return chord
