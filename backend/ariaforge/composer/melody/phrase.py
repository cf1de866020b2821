"""Phrase forms: what each bar of a section does with the section's motif.

A section is cut into phrases of 4 or 8 bars, and each phrase follows a form a composer
would use:
- sentence: the motif, the motif again a step away (a a'), then fragments of it driving to
  the climax and a cadence (b);
- period: an antecedent ending on a half cadence, a consequent that starts like it and
  closes with an authentic cadence;
- hook (choruses, drops): the motif stated again and again, as a chorus repeats its hook;
- AABA (long sections): four phrases, the third a contrast (the motif inverted where the
  style allows it, else free material).
The form, the motif's length and the sequence steps follow the style, the section's length
and the seed (carols and lullabies are always sung in four-bar phrases); sections that share
a phrase label get the same form."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Final

from ariaforge.composer.plan import Cadence, Plan, SectionPlan, rng_for
from ariaforge.composer.vocabulary import Style

# Styles whose melodies may turn a motif upside down; a pop hook stays the right way up.
INVERTING: Final = frozenset({Style.CLASSICAL, Style.CHORALE, Style.FOLK, Style.REEL,
                              Style.JIG, Style.MARCH, Style.WALTZ, Style.JAZZ, Style.TANGO,
                              Style.COUNTRY, Style.CAROL, Style.CINEMATIC, Style.NOCTURNE,
                              Style.BAROQUE, Style.CELTIC})
_HOOK_NAMES: Final = ("chorus", "drop", "hook", "refrain")
_PERIOD_CHANCE: Final = {Style.CLASSICAL: 0.55, Style.CHORALE: 0.5, Style.MARCH: 0.6,
                         Style.WALTZ: 0.55, Style.FOLK: 0.55, Style.REEL: 0.5, Style.JIG: 0.5,
                         Style.CAROL: 0.6, Style.LULLABY: 0.6, Style.NOCTURNE: 0.55,
                         Style.CELTIC: 0.5, Style.COUNTRY: 0.5, Style.TANGO: 0.5,
                         Style.BAROQUE: 0.35}
# Styles sung in four-bar phrases, whatever the section's length (hymns, cradle songs).
FOUR_BAR: Final = frozenset({Style.CAROL, Style.LULLABY})
# Ways to restate the motif in later phrases (the first phrase keeps it recognisable).
_LATER: Final = (("sequence", 3.0), ("vary", 2.0), ("invert", 1.0), ("displace", 0.7),
                 ("augment", 0.7))


@dataclass(frozen=True)
class BarRole:
    """What one bar does. kind: "motif" (the motif's first statement), "restate" (a motif
    bar restated `how`, `shift` scale steps from where the motif first stood), "free"
    (new material; `rhyme` names an earlier bar whose rhythm it borrows) or "cadence"."""

    bar: int
    kind: str
    cell: int = 0
    how: str = "exact"
    shift: int = 0
    rhyme: int | None = None
    cadence: Cadence | None = None
    phrase_start: bool = False
    climax: bool = False
    form: str = ""


def piece_roles(plan: Plan) -> dict[int, BarRole]:
    """Every bar's role, section by section."""
    roles: dict[int, BarRole] = {}
    for section in plan.sections:
        for role in section_roles(plan, section):
            roles[role.bar] = role
    return roles


