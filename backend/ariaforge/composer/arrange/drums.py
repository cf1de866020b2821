"""The drum part: the style's groove bar by bar (lighter in quiet bars, fuller in loud
ones), a fill in the last bar of each section, a crash into each new section, and a
single hit to end on. Each seed settles on one of the style's main grooves for the whole
piece, as a drummer picks a feel for a tune."""

from __future__ import annotations

from fractions import Fraction

from ariaforge.composer.arrange.timing import (
    BarInfo,
    Density,
    Hit,
    bar_hits,
    bars_of,
    beat_grid,
    density,
    fit,
    groove_bar,
    offset_in_beat,
    velocity,
)
from ariaforge.composer.plan import Plan, rng_for, seeded_choice
from ariaforge.composer.styles import CRASH, KICK, Beats, Groove, Pulse, StyleKit
from ariaforge.music.score import Note

_DRUM_LENGTH = 60  # drums are one-shots; a short, fixed length keeps the track tidy


def arrange_drums(plan: Plan, kit: StyleKit) -> list[Note]:
    notes: list[Note] = []
    mains = kit.drums.mains
    main = mains[seeded_choice(plan.seed, len(mains), "drums", "groove", plan.style)]
    for info in bars_of(plan):
        jitter = rng_for(plan.seed, "drums", info.section.phrase, info.section.occurrence,
                         info.index)
        start = plan.bar_start(info.bar)
        if info.final:
            notes += [Note(pitch=key, start=start, duration=_DRUM_LENGTH,
                           velocity=velocity(plan, info.bar, 110)) for key in (CRASH, KICK)]
            continue
        hits = bar_hits(plan, kit, info.bar, groove_bar(_groove(plan, kit, info, main),
                                                         info.index))
        fill_from = None
        if info.last_of_section:
            fill_hits, fill_from = _fill(plan, kit, info)
            if kit.drums.fill.replaces:
                hits = [hit for hit in hits if hit.tick < fill_from]
            hits += fill_hits
        if info.index == 0 and info.section.index > 0:
            notes.append(Note(pitch=CRASH, start=start, duration=_DRUM_LENGTH,
                              velocity=velocity(plan, info.bar, 105)))
        for hit in hits:
            base = hit.velocity + (8 if hit.strong else 0)  # accent the strong beats
            notes.append(Note(pitch=hit.pulse.key, start=hit.tick, duration=_DRUM_LENGTH,
                              velocity=velocity(plan, info.bar, base, jitter.randint(-4, 4))))
    return fit(notes, plan.total_ticks)


def _groove(plan: Plan, kit: StyleKit, info: BarInfo, main: Groove) -> Groove:
    level = density(plan, info.bar)
    if level is Density.SPARSE:
        return kit.drums.light
    if level is Density.FULL and kit.drums.full is not None:
        return kit.drums.full
    return main


def _fill(plan: Plan, kit: StyleKit, info: BarInfo) -> tuple[list[Hit], int]:
    """The fill's hits over the bar's last beats (swung like the groove), and the tick
    where it begins."""
    fill = kit.drums.fill
    swing = kit.swing_ratio if plan.swing else None
    beats = beat_grid(plan.meter)
    span = min(fill.beats, max(1, len(beats) // 2))
    start = plan.bar_start(info.bar)
    first = beats[len(beats) - span]
    hits: list[tuple[int, int]] = []  # (tick, ticks to next)
    for beat in beats[len(beats) - span:]:
        grid = fill.grid * 3 // 2 if beat.parts == 3 else fill.grid
        hits += [(start + beat.offset + offset_in_beat(beat, Fraction(k, grid), swing),
                  beat.length // grid) for k in range(grid)]
    low, high = fill.velocity
    result = []
    for index, (tick, step) in enumerate(hits):
        key = fill.keys[index * len(fill.keys) // len(hits)]  # walk down the toms
        loudness = low + (high - low) * index // max(1, len(hits) - 1)
        result.append(Hit(tick, step, loudness, Pulse(Beats.BAR, key=key), index == 0, False))
    return result, start + first.offset
