"""Cadences in the melody: where the long note of a cadence starts, and its pitch. The
piece ends long on the tonic; a half cadence rests on a tone of the chord there (the
harmony puts V at a section's half cadence); a phrase inside a section rests on a chord
tone, the tonic where the harmony allows it."""

from __future__ import annotations

from ariaforge.composer.melody.decode import Decoder
from ariaforge.composer.plan import Cadence, Plan


def cadence_of(plan: Plan, bar: int) -> Cadence | None:
    """The section cadence that closes `bar`, if any (the last bar is always authentic)."""
    if bar == plan.bars:
        return Cadence.AUTHENTIC
    if bar > plan.bars:
        return None
    section = plan.section_at(bar)
    if bar != section.end_bar - 1 or section.cadence is Cadence.OPEN:
        return None
    return section.cadence


def cadence_point(plan: Plan, bar: int, final: bool) -> int:
    """Where the cadence's long note starts: the downbeat of the piece's last bar
    (in bars of up to four beats, else the last beat pair), else the bar's middle beat."""
    start = plan.bar_start(bar)
    beats = plan.bar_ticks // plan.beat_ticks
    if final:
        return start if beats <= 4 else start + (beats - 2) * plan.beat_ticks
    return start + max(1, beats // 2) * plan.beat_ticks if beats >= 2 else start


def cadence_pitch(decoder: Decoder, cadence: Cadence, onset: int, reference: int,
                  final: bool) -> int:
    """The long note's pitch near `reference`: the tonic at the end of the piece and
    wherever the tonic sounds in the chord, else the chord tone nearest `reference`
    (a half cadence prefers the dominant's root and third)."""
    chord = decoder.chord_pcs(onset)
    if final or (cadence is not Cadence.HALF and decoder.tonic in chord):
        return decoder.nearest(decoder.tonic, reference)
    if cadence is Cadence.HALF:
        dominant = {(decoder.tonic + 7) % 12, (decoder.tonic + 11) % 12,
                    (decoder.tonic + 2) % 12} & chord
        if dominant:
            return decoder.nearest(0, reference, frozenset(dominant))
    return decoder.nearest(0, reference, chord)
