"""Melody swing: off-beat eighths land exactly where the comping's do, nothing overlaps, a
legato line stays legato, it is idempotent, and compound metres and straight styles are left
alone."""

from __future__ import annotations

import dataclasses
import itertools
import random
import statistics
from fractions import Fraction

import pytest

from ariaforge.composer.arrange.timing import bar_hits
from ariaforge.composer.brief import parse_brief
from ariaforge.composer.melody.decode import Decoder
from ariaforge.composer.melody.feel import straight_notes, swing_notes
from ariaforge.composer.melody.rhythm import motif_rhythm
from ariaforge.composer.model.store import load_models
from ariaforge.composer.plan import Plan, plan_form
from ariaforge.composer.styles import Beats, Pulse, style_kit
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from ariaforge.music.score import PPQ, Meter, Note

SWUNG = [Style.JAZZ, Style.SWING, Style.BLUES, Style.LOFI_HIP_HOP]
EIGHTH = PPQ // 2


def plan_for(style: Style, meter: tuple[int, int] = (4, 4), swing: bool = True) -> Plan:
    base = plan_form(parse_brief("a jazz tune in F, 8 bars, seed 5"))
    return dataclasses.replace(base, style=style, swing=swing,
                               meter=Meter(numerator=meter[0], denominator=meter[1]),
                               tempo=STYLE_PROFILES[style].tempo)


def line(plan: Plan, seed: int) -> list[Note]:
    """Four two-bar motifs of the style's own rhythm, pitches a simple scale walk."""
    decoder = Decoder(plan, [], (60, 84), load_models())
    rng = random.Random(seed)
    notes: list[Note] = []
    for motif in range(4):
        offset = motif * 2 * plan.bar_ticks
        for onset, length in motif_rhythm(plan, rng, 0.8, 2, decoder):
            notes.append(Note(pitch=60 + len(notes) % 7, start=offset + onset,
                              duration=length))
    return notes


def legato_line(plan: Plan) -> list[Note]:
    """Straight eighths, quarters and off-beat starts, every note running into the next."""
    lengths = [EIGHTH, EIGHTH, PPQ, EIGHTH, EIGHTH, EIGHTH, PPQ, 3 * EIGHTH, EIGHTH, EIGHTH]
    starts = [0, *itertools.accumulate(lengths)][:-1]
    return [Note(pitch=62 + i, start=s, duration=d)
            for i, (s, d) in enumerate(zip(starts, lengths, strict=True))]


def comping_off_beats(plan: Plan) -> set[int]:
    """Where the style's comping plays an off-beat eighth in bar 1 (ticks)."""
    kit = style_kit(plan.style)
    hits = bar_hits(plan, kit, 1, [Pulse(Beats.ALL, (Fraction(1, 2),))])
    return {hit.tick for hit in hits}


def no_overlaps(notes: list[Note]) -> bool:
    ordered = sorted(notes, key=lambda n: n.start)
    return all(a.end <= b.start for a, b in itertools.pairwise(ordered))


@pytest.mark.parametrize("style", SWUNG)
def test_off_beat_eighths_land_where_the_comping_plays_them(style: Style) -> None:
    plan = plan_for(style)
    notes = legato_line(plan)
    swung = swing_notes(plan, notes)
    comp = comping_off_beats(plan)
    ratio = style_kit(style).swing_ratio
    moved = 0
    for before, after in zip(notes, swung, strict=True):
        assert after.pitch == before.pitch
        if before.start % PPQ == EIGHTH:
            moved += 1
            assert after.start == before.start - EIGHTH + int(ratio * PPQ)
            assert after.start % plan.bar_ticks in comp, "the melody's 'and' is the band's"
            if before.end % PPQ != EIGHTH:  # (one running into the next "and" follows it)
                assert after.end == before.end, "a swung note keeps its end"
        else:
            assert after.start == before.start
    assert moved == 5


