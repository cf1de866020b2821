"""Chord tokens (see `composer.model.tokens`) as theory chords in a key, and the chords a
key allows: the shared vocabulary of the harmony and melody decoders.

The harmony step also writes two things the learned model never sees: slash chords over a
pedal ("5:maj/0" is IV over the tonic) and chromatic chords (secondary dominants, tritone
substitutions, passing diminished sevenths). Their roots are spelled from the degree they
stand on, so a tritone substitute in C is Db7 and the passing chord between I and ii C#dim7.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from ariaforge.composer.model.tokens import (
    chord_token,
    chord_token_pcs,
    split_chord_token,
)
from ariaforge.music.score import Key, Mode
from ariaforge.music.theory.chords import Chord, ChordQuality
from ariaforge.music.theory.pitch import (
    alteration_for,
    join_name,
    pitch_class_name,
    shift_letter,
    split_name,
)
from ariaforge.music.theory.roman import RomanParseError, diatonic_triad, roman_numeral
from ariaforge.music.theory.scales import (
    functional_pitch_classes,
    scale_pitch_classes,
    tonic_pc,
)

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
DOMINANT_QUALITIES: Final = frozenset({"7", "9"})
# Letter steps above the tonic for each semitone degree: flats for the chromatic degrees
# (bII, bIII, bVI, bVII, bV) ...
_STEP: Final = (0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6)
# ... except diminished chords, which lead up a semitone and are sharps (#I°7, #IV°, #V°7).
_SHARP_STEP: Final = {1: 0, 3: 1, 6: 3, 8: 4}
_AWKWARD: Final = frozenset({"Fb", "Cb", "E#", "B#"})


def split_slash(token: str) -> tuple[str, int | None]:
    """"5:maj/0" -> ("5:maj", 0): the chord and its bass degree, None in root position."""
    chord, slash, bass = token.partition("/")
    return chord, (int(bass) if slash else None)


def over(token: str, bass_degree: int) -> str:
    """The token with `bass_degree` in the bass (a pedal or an inversion)."""
    chord, _ = split_slash(token)
    degree, _ = split_chord_token(chord)
    return chord if degree == bass_degree % 12 else f"{chord}/{bass_degree % 12}"


def chord_for(token: str, key: Key) -> tuple[Chord, str]:
    """The chord a token names in `key`, spelled for the key, and its Roman numeral."""
    return _chord_for(token, key.tonic, key.mode)


@cache
def _chord_for(token: str, tonic: str, mode: Mode) -> tuple[Chord, str]:
    key = Key(tonic=tonic, mode=mode)
    base, bass_degree = split_slash(token)
    degree, quality = split_chord_token(base)
    root = degree_name(key, degree, quality)
    bass = None if bass_degree is None else degree_name(key, bass_degree, "maj")
    chord = Chord.of(root, QUALITY_OF[quality], bass)
    try:
        roman = roman_numeral(chord, key)
    except (RomanParseError, ValueError):
        roman = token
    if degree == 0 and quality in ("7", "9") and bass_degree is None:
        roman = "I" + quality  # the blues (or funk) tonic, not a dominant of IV
    return chord, roman


def degree_name(key: Key, degree: int, quality: str) -> str:
    """The name of the note `degree` semitones above the tonic: the key's own spelling
    for its scale notes, else the letter of the scale step it stands for."""
    pitch_class = (tonic_pc(key) + degree) % 12
    if pitch_class in scale_pitch_classes(key):
        return pitch_class_name(pitch_class, key)
    step = _STEP[degree % 12]
    if quality in ("dim", "dim7") and degree % 12 in _SHARP_STEP:
        step = _SHARP_STEP[degree % 12]
    tonic_letter, _ = split_name(key.tonic)
    letter = shift_letter(tonic_letter, step)
    alter = alteration_for(pitch_class, letter)
    name = join_name(letter, alter) if abs(alter) <= 1 else ""
    # Double accidentals and Fb/Cb/E#/B# read badly on a lead sheet: the plainer name.
    return name if name and name not in _AWKWARD else pitch_class_name(pitch_class, key)


def token_pcs(token: str) -> frozenset[int]:
    """Pitch classes above the tonic that a token sounds, a slash bass included."""
    base, bass = split_slash(token)
    tones = chord_token_pcs(base)
    return tones if bass is None else tones | {bass}


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
    tonic = tonic_pc(key)
    allowed = {(pc - tonic) % 12 for pc in functional_pitch_classes(key)}
    return token_pcs(token) <= allowed
