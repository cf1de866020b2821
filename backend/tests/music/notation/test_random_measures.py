"""Seeded random scores (odd meters, meter changes, notes off every grid, overlaps,
drums) still export measures that add up by music21's count."""

from __future__ import annotations

import random

import pytest

from ariaforge.music.interchange import write_musicxml
from tests.music.notation.measures import measures_add_up, parse
from tests.music.test_random_scores import random_score


@pytest.mark.parametrize("seed", range(60))
def test_random_scores_export_measures_that_add_up(seed: int) -> None:
    score = random_score(random.Random(seed))
    tally = measures_add_up(parse(write_musicxml(score)), f"seed {seed}")
    assert tally.good >= score.bars
    assert tally.bad == []
