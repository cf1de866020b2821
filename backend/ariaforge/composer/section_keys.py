"""Sections in a key of their own ("modulates to the relative major for the chorus").

The steps (harmony, melody, accompaniment) compose a whole piece in one key, `Plan.key`.
A modulating piece is composed once in the home key, then once more per other key with
`Plan.key` set to it, and each changed section's span is taken from that second piece,
the same splice the "regenerate section" operation uses. This keeps every step unaware
of modulation and gives each section harmony, melody and accompaniment that agree in its
own key; the cost is one more composition per distinct key, only when the brief
modulates.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from typing import TypeVar

from ariaforge.composer.plan import Plan
from ariaforge.music.score import Key, Note

__all__ = ["bars_by_key", "home_key_notes", "in_section_keys"]

T = TypeVar("T")


def in_section_keys(plan: Plan, result: list[T], compose: Callable[[Plan], list[T]],
                    splice: Callable[[list[T], list[T], int, int], list[T]]) -> list[T]:
    """`result` (composed in the home key) with each changed section taken from
    `compose(plan in that section's key)`."""
    for key, sections in plan.changed_keys():
        fresh = compose(replace(plan, key=key))
        for section in sections:
            result = splice(result, fresh, plan.bar_start(section.start_bar),
                            plan.bar_start(section.end_bar))
    return result


def bars_by_key(plan: Plan, bars: Collection[int]) -> list[tuple[Plan, set[int]]]:
    """`bars` grouped by the key they are in, each with the plan set to that key."""
    groups: list[tuple[Key, set[int]]] = []
    for bar in sorted(bars):
        key = plan.key_at(bar) if 1 <= bar <= plan.bars else plan.key
        group = next((g for k, g in groups if k == key), None)
        if group is None:
            groups.append((key, {bar}))
        else:
            group.add(bar)
    return [(plan if key == plan.key else replace(plan, key=key), group)
            for key, group in groups]


def home_key_notes(plan: Plan, notes: Iterable[Note]) -> list[Note]:
    """The notes that start in a section in the home key (all of them for a piece that
    does not modulate): what a check of the home key should hear."""
    changed = [(plan.bar_start(s.start_bar), plan.bar_start(s.end_bar))
               for _, sections in plan.changed_keys() for s in sections]
    return [note for note in notes
            if not any(start <= note.start < end for start, end in changed)]
