"""Where notes fall in a score's bars and beats: the arithmetic every trait check shares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ariaforge.music.score import Note, Role, Score, Track

PPQ = 480
TOLERANCE = 30  # ticks a hit may sit off its grid position (a humanised or swung player)
KICKS = frozenset({35, 36})
SNARES = frozenset({37, 38, 39, 40})  # side stick, snare, clap, electric snare
HATS = frozenset({42, 44, 46})


def bar_ticks(score: Score) -> int:
    return score.meter.numerator * PPQ * 4 // score.meter.denominator


def beat_ticks(score: Score) -> int:
    """The felt beat: a dotted quarter in 6/8, 9/8 and 12/8."""
    meter = score.meter
    if meter.denominator == 8 and meter.numerator % 3 == 0:
        return PPQ * 3 // 2
    return PPQ * 4 // meter.denominator


def beats_per_bar(score: Score) -> int:
    return bar_ticks(score) // beat_ticks(score)


def near(tick: int, target: int) -> bool:
    return abs(tick - target) <= TOLERANCE


def drum_notes(score: Score, keys: frozenset[int] | None = None) -> list[Note]:
    return [n for t in score.tracks if t.is_drum for n in t.notes
            if keys is None or n.pitch in keys]


def pitched(score: Score) -> list[Track]:
    return [t for t in score.tracks if not t.is_drum and t.notes]


def accompaniment(score: Score) -> list[Track]:
    """Pitched tracks that are not the tune: chords, pads, bass, counter-lines."""
    melody = melody_track(score)
    return [t for t in pitched(score) if t is not melody]


def chord_tracks(score: Score) -> list[Track]:
    return [t for t in pitched(score) if t.role in (Role.CHORDS, Role.PAD)]


def melody_track(score: Score) -> Track | None:
    return next((t for t in score.tracks if t.role is Role.MELODY and t.notes), None)


def by_bar(score: Score, notes: Iterable[Note]) -> dict[int, list[int]]:
    """Onsets by 0-based bar, as ticks from the bar's start."""
    size = bar_ticks(score)
    bars: dict[int, list[int]] = {}
    for note in notes:
        bars.setdefault(note.start // size, []).append(note.start % size)
    return bars


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
