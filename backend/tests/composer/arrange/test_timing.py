"""Bar arithmetic: every track fits its bars in every metre, and the beat grid groups
irregular metres."""

from __future__ import annotations

import itertools

import pytest

from ariaforge.composer.arrange.timing import beat_grid
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Meter
from tests.composer.arrange.material import ACCOMPANIMENT, METERS, arrange, make_harmony, make_plan


@pytest.mark.parametrize("style", list(Style))
def test_bar_arithmetic_in_every_meter(style: Style) -> None:
    for meter in METERS:
        plan = make_plan(style, meter)
        harmony = make_harmony(plan)
        for instrument in ACCOMPANIMENT:
            notes = arrange(plan, harmony, instrument)
            assert notes, f"{style} {meter} {instrument.name}: no notes"
            # Positions in ticks of the score: every note lies inside the piece.
            assert all(0 <= n.start < n.end <= plan.total_ticks for n in notes)
            by_pitch = sorted(notes, key=lambda n: (n.pitch, n.start))
            for before, after in itertools.pairwise(by_pitch):
                assert before.pitch != after.pitch or before.end <= after.start


def test_beat_grid_groups_every_meter() -> None:
    assert [b.length for b in beat_grid(Meter.parse("7/8"))] == [480, 480, 720]
    assert [b.length for b in beat_grid(Meter.parse("6/8"))] == [720, 720]
    assert [b.strong for b in beat_grid(Meter.parse("4/4"))] == [True, False, True, False]
    for meter in METERS:
        parsed = Meter.parse(meter)
        assert sum(b.length for b in beat_grid(parsed)) == parsed.ticks_per_bar
