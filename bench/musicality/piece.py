"""The one shape every measure reads: a monophonic melody, the harmony under it, the
comping chords and the onsets of the rhythm section, in ticks at 480 per quarter."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PPQ = 480


@dataclass(frozen=True)
class MelodyNote:
    pitch: int
    start: int  # ticks from the start of the first bar (bar 0 may be a pickup bar)
    ioi: int  # ticks to the next onset, cut at the bar line (rests fold into the note)


@dataclass(frozen=True)
class Piece:
    """`harmony`: (tick, pitch classes) change points of the chord sounding from that
    tick, empty where the source has no harmony. `comping`: the chordal part as
    (onset tick, sorted pitches sounding at that onset). `comp_onsets` / `drum_onsets`:
    distinct onset ticks per comping track and of the drums, for swing."""

    source: str
    style: str
    numerator: int
    denominator: int
    tonic: int
    melody: tuple[MelodyNote, ...]
    harmony: tuple[tuple[int, frozenset[int]], ...] = ()
    comping: tuple[tuple[int, tuple[int, ...]], ...] = ()
    comp_onsets: tuple[tuple[int, ...], ...] = ()
    drum_onsets: tuple[int, ...] = ()
    swung: bool = False
    group: str = ""  # phrases of one group never straddle cross-validation folds

    @property
    def bar(self) -> int:
        return self.numerator * PPQ * 4 // self.denominator

    @property
    def compound(self) -> bool:
        return self.denominator == 8 and self.numerator % 3 == 0 and self.numerator > 3

    @property
    def beat(self) -> int:
        """A felt beat: a dotted quarter in 6/8, 9/8, 12/8, else the denominator's note."""
        return PPQ * 3 // 2 if self.compound else PPQ * 4 // self.denominator

    def chord_at(self, tick: int) -> frozenset[int] | None:
        """Pitch classes of the harmony sounding at `tick`, None where unknown."""
        if not self.harmony:
            return None
        index = bisect.bisect_right([t for t, _ in self.harmony], tick) - 1
        return self.harmony[index][1] if index >= 0 else None


def melody_line(notes: Iterable[tuple[int, int]], bar: int) -> tuple[MelodyNote, ...]:
    """(pitch, start) pairs -> a monophonic line: the highest pitch of notes starting
    together, each note lasting to the next onset or its bar line, whichever is first
    (so rests and articulation do not count, the same for every source)."""
    top: dict[int, int] = {}
    for pitch, start in notes:
        top[start] = max(pitch, top.get(start, -1))
    onsets = sorted(top)
    line = []
    for index, start in enumerate(onsets):
        bar_end = (start // bar + 1) * bar
        following = onsets[index + 1] if index + 1 < len(onsets) else bar_end
        line.append(MelodyNote(top[start], start, min(bar_end, following) - start))
    return tuple(line)


def _sweep(notes: Sequence[tuple[int, int, int]], ticks: Iterable[int]
           ) -> Iterable[tuple[int, list[int]]]:
    """For each tick (ascending), the pitches of (pitch, start, duration) notes sounding."""
    ordered = sorted(notes, key=lambda n: n[1])
    active: list[tuple[int, int]] = []  # (end, pitch)
    index = 0
    for tick in ticks:
        while index < len(ordered) and ordered[index][1] <= tick:
            pitch, start, duration = ordered[index]
            active.append((start + duration, pitch))
            index += 1
        active = [(end, pitch) for end, pitch in active if end > tick]
        yield tick, [pitch for _, pitch in active]


def sounding_changes(notes: Sequence[tuple[int, int, int]]
                     ) -> tuple[tuple[int, frozenset[int]], ...]:
    """(pitch, start, duration) notes -> change points of the pitch-class set sounding."""
    ticks = sorted({n[1] for n in notes} | {n[1] + n[2] for n in notes})
    changes: list[tuple[int, frozenset[int]]] = []
    for tick, pitches in _sweep(notes, ticks):
        pcs = frozenset(p % 12 for p in pitches)
        if not changes or changes[-1][1] != pcs:
            changes.append((tick, pcs))
    return tuple(changes)


def chord_stream(notes: Sequence[tuple[int, int, int]]
                 ) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """(pitch, start, duration) notes of the chordal part(s) -> at each onset, the
    sorted distinct pitches sounding then (held notes included)."""
    ticks = sorted({n[1] for n in notes})
    return tuple((tick, tuple(sorted(set(pitches)))) for tick, pitches in _sweep(notes, ticks))
