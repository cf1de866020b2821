"""The plan every composer step shares: the form (sections, bars, energy curve) and the
harmony as timed chords.

Planning is the second node of the pipeline. It turns a `Brief` into sections with an energy
per bar, a phrase label (sections with the same label share material, so a second verse
echoes the first), and the cadence that should close each section.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from ariaforge.composer.brief import Brief
from ariaforge.composer.vocabulary import Mood, Style
from ariaforge.music.score import PPQ, Key, Meter
from ariaforge.music.theory.chords import Chord

__all__ = ["Cadence", "ChordEvent", "Plan", "SectionPlan", "plan_form", "rng_for",
           "seeded_choice", "weighted_choice"]


T = TypeVar("T")


class Cadence(StrEnum):
    AUTHENTIC = "authentic"  # V -> I: a full stop
    HALF = "half"  # ends on V: a comma, the music goes on
    PLAGAL = "plagal"  # IV -> I: a soft close (chorale "amen", ambient)
    OPEN = "open"  # no cadence asked for (an intro, a build)


@dataclass(frozen=True)
class SectionPlan:
    index: int
    name: str
    start_bar: int  # 1-based, like `Score.sections`
    bars: int
    phrase: str  # "A", "B"...: sections with the same phrase share material
    occurrence: int  # 0 for the first section with this phrase, 1 for the next...
    energy: float  # 0..1, the section's mean
    cadence: Cadence
    key: Key | None = None  # set where the brief changes key for this section
    tempo: int | None = None  # likewise for the tempo

    @property
    def end_bar(self) -> int:
        """The bar after the section's last (exclusive)."""
        return self.start_bar + self.bars

    def bars_range(self) -> range:
        """The section's 1-based bar numbers."""
        return range(self.start_bar, self.end_bar)


@dataclass(frozen=True)
class ChordEvent:
    """One chord of the harmony, in absolute ticks. `roman` is its function in the key."""

    start: int
    duration: int
    chord: Chord
    roman: str

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True)
class Plan:
    style: Style
    mood: Mood
    key: Key
    meter: Meter
    tempo: int
    swing: bool
    seed: int
    sections: tuple[SectionPlan, ...]
    bar_energy: tuple[float, ...] = field(repr=False)  # one per bar, index 0 = bar 1
    simple: bool = False  # a learner's melody (`Brief.simple`)

    @property
    def bars(self) -> int:
        return len(self.bar_energy)

    @property
    def bar_ticks(self) -> int:
        return self.meter.numerator * PPQ * 4 // self.meter.denominator

    @property
    def beat_ticks(self) -> int:
        """The felt beat: a dotted quarter in compound meters (6/8, 9/8, 12/8)."""
        if self.meter.denominator == 8 and self.meter.numerator % 3 == 0:
            return PPQ * 3 // 2
        return PPQ * 4 // self.meter.denominator

    @property
    def total_ticks(self) -> int:
        return self.bars * self.bar_ticks

    def bar_start(self, bar: int) -> int:
        """The tick where 1-based `bar` starts."""
        return (bar - 1) * self.bar_ticks

    def bar_of(self, tick: int) -> int:
        """The 1-based bar holding `tick`."""
        return tick // self.bar_ticks + 1

    def section_at(self, bar: int) -> SectionPlan:
        for section in self.sections:
            if section.start_bar <= bar < section.end_bar:
                return section
        raise ValueError(f"bar {bar} is outside the piece")

    def key_at(self, bar: int) -> Key:
        """The key of 1-based `bar`: its section's own, else the piece's."""
        return self.section_at(bar).key or self.key

    def tempo_at(self, bar: int) -> int:
        """The tempo (bpm) of 1-based `bar`: its section's own, else the piece's."""
        return self.section_at(bar).tempo or self.tempo

    def changed_keys(self) -> list[tuple[Key, list[SectionPlan]]]:
        """The sections in a key of their own, grouped by key in order of appearance (the
        home key's sections are not listed)."""
        keyed: list[tuple[Key, list[SectionPlan]]] = []
        for section in self.sections:
            if section.key is None or section.key == self.key:
                continue
            group = next((g for key, g in keyed if key == section.key), None)
            if group is None:
                keyed.append((section.key, [section]))
            else:
                group.append(section)
        return keyed


def rng_for(seed: int, *parts: object) -> random.Random:
    """A generator for one step of one run: the same seed and parts give the same numbers,
    and regenerating one section does not shift the numbers any other section draws."""
    text = "/".join([str(seed), *map(str, parts)])
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))  # noqa: S311 - music, not secrets


def seeded_choice(seed: int, count: int, *parts: object) -> int:
    """Which of `count` options a seed takes (a groove, a register): each run of `count`
    consecutive seeds (0..count-1, count..2*count-1, ...) takes every option once, in an
    order of its own, so the next seed always sounds different and the choice still
    looks random."""
    order = list(range(count))
    rng_for(seed // count, *parts).shuffle(order)
    return order[seed % count]


def weighted_choice(values: Sequence[T], weights: Sequence[float], rng: random.Random
                    ) -> T | None:
    """One of `values`, drawn with probability proportional to its weight (one draw of
    `rng`); None when no weight is positive. Every step samples through this."""
    total = sum(weights)
    if total <= 0:
        return None
    target = rng.random() * total
    for value, weight in zip(values, weights, strict=True):
        target -= weight
        if weight > 0 and target <= 0:
            return value
    return values[max(range(len(values)), key=weights.__getitem__)]  # rounding left over


_SECTION_ENERGY: dict[str, float] = {
    "intro": 0.55, "verse": 0.8, "pre-chorus": 0.9, "chorus": 1.1, "bridge": 0.85,
    "solo": 1.0, "build": 0.85, "drop": 1.2, "breakdown": 0.6, "outro": 0.5, "coda": 0.55,
    "interlude": 0.65, "head": 1.0,
}
_CLOSING_NAMES = ("chorus", "outro", "coda", "drop")


def plan_form(brief: Brief) -> Plan:
    """Sections with phrase labels, energies and cadences; an energy per bar that rises
    through each section and never leaves 0..1."""
    form = [(part.name, part.bars, part.key, part.tempo) for part in brief.form] or [
        ("A", brief.bars, None, None)]
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    sections: list[SectionPlan] = []
    start = 1
    for index, (name, bars, key, tempo) in enumerate(form):
        phrase = labels.setdefault(name.lower(), chr(ord("A") + min(len(labels), 25)))
        occurrence = seen.get(phrase, 0)
        seen[phrase] = occurrence + 1
        last = index == len(form) - 1
        energy = _clamp(brief.energy * _SECTION_ENERGY.get(name.lower(), 1.0)
                        + 0.05 * occurrence)
        sections.append(SectionPlan(index, name, start, bars, phrase, occurrence, energy,
                                    _cadence(name.lower(), last), key, tempo))
        start += bars
    bar_energy: list[float] = []
    for section in sections:
        for offset in range(section.bars):
            rise = 0.1 * (offset / max(1, section.bars - 1) - 0.5)
            bar_energy.append(_clamp(section.energy + rise))
    return Plan(brief.style, brief.mood, brief.key, brief.meter, brief.tempo, brief.swing,
                brief.seed, tuple(sections), tuple(bar_energy), brief.simple)


def _cadence(name: str, last: bool) -> Cadence:
    if last:
        return Cadence.AUTHENTIC
    if name in ("intro", "build", "breakdown"):
        return Cadence.OPEN
    if name.startswith(_CLOSING_NAMES):
        return Cadence.AUTHENTIC
    return Cadence.HALF


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))
