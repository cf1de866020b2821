"""Performance timing → written rhythm: the notes as a reader should see them.

A score played by people or made to sound played (swing, humanised starts, legato gaps)
is written on a grid chosen per track:

* **Already written.** A track whose starts and ends all sit on a 64th or an
  eighth-triplet grid (a chorale, a typed-in part) keeps its exact ticks: nothing moves.
* **Swing.** Across the score, off-beat onsets near 2/3 of a quarter beat (and none at
  the triplet's first third) are long-short eighth pairs: the time is straightened (the
  swung off-beat goes back to the half beat, each half of the beat stretched evenly), the
  notes are written as straight eighths, and the writer adds a "Swing" marking.
* **Triplets.** A track with onsets at both thirds of the beat is triplet-based: each of
  its beats takes the eighth-triplet grid or the sixteenth grid, whichever its onsets
  sit nearer.
* **Otherwise** the sixteenth grid. Starts and ends are rounded to the grid (the end of a
  note held a beat or more to the eighth). A note whose
  end was off the grid (played short) and now stops at most one step before the next
  onset is held to it (a 460-tick note before the next beat is a quarter). Where the
  grid would merge onsets more than half a step apart, the grid halves (32nd, 64th,
  128th), and below that the track keeps its exact ticks.
* **Drums** are written from hit to hit: each hit lasts until the next one, at most a
  beat and never past the barline (a drummer reads onsets, not lengths).

Notes are never dropped, reordered or made zero-length: each keeps its id, pitch and
velocity. The written score is notation; MIDI export keeps the performance timing.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from ariaforge.music.notation.meter import metric_grid
from ariaforge.music.score import PPQ, Note, Score, Track

SIXTEENTH = PPQ // 4
TRIPLET_EIGHTH = PPQ // 3
_EXACT_UNITS = (PPQ // 16, PPQ // 3)  # a 64th, an eighth-triplet
_FINEST = PPQ // 32
# Off-beat windows (ticks into a quarter beat): a swung eighth lands near 2/3 of the beat
# (jazz 320, lo-fi's lazier 288), a triplet's first third near 160, a straight eighth 240.
_SWING_WINDOW = (270, 350)
_THIRD_WINDOW = (130, 190)
_HALF_WINDOW = (220, 260)
_MIN_SWUNG = 4


class Feel(StrEnum):
    EXACT = "exact"
    STRAIGHT = "straight"
    TRIPLET = "triplet"


@dataclass(frozen=True, slots=True)
class TrackRhythm:
    feel: Feel
    step: int  # the written grid in ticks (1 for exact)


@dataclass(frozen=True, slots=True)
class Notation:
    """The written score (notes on their written ticks), how each track was read, and
    where a swung off-beat fell (None: the score does not swing)."""

    score: Score
    rhythms: dict[str, TrackRhythm]
    swing_at: int | None

    @property
    def swing_ratio(self) -> tuple[int, int] | None:
        """(first, second) of a swung eighth pair, 2:1 for a triplet swing."""
        if self.swing_at is None:
            return None
        ratio = Fraction(self.swing_at, PPQ - self.swing_at).limit_denominator(8)
        return ratio.numerator, ratio.denominator


def notate(score: Score) -> Notation:
    """The written rhythm of `score` (see the module notes)."""
    timeline = _Timeline(score)
    swing_at = _swing(score, timeline)
    rhythms: dict[str, TrackRhythm] = {}
    tracks: list[Track] = []
    for track in score.tracks:
        if track.is_audio:
            continue  # samples have no written rhythm: notation leaves them out
        rhythm = _rhythm(track, timeline, swing_at)
        rhythms[track.id] = rhythm
        notes = _written(track, timeline, rhythm, swing_at)
        tracks.append(track.model_copy(update={"notes": notes}))
    written = score.model_copy(update={"tracks": tracks})
    return Notation(written, rhythms, swing_at)


class _Timeline:
    """Bar starts and meters, to place ticks relative to their bar."""

    def __init__(self, score: Score) -> None:
        self.score = score
        last = max([score.end_tick, *(n.end for _, n in score.all_notes())])
        self.starts: list[int] = []
        bar = 1
        while True:
            start = score.bar_start(bar)
            self.starts.append(start)
            if start > last:
                break
            bar += 1
        self.lengths = [score.meter_at_bar(b + 1).ticks_per_bar
                        for b in range(len(self.starts))]
        self.in_quarters = [
            score.meter_at_bar(b + 1).denominator in (2, 4)
            and score.meter_at_bar(b + 1).ticks_per_bar % PPQ == 0
            for b in range(len(self.starts))]
        self.quarter_beats = all(self.in_quarters)

    def locate(self, tick: int) -> tuple[int, int]:
        """(bar start, bar length) of the bar holding `tick`."""
        index = max(bisect_right(self.starts, tick) - 1, 0)
        return self.starts[index], self.lengths[index]

    def beat_of(self, tick: int) -> int:
        """The beat length (a quarter, a dotted quarter...) of the bar holding `tick`."""
        index = max(bisect_right(self.starts, tick) - 1, 0)
        return metric_grid(self.score.meter_at_bar(index + 1)).beat

    def quarter_bar(self, tick: int) -> bool:
        """Whether the bar holding `tick` counts in quarters (4/4, 3/4, 2/2, not 6/8)."""
        return self.in_quarters[max(bisect_right(self.starts, tick) - 1, 0)]

    def in_beat(self, tick: int) -> int:
        """Ticks into the quarter beat (swing and triplets live in quarter beats)."""
        start, _ = self.locate(tick)
        return (tick - start) % PPQ


def _offbeats(notes: list[Note], timeline: _Timeline) -> list[int]:
    """Onsets' positions into their quarter beat, off the beat, in bars of quarters."""
    return [p for p in (timeline.in_beat(n.start) for n in notes
                        if timeline.quarter_bar(n.start)) if p]


