"""Passing eighths in the lower voices of a four-part setting: where a voice moves by a
third from one beat to the next, it may fill the gap with the scale tone between, on the
beat's last eighth, as the lower voices of a Bach chorale do about once every four beats
(the rate `chorale_costs` learned); never where a passing note would cross a neighbour or
move in fifths or octaves with another voice (two voices may pass together in thirds)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Final

from ariaforge.composer.arrange.chorale_costs import load_costs
from ariaforge.composer.arrange.four_part_search import Slot
from ariaforge.composer.plan import Plan, rng_for
from ariaforge.music.score import PPQ
from ariaforge.music.theory.modes import MODE_INTERVALS
from ariaforge.music.theory.pitch import pitch_class_of_name

__all__ = ["Line", "add_passing_tones", "parallel_motion"]

Line = tuple[int, int, int]  # (pitch, start, end)
_THIRDS: Final = (3, 4)
_MOST: Final = 0.9  # the highest chance a third is filled, however rare thirds are
_EIGHTH: Final = PPQ // 2
Sonority = tuple[int | None, ...]  # soprano (None where it rests), alto, tenor, bass


def parallel_motion(before: Sonority, after: Sonority) -> bool:
    """Any two voices moving the same way into the same perfect fifth or octave."""
    for upper, lower in itertools.combinations(range(len(before)), 2):
        a, b, c, d = before[upper], before[lower], after[upper], after[lower]
        if a is None or b is None or c is None or d is None:
            continue
        if (c - a) * (d - b) > 0 and (a - b) % 12 == (c - d) % 12 and (c - d) % 12 in (0, 7):
            return True
    return False


def _ordered(sonority: Sonority) -> bool:
    known = [p for p in sonority if p is not None]
    return all(high >= low for high, low in itertools.pairwise(known))


def add_passing_tones(plan: Plan, slots: Sequence[Slot], lines: dict[int, list[Line]],
                      soprano_at: Callable[[int], int | None]) -> dict[int, list[Line]]:
    """`lines` (voice 1-3 -> one line per slot) with some thirds filled in."""
    tonic = pitch_class_of_name(plan.key.tonic)
    scale = {(tonic + step) % 12 for step in MODE_INTERVALS[plan.key.mode]}
    options: list[tuple[int, int, int]] = []  # (slot, voice, passing pitch)
    for index in range(len(slots) - 1):
        here, there = slots[index], slots[index + 1]
        if there.tick != here.end or here.end - here.tick < PPQ:
            continue
        for voice in (1, 2, 3):
            start, goal = lines[voice][index][0], lines[voice][index + 1][0]
            if abs(goal - start) not in _THIRDS:
                continue
            way = 1 if goal > start else -1
            between = [p for p in range(start + way, goal, way) if p % 12 in scale]
            if len(between) == 1:
                options.append((index, voice, between[0]))
    if not options:
        return lines
    beats = sum(s.end - s.tick for s in slots) / plan.beat_ticks
    chance = min(_MOST, load_costs().passing_rate * beats * 3 / len(options))
    rng = rng_for(plan.seed, "four-part", "passing")
    filled: dict[tuple[int, int], tuple[int, int]] = {}
    middles: dict[int, list[int | None]] = {}  # slot -> the sonority at its last eighth
    for index, voice, pitch in options:
        if rng.random() >= chance:
            continue
        mid = slots[index].end - _EIGHTH
        before = _sonority(lines, index, soprano_at(slots[index].tick))
        after = _sonority(lines, index + 1, slots[index + 1].heard)
        middle = list(middles.get(index) or _sonority(lines, index, soprano_at(mid)))
        middle[voice] = pitch  # with any voice already passing there (thirds in pairs)
        if not _ordered(tuple(middle)) or parallel_motion(before, tuple(middle)) \
                or parallel_motion(tuple(middle), after):
            continue
        filled[(voice, index)] = (pitch, mid)
        middles[index] = middle
    out: dict[int, list[Line]] = {}
    for voice, line in lines.items():
        out[voice] = []
        for index, (pitch, start, end) in enumerate(line):
            passing = filled.get((voice, index))
            if passing is None:
                out[voice].append((pitch, start, end))
            else:
                out[voice] += [(pitch, start, passing[1]), (passing[0], passing[1], end)]
    return out


def _sonority(lines: dict[int, list[Line]], index: int, soprano: int | None) -> Sonority:
    return (soprano, lines[1][index][0], lines[2][index][0], lines[3][index][0])
