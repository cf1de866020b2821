"""A whole melody from the plan: each section's phrases (`phrase`) realised bar by bar
(`line`). A section states its motif, restates it as its form says, rises to one climax
per phrase about two thirds through and closes phrases with cadences; a section that
repeats an earlier one (a second verse, the chorus again) restates that section's bars,
each moved to fit its own chords."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Final

from ariaforge.composer.melody import rhythm
from ariaforge.composer.melody.cadence import cadence_point
from ariaforge.composer.melody.contour import Cell, cell_of, restate
from ariaforge.composer.melody.decode import Tone
from ariaforge.composer.melody.line import Line, Spans
from ariaforge.composer.melody.phrase import BarRole, motif_bars, piece_roles
from ariaforge.composer.plan import Cadence, SectionPlan, rng_for

FRESH_FREE_BARS: Final = 0.5  # free bars of a repeated section written anew (same rhythm)
SIMPLE_ENERGY: Final = 0.2  # the busiest a simple melody's rhythm gets (energy 0..1)


@dataclass
class Motif:
    """A section's motif as first stated: one cell per bar and the scale degree each
    bar started on; `rhythm` holds the bars of a motif rhythm not yet stated."""

    cells: dict[int, Cell] = field(default_factory=dict)
    degrees: dict[int, int] = field(default_factory=dict)
    rhythm: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class Phrase:
    """The phrase being written: its highest note (reached once, in the climax bar)."""

    ceiling: int | None = None  # no note above it outside the climax bar
    climax: int | None = None


def compose_tones(line: Line) -> list[Tone]:
    plan = line.plan
    roles = piece_roles(plan)
    motifs: dict[str, Motif] = {}
    firsts: dict[str, SectionPlan] = {}
    for section in plan.sections:
        rng = rng_for(plan.seed, "melody", section.phrase, section.occurrence)
        first = firsts.setdefault(section.phrase, section)
        motif = motifs.setdefault(section.phrase, Motif())
        phrase = Phrase()
        for bar in section.bars_range():
            role = roles[bar]
            if first is not section:
                source = first.start_bar + (bar - section.start_bar) % first.bars
                if _can_echo(roles, bar, source):
                    if roles[source].kind == "free" and rng.random() < FRESH_FREE_BARS:
                        # same rhythm, new notes: a repeat is not a copy
                        realise(line, rng, BarRole(bar, "free", rhyme=source), motif, phrase, 1)
                        continue
                    if echo(line, rng, bar, source):
                        continue
            if role.phrase_start:
                phrase = _phrase_frame(line, rng, bar)
            realise(line, rng, role, motif, phrase, motif_bars(plan, section))
    return line.tones


def _can_echo(roles: dict[int, BarRole], bar: int, source: int) -> bool:
    here, there = roles[bar], roles[source]
    return source != bar and bar != max(roles) and here.cadence == there.cadence


def echo(line: Line, rng: random.Random, bar: int, source: int) -> bool:
    """Bar `source` restated in `bar`, on the degree that fits best."""
    plan = line.plan
    start = plan.bar_start(source)
    tones = [t for t in line.tones if start <= t.start < start + plan.bar_ticks]
    if not tones:
        return False
    cell = cell_of([(t.pitch, t.start, t.duration) for t in tones], start, line.degrees)
    return line.state(rng, bar, cell, line.degrees.degree(tones[0].pitch)) is not None


def _phrase_frame(line: Line, rng: random.Random, bar: int) -> Phrase:
    """The phrase's climax: near the top of the tessitura, lower in quiet phrases."""
    low, high = line.decoder.register
    energy = line.plan.bar_energy[bar - 1]
    climax = high - rng.choice((0, 1, 1, 2)) - round(3 * max(0.0, 0.6 - energy))
    climax = line.decoder.nearest(0, max(low + 5, climax), line.decoder.scale)
    return Phrase(ceiling=climax - 1, climax=climax)


