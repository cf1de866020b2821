"""Making sure the music is heard in the key that was asked for.

A learned model samples what is likely, not what is unambiguous: a D minor loop of Dm and
Bb is as much Bb major, and I-IV-V-IV in D leans to G. A listener (and the music core's key
estimator) then hears another key than the brief named. So the composer draws a few
candidates for the harmony and the melody and keeps the first whose key is clearly the one
asked for (or the best of them), and the repair step re-draws a melody that lets the whole
arrangement drift into another key.

A church mode is judged against its own profile: the family's profile (minor for dorian and
phrygian, major for lydian and mixolydian) with the weight of the family's degree handed to
the mode's own degree (lydian's #4 takes the 4th's weight). A plain major/minor profile
hears an F lydian piece that sounds its B natural as C major, and the composer would then
redraw until the mode's colour was gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Final, TypeVar

from ariaforge.composer.plan import ChordEvent
from ariaforge.music.score import Key, Mode, Note
from ariaforge.music.theory.keyfinding import (
    DEFAULT_PROFILE,
    Histogram,
    correlation,
    profile_named,
    rank_keys,
)
from ariaforge.music.theory.modes import has_minor_third
from ariaforge.music.theory.pitch import pitch_class_of_name

__all__ = [
    "CANDIDATES",
    "CLEAR_MARGIN",
    "best_candidate",
    "chord_histogram",
    "key_margin",
    "note_histogram",
    "rests_on_tonic",
]

CANDIDATES: Final = 6  # draws per step at most; each costs a few milliseconds
CLEAR_MARGIN: Final = 0.02  # correlation lead over the runner-up that counts as clear
BASS_WEIGHT: Final = 2  # extra counts of a chord's bass note, beyond its count as a tone

T = TypeVar("T")


def note_histogram(notes: Iterable[Note]) -> list[float]:
    weights = [0.0] * 12
    for note in notes:
        weights[note.pitch % 12] += note.duration
    return weights


def chord_histogram(chords: Iterable[ChordEvent]) -> list[float]:
    """What an accompaniment of these chords sounds: each tone for the chord's length, the
    bass note three times over (the bass line restates it on most beats, and a band without
    a chordal instrument sounds little else: the roots of borrowed chords then decide the
    key a listener hears)."""
    weights = [0.0] * 12
    for event in chords:
        for pitch_class in event.chord.tone_pitch_classes:
            weights[pitch_class] += event.duration
        weights[event.chord.bass_pc] += BASS_WEIGHT * event.duration
    return weights


# The degree (semitones above the tonic) a mode raises or lowers against its family, and
# where the family has it: (family's degree, mode's degree).
_MODE_DEGREE: Final = {Mode.DORIAN: (8, 9), Mode.PHRYGIAN: (2, 1), Mode.LYDIAN: (5, 6),
                       Mode.MIXOLYDIAN: (11, 10), Mode.LOCRIAN: (7, 6)}


def key_margin(histogram: Sequence[float], key: Key) -> float:
    """How far the asked key's correlation leads every other major or minor key's (negative
    when another key is heard instead). A church mode also counts its own profile (see above),
    so its characteristic degree helps the asked tonic instead of a rival's."""
    family = Mode.MINOR if has_minor_third(key.mode) else Mode.MAJOR
    tonic = pitch_class_of_name(key.tonic)
    values = _as_histogram(histogram)
    ranked = rank_keys(values)
    mine = next(r for k, r in ranked if k.mode is family and pitch_class_of_name(k.tonic)
                == tonic)
    if key.mode in _MODE_DEGREE:
        rotated = [values[(tonic + i) % 12] for i in range(12)]
        mine = max(mine, correlation(rotated, modal_profile(key.mode)))
    others = max(r for k, r in ranked if not (k.mode is family
                                              and pitch_class_of_name(k.tonic) == tonic))
    return mine - others


def modal_profile(mode: Mode) -> tuple[float, ...]:
    """The default key profile of `mode`'s family with the family's degree and the mode's
    own degree swapped (the family profile itself for major, minor, ionian, aeolian)."""
    profile = profile_named(DEFAULT_PROFILE)
    values = list(profile.minor if has_minor_third(mode) else profile.major)
    if mode in _MODE_DEGREE:
        theirs, ours = _MODE_DEGREE[mode]
        values[theirs], values[ours] = values[ours], values[theirs]
    return tuple(values)


def rests_on_tonic(chords: Iterable[ChordEvent], key: Key) -> bool:
    """Whether no other chord root sounds longer than the tonic's. A tune whose harmony
    sits on V for most of its bars (a reel's I-I-V-V-V-V-V-V) is heard in the dominant's
    key once a melody dwells on V's tones, however well the chords alone fit the asked key
    (a profile weighs the fifth as much as the tonic)."""
    lengths = [0] * 12
    for event in chords:
        lengths[event.chord.root_pc] += event.duration
    tonic = pitch_class_of_name(key.tonic)
    return lengths[tonic] >= max(lengths)


def best_candidate(draw: Callable[[int], T], margin_of: Callable[[T], float],
                   tries: int = CANDIDATES) -> T:
    """The first draw (0, 1, ...) whose margin is clear, else the draw with the best one.
    Draw 0 is what the model would have made alone, so clear cases cost nothing."""
    best: tuple[float, T] | None = None
    for index in range(tries):
        candidate = draw(index)
        margin = margin_of(candidate)
        if margin >= CLEAR_MARGIN:
            return candidate
        if best is None or margin > best[0]:
            best = (margin, candidate)
    assert best is not None
    return best[1]


def _as_histogram(values: Sequence[float]) -> Histogram:
    return tuple(float(v) for v in values)
