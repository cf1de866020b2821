"""A secondary line for the "other" role: a countermelody a third or sixth under the
melody on chord tones, falling back to the chord's guide tones where the melody rests."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from ariaforge.composer.arrange.timing import (
    Density,
    Harmony,
    bars_of,
    beat_grid,
    density,
    fit,
    nearest_pitch,
    velocity,
)
from ariaforge.composer.plan import Plan, rng_for
from ariaforge.music.score import Note

_SWEET = (3, 4, 8, 9)  # thirds and sixths: the intervals a second voice lives on
_VELOCITY = 72


class _Melody:
    def __init__(self, notes: Sequence[Note]) -> None:
        self.notes = sorted(notes, key=lambda n: (n.start, -n.pitch))
        self.starts = [n.start for n in self.notes]

    def at(self, tick: int) -> int | None:
        """The highest melody pitch sounding at `tick`."""
        index = bisect_right(self.starts, tick) - 1
        sounding = [n.pitch for n in self.notes[max(0, index - 4):index + 1] if n.end > tick]
        return max(sounding) if sounding else None


def arrange_counterline(plan: Plan, harmony: Harmony, melody: Sequence[Note],
                        register: tuple[int, int]) -> list[Note]:
    low, high = register
    tune = _Melody(melody)
    previous = (low + high) // 2
    notes: list[Note] = []
    for info in bars_of(plan):
        start = plan.bar_start(info.bar)
        sparse = density(plan, info.bar) is Density.SPARSE
        beats = [b for b in beat_grid(plan.meter) if b.strong or b.offset == 0]
        onsets = [start] if sparse or info.final else [start + b.offset for b in beats]
        onsets += [e.start for e in harmony.events
                   if start < e.start < start + plan.bar_ticks and e.start not in onsets]
        onsets.sort()
        jitter = rng_for(plan.seed, "other", info.section.phrase, info.section.occurrence,
                         info.index)
        for index, tick in enumerate(onsets):
            event = harmony.at(tick)
            if event is None:
                continue
            following = onsets[index + 1] if index + 1 < len(onsets) else plan.bar_start(
                info.bar + 1)
            end = plan.total_ticks if info.final else min(following, event.end)
            pitch = _choose(event.chord.tone_pitch_classes, tune.at(tick), previous, low,
                            high)
            notes.append(Note(pitch=pitch, start=tick, duration=max(1, end - tick),
                              velocity=velocity(plan, info.bar, _VELOCITY,
                                                jitter.randint(-3, 3))))
            previous = pitch
    return fit(notes, plan.total_ticks)


def _choose(tones: tuple[int, ...], above: int | None, previous: int, low: int,
            high: int) -> int:
    """A chord tone a third or sixth under the melody if one fits, else the chord's third
    (or seventh) nearest the last note: a guide-tone line."""
    if above is not None:
        options = [above - gap for gap in _SWEET
                   if (above - gap) % 12 in tones and low <= above - gap <= high]
        if options:
            return min(options, key=lambda p: (abs(p - previous), p))
    guides = tones[1:2] + tones[3:4] or tones[:1]
    cap = high if above is None else max(low, min(high, above - 3))
    return min((nearest_pitch(pc, previous, low, cap) for pc in guides),
               key=lambda p: (abs(p - previous), p))
