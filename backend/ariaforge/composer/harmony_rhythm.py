"""Harmonic rhythm: where in a section chords may change.

A section is cut into cells, each a place where the chord may change: the bar, the half
bar in styles that change twice a bar (jazz, bossa, chorale, classical in 2 and 4 beats),
or two bars (ambient). A chord never starts anywhere else, so changes fall on the bar or
the half bar and never drift to odd places. A section that closes (any cadence but open)
ends on a whole-bar cell, so its last chord lands on a downbeat. Each cell is written out
as one chord event per bar or half bar it covers, the same chord repeated when it lasts.
"""

from __future__ import annotations

from dataclasses import dataclass

from ariaforge.composer.harmony_styles import StyleHarmony
from ariaforge.composer.plan import Cadence, Plan, SectionPlan

FAST_TEMPO = 170  # above this two chords a bar rush: one per bar


@dataclass(frozen=True)
class Cell:
    start: int  # tick
    length: int  # ticks
    bar: int  # the 1-based bar it starts in
    half: bool  # starts at the half bar
    slots: tuple[tuple[int, int], ...]  # (start, length) of each event it becomes


def chords_per_bar(plan: Plan, style: StyleHarmony) -> int:
    beats = plan.bar_ticks // plan.beat_ticks
    if style.per_bar == 2 and beats in (2, 4) and plan.tempo < FAST_TEMPO:
        return 2
    return 1


def section_cells(plan: Plan, section: SectionPlan, style: StyleHarmony, *,
                  split_last: bool = False) -> list[Cell]:
    """The section's cells; `split_last` lets the last bar change at the half bar (a
    turnaround)."""
    per_bar = chords_per_bar(plan, style)
    span = style.bars_per_chord
    closing = section.cadence is not Cadence.OPEN and not split_last
    cells: list[Cell] = []
    bar = section.start_bar
    while bar < section.end_bar:
        start = plan.bar_start(bar)
        last = bar == section.end_bar - 1
        if per_bar == 2 and not (closing and last):
            half = plan.bar_ticks // 2
            cells.append(Cell(start, half, bar, False, ((start, half),)))
            cells.append(Cell(start + half, plan.bar_ticks - half, bar, True,
                              ((start + half, plan.bar_ticks - half),)))
            bar += 1
            continue
        # A long chord never swallows the section's last bar: the cadence needs it.
        bars = max(1, min(span, section.end_bar - bar - (1 if closing and span > 1 else 0)))
        slots = tuple((plan.bar_start(b), plan.bar_ticks) for b in range(bar, bar + bars))
        cells.append(Cell(start, bars * plan.bar_ticks, bar, False, slots))
        bar += bars
    return cells
