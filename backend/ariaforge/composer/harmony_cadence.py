"""The chords a section must have: the tonic that opens the piece and the cadence that
closes each section, chosen from the style's formulas and the mode's.

A formula fills the section's last cells from the end: "ii7 V7 I" in a two-chords-a-bar
style puts ii7 and V7 in the penultimate bar and I on the last downbeat. Jazz-family half
cadences are turnarounds (I-vi-ii-V, iii-VI-ii-V) that lead back to the top.
"""

from __future__ import annotations

import random
from typing import Final

from ariaforge.composer.harmony_chords import (
    dominant_token,
    subdominant_token,
    tonic_token,
)
from ariaforge.composer.harmony_modes import CHARACTERISTIC, modal_cadences
from ariaforge.composer.harmony_rhythm import Cell
from ariaforge.composer.harmony_styles import StyleHarmony
from ariaforge.composer.model.progressions import numeral_token
from ariaforge.composer.plan import Cadence, Plan, SectionPlan
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Mode

_V7: Final = numeral_token("V7")
_PLAIN_V: Final = numeral_token("V")
TURNAROUND_STYLES: Final = frozenset({Style.JAZZ, Style.SWING, Style.BOSSA_NOVA})
_TURNAROUNDS: Final = {"maj": ("I6 vi7 ii7 V7", "iii7 VI7 ii7 V7", "Imaj7 VI7 ii7 V7"),
                       "min": ("i7 bVImaj7 iiø7 V7", "i7 i7 iiø7 V7")}


def turnaround_half(plan: Plan, section: SectionPlan) -> bool:
    """Whether a half cadence is a turnaround, whose last bar changes at the half bar."""
    return (section.cadence is Cadence.HALF and plan.style in TURNAROUND_STYLES
            and plan.key.mode in (Mode.MAJOR, Mode.MINOR))


def forced_cells(plan: Plan, style: StyleHarmony, section: SectionPlan, cells: list[Cell],
                 rng: random.Random) -> dict[int, str]:
    """Cell index -> the token the section must have there."""
    key = plan.key
    count = len(cells)
    forced: dict[int, str] = {}
    tonic = tonic_token(key)
    if section.index == 0:
        forced[0] = tonic
    final = section.index == len(plan.sections) - 1
    formula = _formula(plan, style, section.cadence, rng)
    if formula is None:
        if count == 1 and section.cadence is not Cadence.OPEN:
            forced[0] = tonic
        return forced
    tokens = formula[-count:] if count < len(formula) else formula
    plain = plan.style is Style.CHORALE and not final  # chorales keep V7 for the end
    for offset, chord in enumerate(reversed(tokens)):
        forced[count - 1 - offset] = _PLAIN_V if plain and chord == _V7 else chord
    if section.index == 0:
        forced[0] = tonic
    return forced


def _formula(plan: Plan, style: StyleHarmony, cadence: Cadence, rng: random.Random
             ) -> list[str] | None:
    key = plan.key
    minor = key.mode is Mode.MINOR
    modal = modal_cadences(key, plan.style)
    if cadence is Cadence.AUTHENTIC:
        if modal is not None:
            choice = rng.choice(modal)
        elif key.mode in (Mode.MAJOR, Mode.MINOR):
            choice = rng.choice(style.minor_cadences if minor else style.cadences)
        else:  # a modal key in a style with tonal cadences: the mode's own fifth chord
            return [dominant_token(key), tonic_token(key)]
        return [numeral_token(n) for n in choice.split()]
    if cadence is Cadence.HALF:
        if modal is not None:
            return [numeral_token(CHARACTERISTIC[key.mode][0])]
        if key.mode in (Mode.MAJOR, Mode.MINOR) and plan.style in TURNAROUND_STYLES:
            return [numeral_token(n) for n in rng.choice(
                _TURNAROUNDS["min" if minor else "maj"]).split()]
        if key.mode in (Mode.MAJOR, Mode.MINOR) and style.half_cadences:
            return [numeral_token(rng.choice(style.half_cadences))]  # metal stops on bVII
        return [dominant_token(key, seventh=False)]
    if cadence is Cadence.PLAGAL:
        if key.mode is Mode.LYDIAN:  # IV would bring back the natural 4 lydian lacks
            return [numeral_token("II"), tonic_token(key)]
        return [subdominant_token(key), tonic_token(key)]
    return None
