"""Where notes fall in a score's bars and beats, and which tracks play which part: the
arithmetic every check shares (bars.py, piece_traits.py, texture.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ariaforge.music.score import Meter, Note, Role, Score, Track

PPQ = 480
SIXTEENTH = PPQ // 4
TOLERANCE = 30  # ticks a hit may sit off its grid position (a humanised or swung player)
LOW = 55  # below G3: the bass register, where an oom or a boom sounds

# General MIDI drum keys, grouped as a drummer plays them.
KICKS = frozenset({35, 36})
SIDE_STICK, SNARE, CLAP, ELECTRIC_SNARE = 37, 38, 39, 40
LOUD_SNARES = frozenset({SNARE, CLAP, ELECTRIC_SNARE})  # the backbeat at full voice
SNARES = LOUD_SNARES | {SIDE_STICK}  # ... or as a cross-stick click
HATS = frozenset({42, 44, 46})  # closed, pedal, open
LOW_TOM, RIDE = 45, 51


def felt_beat(meter: Meter) -> int:
    """Ticks of the felt beat: the denominator's unit, but a dotted quarter in 6/8, 9/8
    and 12/8."""
    if meter.denominator == 8 and meter.numerator % 3 == 0:
        return PPQ * 3 // 2
    return PPQ * 4 // meter.denominator


def bar_ticks(score: Score) -> int:
    return score.meter.ticks_per_bar


def beat_ticks(score: Score) -> int:
    return felt_beat(score.meter)


def near(tick: int, target: int) -> bool:
    return abs(tick - target) <= TOLERANCE


def drum_notes(score: Score) -> list[Note]:
    return [n for t in score.tracks if t.is_drum for n in t.notes]


def pitched(score: Score) -> list[Track]:
    return [t for t in score.tracks if not t.is_drum and t.notes]


def melody_track(score: Score) -> Track | None:
    return next((t for t in score.tracks if t.role is Role.MELODY and t.notes), None)


def accompaniment(score: Score) -> list[Track]:
    """Pitched tracks that are not the tune: chords, pads, bass, counter-lines."""
    melody = melody_track(score)
    return [t for t in pitched(score) if t is not melody]


def chord_tracks(score: Score) -> list[Track]:
    return [t for t in pitched(score) if t.role in (Role.CHORDS, Role.PAD)]


def share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def onset_groups(notes: Iterable[Note]) -> dict[int, list[Note]]:
    """Notes by onset tick: the chords a part strikes."""
    groups: dict[int, list[Note]] = {}
    for note in notes:
        groups.setdefault(note.start, []).append(note)
    return groups


def sounding(notes: Sequence[Note], tick: int) -> frozenset[int]:
    return frozenset(n.pitch for n in notes if n.start <= tick < n.end)
