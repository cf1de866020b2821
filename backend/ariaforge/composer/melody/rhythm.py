"""Melody rhythm by style: the rhythm cell of a motif, the notes leading into a cadence, and
the pickup before a phrase.

Folk tunes, reels, jigs, marches, waltzes, chorales, classical themes and celtic tunes draw
their rhythm from the learned rhythm model (its corpus is exactly that music), lightly
steered per style.
Every other style tiles the bar with cells from its own vocabulary (`rhythm_cells`), so house
gets off-beat sixteenth hooks and jazz eighth lines instead of fiddle-tune snaps.

All positions are straight, on the sixteenth grid; `feel.swing_notes` swings them later.
Tempo rules hold for every style: at 170 bpm and above nothing shorter than an eighth, and
below 70 bpm no sixteenths (except a nocturne's ornamental runs) and a lean towards long
notes. Trap's triplet cells are the one rhythm off the sixteenth grid.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Final

from ariaforge.composer.arrange.timing import beat_grid
from ariaforge.composer.melody.decode import Decoder
from ariaforge.composer.melody.rhythm_cells import Placed, layout
from ariaforge.composer.model.tokens import rhythm_context
from ariaforge.composer.plan import Plan, weighted_choice
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ

__all__ = ["FAST_BPM", "LEARNED", "SLOW_BPM", "cadence_rhythm", "motif_rhythm", "pickup"]

Span = tuple[int, int]  # (onset, length) in ticks

SIXTEENTH: Final = PPQ // 4
EIGHTH: Final = PPQ // 2
FAST_BPM: Final = 170  # from here on, nothing shorter than an eighth
SLOW_BPM: Final = 70  # below this, no sixteenths and longer notes
LEARNED: Final = frozenset({Style.FOLK, Style.REEL, Style.JIG, Style.MARCH, Style.WALTZ,
                            Style.CHORALE, Style.CLASSICAL, Style.CELTIC})
# Styles where a dotted eighth + sixteenth (or the reverse) would sound like a fiddle tune.
NO_SNAPS: Final = frozenset({Style.HOUSE, Style.EDM, Style.CHORALE, Style.JAZZ, Style.SWING,
                             Style.AMBIENT, Style.CAROL, Style.LULLABY, Style.CINEMATIC})
# Slow styles whose ornaments are sixteenths all the same (a nocturne's runs and turns).
ORNATE: Final = frozenset({Style.NOCTURNE})
# Styles whose phrases take a quarter-note upbeat, as a hymn or a waltz does.
QUARTER_PICKUP: Final = frozenset({Style.WALTZ, Style.CHORALE, Style.CAROL, Style.LULLABY})
DENSITY: Final = 2.5  # how strongly energy favours busier cells / shorter notes
LEARNED_DENSITY: Final = 1.6  # the same for the learned model's note lengths
CADENCE_ENERGY: Final = 0.35  # the way into a cadence settles a little
# Light steering of the learned model towards each style's own corpus (measured on the
# held-out tunes: a fiddle tune runs in eighths, a chorale soprano moves in quarters).
_LEARNED_BIAS: Final[dict[Style, dict[int, float]]] = {
    Style.FOLK: {EIGHTH: 1.5, PPQ: 0.8, SIXTEENTH: 0.8, 3 * SIXTEENTH: 0.9},
    Style.REEL: {EIGHTH: 2.0},
    Style.JIG: {EIGHTH: 1.5},
    Style.CHORALE: {PPQ: 2.5, 2 * PPQ: 4.0},  # matched to Bach's sopranos
    Style.WALTZ: {EIGHTH: 1.4, SIXTEENTH: 1.2, 3 * SIXTEENTH: 1.3, PPQ: 0.8},
    Style.CELTIC: {EIGHTH: 1.5, PPQ: 0.8, SIXTEENTH: 0.8, 3 * SIXTEENTH: 0.9},
}
# How often a cell is played again at once: house and edm hooks repeat, as do funk riffs,
# trap and hip-hop hooks, synthwave and chiptune arpeggios, the tango's habanera.
_REPEAT: Final[dict[Style, float]] = {
    Style.HOUSE: 0.6, Style.EDM: 0.55, Style.BOSSA_NOVA: 0.3, Style.FUNK: 0.45,
    Style.TRAP: 0.6, Style.HIP_HOP: 0.5, Style.SYNTHWAVE: 0.45, Style.CHIPTUNE: 0.5,
    Style.TANGO: 0.35, Style.BAROQUE: 0.3, Style.REGGAE: 0.35, Style.METAL: 0.4,
}
# Pickups: how likely, and the figures (ticks before the downbeat) a player would use.
_PICKUP_CHANCE: Final[dict[Style, float]] = {
    Style.FOLK: 0.5, Style.REEL: 0.6, Style.JIG: 0.6, Style.MARCH: 0.6, Style.WALTZ: 0.45,
    Style.JAZZ: 0.5, Style.SWING: 0.5, Style.CHORALE: 0.5, Style.CLASSICAL: 0.3,
    Style.BLUES: 0.4, Style.POP: 0.25, Style.ROCK: 0.2, Style.BOSSA_NOVA: 0.3,
    Style.LOFI_HIP_HOP: 0.2, Style.FUNK: 0.2, Style.REGGAE: 0.25, Style.TRAP: 0.1,
    Style.HIP_HOP: 0.25, Style.TANGO: 0.35, Style.GOSPEL: 0.4, Style.COUNTRY: 0.55,
    Style.SAMBA: 0.3, Style.METAL: 0.15, Style.SYNTHWAVE: 0.15, Style.BALLAD: 0.35,
    Style.LULLABY: 0.3, Style.CAROL: 0.5, Style.CINEMATIC: 0.2, Style.CHIPTUNE: 0.2,
    Style.NOCTURNE: 0.35, Style.BAROQUE: 0.4, Style.CELTIC: 0.55,
}


# --- the public steps ------------------------------------------------------------------

def motif_rhythm(plan: Plan, rng: random.Random, energy: float, bars: int,
                 decoder: Decoder) -> list[Span]:
    """A rhythm cell for a motif of `bars` bars: (onset, length) from its first downbeat."""
    bars = max(1, bars)
    if plan.style in LEARNED:
        spans: list[Span] = []
        for bar in range(bars):
            start = bar * plan.bar_ticks
            spans += _learned(plan, rng, start, start + plan.bar_ticks, energy, decoder,
                              [length for _, length in spans[-2:]])
    else:
        spans = _tiled(plan, rng, energy, bars * plan.bar_ticks, bars)
    return _with_a_shape(plan, _unsnapped(plan, spans) or [(0, plan.beat_ticks)])


def cadence_rhythm(plan: Plan, rng: random.Random, hold: int, decoder: Decoder
                   ) -> list[Span]:
    """The notes of a cadence bar before its long note at `hold` (ticks from the bar line),
    ending exactly at `hold` so the line leads into the cadence."""
    if hold <= 0:
        return []
    hold = min(hold, plan.bar_ticks)
    if plan.style in LEARNED:
        spans = _learned(plan, rng, 0, hold, CADENCE_ENERGY, decoder, [])
    else:
        spans = _tiled(plan, rng, CADENCE_ENERGY, hold, 1)
    spans = _unsnapped(plan, spans)
    if not spans:
        return [(0, hold)]
    onset, _ = spans[-1]
    spans[-1] = (onset, hold - onset)  # no breath right before the cadence note
    return spans


def pickup(plan: Plan, rng: random.Random) -> list[Span]:
    """An anacrusis before a phrase's downbeat (negative onsets), or [] for none."""
    chance = _PICKUP_CHANCE.get(plan.style, 0.0)
    if rng.random() >= chance:
        return []
    beat = beat_grid(plan.meter)[-1]
    if plan.style in QUARTER_PICKUP and beat.parts == 2:
        return [(-beat.length, beat.length)]  # a quarter upbeat
    eighth = beat.length // beat.parts
    if plan.style in (Style.JAZZ, Style.SWING, Style.REEL) or rng.random() < 0.4:
        return [(-2 * eighth, eighth), (-eighth, eighth)]
    return [(-eighth, eighth)]


