"""What a meter says about where notes may cross: metrical levels, beats, beam groups.

Positions are ticks from the start of the bar. Each level is a unit and its strength: the
bar, the half bar (4/4, 12/8), the beat (a quarter in 4/4, a dotted quarter in 6/8), then
halves of it down to a 128th. A position's strength is that of the coarsest level it
lies on; the splitter (`split`) keeps strong positions visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ariaforge.music.notation.values import PLAIN_UNIT
from ariaforge.music.score import Meter

BAR, HALF_BAR, BEAT = 100, 90, 80


@dataclass(frozen=True, slots=True)
class MetricGrid:
    bar: int
    beat: int
    compound: bool
    levels: tuple[tuple[int, int], ...]  # (unit, strength), coarsest first
    beam_groups: tuple[int, ...]  # positions where a beam group starts

    def strength(self, position: int) -> int:
        """How strong a position is (0: on no level at all, e.g. off every grid)."""
        if position % self.bar == 0:
            return BAR
        for unit, strength in self.levels:
            if position % unit == 0:
                return strength
        return 0

    def strongest_inside(self, start: int, end: int) -> tuple[int, int] | None:
        """The strongest level position strictly inside (start, end), the earliest of the
        strongest, with its strength; None if none (a span within one finest cell)."""
        for unit, strength in self.levels:
            inside = (start // unit + 1) * unit
            if inside < end:
                return inside, strength
        return None

    def beam_group(self, position: int) -> int:
        """The index of the beam group a position falls in."""
        index = 0
        for number, group_start in enumerate(self.beam_groups):
            if group_start <= position:
                index = number
        return index


def is_compound(meter: Meter) -> bool:
    """6/8, 9/8, 12/8, 6/4...: beats of three units."""
    return meter.numerator % 3 == 0 and meter.numerator > 3 and meter.denominator >= 4


def metric_grid(meter: Meter) -> MetricGrid:
    return _grid(meter.numerator, meter.denominator)


@lru_cache(maxsize=256)
def _grid(numerator: int, denominator: int) -> MetricGrid:
    meter = Meter.model_validate({"numerator": numerator, "denominator": denominator})
    unit = meter.ticks_per_beat
    bar = meter.ticks_per_bar
    compound = is_compound(meter)
    beat = unit * 3 if compound else unit
    beats = bar // beat
    levels: list[tuple[int, int]] = []
    if beats >= 4 and beats % 2 == 0:
        levels.append((bar // 2, HALF_BAR))
    levels.append((beat, BEAT))
    strength = BEAT - 10
    if compound:
        levels.append((unit, strength))
        strength -= 10
    sub = (unit if compound else beat) // 2
    while sub >= PLAIN_UNIT and (unit if compound else beat) % sub == 0:
        levels.append((sub, strength))
        strength -= 10
        sub //= 2
    return MetricGrid(bar, beat, compound, tuple(levels), _beam_groups(meter, beat, bar))


def _beam_groups(meter: Meter, beat: int, bar: int) -> tuple[int, ...]:
    """Beams join the notes of one beat (a dotted quarter in 6/8, three eighths); in 2/2
    a quarter; in 3/8 and 2/8 the whole bar; 5/8 as 3+2, 7/8 as 2+2+3."""
    if meter.denominator <= 2:
        step = beat // 2
        return tuple(range(0, bar, step))
    if meter.denominator >= 8 and not is_compound(meter):
        unit = meter.ticks_per_beat
        if meter.numerator <= 3:
            return (0,)
        sizes = _odd_groups(meter.numerator)
        starts, position = [], 0
        for size in sizes:
            starts.append(position)
            position += size * unit
        return tuple(starts)
    return tuple(range(0, bar, beat))


def _odd_groups(units: int) -> list[int]:
    """Twos with a three last when odd (7: 2+2+3), except 5, read as 3+2."""
    if units == 5:
        return [3, 2]
    sizes = [2] * (units // 2)
    if units % 2:
        sizes[-1] = 3
    return sizes