def motif_bars(plan: Plan, section: SectionPlan) -> int:
    """A two-bar basic idea in 8-bar phrases, a one-bar motif in 4-bar phrases."""
    return min(2, max(1, min(_phrase_lengths(plan, section)) // 2 - 1))


def section_roles(plan: Plan, section: SectionPlan) -> list[BarRole]:
    rng = rng_for(plan.seed, "phrase-form", section.phrase)
    lengths = _phrase_lengths(plan, section)
    motif = motif_bars(plan, section)
    hook = section.name.lower().startswith(_HOOK_NAMES)
    aaba = not hook and len(lengths) == 4 and section.bars >= 16 and rng.random() < 0.5
    roles: list[BarRole] = []
    start = section.start_bar
    for index, length in enumerate(lengths):
        inner = Cadence.HALF if index % 2 == 0 else Cadence.AUTHENTIC
        ending = section.cadence if index == len(lengths) - 1 else inner
        if hook:
            form = "hook"
        elif aaba:
            form = "contrast" if index == 2 else "sentence"
        else:
            chance = _PERIOD_CHANCE.get(plan.style, 0.45)
            form = "period" if length >= 8 and rng.random() < chance else "sentence"
        plain = index == 0 or (aaba and index != 2)
        roles += _phrase(plan, rng, start, length, motif, form, ending, index == 0, plain)
        start += length
    if section.start_bar + section.bars - 1 == plan.bars:
        final = roles[-1]
        roles[-1] = BarRole(final.bar, "cadence", cadence=Cadence.AUTHENTIC, form=final.form)
    return roles


def _phrase_lengths(plan: Plan, section: SectionPlan) -> list[int]:
    """4- or 8-bar phrases (an 8-bar section is one phrase or two, by seed)."""
    bars = section.bars
    if bars < 6:
        return [bars]
    long = plan.style not in FOUR_BAR and (
        bars >= 16 or rng_for(plan.seed, "phrase-length", section.phrase).random() < 0.5)
    unit = 8 if bars % 8 == 0 and long else 4
    count = max(1, bars // unit)
    lengths = [unit] * count
    lengths[-1] += bars - unit * count  # an odd remainder lengthens the last phrase
    return lengths


def _phrase(plan: Plan, rng: random.Random, start: int, length: int, motif: int, form: str,
            ending: Cadence, opening: bool, plain: bool) -> list[BarRole]:
    """The roles of one phrase of `length` bars from bar `start`. `opening`: the section's
    first phrase, where the motif is first stated; `plain`: restatements stay sequences
    (the first phrase and AABA's A phrases), else they vary."""
    opening_kind = "motif" if opening else "restate"
    # about two thirds through; in a period, early in the consequent (it answers higher)
    climax = start + (length // 2 + 1 if form == "period" and length >= 8
                      else max(0, round(length * 2 / 3) - 1))
    step = rng.choice((1, -1, 2, -1, 1))
    kinds: list[tuple[str, int, str, int, int | None]] = []  # kind, cell, how, shift, rhyme

    def statement(how: str, shift: int) -> None:
        for cell in range(motif):
            kinds.append(("restate", cell, how, shift, None))

    def later_how() -> str:
        if plain:
            return "sequence"
        options = [(h, w) for h, w in _LATER
                   if (h != "invert" or plan.style in INVERTING) and
                   (h != "augment" or motif == 1)]
        return rng.choices([h for h, _ in options], [w for _, w in options])[0]

    body = length - 1  # the last bar is the cadence
    if form == "period" and length >= 4:
        half = length // 2
        inner = half - 1 - motif
        kinds += [(opening_kind, c, "exact", 0, None) for c in range(motif)]
        kinds += [("free", 0, "", 0, None)] * max(0, inner)
        kinds.append(("cadence-half", 0, "", 0, None))
        statement("exact", 0)
        kinds += [("free", 0, "", 0, start + motif + i) for i in range(max(0, inner))]
    elif form == "contrast":
        how = "invert" if plan.style in INVERTING else ""
        while len(kinds) < body:
            if how and len(kinds) % 2 == 0 and len(kinds) + motif <= body:
                statement(how, step * (len(kinds) // 2))
            else:
                kinds.append(("free", 0, "", 0, None))
    else:  # sentence and hook: the motif, restated, then fragments or the hook again
        kinds += [(opening_kind, c, "exact", 0, None) for c in range(motif)]
        shift = 0
        while len(kinds) + motif <= (2 * motif if form == "hook" else length // 2):
            if form != "hook":
                shift += step
            statement("exact" if form == "hook" else later_how(), shift)
        if form == "hook" and length >= 8:  # the second half opens with the hook again
            first_free = len(kinds)
            kinds += [("free", 0, "", 0, None)] * (length // 2 - len(kinds))
            statement("exact", 0)
            kinds += [("free", 0, "", 0, start + first_free + i)
                      for i in range(max(0, body - len(kinds)))]
        elif form == "hook":
            if len(kinds) + motif <= body - 1:
                statement("sequence", step)  # the hook answered a step away
        elif len(kinds) + 2 <= body and plan.bar_ticks >= 2 * plan.beat_ticks:
            # the fragments climb towards the phrase's climax
            kinds.append(("restate", 0, "fragment", shift + abs(step), None))
            kinds.append(("restate", 0, "fragment", shift + 2 * abs(step), None))
        kinds += [("free", 0, "", 0, None)] * max(0, body - len(kinds))
    kinds = kinds[:body]
    roles = []
    for offset, (kind, cell, how, shift, rhyme) in enumerate(kinds):
        bar = start + offset
        if kind == "cadence-half":
            roles.append(BarRole(bar, "cadence", cadence=Cadence.HALF, form=form))
            continue
        roles.append(BarRole(bar, kind, cell, how, shift, rhyme, phrase_start=offset == 0,
                             climax=bar == climax, form=form))
    if form == "period" and length >= 8:  # the consequent is a phrase of its own
        half = length // 2
        roles[half] = replace(roles[half], phrase_start=True)
    cadence = None if ending is Cadence.OPEN else ending
    roles.append(BarRole(start + length - 1, "cadence" if cadence else "free",
                         cadence=cadence, climax=start + length - 1 == climax, form=form))
    if length == 1:
        roles[0] = BarRole(start, roles[0].kind, cadence=cadence, phrase_start=True,
                           form=form)
    return roles
