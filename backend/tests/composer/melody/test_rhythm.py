"""Melody rhythm by style: motif cells, cadence approaches and pickups fit the bar and the
metre, never overlap, keep fiddle snaps out of the styles that have none, drop sixteenths at
fast tempi, and sound like their style (off-beats in house, long notes in ambient...)."""

from __future__ import annotations

import dataclasses
import itertools
import random
import statistics
from collections.abc import Sequence
from functools import cache

import pytest

from ariaforge.composer.arrange.timing import beat_grid
from ariaforge.composer.brief import parse_brief
from ariaforge.composer.melody.decode import Decoder
from ariaforge.composer.melody.rhythm import (
    LEARNED,
    ORNATE,
    cadence_rhythm,
    motif_rhythm,
    pickup,
)
from ariaforge.composer.melody.rhythm_cells import uses_triplets
from ariaforge.composer.model.store import load_models
from ariaforge.composer.plan import Plan, plan_form
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from ariaforge.music.score import PPQ, Meter

METERS = ((2, 4), (3, 4), (4, 4), (5, 4), (6, 8), (7, 8), (9, 8), (12, 8))
SIXTEENTH, EIGHTH = PPQ // 4, PPQ // 2
SNAPLESS = [Style.HOUSE, Style.EDM, Style.CHORALE, Style.JAZZ, Style.SWING, Style.AMBIENT]
Spans = list[tuple[int, int]]


@cache
def _base() -> Plan:
    return plan_form(parse_brief("a pop song in C major, 8 bars, seed 3"))


def plan_for(style: Style, meter: tuple[int, int] = (4, 4), tempo: int | None = None,
             swing: bool = False) -> Plan:
    numerator, denominator = meter
    return dataclasses.replace(
        _base(), style=style, meter=Meter(numerator=numerator, denominator=denominator),
        tempo=tempo or STYLE_PROFILES[style].tempo, swing=swing)


def decoder_for(plan: Plan) -> Decoder:
    return Decoder(plan, [], (60, 84), load_models())


def motifs(plan: Plan, seeds: int = 6, energies: Sequence[float] = (0.1, 0.5, 0.95)
           ) -> list[tuple[int, Spans]]:
    """(bars, rhythm) for 1- and 2-bar motifs over several seeds and energies."""
    decoder = decoder_for(plan)
    return [(bars, motif_rhythm(plan, random.Random(seed), energy, bars, decoder))
            for seed in range(seeds) for energy in energies for bars in (1, 2)]


