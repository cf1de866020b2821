"""The harmony step: timed chords for every bar of a plan, sampled from the learned
harmony model of the plan's style, with cadences where the plan asks for them.

Each section is a run of chord slots (one or two per bar). A slot either holds the chord
before it or moves to a chord the model proposes; the model only knows chord changes, so
how long chords last is the style's harmonic rhythm, decided here. Forced slots (the first
chord of the piece, cadences) pull the slot before them towards chords that lead there.
Given a melody, every candidate is also weighed by how well it explains the melody's
notes in its slot.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ariaforge.composer.harmony_chords import (
    chord_for,
    dominant_token,
    in_key,
    subdominant_token,
    tonic_token,
)
from ariaforge.composer.model.chordlabel import WeightedNote, emission, window_notes
from ariaforge.composer.model.progressions import PROGRESSIONS, numeral_token
from ariaforge.composer.model.store import Models, load_models
from ariaforge.composer.model.tokens import (
    harmony_context,
    mode_family,
    split_chord_token,
    strength,
)
from ariaforge.composer.plan import Cadence, ChordEvent, Plan, SectionPlan, rng_for
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note
from ariaforge.music.theory.scales import tonic_pc

__all__ = ["compose_harmony"]

TWO_PER_BAR: Final = frozenset({Style.JAZZ, Style.SWING, Style.BOSSA_NOVA, Style.CHORALE,
                                Style.CLASSICAL, Style.REEL})
# Chance that a slot keeps the chord before it, per style (0.25 elsewhere).
HOLD: Final = {Style.AMBIENT: 0.45, Style.FOLK: 0.35, Style.JIG: 0.3, Style.WALTZ: 0.35,
               Style.MARCH: 0.3, Style.REEL: 0.35, Style.POP: 0.1, Style.EDM: 0.1,
               Style.HOUSE: 0.2, Style.ROCK: 0.15, Style.CHORALE: 0.1, Style.CLASSICAL: 0.25}
SEVENTH_STYLES: Final = frozenset({Style.JAZZ, Style.SWING, Style.BOSSA_NOVA,
                                   Style.LOFI_HIP_HOP})
MELODY_FIT: Final = 5.0  # how strongly chord-tone coverage of a given melody counts
VARIATION: Final = 0.12  # share of slots a repeated phrase re-draws
_BLUES: Final = ("I7 I7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7",
                 "I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7")
_MINOR_BLUES: Final = "i7 iv7 i7 i7 iv7 iv7 i7 i7 bVI7 V7 i7 V7"
_SEVENTHS: Final = {"maj": "maj7", "min": "m7"}


@dataclass(frozen=True)
class _Slot:
    bar: int
    start: int
    duration: int


def compose_harmony(plan: Plan, melody: Sequence[Note] | None = None) -> list[ChordEvent]:
    """Chords covering every bar exactly: contiguous, one or two per bar, the first the
    tonic, each section closed by its planned cadence."""
    models = load_models()
    tokens: list[str] = []
    slots: list[_Slot] = []
    first_of_phrase: dict[str, list[str]] = {}
    notes = sorted(melody, key=lambda n: n.start) if melody else None
    for section in plan.sections:
        section_slots = _slots(plan, section)
        if plan.style is Style.BLUES:
            section_tokens = _blues(plan, section, section_slots)
        else:
            section_tokens = _section_tokens(plan, models, section, section_slots, tokens,
                                             first_of_phrase, notes)
        tokens.extend(section_tokens)
        slots.extend(section_slots)
    return _events(plan, slots, tokens)


# --- slots --------------------------------------------------------------------------

def _chords_per_bar(plan: Plan) -> int:
    beats = plan.bar_ticks // plan.beat_ticks
    if plan.style in TWO_PER_BAR and beats in (2, 4) and plan.tempo < 170:
        return 2 if plan.style is not Style.REEL or beats == 4 else 1
    return 1


def _slots(plan: Plan, section: SectionPlan) -> list[_Slot]:
    per_bar = _chords_per_bar(plan)
    closing = section.cadence in (Cadence.AUTHENTIC, Cadence.PLAGAL)
    slots = []
    for bar in range(section.start_bar, section.end_bar):
        start = plan.bar_start(bar)
        if per_bar == 2 and not (closing and bar == section.end_bar - 1):
            half = plan.bar_ticks // 2
            slots += [_Slot(bar, start, half), _Slot(bar, start + half, plan.bar_ticks - half)]
        else:
            slots.append(_Slot(bar, start, plan.bar_ticks))
    return slots


def _forced(plan: Plan, section: SectionPlan, count: int) -> dict[int, str]:
    """Slot index -> token the section must have there."""
    key = plan.key
    forced: dict[int, str] = {}
    if section.index == 0:
        forced[0] = tonic_token(key)
    if section.cadence is Cadence.AUTHENTIC and count >= 2:
        # Chorales close inner phrases on a plain V-I and keep V7 for the end.
        final = section.index == len(plan.sections) - 1
        forced[count - 2] = dominant_token(key, seventh=plan.style is not Style.CHORALE
                                           or final)
        forced[count - 1] = tonic_token(key)
    elif section.cadence is Cadence.PLAGAL and count >= 2:
        forced[count - 2] = subdominant_token(key)
        forced[count - 1] = tonic_token(key)
    elif section.cadence is Cadence.HALF and count >= 1:
        forced[count - 1] = dominant_token(key, seventh=False)
    elif count == 1 and section.cadence is not Cadence.OPEN:
        forced[0] = tonic_token(key)
    return forced


# --- sampling -----------------------------------------------------------------------

def _section_tokens(plan: Plan, models: Models, section: SectionPlan, slots: list[_Slot],
                    history: list[str], first_of_phrase: dict[str, list[str]],
                    melody: list[Note] | None) -> list[str]:
    rng = rng_for(plan.seed, "harmony", section.phrase, section.occurrence)
    forced = _forced(plan, section, len(slots))
    earlier = first_of_phrase.get(section.phrase)
    if earlier is not None and len(earlier) == len(slots) and melody is None:
        tokens = [forced.get(i, t) for i, t in enumerate(earlier)]
        for index in range(1, len(tokens)):
            if index not in forced and index + 1 not in forced and rng.random() < VARIATION:
                tokens[index] = _draw(plan, models, rng, history + tokens[:index], index,
                                      forced, slots, melody)
        return tokens
    tokens = []
    for index in range(len(slots)):
        if index in forced:
            tokens.append(forced[index])
        else:
            tokens.append(_draw(plan, models, rng, history + tokens, index, forced, slots,
                                melody))
    first_of_phrase.setdefault(section.phrase, tokens)
    return tokens


def _draw(plan: Plan, models: Models, rng: random.Random, before: list[str], index: int,
          forced: dict[int, str], slots: list[_Slot], melody: list[Note] | None) -> str:
    harmony = models.harmony
    family = mode_family(plan.key.mode)
    style = plan.style.value
    changes = _changes(before)
    current = changes[-1] if changes else None
    hold = HOLD.get(plan.style, 0.25)
    weights = dict.fromkeys(harmony.vocab, 0.0)
    for token, p in zip(harmony.vocab, harmony.distribution(
            harmony_context(family, style, changes)), strict=True):
        if token != current and _allowed(token, plan):
            weights[token] = (1 - hold) * p * _colour_weight(token, plan)
    if current is not None and _allowed(current, plan):
        weights[current] = hold
    following = forced.get(index + 1)
    if following is not None:
        for token, weight in weights.items():
            if weight:
                dist = harmony.distribution(harmony_context(family, style,
                                                            _changes([*changes, token])))
                position = harmony.index.get(following)
                leads = dist[position] if position is not None else 1 / len(dist)
                weights[token] = weight * (hold if token == following else leads)
    if melody is not None:
        slot = slots[index]
        fit = _melody_window(plan, melody, slot.start, slot.start + slot.duration)
        if fit:
            for token, weight in weights.items():
                if weight:
                    weights[token] = (weight * math.exp(MELODY_FIT * emission(fit, token))) ** 2
    return _sample(weights, rng) or current or tonic_token(plan.key)


def _colour_weight(token: str, plan: Plan) -> float:
    """Melody-derived labels over-report the diminished vii (a melody outlining V often
    skips its root): outside art styles it is damped."""
    if token.endswith(":dim") and plan.style not in (Style.CHORALE, Style.CLASSICAL,
                                                     Style.JAZZ):
        return 0.25
    return 1.0


def _allowed(token: str, plan: Plan) -> bool:
    if in_key(token, plan.key):
        return True
    family = "min" if mode_family(plan.key.mode) in ("min", "dor") else "maj"
    loops = PROGRESSIONS.get(plan.style.value, {}).get(family, ())
    return any(token == numeral_token(n) for loop in loops for n in loop.split())


def _changes(tokens: Sequence[str]) -> list[str]:
    changes: list[str] = []
    for token in tokens:
        if not changes or changes[-1] != token:
            changes.append(token)
    return changes


def _sample(weights: dict[str, float], rng: random.Random) -> str | None:
    total = sum(weights.values())
    if total <= 0:
        return None
    target = rng.random() * total
    for token, weight in weights.items():
        target -= weight
        if target <= 0 and weight > 0:
            return token
    return max(weights, key=weights.__getitem__)


def _melody_window(plan: Plan, melody: list[Note], start: int, end: int
                   ) -> list[WeightedNote]:
    tonic = tonic_pc(plan.key)
    spans = [(n.pitch - tonic, n.start, n.duration) for n in melody
             if n.start < end and n.end > start]
    marks = {n.start: strength(n.start % plan.bar_ticks, plan.meter.numerator,
                               plan.meter.denominator) for n in melody if start <= n.start < end}
    return window_notes(spans, start, end, marks)


# --- blues --------------------------------------------------------------------------

def _blues(plan: Plan, section: SectionPlan, slots: list[_Slot]) -> list[str]:
    minor = mode_family(plan.key.mode) in ("min", "dor")
    rng = rng_for(plan.seed, "harmony", section.phrase, section.occurrence)
    form = _MINOR_BLUES if minor else rng.choice(_BLUES)
    bars = [numeral_token(n) for n in form.split()]
    tokens = [bars[(slot.bar - section.start_bar) % 12] for slot in slots]
    tonic = "0:m7" if minor else "0:7"
    for index, token in _forced(plan, section, len(slots)).items():
        tokens[index] = tonic if token == tonic_token(plan.key) else "7:7"
    return tokens


# --- output -------------------------------------------------------------------------

def _events(plan: Plan, slots: list[_Slot], tokens: list[str]) -> list[ChordEvent]:
    events: list[ChordEvent] = []
    for slot, token in zip(slots, tokens, strict=True):
        chord, roman = chord_for(_coloured(token, plan), plan.key)
        events.append(ChordEvent(slot.start, slot.duration, chord, roman))
    return events


def _coloured(token: str, plan: Plan) -> str:
    """Jazz-family styles voice plain triads as seventh chords."""
    if plan.style not in SEVENTH_STYLES:
        return token
    degree, quality = split_chord_token(token)
    if quality == "maj" and degree == 7:
        return "7:7"
    return f"{degree}:{_SEVENTHS.get(quality, quality)}"