def _within(position: int, window: tuple[int, int]) -> bool:
    return window[0] <= position <= window[1]


def _swing(score: Score, timeline: _Timeline) -> int | None:
    """Where the score's swung off-beat eighth lands, or None if it plays straight."""
    if not timeline.quarter_beats:
        return None
    positions = [p for track in score.tracks for p in _offbeats(track.notes, timeline)]
    swung = [p for p in positions if _within(p, _SWING_WINDOW)]
    thirds = sum(_within(p, _THIRD_WINDOW) for p in positions)
    halves = sum(_within(p, _HALF_WINDOW) for p in positions)
    if (len(swung) < _MIN_SWUNG or len(swung) < 0.6 * len(positions)
            or thirds > 0.15 * len(swung) or halves > 0.15 * len(swung)):
        return None
    return round(statistics.median(swung))


def _on(tick: int, timeline: _Timeline, unit: int) -> bool:
    start, _ = timeline.locate(tick)
    return (tick - start) % unit == 0


def _rhythm(track: Track, timeline: _Timeline, swing_at: int | None) -> TrackRhythm:
    if swing_at is not None:
        return TrackRhythm(Feel.STRAIGHT, SIXTEENTH)
    written = all(any(_on(t, timeline, u) for u in _EXACT_UNITS)
                  for n in track.notes for t in ((n.start,) if track.is_drum
                                                  else (n.start, n.end)))
    if written:
        return TrackRhythm(Feel.EXACT, 1)
    offbeats = _offbeats(track.notes, timeline)
    thirds = sum(_within(p, _THIRD_WINDOW) for p in offbeats)
    two_thirds = sum(_within(p, _SWING_WINDOW) for p in offbeats)
    if thirds and two_thirds and thirds + two_thirds >= 0.3 * len(offbeats):
        return TrackRhythm(Feel.TRIPLET, SIXTEENTH)
    return TrackRhythm(Feel.STRAIGHT, SIXTEENTH)


# --- writing a track on its grid ------------------------------------------------


def _written(track: Track, timeline: _Timeline, rhythm: TrackRhythm,
             swing_at: int | None) -> list[Note]:
    notes = sorted(track.notes, key=lambda n: (n.start, n.pitch, n.id))
    if rhythm.feel is Feel.EXACT:
        placed = [(n.start, n.end) for n in notes]
    else:
        triplets = _triplet_beats(notes, timeline) if rhythm.feel is Feel.TRIPLET else set()
        placed = _snapped(notes, timeline, rhythm.step, swing_at, triplets)
    if track.is_drum:
        placed = _hit_to_hit(placed, timeline)
    return [n.model_copy(update={"start": s, "duration": e - s})
            for n, (s, e) in zip(notes, placed, strict=True)]