# --- learned-model rhythm (the corpus styles) -------------------------------------------

def _allowed(plan: Plan) -> int:
    """The shortest grid step a note may start or last on."""
    coarse = plan.tempo >= FAST_BPM or plan.tempo < SLOW_BPM or plan.style is Style.CHORALE
    return EIGHTH if coarse else SIXTEENTH


def _learned(plan: Plan, rng: random.Random, start: int, end: int, energy: float,
             decoder: Decoder, before: Sequence[int]) -> list[Span]:
    """Durations drawn from the learned model filling [start, end) of one bar."""
    meter = plan.meter
    model = decoder.models.rhythm
    step = _allowed(plan)
    bias = _LEARNED_BIAS.get(plan.style, {})
    lean = LEARNED_DENSITY * (energy - 0.5) - (0.6 if plan.tempo < SLOW_BPM else 0.0)
    durations = list(before)
    spans: list[Span] = []
    position = start
    bar_start = start - start % plan.bar_ticks
    while position < end:
        remaining = end - position
        context = rhythm_context(meter.numerator, meter.denominator, position - bar_start,
                                 durations)
        weights = []
        for token, p in zip(model.vocab, model.distribution(context), strict=True):
            length = int(token)
            fits = length <= remaining and length % step == 0 and (remaining - length) % step == 0
            weights.append(p * bias.get(length, 1.0) * (length / plan.beat_ticks) ** -lean
                           if fits else 0.0)
        length = weighted_choice([int(t) for t in model.vocab], weights, rng) or remaining
        spans.append((position, length))
        durations.append(length)
        position += length
    return spans


