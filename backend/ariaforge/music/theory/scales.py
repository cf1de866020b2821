"""Scales and keys: the pitch classes of a key, their spelling, and related keys."""

from __future__ import annotations

from typing import Final

from ariaforge.music.score import Key, Mode
from ariaforge.music.theory.modes import (
    MODE_FIFTHS_OFFSET,
    MODE_INTERVALS,
    has_minor_third,
    is_tonal_minor,
)
from ariaforge.music.theory.pitch import (
    enharmonic_names,
    fifths_position,
    pitch_class_name,
    pitch_class_of_name,
)

__all__ = [
    "MODE_INTERVALS",
    "conventional_key",
    "degree_of",
    "functional_pitch_classes",
    "harmonic_minor_pitch_classes",
    "key_signature",
    "leading_tone_pc",
    "parallel",
    "relative",
    "scale_names",
    "scale_pitch_classes",
    "tonic_pc",
]

# Keys with six sharps or six flats are equally far from C; these are the spellings
# musicians reach for (F# major, as in Chopin's Barcarolle; Eb minor, as in Tchaikovsky).
_TIED_SPELLINGS: Final = {(6, Mode.MAJOR): "F#", (3, Mode.MINOR): "Eb"}

# Which degree of the major scale each church mode starts on, counted from 0.
_MODE_ROTATION: Final = {Mode.DORIAN: 1, Mode.PHRYGIAN: 2, Mode.LYDIAN: 3,
                         Mode.MIXOLYDIAN: 4, Mode.LOCRIAN: 6}


def tonic_pc(key: Key) -> int:
    return pitch_class_of_name(key.tonic)


def scale_pitch_classes(key: Key) -> tuple[int, ...]:
    """The seven pitch classes of the key's scale, starting at the tonic:
    D major -> (2, 4, 6, 7, 9, 11, 1)."""
    tonic = tonic_pc(key)
    return tuple((tonic + interval) % 12 for interval in MODE_INTERVALS[key.mode])


def scale_names(key: Key) -> list[str]:
    """The scale spelled with one letter per degree: D major -> D E F# G A B C#."""
    return [pitch_class_name(pc, key) for pc in scale_pitch_classes(key)]


def degree_of(pitch_class: int, key: Key) -> int | None:
    """The scale degree (1-7) of a pitch class, or None when it is not in the scale."""
    scale = scale_pitch_classes(key)
    pitch_class %= 12
    return scale.index(pitch_class) + 1 if pitch_class in scale else None


def leading_tone_pc(key: Key) -> int:
    """The pitch class a semitone below the tonic: the 7th of major and of harmonic minor
    (G# in A minor), whatever the mode's own 7th is."""
    return (tonic_pc(key) - 1) % 12


def harmonic_minor_pitch_classes(key: Key) -> tuple[int, ...]:
    """The key's scale with its 7th raised to the leading tone: A minor -> A B C D E F G#."""
    return (*scale_pitch_classes(key)[:6], leading_tone_pc(key))


def functional_pitch_classes(key: Key) -> frozenset[int]:
    """The pitch classes harmony treats as belonging to the key: the scale, plus the
    raised leading tone in (tonal) minor, where V and vii° use it."""
    pcs = set(scale_pitch_classes(key))
    if is_tonal_minor(key.mode):
        pcs.add(leading_tone_pc(key))
    return frozenset(pcs)


def key_signature(key: Key) -> int:
    """Sharps (positive) or flats (negative) in the key signature: A major 3, Eb major -3,
    C minor -3, D dorian 0. Theoretical keys go past 7 (G# major has 8)."""
    return fifths_position(key.tonic) + MODE_FIFTHS_OFFSET[key.mode]


def relative(key: Key) -> Key:
    """The key with the same signature and the other tonic triad: C major <-> A minor,
    Ionian <-> Aeolian. A church mode's relative is the major key of its signature
    (D dorian -> C major)."""
    scale = scale_names(key)
    if key.mode in (Mode.MAJOR, Mode.IONIAN):
        target = Mode.MINOR if key.mode is Mode.MAJOR else Mode.AEOLIAN
        return Key(tonic=scale[5], mode=target)
    if key.mode in (Mode.MINOR, Mode.AEOLIAN):
        target = Mode.MAJOR if key.mode is Mode.MINOR else Mode.IONIAN
        return Key(tonic=scale[2], mode=target)
    # D dorian starts on the 2nd degree of C major, so C is D dorian's 7th degree.
    ionian_degree = (7 - _MODE_ROTATION[key.mode]) % 7
    return Key(tonic=scale[ionian_degree], mode=Mode.MAJOR)


def parallel(key: Key) -> Key:
    """The same tonic with the other third: C major <-> C minor, Ionian <-> Aeolian.
    Church modes go to major or minor by their third (D dorian -> D major)."""
    swaps = {Mode.MAJOR: Mode.MINOR, Mode.MINOR: Mode.MAJOR,
             Mode.IONIAN: Mode.AEOLIAN, Mode.AEOLIAN: Mode.IONIAN}
    if key.mode in swaps:
        return Key(tonic=key.tonic, mode=swaps[key.mode])
    return Key(tonic=key.tonic, mode=Mode.MAJOR if has_minor_third(key.mode) else Mode.MINOR)


def conventional_key(pitch_class: int, mode: Mode) -> Key:
    """The usual spelling of the key on `pitch_class`: the one whose signature has fewer
    accidentals (Bb not A#, Db not C#, G# minor not Ab minor), with F# major and
    Eb minor where six sharps and six flats tie."""
    pitch_class %= 12
    tied = _TIED_SPELLINGS.get((pitch_class, mode))
    if tied is not None:
        return Key(tonic=tied, mode=mode)
    candidates = [Key(tonic=name, mode=mode) for name in enharmonic_names(pitch_class)]
    return min(candidates, key=lambda k: abs(key_signature(k)))

