"""The copy check: no bar, together with the bar before it, may appear in that order and
at the same place in a bar of a training tune. The learned models must not quote."""

from __future__ import annotations

from collections.abc import Sequence

from ariaforge.composer.melody.cadence import cadence_point
from ariaforge.composer.melody.decode import Decoder, Tone
from ariaforge.composer.model.evaluate import bar_hash, bar_signature
from ariaforge.composer.model.store import load_copycheck


def quotes(decoder: Decoder, bar: int, before: Sequence[Tone], tones: Sequence[Tone]) -> bool:
    plan = decoder.plan
    start = plan.bar_start(bar)
    previous = [t for t in before if start - plan.bar_ticks <= t.start < start]
    if not tones:
        return False
    check = load_copycheck()
    this = _signature(decoder, tones)
    if previous and bar_hash(_signature(decoder, previous), this) in check.pairs:
        return True
    final = plan.bars
    if bar == final - 1 and cadence_point(plan, final, final=True) == plan.bar_start(final):
        # The last bar will be one long tonic: this bar must not quote the way in to it.
        ending = bar_signature([(decoder.tonic, 0, plan.bar_ticks)], decoder.tonic)
        return bar_hash(this, ending) in check.pairs
    return False


def _signature(decoder: Decoder, tones: Sequence[Tone]) -> bytes:
    bar_ticks = decoder.plan.bar_ticks
    return bar_signature([(t.pitch, t.start % bar_ticks, t.duration) for t in tones],
                         decoder.tonic)