# --- vocabulary rhythm (every other style) ----------------------------------------------

def _tiled(plan: Plan, rng: random.Random, energy: float, end: int, bars: int) -> list[Span]:
    """Cells of the style laid beat after beat over [0, end), never across a bar line
    except a two-bar figure that covers the whole motif."""
    grid = beat_grid(plan.meter)
    coarse = plan.tempo >= FAST_BPM or (plan.tempo < SLOW_BPM and plan.style not in ORNATE)
    starts, whole = layout(plan.style, plan.meter.numerator, plan.meter.denominator, coarse)
    beats = [(bar * plan.bar_ticks + b.offset, b.length) for bar in range(bars) for b in grid
             if bar * plan.bar_ticks + b.offset + b.length <= end]
    lean = DENSITY * (energy - 0.5) - (1.0 if plan.tempo < SLOW_BPM else 0.0)
    repeat = _REPEAT.get(plan.style, 0.2)
    spans: list[Span] = []
    index, previous = 0, None
    while index < len(beats):
        options = [p for p in starts[index % len(grid)] if index + p.span <= len(beats)]
        if index == 0 and len(beats) == 2 * len(grid):
            options += whole
        tick, length = beats[index]
        if not options:  # nothing fits this beat: one plain note on it
            spans.append((tick, length))
            index += 1
            continue
        if previous is not None and previous in options and rng.random() < repeat:
            cell = previous  # a hook played again
        else:
            cell = _weighted(options, lean, rng)
        spans += [(tick + onset, size) for onset, size in cell.spans]
        index += cell.span
        previous = cell
    covered = beats[-1][0] + beats[-1][1] if beats else 0
    if covered < end:  # a hold that ends between beats: one note for the rest
        spans.append((covered, end - covered))
    return spans


def _weighted(options: Sequence[Placed], lean: float, rng: random.Random) -> Placed:
    """A cell by its weight, busier ones favoured as `lean` (from the energy) grows."""
    weights = [p.weight * math.exp(lean * p.log_density) for p in options]
    return weighted_choice(options, weights, rng) or options[-1]


def _with_a_shape(plan: Plan, spans: list[Span]) -> list[Span]:
    """At least two notes, so the motif has an interval to repeat and sequence: a lone
    long note is split in two, on a beat where it is long enough (else on an eighth)."""
    if len(spans) >= 2:
        return spans
    onset, length = spans[0]
    step = plan.beat_ticks if length >= 2 * plan.beat_ticks else EIGHTH
    half = length // 2 // step * step
    return [(onset, half), (onset + half, length - half)] if half else spans


# --- snaps ------------------------------------------------------------------------------

def is_snap(first: Span, second: Span) -> bool:
    """A dotted eighth and a sixteenth (either order) played back to back."""
    lengths = {first[1], second[1]}
    return first[0] + first[1] == second[0] and lengths == {3 * SIXTEENTH, SIXTEENTH}


def _unsnapped(plan: Plan, spans: list[Span]) -> list[Span]:
    """Where the style has no snaps (or the tempo is slow), a snap becomes one note."""
    if plan.style not in NO_SNAPS and plan.tempo >= SLOW_BPM:
        return spans
    result: list[Span] = []
    for span in spans:
        if result and is_snap(result[-1], span):
            onset, _ = result[-1]
            result[-1] = (onset, span[0] + span[1] - onset)
        else:
            result.append(span)
    return result
