"""Alignment: the share of the query's motion found in order in the match."""

from __future__ import annotations

import pytest

from ariaforge.music.similarity import Window, align, align_harmony, chord_windows
from ariaforge.music.similarity.variants import mutate, retime, transpose

# Sixteen notes of a reel-like line (quavers at ppq 480) and an unrelated hymn-like one.
REEL = [(p, i * 240, 240) for i, p in enumerate(
    (67, 71, 74, 71, 72, 76, 74, 72, 71, 74, 79, 74, 72, 69, 66, 62))]
HYMN = [(p, i * 960, 960) for i, p in enumerate(
    (60, 60, 62, 64, 64, 62, 60, 59, 57, 57, 59, 60, 60, 59, 59, 60))]


def test_a_transposed_retimed_copy_scores_one_with_its_transposition() -> None:
    copy = retime(transpose(REEL, 5), 2.0)
    found = align(REEL, copy)
    assert found.score == pytest.approx(1.0)
    assert found.transposition == -5  # match -> query
    assert found.pairs == [(i, i) for i in range(len(REEL))]


def test_transposition_is_folded_into_minus_six_to_five() -> None:
    assert align(REEL, transpose(REEL, -7)).transposition == -5
    assert align(REEL, transpose(REEL, 6)).transposition == -6


def test_substituted_notes_cost_only_themselves() -> None:
    changed = mutate(REEL, 0.125, seed=3)  # 2 of 16 notes
    found = align(REEL, changed)
    assert 0.75 < found.score < 1.0
    changed_indexes = {i for i, (a, b) in enumerate(zip(REEL, changed, strict=True))
                       if a != b}
    assert len(changed_indexes) == 2
    paired = {q for q, _ in found.pairs}
    assert paired == set(range(len(REEL))) - changed_indexes


def test_a_copy_inside_a_longer_match_is_found_in_order() -> None:
    padding = [(60 + (i * 5) % 11, i * 240, 240) for i in range(12)]
    longer = padding + [(p, s + 12 * 240, d) for p, s, d in REEL]
    found = align(REEL, longer)
    assert found.score == pytest.approx(1.0)
    assert found.pairs[0] == (0, 12)
    assert [q for q, _ in found.pairs] == sorted(q for q, _ in found.pairs)


def test_unrelated_lines_score_low_and_order_matters() -> None:
    assert align(REEL, HYMN).score < 0.5
    reversed_reel = [(p, s, d) for (p, _, _), (_, s, d) in zip(reversed(REEL), REEL,
                                                                strict=True)]
    assert align(REEL, reversed_reel).score < 0.6


def test_a_short_query_cannot_reach_full_score() -> None:
    assert align(REEL[:5], REEL).score < 0.7
    assert align(REEL[:8], REEL).score == pytest.approx(1.0)


def test_empty_input_scores_zero() -> None:
    assert align([], REEL).score == 0.0
    assert align(REEL, []).score == 0.0


def test_harmony_alignment_is_transposition_invariant() -> None:
    assert align_harmony(["C", "Am", "F", "G7", "C"], ["D", "Bm", "G", "A7", "D"]) == 1.0
    assert align_harmony(["C", "Am", "F", "G7"], ["C", "E7", "Am", "Dm"]) < 0.5


def test_harmony_alignment_takes_windows() -> None:
    windows = chord_windows([(0, "Am"), (1920, "Dm"), (3840, "E7"), (5760, "Am")], 1920, 9,
                            bars=(4,))
    assert len(windows) == 1 and isinstance(windows[0], Window)
    assert windows[0].labels == ["Am", "Dm", "E7", "Am"]
    assert align_harmony(windows[0], ["Em", "Am", "B7", "Em"]) == 1.0