def realise(line: Line, rng: random.Random, role: BarRole, motif: Motif, phrase: Phrase,
            motif_length: int, target: int | None = None) -> list[Tone]:
    """One bar as its role says (`target`: a later pitch its last note leads to)."""
    plan, bar = line.plan, role.bar
    start = plan.bar_start(bar)
    energy = plan.bar_energy[min(bar, plan.bars) - 1]
    if plan.simple:  # a learner's rhythm: few notes, nothing faster than the style's plainest
        energy = min(energy, SIMPLE_ENERGY)
    ceiling = phrase.climax if role.climax else phrase.ceiling
    climax = phrase.climax if role.climax else None
    if role.phrase_start and bar > 1:
        aim = line.degrees.pitch(motif.degrees[role.cell] + role.shift) \
            if role.kind == "restate" and role.cell in motif.degrees else None
        line.pickup(rng, start, rhythm.pickup(plan, rng), aim)
    if role.kind == "cadence" and role.cadence is not None:
        final = bar == plan.bars
        hold = _hold_offset(line, bar, final)
        spans = [(start + o, n) for o, n in rhythm.cadence_rhythm(plan, rng, hold, line.decoder)]
        return line.drawn(rng, bar, lambda: line.cadence(rng, bar, role.cadence or
                                                         Cadence.AUTHENTIC, spans, final))
    if role.kind == "restate" and role.cell in motif.cells:
        cell = restate(motif.cells[role.cell], role.how, rng, plan.bar_ticks, plan.beat_ticks)
        made = line.state(rng, bar, cell, motif.degrees[role.cell] + role.shift,
                          ceiling=ceiling, climax=climax, target=target)
        if made is not None:
            return made
    if role.kind == "motif":
        if role.cell == 0 or role.cell not in motif.rhythm:
            _new_motif_rhythm(line, rng, motif, motif_length, energy)
        spans = [(start + o, n) for o, n in motif.rhythm.get(role.cell, [])] or \
            _free_rhythm(line, rng, bar, energy)
        made = line.drawn(rng, bar, lambda: line.sample(rng, _after(line, spans), shaped=True,
                                                        ceiling=ceiling, climax=climax))
        if made:
            motif.cells[role.cell] = cell_of([(t.pitch, t.start, t.duration) for t in made],
                                             start, line.degrees)
            motif.degrees[role.cell] = line.degrees.degree(made[0].pitch)
        return made
    spans = _rhyme(line, role) or _free_rhythm(line, rng, bar, energy)
    return line.drawn(rng, bar, lambda: line.sample(rng, _after(line, spans), aim_last=target,
                                                    ceiling=ceiling, climax=climax))


def _after(line: Line, spans: Spans) -> Spans:
    begin = line.tones[-1].end if line.tones else 0
    return [s for s in spans if s[0] >= begin]


def _hold_offset(line: Line, bar: int, final: bool) -> int:
    return cadence_point(line.plan, bar, final) - line.plan.bar_start(bar)


def _new_motif_rhythm(line: Line, rng: random.Random, motif: Motif, bars: int,
                      energy: float) -> None:
    plan = line.plan
    spans = rhythm.motif_rhythm(plan, rng, energy, bars, line.decoder)
    motif.rhythm = {}
    for onset, length in spans:
        index, offset = divmod(onset, plan.bar_ticks)
        if 0 <= index < bars:
            motif.rhythm.setdefault(index, []).append(
                (offset, min(length, plan.bar_ticks - offset)))


def _free_rhythm(line: Line, rng: random.Random, bar: int, energy: float) -> Spans:
    plan = line.plan
    start = plan.bar_start(bar)
    return [(start + o, min(n, plan.bar_ticks - o))
            for o, n in rhythm.motif_rhythm(plan, rng, energy, 1, line.decoder)
            if o < plan.bar_ticks]


def _rhyme(line: Line, role: BarRole) -> Spans:
    """The rhythm of the bar this free bar rhymes with, moved to this bar."""
    if role.rhyme is None:
        return []
    plan = line.plan
    source, start = plan.bar_start(role.rhyme), plan.bar_start(role.bar)
    return [(t.start - source + start, t.duration) for t in line.tones
            if source <= t.start < source + plan.bar_ticks]
