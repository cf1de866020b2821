"""A countermelody: a second line that answers the melody instead of shadowing it.

Its rhythm fills what the melody leaves: two notes in a beat where the melody holds or
rests, one where it moves (so the pair keeps one to two notes a beat between them), only
the strong beats in a quiet bar, one long note at the end. Each pitch is chosen note by
note from the scale under rules a counterpoint teacher would give: a chord tone on every
beat (and always on a strong one), a passing note between only by step; a third or sixth
under the melody where it can, a fifth or octave now and then but never two in a row in
the same direction; contrary motion preferred to similar; steps preferred to leaps, and a
leap turned back by step; never above the melody (or, for an instrument whose register
sits above the tune, never under it: a descant).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from ariaforge.composer.arrange.timing import (
    BarInfo,
    Density,
    Harmony,
    bars_of,
    beat_grid,
    density,
    offset_in_beat,
    velocity,
)
from ariaforge.composer.plan import ChordEvent, Plan, rng_for
from ariaforge.composer.styles import style_kit
from ariaforge.music.score import Note
from ariaforge.music.theory.scales import scale_pitch_classes

__all__ = ["Onset", "Tune", "countermelody", "side_of"]

_SWEET: Final = (3, 4, 8, 9)  # thirds and sixths under the melody
_PERFECT: Final = (0, 7)
_VELOCITY: Final = 70
# Costs of one note (see the module docstring for the rules they weigh).
_OFF_CHORD_STRONG, _OFF_CHORD_BEAT, _OFF_CHORD_LEAPT = 10.0, 4.0, 4.0
_WRONG_SIDE, _PARALLEL, _DISSONANT_BEAT, _DISSONANT_OFF = 12.0, 15.0, 8.0, 2.5
_PERFECT_COST, _FOURTH, _SIMILAR, _CONTRARY = 1.5, 3.0, 1.0, -1.0
_LEAP_UNRECOVERED, _FAR = 1.5, 0.5
_MOTION: Final = ((0, 2.0), (2, 0.0), (4, 0.8), (7, 2.0), (12, 4.0))  # (up to, cost)
_REPEAT_WHILE_HELD = 3.0  # the melody holds: the counterline should move
_DRIFT, _JITTER = 0.08, 0.4
_DESCANT_MARGIN = 5  # semitones the register's middle must clear the melody's to go above
# The chance of a second note in a beat where the melody starts one note and holds it.
_EXTRA: Final = {Density.SPARSE: 0.0, Density.MAIN: 0.35, Density.FULL: 0.6}


class Tune:
    """The melody as the counterline hears it: what sounds at a tick, what starts in a
    span of ticks."""

    def __init__(self, notes: Sequence[Note]) -> None:
        self.notes = sorted(notes, key=lambda n: (n.start, -n.pitch))
        self.starts = [n.start for n in self.notes]
        self.longest = max((n.duration for n in self.notes), default=0)

    def at(self, tick: int) -> int | None:
        """The highest melody pitch sounding at `tick`."""
        first = bisect_left(self.starts, tick - self.longest)
        last = bisect_right(self.starts, tick)
        sounding = [n.pitch for n in self.notes[first:last] if n.end > tick]
        return max(sounding) if sounding else None

    def next_pitch(self, tick: int) -> int | None:
        """The pitch of the first note starting at or after `tick`."""
        index = bisect_left(self.starts, tick)
        return self.notes[index].pitch if index < len(self.notes) else None

    def lowest(self, start: int, end: int) -> int | None:
        """The lowest pitch sounding anywhere in [start, end)."""
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, end)
        pitches = [n.pitch for n in self.notes[first:last] if n.end > start]
        return min(pitches) if pitches else None

    def onsets(self, start: int, end: int) -> int:
        """How many melody notes start in [start, end)."""
        return bisect_left(self.starts, end) - bisect_left(self.starts, start)


@dataclass(frozen=True)
class Onset:
    tick: int
    strong: bool  # a strong beat's first tick
    on_beat: bool
    melody_holds: bool  # the melody starts nothing in this beat


def _bar_rhythm(plan: Plan, info: BarInfo, chords: Harmony, tune: Tune,
                swing: Fraction | None) -> list[Onset]:
    start = plan.bar_start(info.bar)
    if info.final:
        return [Onset(start, True, True, False)]
    level = density(plan, info.bar)
    rng = rng_for(plan.seed, "counter", "rhythm", info.section.phrase, info.index)
    onsets: list[Onset] = []
    for beat in beat_grid(plan.meter):
        tick = start + beat.offset
        moving = tune.onsets(tick, tick + beat.length)
        if level is Density.SPARSE and not beat.strong and moving:
            continue
        onsets.append(Onset(tick, beat.strong, True, moving == 0))
        half = tick + offset_in_beat(beat, Fraction(1, 2), swing)
        # Where the melody holds through the beat's second half, the line may move there.
        quiet_half = tune.onsets(half, tick + beat.length) == 0
        chance = _EXTRA[level] if moving == 1 and quiet_half else 0.0
        if level is not Density.SPARSE and (moving == 0 or rng.random() < chance):
            onsets.append(Onset(half, False, False, moving == 0))
    ticks = {o.tick for o in onsets}
    first = bisect_right(chords.starts, start)  # the bar's chord changes, by bisection
    last = bisect_left(chords.starts, start + plan.bar_ticks)
    onsets += [Onset(e.start, False, True, False) for e in chords.events[first:last]
               if e.start not in ticks]
    return sorted(onsets, key=lambda o: o.tick)


@dataclass
class _Line:
    side: int  # -1 under the melody, +1 over it (a descant)
    pitch: int | None = None
    tick: int = 0
    leap: int = 0  # the last motion, when it was a leap


def side_of(tune: Tune, register: tuple[int, int]) -> int:
    """-1 when the line's register sits under the melody's middle or near it (the usual
    case), +1 when it sits clearly above (a flute over a cello's tune plays a descant)."""
    pitches = sorted(n.pitch for n in tune.notes)
    middle = pitches[len(pitches) // 2] if pitches else 127
    return 1 if sum(register) / 2 > middle + _DESCANT_MARGIN else -1


def _motion_cost(distance: int) -> float:
    return next((cost for limit, cost in _MOTION if distance <= limit), 8.0)


def _cost(pitch: int, onset: Onset, event: ChordEvent, line: _Line,
          heard: tuple[int | None, int | None], centre: float) -> float:
    """What `pitch` costs at `onset`; `heard` is the melody now and at the line's last
    note."""
    chord_tone = pitch % 12 in event.chord.pitch_classes
    cost = _DRIFT * abs(pitch - centre)
    previous = line.pitch
    step = 0 if previous is None else pitch - previous
    if not chord_tone:
        cost += (_OFF_CHORD_STRONG if onset.strong else _OFF_CHORD_BEAT if onset.on_beat
                 else 0.0)
        cost += _OFF_CHORD_LEAPT if previous is None or abs(step) > 2 else 0.0
    if previous is not None:
        cost += _motion_cost(abs(step))
        if step == 0 and onset.melody_holds:
            cost += _REPEAT_WHILE_HELD
        if line.leap and not (step * line.leap < 0 and abs(step) <= 2):
            cost += _LEAP_UNRECOVERED
    melody, before = heard
    if melody is None:
        return cost
    if (pitch - melody) * line.side <= 0:
        cost += _WRONG_SIDE
    gap = (melody - pitch) % 12
    if gap in _PERFECT:
        cost += _PERFECT_COST
    elif gap == 5:
        cost += _FOURTH
    elif gap not in _SWEET:
        cost += _DISSONANT_BEAT if onset.on_beat else _DISSONANT_OFF
    cost += _FAR * max(0, abs(melody - pitch) - 19)
    if before is not None and previous is not None:
        moved = melody - before
        if moved * step > 0:
            cost += _SIMILAR
            if gap in _PERFECT and (before - previous) % 12 == gap:
                cost += _PARALLEL
        elif moved * step < 0:
            cost += _CONTRARY
    return cost


def countermelody(plan: Plan, chords: Harmony, tune: Tune,
                  register: tuple[int, int]) -> list[Note]:
    low, high = register
    centre = (low + high) / 2
    kit = style_kit(plan.style)
    swing = kit.swing_ratio if plan.swing else None
    scale = set(scale_pitch_classes(plan.key))
    line = _Line(side_of(tune, register))
    notes: list[Note] = []
    for info in bars_of(plan):
        onsets = _bar_rhythm(plan, info, chords, tune, swing)
        rng = rng_for(plan.seed, "counter", "pitch", info.section.phrase, info.index)
        bar_end = plan.bar_start(info.bar + 1)
        for index, onset in enumerate(onsets):
            event = chords.at(onset.tick)
            if event is None:
                continue
            end = onsets[index + 1].tick if index + 1 < len(onsets) else bar_end
            end = plan.total_ticks if info.final else min(end, event.end)
            options = [p for p in range(low, high + 1)
                       if p % 12 in scale or p % 12 in event.chord.pitch_classes]
            heard = (tune.at(onset.tick), tune.at(line.tick) if line.pitch is not None else None)
            pitch = min(options, key=lambda p: (
                _cost(p, onset, event, line, heard, centre) + _JITTER * rng.random(), p))
            step = 0 if line.pitch is None else pitch - line.pitch
            held = (notes and pitch == notes[-1].pitch and notes[-1].end == onset.tick
                    and not onset.on_beat)
            if held:  # the same pitch again within a beat: hold it instead
                notes[-1] = notes[-1].model_copy(update={"duration": end - notes[-1].start})
            else:
                notes.append(Note(pitch=pitch, start=onset.tick,
                                  duration=max(1, end - onset.tick),
                                  velocity=velocity(plan, info.bar, _VELOCITY,
                                                    rng.randint(-3, 3))))
            line = _Line(line.side, pitch, onset.tick, step if abs(step) > 4 else 0)
    return notes
