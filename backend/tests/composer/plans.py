"""Random but reproducible plans across styles, meters, tonics and modes, shared by the
harmony and melody tests."""

from __future__ import annotations

import random
from collections.abc import Sequence

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.plan import Plan, plan_form
from ariaforge.composer.vocabulary import Style

METERS = ("2/4", "3/4", "4/4", "6/8", "5/4")
TONICS = ("C", "G", "D", "A", "E", "F", "Bb", "Eb", "F#", "C#", "Ab")
MODES = ("major", "minor", "dorian", "mixolydian", "aeolian", "lydian", "phrygian")


def random_plans(count: int, seed: int, *, modes: Sequence[str] = MODES,
                 lengths: Sequence[int] = (8, 12, 16, 24, 32)) -> list[Plan]:
    """One plan per style in turn, each from a brief with a random key, meter and length."""
    rng = random.Random(seed)
    plans = []
    for index in range(count):
        style = list(Style)[index % len(Style)].value.replace("-", " ")
        text = (f"{style} in {rng.choice(TONICS)} {rng.choice(modes)} in "
                f"{rng.choice(METERS)}, {rng.choice(lengths)} bars, "
                f"seed {rng.randrange(10_000)}")
        plans.append(plan_form(parse_brief(text)))
    return plans
