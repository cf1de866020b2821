"""Operations on a composed score go through the same machinery as a new piece, so what
they write has the same properties: regenerate, variation and continue keep strong-beat
non-chord tones resolved, the comping on its chord symbols and the melody at the comping's
swing in the bars they write; reharmonize puts chords under the kept melody that match
their comping and leave no strong-beat non-chord tone unresolved; restyle to a swung style
swings the kept melody and keeps a mode audible. (tests/composer/test_graph.py covers
refusals and that a variation keeps the rhythm.)"""

from __future__ import annotations

from functools import cache

import pytest

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import Composition, compose
from ariaforge.music.score import Mode, Score
from tests.composer.musicality import checks

JAZZ = "a jazz tune in F for piano, electric piano, bass and drums"
MODAL_FOLK = "a folk song in D mixolydian for piano, electric piano, bass and drums"


@cache
def composed(prompt: str, seed: int) -> Composition:
    return compose(ComposeRequest(prompt=prompt, seed=seed, bars=32))


def operate(base: Composition, **request: object) -> Score:
    return compose(ComposeRequest.model_validate({"prompt": "", **request}), base=base.score,
                   previous_brief=base.brief).score


def melody_pitches(score: Score, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    stop = score.end_tick if end is None else end
    return [(n.pitch, n.start) for n in checks.melody_line(score) if start <= n.start < stop]


def in_span(findings: list[str], score: Score, start: int, end: int) -> list[str]:
    """Findings whose bar lies in [start, end) (they begin 'bar N beat ...'), and those
    about the whole score."""
    first, last = score.bar_of(start), score.bar_of(end - 1)
    return [f for f in findings
            if not f.startswith("bar ") or first <= int(f.split()[1]) <= last]


def swing_faults(score: Score, start: int, end: int) -> list[str]:
    ratio = checks.comping_swing(score)
    if ratio is None:
        return ["no swung off-beat in the comping or the drums"]
    return in_span(checks.melody_off_the_swing(score, ratio), score, start, end)


def section_span(score: Score, index: int) -> tuple[int, int]:
    section = score.sections[index]
    return score.bar_start(section.start_bar), score.bar_start(section.end_bar)


def faults_in(score: Score, start: int, end: int, swung: bool) -> str:
    """'' when the bars in [start, end) have the properties, else the first few faults of
    each kind, one a line."""
    found = {
        "unresolved strong-beat non-chord tones":
            checks.unresolved_strong_ncts(score, start, end),
        "comping off its chord symbols":
            in_span(checks.comping_off_the_symbols(score), score, start, end)}
    if swung:
        found["melody off the comping's swing"] = swing_faults(score, start, end)
    return "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines[:4])


@pytest.mark.parametrize(("operation", "section"), [("regenerate", 2), ("variation", 1)])
def test_a_rewritten_section_has_the_properties(operation: str, section: int) -> None:
    base = composed(JAZZ, 3)
    score = operate(base, operation=operation, section=section)
    start, end = section_span(score, section)
    assert melody_pitches(score, start, end) != melody_pitches(base.score, start, end)
    faults = faults_in(score, start, end, swung=True)
    assert not faults, faults


def test_a_continuation_has_the_properties() -> None:
    base = composed(JAZZ, 3)
    score = operate(base, operation="continue", extra_bars=8)
    assert score.bars == base.score.bars + 8
    start = base.score.end_tick
    assert melody_pitches(score, start)  # the new bars have a melody
    faults = faults_in(score, start, score.end_tick, swung=True)
    assert not faults, faults


def test_a_reharmonized_piece_has_the_properties() -> None:
    base = composed(JAZZ, 3)
    score = operate(base, operation="reharmonize")
    assert melody_pitches(score) == melody_pitches(base.score)
    assert [c.symbol for c in score.chord_symbols] != [c.symbol for c in base.score.chord_symbols]
    faults = faults_in(score, 0, score.end_tick, swung=True)
    assert not faults, faults


def test_a_restyled_piece_swings_its_kept_melody_and_keeps_its_mode() -> None:
    base = composed(MODAL_FOLK, 1)
    assert not base.brief.swing
    score = operate(base, operation="restyle", style="swing")
    assert [p for p, _ in melody_pitches(score)] == [p for p, _ in melody_pitches(base.score)]
    assert score.key.mode is Mode.MIXOLYDIAN
    own, rival = checks.CHARACTERISTIC[Mode.MIXOLYDIAN]
    heard = checks.degree_weight(score.pitched_notes(), "D", own)
    instead = checks.degree_weight(score.pitched_notes(), "D", rival)
    faults = faults_in(score, 0, score.end_tick, swung=True)
    if heard <= instead:
        faults += f"\nmode: C {heard} ticks, C# {instead} ticks: D mixolydian is not heard"
    assert not faults, faults
