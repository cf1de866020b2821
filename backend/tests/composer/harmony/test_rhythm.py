"""Harmonic rhythm is steady: chords change on the bar, or on the half bar in the styles
that change twice a bar, never anywhere else; a chord that starts on the half bar does not
ring over the bar line; ambient chords last two bars; cadences land on downbeats."""

from __future__ import annotations

import itertools

import pytest

from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.plan import Cadence, Plan
from ariaforge.composer.vocabulary import Style
from tests.composer.harmony.pieces import changes, pieces
from tests.composer.plans import random_plans

TWICE_A_BAR = frozenset({Style.JAZZ, Style.SWING, Style.BOSSA_NOVA, Style.CHORALE,
                         Style.CLASSICAL, Style.TANGO, Style.GOSPEL, Style.CAROL,
                         Style.NOCTURNE, Style.BAROQUE})


def beats(plan: Plan) -> int:
    return plan.bar_ticks // plan.beat_ticks


@pytest.mark.parametrize("plan", random_plans(68, seed=31), ids=lambda p: f"{p.style}-{p.meter}")
def test_changes_only_on_the_bar_or_the_half_bar(plan: Plan) -> None:
    events = compose_harmony(plan)
    half = plan.bar_ticks // 2
    halves_allowed = plan.style in TWICE_A_BAR and beats(plan) in (2, 4)
    moves = changes(events)
    for index, event in enumerate(moves):
        offset = event.start % plan.bar_ticks
        assert offset == 0 or (halves_allowed and offset == half), (event.start, plan.meter)
        if offset == half and index + 1 < len(moves):
            # A half-bar chord gives way at the next downbeat, not later.
            assert moves[index + 1].start <= event.start + half, event.chord.symbol
    for section in plan.sections:
        if section.cadence in (Cadence.AUTHENTIC, Cadence.PLAGAL):
            last = [e for e in moves if e.start < plan.bar_start(section.end_bar)][-1]
            assert last.start % plan.bar_ticks == 0, (section.name, last.chord.symbol)


def test_jazz_changes_twice_a_bar_somewhere_and_folk_once() -> None:
    for plan, events in pieces(("a jazz tune in F", "a bossa nova in F", "a chorale in G")):
        moves = changes(events)
        assert sum(e.start % plan.bar_ticks != 0 for e in moves) >= plan.bars // 4
    for plan, events in pieces(("a folk song in G", "a pop song in C", "a rock song in E")):
        assert all(e.start % plan.bar_ticks == 0 for e in events)


def test_ambient_chords_last_two_bars() -> None:
    for plan, events in pieces(("a calm ambient piece in D dorian",
                                "a dreamy ambient piece in C major")):
        moves = changes(events)
        lasting = [after.start - before.start for before, after in
                   itertools.pairwise(moves)]
        two_bars = sum(length >= 2 * plan.bar_ticks for length in lasting)
        assert two_bars >= 0.6 * len(lasting), lasting
        for section in plan.sections:
            for event in moves:
                bar = event.start // plan.bar_ticks + 1
                if section.start_bar <= bar < section.end_bar - 2:
                    assert (bar - section.start_bar) % 2 == 0, (section.name, bar)
