"""The diatonic skeleton of the non-loop styles: one chord per cell from the learned
harmony model, among the chords the key, the mode and the style allow.

A cell either holds the chord before it or moves to a chord the model proposes (the model
only knows chord changes; how long chords last is the cells' business). A chord that
changed on a half bar may not be held over the bar line. Forced cells (the opening tonic,
cadences) pull the cell before them towards chords that lead there. In a church mode the
characteristic chords get a floor and a boost, so the model's folk-and-chorale habits do
not hide the mode; in major keys the style's borrowed chords get a share.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Final

from ariaforge.composer.harmony_chords import in_key, tonic_token
from ariaforge.composer.harmony_modes import (
    CHARACTERISTIC,
    CHARACTERISTIC_WEIGHT,
    PARENT_TONIC,
    PARENT_WEIGHT,
    TONIC_FLOOR,
    TONIC_HOLD,
    TONIC_WEIGHT,
    is_modal,
)
from ariaforge.composer.harmony_rhythm import Cell
from ariaforge.composer.harmony_styles import StyleHarmony
from ariaforge.composer.model.corpus import chord_changes
from ariaforge.composer.model.progressions import PROGRESSIONS, numeral_token
from ariaforge.composer.model.store import Models
from ariaforge.composer.model.tokens import (
    chord_token,
    harmony_context,
    mode_family,
    split_chord_token,
)
from ariaforge.composer.plan import Plan, weighted_choice
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Key, Mode

VARIATION: Final = 0.12  # share of cells a repeated phrase re-draws
CHARACTERISTIC_FLOOR: Final = 0.06  # the least model probability a characteristic chord gets
Fit = Callable[[int, str], float]


def characteristic_tokens(key: Key) -> tuple[str, ...]:
    return tuple(numeral_token(n) for n in CHARACTERISTIC.get(key.mode, ()))


class Sampler:
    def __init__(self, plan: Plan, models: Models, style: StyleHarmony) -> None:
        self.plan, self.models, self.style = plan, models, style
        self.history: list[str] = []  # the skeleton so far, for the model's context
        # Whether the section before ended on a chord that began on its last half bar (a
        # turnaround's V7): then the next section's first chord must be a new one.
        self.ended_on_half = False
        self.family = mode_family(plan.key.mode)
        self.characteristic = frozenset(characteristic_tokens(plan.key))
        self.modal = is_modal(plan.key)
        self.tonic = tonic_token(plan.key)
        self.parent = PARENT_TONIC.get(plan.key.mode)
        major = plan.key.mode in (Mode.MAJOR, Mode.IONIAN)
        self.borrowed = frozenset(numeral_token(n) for n in style.borrowed) if major \
            else frozenset()
        loops = PROGRESSIONS.get(plan.style.value, {}).get(
            "min" if self.family in ("min", "dor") else "maj", ())
        # A tonal key also allows its style's loop chords; a mode allows only its own.
        self.loop_tokens = frozenset() if is_modal(plan.key) else frozenset(
            numeral_token(n) for loop in loops for n in loop.split())

    def allowed(self, token: str) -> bool:
        return in_key(token, self.plan.key) or token in self.borrowed \
            or token in self.loop_tokens

    def secondary_dominants(self) -> tuple[str, ...]:
        """V7 of each diatonic chord but the tonic, for a kept melody that sounds their
        chromatic notes (styles that use secondary dominants, tonal keys only)."""
        if not self.style.secondary or self.modal:
            return ()
        found = []
        for degree in (2, 4, 5, 7, 9):
            for quality in ("maj", "min"):
                if in_key(chord_token(degree, quality), self.plan.key):
                    dominant = chord_token(degree + 7, "7")
                    if not in_key(dominant, self.plan.key):
                        found.append(dominant)
        return tuple(dict.fromkeys(found))

    def fill(self, forced: dict[int, str], cells: list[Cell], rng: random.Random,
             fit: Fit) -> list[str]:
        tokens: list[str] = []
        for index in range(len(cells)):
            if index in forced:
                tokens.append(forced[index])
            else:
                tokens.append(self.draw(tokens, index, forced, cells, rng, fit))
        return tokens

    def vary(self, earlier: list[str], forced: dict[int, str], cells: list[Cell],
             rng: random.Random) -> list[str]:
        """A repeated phrase: the first statement's chords, a few re-drawn."""
        tokens = [forced.get(i, t) for i, t in enumerate(earlier)]
        for index in range(1, len(tokens)):
            if index not in forced and index + 1 not in forced and rng.random() < VARIATION:
                tokens[index] = self.draw(tokens[:index], index, forced, cells, rng,
                                          lambda _i, _t: 0.0)
        return tokens

    def draw(self, before: list[str], index: int, forced: dict[int, str], cells: list[Cell],
             rng: random.Random, fit: Fit) -> str:
        harmony = self.models.harmony
        style = self.plan.style.value
        context = chord_changes(self.history + before)
        current = before[-1] if before else (self.history[-1] if self.history else None)
        hold = self.style.hold
        if self.modal and current == self.tonic:
            hold = max(hold, TONIC_HOLD)
        if current is not None and self._must_change(before, index, cells):
            hold = 0.0
        weights: dict[str, float] = {}
        dist = harmony.distribution(harmony_context(self.family, style, context))
        for token, p in zip(harmony.vocab, dist, strict=True):
            if token != current and self.allowed(token):
                weights[token] = (1 - hold) * self._shaped(token, p)
        for token in sorted(self.borrowed | self.characteristic):  # sorted: deterministic
            if token != current and token not in weights and self.allowed(token):
                weights[token] = (1 - hold) * self._shaped(token, 0.0)
        if current is not None and self.allowed(current) and hold:
            weights[current] = hold
        following = forced.get(index + 1)
        if following is not None:
            position = harmony.index.get(following)
            for token, weight in weights.items():
                nxt = harmony.distribution(harmony_context(self.family, style,
                                                           chord_changes([*context, token])))
                leads = nxt[position] if position is not None else 1 / len(nxt)
                weights[token] = weight * (hold if token == following else leads)
        uncovered = getattr(fit, "uncovered", None) if getattr(fit, "critical", None) \
            else None
        if uncovered is not None and weights:
            for token in self.secondary_dominants():  # the melody may ask for one
                if token != current and token not in weights:
                    weights[token] = (1 - hold) * self.style.secondary * 0.1
            # A kept melody's strong, unresolved notes must be chord tones where any
            # allowed chord makes them so: only the chords that cover the most compete.
            misses = {token: uncovered(index, token) for token in weights}
            fewest = min(misses.values())
            weights = {t: w for t, w in weights.items() if misses[t] == fewest}
        factors = {token: math.exp(fit(index, token)) for token in weights}
        if any(factor != 1.0 for factor in factors.values()):
            # Squared, as a melody should outweigh the model's habits.
            weights = {t: (w * factors[t]) ** 2 for t, w in weights.items()}
        return weighted_choice(list(weights), list(weights.values()), rng) or current \
            or tonic_token(self.plan.key)

    def _shaped(self, token: str, p: float) -> float:
        if self.modal and token == self.tonic:
            return max(p, TONIC_FLOOR) * TONIC_WEIGHT
        if self.modal and split_chord_token(token)[0] == self.parent:
            return p * PARENT_WEIGHT
        if token in self.characteristic:
            return max(p, CHARACTERISTIC_FLOOR) * CHARACTERISTIC_WEIGHT
        if token in self.borrowed:
            return max(p, self.style.borrowed_weight / max(1, len(self.borrowed)))
        if token.endswith(":dim") and self.plan.style not in (Style.CHORALE, Style.CLASSICAL,
                                                              Style.JAZZ):
            # Melody-derived labels over-report the diminished vii (a melody outlining V
            # often skips its root): outside art styles it is damped.
            return p * 0.25
        return p

    def _must_change(self, before: list[str], index: int, cells: list[Cell]) -> bool:
        """A downbeat after a chord that began on the half bar must bring a new chord."""
        if index == 0:
            return self.ended_on_half
        if index < 2 or cells[index].half or not cells[index - 1].half:
            return False
        return before[index - 1] != before[index - 2]

