"""Loop styles (pop, rock, edm, house, lo-fi, funk, reggae, trap, hip-hop, country, metal,
synthwave, ballad, lullaby, cinematic, chiptune): a section is one chord loop played round, as these
styles are written, with the learned harmony model choosing which loop.

Candidates are the style's own loops (`StyleHarmony.major_loops`, written with the style),
else its loops in `model.progressions` (I-V-vi-IV and its rotations for pop, I-bVII-IV-I
for rock, i-bVI-bIII-bVII for minor dance music...) or, in a church mode, the mode's vamps
from `harmony_modes`. A style's own loop may name a bass note after a slash: "V/7" is V
with scale degree 7 in the bass, "i/b7" the tonic over the flat seventh. Each is weighted by
its mean probability under the harmony model in the style's context, and by how well it
explains a given melody.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from ariaforge.composer.harmony_chords import in_key, over, split_slash, token_pcs, tonic_token
from ariaforge.composer.harmony_modes import MODAL_LOOPS, is_modal
from ariaforge.composer.harmony_rhythm import Cell
from ariaforge.composer.harmony_styles import style_harmony
from ariaforge.composer.model.progressions import PROGRESSIONS, numeral_token
from ariaforge.composer.model.store import Models
from ariaforge.composer.model.tokens import harmony_context, mode_family, split_chord_token
from ariaforge.composer.plan import Plan, weighted_choice
from ariaforge.composer.tonality import key_margin
from ariaforge.composer.vocabulary import Style
from ariaforge.music.theory.scales import tonic_pc

Fit = Callable[[int, str], float]  # (cell index, token) -> melody fit, 0 without a melody
_FLOOR = 1e-4  # probability given to a loop chord the model has never seen
HEARD = 12.0  # how much a modal loop's key margin counts: +0.1 makes it 3.3 times likelier
# Styles whose own minor loops lean on bVI, bIII and bVII: i-bVI-bIII-bVII is as much the
# relative major's loop as the tonic's, so, as for a mode, a loop is likelier the more
# clearly its chords name the asked tonic (a cinematic theme in C minor, not in Ab major).
BORROWING_LOOP_STYLES = frozenset({Style.CINEMATIC})
_SCALE_STEPS = (0, 2, 4, 5, 7, 9, 11)  # scale degrees 1-7 of the major scale, in semitones


def candidate_loops(plan: Plan, allowed: Callable[[str], bool]) -> list[list[str]]:
    modal = MODAL_LOOPS.get(plan.key.mode)
    own = False
    if modal is not None:
        texts = modal
    else:
        family = "min" if mode_family(plan.key.mode) in ("min", "dor") else "maj"
        style = style_harmony(plan.style)
        texts = style.minor_loops if family == "min" else style.major_loops
        own = bool(texts)  # written for the style: its chromatic chords are meant
        if not texts:
            texts = PROGRESSIONS.get(plan.style.value, {}).get(family, ())
        if not texts:
            texts = PROGRESSIONS["pop"][family]
    loops = [[loop_token(n) for n in text.split()] for text in texts]
    return [loop for loop in loops
            if own or all(allowed(t) or in_key(t, plan.key) for t in loop)]


def loop_token(text: str) -> str:
    """A loop's chord as a token: a numeral, with an optional bass degree after a slash
    ("V/7": V over the leading tone, "i/b7": the tonic over the flat seventh)."""
    numeral, slash, bass = text.partition("/")
    token = numeral_token(numeral)
    if not slash:
        return token
    shift = {"b": -1, "#": 1}.get(bass[0], 0)
    return over(token, _SCALE_STEPS[int(bass.lstrip("b#")) - 1] + shift)


def choose_loop(plan: Plan, models: Models, loops: list[list[str]], cells: list[Cell],
                rng: random.Random, fit: Fit, opening: bool, long: bool) -> list[str]:
    """One loop, rotated to start on the tonic when it opens the piece."""
    if opening:
        loops = [_rotated(loop) for loop in loops if any(_on_tonic(t) for t in loop)] \
            or [[tonic_token(plan.key)]]
    weights = []
    for loop in loops:
        weight = _likelihood(plan, models, loop)
        tiled = tile(loop, len(cells), long)
        weight *= math.exp(sum(fit(i, t) for i, t in enumerate(tiled)))
        if is_modal(plan.key) or plan.style in BORROWING_LOOP_STYLES:
            weight *= math.exp(HEARD * heard_margin(plan, tiled))
        weights.append(weight)
    return weighted_choice(loops, weights, rng) or loops[-1]


def tile(loop: list[str], cells: int, long: bool) -> list[str]:
    """The loop round the section's cells, each chord one cell (two when `long`)."""
    per = 2 if long else 1
    return [loop[(index // per) % len(loop)] for index in range(cells)]


def _on_tonic(token: str) -> bool:
    return token.startswith("0:")


def heard_margin(plan: Plan, tokens: list[str]) -> float:
    """How clearly the loop's chords alone name the key (negative when a key estimator
    would hear the parent major instead): a mode is a mode only if its tonic is heard."""
    tonic = tonic_pc(plan.key)
    weights = [0.0] * 12
    for token in tokens:
        base, _ = split_slash(token)
        for pc in token_pcs(base):
            weights[(pc + tonic) % 12] += 1.0
        weights[(split_chord_token(base)[0] + tonic) % 12] += 1.0  # the bass, heard most
    return key_margin(weights, plan.key)


def _rotated(loop: list[str]) -> list[str]:
    start = next(i for i, token in enumerate(loop) if _on_tonic(token))
    return loop[start:] + loop[:start]


def _likelihood(plan: Plan, models: Models, loop: list[str]) -> float:
    """The loop's geometric-mean probability, twice round, under the harmony model."""
    harmony = models.harmony
    family = mode_family(plan.key.mode)
    history: list[str] = []
    logs = []
    for token in (split_slash(t)[0] for t in loop * 2):  # the model knows no slash basses
        if history and history[-1] == token:
            continue
        dist = harmony.distribution(harmony_context(family, plan.style.value, history))
        position = harmony.index.get(token)
        logs.append(math.log(max(dist[position], _FLOOR) if position is not None else _FLOOR))
        history.append(token)
    # Flattened: the model ranks, but a loop it likes less still gets its turn.
    return math.exp(0.5 * sum(logs) / max(1, len(logs)))