@pytest.mark.parametrize("style", SWUNG)
def test_swing_keeps_lines_legato_and_never_overlaps(style: Style) -> None:
    plan = plan_for(style)
    for seed in range(6):
        notes = line(plan, seed)
        swung = swing_notes(plan, notes)
        assert len(swung) == len(notes)
        assert no_overlaps(swung)
        assert all(n.duration > 0 for n in swung)
        for (a, b), (sa, sb) in zip(itertools.pairwise(notes), itertools.pairwise(swung),
                                    strict=True):
            if a.end == b.start:
                assert sa.end == sb.start, "a legato pair stays legato"
            else:
                assert sa.end < sb.start, "a rest stays a rest"


@pytest.mark.parametrize("style", SWUNG)
def test_swing_is_idempotent(style: Style) -> None:
    plan = plan_for(style)
    for seed in range(4):
        once = swing_notes(plan, line(plan, seed))
        assert swing_notes(plan, once) == once


@pytest.mark.parametrize("style", SWUNG)
def test_melody_swing_ratio_matches_the_kit(style: Style) -> None:
    """The bench's measure: over beats holding an onset on the beat and exactly one more
    between 0.4 and 0.8 of it, the median position of that second onset."""
    plan = plan_for(style)
    onsets = [n.start for seed in range(4) for n in swing_notes(plan, line(plan, seed))]
    per_beat: dict[int, list[int]] = {}
    for tick in sorted(set(onsets)):
        per_beat.setdefault(tick // PPQ, []).append(tick % PPQ)
    ratios = [inside[1] / PPQ for inside in per_beat.values()
              if len(inside) == 2 and inside[0] == 0 and 0.4 <= inside[1] / PPQ <= 0.8]
    assert ratios
    assert abs(statistics.median(ratios) - float(style_kit(style).swing_ratio)) <= 0.03


@pytest.mark.parametrize("meter", [(6, 8), (12, 8), (9, 8)], ids=str)
def test_compound_meters_are_left_alone(meter: tuple[int, int]) -> None:
    plan = plan_for(Style.JAZZ, meter)
    notes = [*line(plan, 1), Note(pitch=70, start=8 * plan.bar_ticks + 360, duration=120)]
    assert swing_notes(plan, notes) == notes


@pytest.mark.parametrize("style", [Style.POP, Style.JAZZ, Style.HOUSE])
def test_straight_plans_are_left_alone(style: Style) -> None:
    plan = plan_for(style, swing=False)
    notes = legato_line(plan)
    assert swing_notes(plan, notes) == notes


def test_a_beat_in_sixteenths_stays_straight() -> None:
    plan = plan_for(Style.JAZZ)
    sixteenths = [Note(pitch=60 + i, start=start, duration=length) for i, (start, length)
                  in enumerate(((0, EIGHTH), (EIGHTH, PPQ // 4), (3 * PPQ // 4, PPQ // 4)))]
    eighths = [Note(pitch=67, start=PPQ, duration=EIGHTH),
               Note(pitch=69, start=PPQ + EIGHTH, duration=EIGHTH)]
    swung = swing_notes(plan, sixteenths + eighths)
    assert swung[:3] == sixteenths
    late = PPQ + int(style_kit(Style.JAZZ).swing_ratio * PPQ)
    assert [n.start for n in swung[3:]] == [PPQ, late]


@pytest.mark.parametrize("meter", [(4, 4), (3, 4), (7, 8), (5, 4)], ids=str)
@pytest.mark.parametrize("style", SWUNG)
def test_straightening_undoes_swing(style: Style, meter: tuple[int, int]) -> None:
    """A restyle from a swung style takes the melody back to straight eighths exactly."""
    plan = plan_for(style, meter)
    changed = 0
    for seed in range(4):
        notes = line(plan, seed)
        swung = swing_notes(plan, notes)
        changed += swung != notes
        assert straight_notes(plan, swung) == notes
        assert straight_notes(plan, notes) == notes, "a straight line has nothing to undo"
    assert changed, "the lines had off-beat eighths to swing"
