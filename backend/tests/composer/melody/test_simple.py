"""A brief that asks for something simple ("a simple exercise", "for beginners") gets a
melody a learner can manage: a sixth at most, mostly steps, and no more notes
than the same brief's ordinary melody."""

from __future__ import annotations

import itertools

import pytest

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.run import compose
from ariaforge.music.score import Note, Role, Score


def melody(score: Score) -> list[Note]:
    return next(t.notes for t in score.tracks if t.role is Role.MELODY)


@pytest.mark.parametrize(("text", "simple"), [
    ("a simple exercise in C major for piano", True),
    ("a folk tune in G for beginners", True),
    ("a waltz for a beginner's first lesson", True),
    ("a folk tune in G", False),
    ("a pop song in A, not too simple", False),
])
def test_the_brief_reads_whether_to_keep_it_simple(text: str, simple: bool) -> None:
    brief = parse_brief(text)
    assert brief.simple is simple
    assert ("simple" in brief.understood) is simple


@pytest.mark.parametrize("style", ["folk tune in G", "pop song in A", "waltz in F",
                                   "jazz tune in Bb", "chorale in D minor"])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_simple_melody_stays_small_and_stepwise(style: str, seed: int) -> None:
    plain = melody(compose(f"a {style}, 16 bars, seed {seed}").score)
    simple = melody(compose(f"a simple {style} for beginners, 16 bars, seed {seed}").score)
    pitches = [n.pitch for n in simple]
    assert max(pitches) - min(pitches) <= 9
    moves = moves_of(simple)
    assert sum(abs(m) <= 2 for m in moves) >= 0.55 * len(moves)
    assert len(simple) <= len(plain) * 1.1
    assert max(p.pitch for p in plain) - min(p.pitch for p in plain) > 9


def moves_of(notes: list[Note]) -> list[int]:
    return [b.pitch - a.pitch for a, b in itertools.pairwise(notes) if b.pitch != a.pitch]
