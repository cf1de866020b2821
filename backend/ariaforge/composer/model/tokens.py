"""The features and tokens the models share between training and decoding.

Training (`training/train.py`) and the decoders build contexts with these same functions,
so a change here needs a retrain. Everything is relative to the key (intervals, pitch
classes above the tonic, chords as degree + quality), so one model serves every key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ariaforge.music.score import PPQ, Mode

GRID: Final = PPQ // 4  # a sixteenth: onsets and durations are snapped to it
MAX_INTERVAL: Final = 12
INTERVALS: Final = tuple(str(step) for step in range(-MAX_INTERVAL, MAX_INTERVAL + 1))
START: Final = "^"  # the context value before the first token of a tune

# Mode families: the models learn four (the corpus has plenty of each); the rarer church
# modes borrow the closest family by their third and seventh.
_FAMILIES: Final = {
    Mode.MAJOR: "maj", Mode.IONIAN: "maj", Mode.LYDIAN: "maj", Mode.MIXOLYDIAN: "mix",
    Mode.MINOR: "min", Mode.AEOLIAN: "min", Mode.PHRYGIAN: "min", Mode.LOCRIAN: "min",
    Mode.DORIAN: "dor",
}

# Chord qualities the harmony model names, with their tones above the root.
CHORD_TONES: Final[dict[str, tuple[int, ...]]] = {
    "maj": (0, 4, 7), "min": (0, 3, 7), "dim": (0, 3, 6), "aug": (0, 4, 8),
    "7": (0, 4, 7, 10), "m7": (0, 3, 7, 10), "maj7": (0, 4, 7, 11), "m7b5": (0, 3, 6, 10),
    "dim7": (0, 3, 6, 9), "sus4": (0, 5, 7), "6": (0, 4, 7, 9), "m6": (0, 3, 7, 9),
    "9": (0, 4, 7, 10, 2), "m9": (0, 3, 7, 10, 2), "maj9": (0, 4, 7, 11, 2),
}


def mode_family(mode: Mode) -> str:
    return _FAMILIES[mode]


def chord_token(degree_semitones: int, quality: str) -> str:
    """A chord relative to the tonic: "7:7" is V7, "9:min" is vi, "10:maj" is bVII."""
    return f"{degree_semitones % 12}:{quality}"


def split_chord_token(token: str) -> tuple[int, str]:
    degree, _, quality = token.partition(":")
    return int(degree), quality


def chord_token_pcs(token: str) -> frozenset[int]:
    """Pitch classes of a chord token, relative to the tonic."""
    degree, quality = split_chord_token(token)
    return frozenset((degree + step) % 12 for step in CHORD_TONES[quality])


def simple_quality(quality: str) -> str:
    """The triad a chord quality reduces to, for melody conditioning (the melody model
    cares whether the third is major or minor, not about added sevenths)."""
    if quality in ("min", "m7", "m6", "m9"):
        return "min"
    if quality in ("dim", "m7b5", "dim7"):
        return "dim"
    return "aug" if quality == "aug" else "maj"


def melody_chord(token: str) -> str:
    degree, quality = split_chord_token(token)
    return chord_token(degree, simple_quality(quality))


def is_compound(numerator: int, denominator: int) -> bool:
    return denominator == 8 and numerator % 3 == 0 and numerator > 3


def beat_ticks(numerator: int, denominator: int) -> int:
    if is_compound(numerator, denominator):
        return PPQ * 3 // 2
    return PPQ * 4 // denominator


def bar_ticks(numerator: int, denominator: int) -> int:
    return numerator * PPQ * 4 // denominator


def strength(position: int, numerator: int, denominator: int) -> str:
    """"2" on the downbeat, "1" on another beat, "0" between beats. 4/4 and 2/2 have
    their half-bar on "1" like every beat."""
    if position == 0:
        return "2"
    return "1" if position % beat_ticks(numerator, denominator) == 0 else "0"


def meter_name(numerator: int, denominator: int) -> str:
    return f"{numerator}/{denominator}"


def clip_interval(step: int) -> int:
    return max(-MAX_INTERVAL, min(MAX_INTERVAL, step))


def melody_context(family: str, beat: str, previous_pc: int, chord: str,
                   intervals: Sequence[int]) -> tuple[str, ...]:
    """Context of the next melodic interval, general to specific: mode family, metric
    strength of the new note, the previous note's pitch class above the tonic, the chord
    under the new note (relative to the tonic, as a triad), then the two previous
    intervals (most recent first)."""
    recent = [str(step) for step in reversed(intervals[-2:])]
    recent += [START] * (2 - len(recent))
    return (family, beat, str(previous_pc % 12), chord, *recent)


def plain_context(intervals: Sequence[int], order: int = 5) -> tuple[str, ...]:
    """Context of a plain n-gram over intervals: the previous `order` intervals."""
    recent = [str(step) for step in reversed(intervals[-order:])]
    return tuple(recent + [START] * (order - len(recent)))


def rhythm_context(numerator: int, denominator: int, position: int,
                   durations: Sequence[int]) -> tuple[str, ...]:
    """Context of the next duration: simple/compound, metric strength and position inside
    the beat (these carry over to metres the corpus lacks), previous duration, metre and
    position in the bar, the duration before that."""
    beat = beat_ticks(numerator, denominator)
    previous = [str(value) for value in reversed(durations[-2:])]
    previous += [START] * (2 - len(previous))
    return ("c" if is_compound(numerator, denominator) else "s",
            strength(position, numerator, denominator), str(position % beat), previous[0],
            f"{meter_name(numerator, denominator)}@{position}", previous[1])


def harmony_context(family: str, style: str, previous: Sequence[str]) -> tuple[str, ...]:
    """Context of the next chord: mode family, previous chord, style, then the two chords
    before (most recent first). The style sits after the previous chord so that styles
    with little data back off to the progressions every style shares."""
    recent = list(reversed(previous[-3:]))
    recent += [START] * (3 - len(recent))
    return (family, recent[0], style, recent[1], recent[2])