def _straightened(tick: int, timeline: _Timeline, swing_at: int | None) -> int:
    """The tick with a swung off-beat moved back to the half beat (identity unswung)."""
    if swing_at is None:
        return tick
    start, _ = timeline.locate(tick)
    beat_start = tick - (tick - start) % PPQ
    into = tick - beat_start
    half = PPQ // 2
    if into < swing_at:
        moved = into * half / swing_at
    else:
        moved = half + (into - swing_at) * half / (PPQ - swing_at)
    return beat_start + round(moved)


def _triplet_beats(notes: list[Note], timeline: _Timeline) -> set[int]:
    """The quarter beats (by start tick) whose onsets sit nearer the eighth-triplet grid
    than the sixteenth grid: a triplet track mixes triplet beats and straight ones."""
    cost: dict[int, list[int]] = {}
    for note in notes:
        if not timeline.quarter_bar(note.start):
            continue
        into = timeline.in_beat(note.start)
        beat = note.start - into
        here = cost.setdefault(beat, [0, 0])
        here[0] += _distance(into, TRIPLET_EIGHTH)
        here[1] += _distance(into, SIXTEENTH)
    return {beat for beat, (triplet, straight) in cost.items() if triplet < straight}


def _distance(position: int, step: int) -> int:
    return abs(position - round(position / step) * step)


def _snap(tick: int, timeline: _Timeline, step: int,
          triplets: set[int] | frozenset[int] = frozenset()) -> int:
    start, length = timeline.locate(tick)
    if triplets and tick - timeline.in_beat(tick) in triplets:
        step = TRIPLET_EIGHTH
    into = round((tick - start) / step) * step
    return start + min(into, length)


def _snapped(notes: list[Note], timeline: _Timeline, step: int, swing_at: int | None,
             triplets: set[int]) -> list[tuple[int, int]]:
    straight = [(_straightened(n.start, timeline, swing_at),
                 _straightened(n.end, timeline, swing_at)) for n in notes]
    while step >= _FINEST and _merges(straight, timeline, step):
        step //= 2
    if step < _FINEST:
        return [(s, max(e, s + 1)) for s, e in straight]
    if step < SIXTEENTH:
        triplets = set()
    starts = [_snap(s, timeline, step, triplets) for s, _ in straight]
    onsets = sorted(set(starts))
    placed = []
    for (raw_start, raw_end), start in zip(straight, starts, strict=True):
        shortest = TRIPLET_EIGHTH if start - timeline.in_beat(start) in triplets else step
        # A note held a beat or more ends on an eighth: a long note's release is the
        # least precise part of a performance, and a tied sixteenth after it is clutter.
        long = raw_end - raw_start >= PPQ and step == SIXTEENTH and not triplets
        end = max(_snap(raw_end, timeline, 2 * step if long else step, triplets),
                  start + shortest)
        following = onsets[bisect_right(onsets, start):]
        if following and end < following[0] and not _on_grid(raw_end, timeline, step,
                                                              triplets):
            gap = following[0] - end
            if gap <= step and gap <= end - start:
                end = following[0]  # a legato gap: the note is held to the next onset
        placed.append((start, end))
    return placed


def _on_grid(tick: int, timeline: _Timeline, step: int, triplets: set[int]) -> bool:
    return _snap(tick, timeline, step, triplets) == tick


def _merges(straight: list[tuple[int, int]], timeline: _Timeline, step: int) -> bool:
    """Whether the grid would put onsets more than half a step apart on one point."""
    firsts: dict[int, int] = {}
    for start, _ in straight:
        snapped = _snap(start, timeline, step)
        first = firsts.setdefault(snapped, start)
        if abs(start - first) * 2 > step:
            return True
    return False


def _hit_to_hit(placed: list[tuple[int, int]], timeline: _Timeline) -> list[tuple[int, int]]:
    onsets = sorted({s for s, _ in placed})
    written = []
    for start, _ in placed:
        bar_start, length = timeline.locate(start)
        index = bisect_right(onsets, start)
        limit = min(bar_start + length, start + timeline.beat_of(start))
        if index < len(onsets):
            limit = min(limit, onsets[index])
        written.append((start, max(limit, start + 1)))
    return written
