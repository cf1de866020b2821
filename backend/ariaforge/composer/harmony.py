"""The harmony step: timed chords for every bar of a plan, in the idiom of its style and
mode, with cadences where the plan asks for them.

Per section: cells where chords may change (`harmony_rhythm`), the cells a cadence fixes
(`harmony_cadence`), then a diatonic skeleton: a loop of the style played round
(`harmony_loops`, pop/rock/dance/lo-fi) or, elsewhere, one chord per cell sampled from the
learned harmony model among the chords the key, the mode and the style allow. The style's
colours (`harmony_colour`: ii-V chains, secondary dominants, tritone substitutions,
passing diminished chords, extensions, inversions) are applied on top, a church mode's
characteristic chord is made sure of (`harmony_modes`), and ambient phrases may ride on a
tonic pedal, written as slash chords the bass follows. Given a melody, every choice is
also weighed by how well the chord explains the melody's notes in its cell.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Final

from ariaforge.composer.harmony_cadence import forced_cells, turnaround_half
from ariaforge.composer.harmony_chords import chord_for, over, tonic_token
from ariaforge.composer.harmony_colour import colour
from ariaforge.composer.harmony_loops import candidate_loops, choose_loop, heard_margin, tile
from ariaforge.composer.harmony_melody import MelodyFit
from ariaforge.composer.harmony_modes import is_modal
from ariaforge.composer.harmony_rhythm import Cell, section_cells
from ariaforge.composer.harmony_sampling import Sampler, characteristic_tokens
from ariaforge.composer.harmony_styles import StyleHarmony, style_harmony
from ariaforge.composer.model.progressions import numeral_token
from ariaforge.composer.model.store import load_models
from ariaforge.composer.model.tokens import mode_family
from ariaforge.composer.plan import ChordEvent, Plan, SectionPlan, rng_for
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note

__all__ = ["compose_harmony"]

MODAL_DRAFTS: Final = 4
CLEAR_MARGIN: Final = 0.05  # a chord-only key margin that leaves no doubt
_BLUES: Final = ("I7 I7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7",
                 "I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7",
                 "I7 IV7 I7 I7 IV7 #iv°7 I7 VI7 ii7 V7 I7 V7")
_MINOR_BLUES: Final = "i7 iv7 i7 i7 iv7 iv7 i7 i7 bVI7 V7 i7 V7"


def compose_harmony(plan: Plan, melody: Sequence[Note] | None = None) -> list[ChordEvent]:
    """Chords covering every bar exactly: contiguous, changing only on the bar or the half
    bar, the first the tonic, each section closed by its planned cadence."""
    style = style_harmony(plan.style)
    sampler = Sampler(plan, load_models(), style)
    notes = sorted(melody, key=lambda n: n.start) if melody else None
    first_of_phrase: dict[str, list[str]] = {}
    loops: dict[str, list[str]] = {}
    events: list[ChordEvent] = []
    for section in plan.sections:
        long = plan.style is not Style.BLUES and rng_for(
            plan.seed, "harmony-rhythm", section.phrase).random() < style.long_loop
        cells = section_cells(plan, section, style, split_last=turnaround_half(plan, section))
        fit = MelodyFit(plan, notes, cells)
        if plan.style is Style.BLUES:
            tokens = _blues(plan, section, cells)
        else:
            tokens = _section(plan, style, sampler, section, cells, fit, first_of_phrase,
                              loops, long)
        sampler.ended_on_half = len(cells) > 1 and cells[-1].half and tokens[-1] != tokens[-2]
        for cell, token in zip(cells, tokens, strict=True):
            chord, roman = chord_for(token, plan.key)
            events += [ChordEvent(start, length, chord, roman) for start, length in cell.slots]
    return events


def _section(plan: Plan, style: StyleHarmony, sampler: Sampler, section: SectionPlan,
             cells: list[Cell], fit: MelodyFit, first_of_phrase: dict[str, list[str]],
             loops: dict[str, list[str]], long: bool) -> list[str]:
    forced = forced_cells(plan, style, section, cells,
                          rng_for(plan.seed, "cadence", section.phrase, section.cadence))
    if fit.windows:
        # Under a kept melody only the arrival (V-I, or the last chord) is fixed; a
        # formula's earlier chords (the ii of ii-V-I) give way where the melody says no.
        tail = {len(cells) - 1, len(cells) - 2, 0}
        forced = {i: t for i, t in forced.items() if i in tail or not fit.uncovered(i, t)}
    rng = rng_for(plan.seed, "harmony", section.phrase, section.occurrence)
    earlier = first_of_phrase.get(section.phrase)
    if earlier is not None and len(earlier) == len(cells) and not fit.windows:
        base = sampler.vary(earlier, forced, cells, rng)
    elif style.loops:
        if section.phrase not in loops or fit.windows:
            loops[section.phrase] = choose_loop(
                plan, sampler.models, candidate_loops(plan, sampler.allowed), cells, rng, fit,
                section.index == 0, long)
        base = tile(loops[section.phrase], len(cells), long)
        base = [forced.get(i, t) for i, t in enumerate(base)]
    elif is_modal(plan.key):
        # A mode is heard only if its tonic wins over the parent major's: of a few drafts
        # the first whose chords alone name the mode clearly, else the clearest.
        drafts = []
        for draft in range(MODAL_DRAFTS):
            tokens = sampler.fill(forced, cells, rng_for(plan.seed, "harmony", section.phrase,
                                                         section.occurrence, draft), fit)
            drafts.append((heard_margin(plan, tokens), draft, tokens))
            if drafts[-1][0] >= CLEAR_MARGIN:
                break
        base = max(drafts)[2]
    else:
        base = sampler.fill(forced, cells, rng, fit)
    if 0 not in forced and sampler.ended_on_half and sampler.history \
            and base[0] == sampler.history[-1]:
        base[0] = sampler.draw([], 0, forced, cells, rng, fit)  # a new chord on the downbeat
    first_of_phrase.setdefault(section.phrase, base)
    sampler.history.extend(base)
    base = _with_characteristic(plan, base, forced, rng)
    tokens = colour(base, set(forced), cells, plan.key, style,
                    rng_for(plan.seed, "colour", section.phrase), fit.judge(base))
    tokens = _steady(tokens, cells, set(forced), fit)
    if style.pedal and rng_for(plan.seed, "pedal", section.phrase).random() < style.pedal:
        tokens = [over(token, 0) for token in tokens]
    return tokens


def _with_characteristic(plan: Plan, tokens: list[str], forced: dict[int, str],
                         rng: random.Random) -> list[str]:
    """A modal phrase of two cells or more gets its characteristic chord at least once:
    on a free cell before a tonic where there is one (the modal cadence in small)."""
    wanted = characteristic_tokens(plan.key)[:1]  # the strongest: bII, II, bVII, IV
    if not wanted or any(t in wanted for t in tokens) or len(tokens) < 2:
        return tokens
    free = [i for i in range(1, len(tokens)) if i not in forced]
    if not free:
        return tokens
    tonic = tonic_token(plan.key)
    before_tonic = [i for i in free if i + 1 < len(tokens) and tokens[i + 1] == tonic]
    index = rng.choice(before_tonic or free)
    out = list(tokens)
    primary = next(iter(wanted))
    out[index] = primary
    return out


def _steady(tokens: list[str], cells: list[Cell], locked: set[int], fit: MelodyFit
            ) -> list[str]:
    """No chord that starts on a half bar is held over the next bar line: such a change
    moves to the downbeat (the chord before it lasts the whole bar), unless a kept melody
    needs the new chord there."""
    out = list(tokens)
    for index in range(1, len(out) - 1):
        cell = cells[index]
        if cell.half and out[index] != out[index - 1] and out[index + 1] == out[index] \
                and index not in locked \
                and fit.uncovered(index, out[index - 1]) <= fit.uncovered(index, out[index]):
            out[index] = out[index - 1]
    return out


def _blues(plan: Plan, section: SectionPlan, cells: list[Cell]) -> list[str]:
    """The 12-bar form, chosen per phrase: plain, quick-change (IV in bar 2) or the jazz
    blues (#iv°7 in bar 6, VI7-ii7-V7 into bar 11); the cadence closes on I7."""
    minor = mode_family(plan.key.mode) in ("min", "dor")
    rng = rng_for(plan.seed, "harmony", section.phrase, section.occurrence)
    form = _MINOR_BLUES if minor else rng.choice(_BLUES)
    bars = [numeral_token(n) for n in form.split()]
    tokens = [bars[(cell.bar - section.start_bar) % 12] for cell in cells]
    tonic = "0:m7" if minor else "0:7"
    forced = forced_cells(plan, style_harmony(Style.BLUES), section, cells, rng)
    for index, token in forced.items():
        tokens[index] = tonic if token == tonic_token(plan.key) else "7:7"
    return tokens