def snaps(spans: Spans) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Back-to-back dotted eighth + sixteenth, in either order."""
    return [(a, b) for a, b in itertools.pairwise(spans)
            if a[0] + a[1] == b[0] and {a[1], b[1]} == {3 * SIXTEENTH, SIXTEENTH}]


def assert_well_formed(spans: Spans, end: int, triplets: bool = False) -> None:
    """Every note on the sixteenth grid, or (in a style with triplet cells) on the
    eighth-note triplet grid."""
    grids = (SIXTEENTH, PPQ // 3) if triplets else (SIXTEENTH,)
    assert spans == sorted(spans)
    for onset, length in spans:
        assert length > 0 and onset >= 0 and onset + length <= end, (onset, length, end)
        assert any(onset % g == 0 for g in grids) and any(length % g == 0 for g in grids), \
            (onset, length)
    for (a, la), (b, _) in itertools.pairwise(spans):
        assert a + la <= b, f"{(a, la)} overlaps the note at {b}"


@pytest.mark.parametrize("meter", METERS, ids=lambda m: f"{m[0]}-{m[1]}")
@pytest.mark.parametrize("style", list(Style))
def test_motif_fits_the_bars_in_every_meter(style: Style, meter: tuple[int, int]) -> None:
    plan = plan_for(style, meter)
    for bars, spans in motifs(plan, seeds=3):
        assert len(spans) >= 2, "a motif has an interval to repeat and sequence"
        assert_well_formed(spans, bars * plan.bar_ticks, uses_triplets(style))
        if plan.beat_ticks == 3 * EIGHTH and style not in LEARNED:
            # A dotted-quarter beat splits in three eighths, never in two halves.
            assert all(onset % EIGHTH == 0 for onset, _ in spans), spans
            assert all(onset % (3 * EIGHTH) != 3 * SIXTEENTH for onset, _ in spans), spans


@pytest.mark.parametrize("style", SNAPLESS)
@pytest.mark.parametrize("meter", [(4, 4), (3, 4), (6, 8), (7, 8)], ids=str)
def test_no_snaps_where_the_style_has_none(style: Style, meter: tuple[int, int]) -> None:
    plan = plan_for(style, meter)
    decoder = decoder_for(plan)
    for bars, spans in motifs(plan, seeds=8):
        assert not snaps(spans), (bars, spans)
    for seed, hold in itertools.product(range(8), range(0, plan.bar_ticks + 1, EIGHTH)):
        assert not snaps(cadence_rhythm(plan, random.Random(seed), hold, decoder))


@pytest.mark.parametrize("style", [s for s in Style if s not in ORNATE])
def test_slow_music_has_no_snaps_and_no_sixteenths(style: Style) -> None:
    plan = plan_for(style, tempo=60)
    for _, spans in motifs(plan):
        assert not snaps(spans), spans
        assert all(onset % EIGHTH == 0 and length % EIGHTH == 0 for onset, length in spans)


@pytest.mark.parametrize("meter", [(4, 4), (2, 4), (6, 8), (7, 8)], ids=str)
@pytest.mark.parametrize("style", list(Style))
def test_no_sixteenths_at_fast_tempi(style: Style, meter: tuple[int, int]) -> None:
    plan = plan_for(style, meter, tempo=180)
    decoder = decoder_for(plan)
    for _, spans in motifs(plan):
        assert all(onset % EIGHTH == 0 and length % EIGHTH == 0 for onset, length in spans)
    for seed in range(6):
        spans = cadence_rhythm(plan, random.Random(seed), plan.bar_ticks // 2 // EIGHTH * EIGHTH,
                               decoder)
        assert all(length % EIGHTH == 0 for _, length in spans), spans


@pytest.mark.parametrize("style", list(Style))
def test_more_energy_more_notes(style: Style) -> None:
    plan = plan_for(style)
    decoder = decoder_for(plan)

    def count(energy: float) -> float:
        return statistics.mean(len(motif_rhythm(plan, random.Random(seed), energy, 1, decoder))
                               for seed in range(40))

    assert count(0.95) > count(0.05)


def test_styles_sound_like_themselves() -> None:
    def all_spans(style: Style) -> Spans:
        return [span for _, spans in motifs(plan_for(style), seeds=10) for span in spans]

    house = all_spans(Style.HOUSE)
    off_beat = sum(onset % PPQ != 0 for onset, _ in house) / len(house)
    assert off_beat > 0.4, "house hooks sit on the off-beats"
    assert any(onset % EIGHTH for onset, _ in house), "and use sixteenth syncopation"
    ambient = all_spans(Style.AMBIENT)
    assert statistics.median(length for _, length in ambient) >= 2 * PPQ
    chorale = all_spans(Style.CHORALE)
    assert statistics.median(length for _, length in chorale) >= PPQ
    assert all(length >= EIGHTH for _, length in chorale)
    jazz = all_spans(Style.JAZZ)
    assert all(onset % EIGHTH == 0 for onset, _ in jazz), "jazz lines are eighths (swung later)"
    jazz_plan = plan_for(Style.JAZZ)
    starts = [spans[0][0] for _, spans in motifs(jazz_plan, seeds=10)]
    assert any(start % PPQ == EIGHTH for start in starts), "some phrases start off the beat"
    bossa = all_spans(Style.BOSSA_NOVA)
    # The 3+3+2 accent: a note on the "and" of beat 2 (1.5 beats into the bar).
    assert any(onset % (4 * PPQ) == 3 * EIGHTH for onset, _ in bossa)
    pop = all_spans(Style.POP)
    held_over_three = [o for o, length in pop if o % (4 * PPQ) == 3 * EIGHTH
                       and o % (4 * PPQ) + length > 2 * PPQ]
    assert held_over_three, "pop anticipates beat 3"


@pytest.mark.parametrize("meter", METERS, ids=lambda m: f"{m[0]}-{m[1]}")
@pytest.mark.parametrize("style", list(Style))
def test_cadence_notes_lead_up_to_the_hold(style: Style, meter: tuple[int, int]) -> None:
    plan = plan_for(style, meter)
    decoder = decoder_for(plan)
    assert cadence_rhythm(plan, random.Random(0), 0, decoder) == []
    holds = range(plan.beat_ticks, plan.bar_ticks + 1, plan.beat_ticks)
    for seed, hold in itertools.product(range(3), holds):
        spans = cadence_rhythm(plan, random.Random(seed), hold, decoder)
        assert spans, hold
        assert_well_formed(spans, hold, uses_triplets(style))
        assert spans[-1][0] + spans[-1][1] == hold, "the line runs into the cadence note"


@pytest.mark.parametrize("meter", METERS, ids=lambda m: f"{m[0]}-{m[1]}")
@pytest.mark.parametrize("style", list(Style))
def test_pickups_are_short_and_before_the_downbeat(style: Style,
                                                   meter: tuple[int, int]) -> None:
    plan = plan_for(style, meter)
    found = [spans for seed in range(30) if (spans := pickup(plan, random.Random(seed)))]
    for spans in found:
        assert spans == sorted(spans)
        assert all(onset < 0 and length > 0 for onset, length in spans)
        assert spans[-1][0] + spans[-1][1] == 0, "the pickup runs into the downbeat"
        assert -spans[0][0] <= beat_grid(plan.meter)[-1].length, "a pickup is at most a beat"
        for (a, la), (b, _) in itertools.pairwise(spans):
            assert a + la <= b
    if style in (Style.EDM, Style.HOUSE, Style.AMBIENT):
        assert not found
    if style in (Style.FOLK, Style.JIG, Style.REEL, Style.MARCH, Style.WALTZ, Style.JAZZ):
        assert found, "an idiomatic pickup shows up for some seeds"


def test_same_seed_same_rhythm() -> None:
    for style in Style:
        plan = plan_for(style)
        decoder = decoder_for(plan)
        first = motif_rhythm(plan, random.Random(7), 0.6, 2, decoder)
        assert first == motif_rhythm(plan, random.Random(7), 0.6, 2, decoder)
