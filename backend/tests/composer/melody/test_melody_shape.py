"""The melody's musical shape, checked on the notes: a motif restated in the first
phrase, strong-beat non-chord tones resolved by step, leaps recovered, a bounded span, the
mode's own degree heard, seeds giving different motifs."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.melody import compose_melody, resample_melody_bars
from ariaforge.composer.plan import ChordEvent, Plan, plan_form
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note
from ariaforge.music.theory.scales import tonic_pc
from tests.composer.plans import random_plans

REGISTER = (60, 84)
PLANS = random_plans(34, seed=5, lengths=(8, 16, 32))
COMPOSED = [(plan, harmony, compose_melody(plan, harmony, REGISTER))
            for plan in PLANS for harmony in [compose_harmony(plan)]]


def chord_at(harmony: list[ChordEvent], tick: int) -> frozenset[int]:
    return next(e for e in harmony if e.start <= tick < e.end).chord.pitch_classes


def strong(plan: Plan, tick: int) -> bool:
    position, beats = tick % plan.bar_ticks, plan.bar_ticks // plan.beat_ticks
    return position == 0 or (beats % 2 == 0 and plan.bar_ticks >= 1440
                             and 2 * position == plan.bar_ticks)


def bars_of(plan: Plan, notes: list[Note]) -> dict[int, list[Note]]:
    bars: dict[int, list[Note]] = {}
    for note in notes:
        bars.setdefault(note.start // plan.bar_ticks, []).append(note)
    return bars


def restates(plan: Plan, later: list[Note], earlier: list[Note]) -> bool:
    """Same onsets in the bar, every interval within a semitone (a repeat or sequence)."""
    def onsets(bar: list[Note]) -> list[int]:
        return [n.start % plan.bar_ticks for n in bar]

    def moves(bar: list[Note]) -> list[int]:
        return [b.pitch - a.pitch for a, b in itertools.pairwise(bar)]

    return len(later) >= 2 and onsets(later) == onsets(earlier) and all(
        abs(a - b) <= 1 for a, b in zip(moves(later), moves(earlier), strict=True))


def test_first_phrase_restates_its_motif() -> None:
    hits = 0
    for plan, _, notes in COMPOSED:
        bars = bars_of(plan, notes)
        phrase = [bars.get(i, []) for i in range(min(8, plan.bars))]
        hits += any(restates(plan, phrase[i], phrase[j])
                    for i in range(1, len(phrase)) for j in range(i))
    assert hits >= 0.85 * len(COMPOSED)


def test_every_strong_beat_non_chord_tone_resolves_by_step() -> None:
    judged = 0
    for plan, harmony, notes in COMPOSED:
        for index, note in enumerate(notes):
            if not strong(plan, note.start) or note.pitch % 12 in chord_at(harmony, note.start):
                continue
            judged += 1
            assert index + 1 < len(notes), "the piece ends on a non-chord tone"
            following = notes[index + 1]
            assert 1 <= abs(following.pitch - note.pitch) <= 2, (plan.style, note)
            assert following.pitch % 12 in chord_at(harmony, following.start)
    assert judged > 0  # the line does use appoggiaturas and suspensions


def test_strong_beats_mostly_but_not_only_chord_tones() -> None:
    tones = [note.pitch % 12 in chord_at(harmony, note.start)
             for plan, harmony, notes in COMPOSED for note in notes if strong(plan, note.start)]
    assert 0.7 <= sum(tones) / len(tones) <= 0.97


def test_leaps_are_recovered_by_step_the_other_way() -> None:
    leaps = recovered = 0
    for plan, _, notes in COMPOSED:
        for a, b, c in zip(notes, notes[1:], notes[2:], strict=False):
            leap, after = b.pitch - a.pitch, c.pitch - b.pitch
            if abs(leap) <= 5 or c.start - b.end >= plan.beat_ticks:
                continue
            leaps += 1
            recovered += 1 <= abs(after) <= 2 and after * leap < 0
    assert leaps > 0
    assert recovered >= 0.8 * leaps


def test_mostly_steps_and_a_bounded_span() -> None:
    moves = [b.pitch - a.pitch for _, _, notes in COMPOSED
             for a, b in itertools.pairwise(notes) if a.pitch != b.pitch]
    assert sum(abs(m) <= 2 for m in moves) / len(moves) >= 0.6
    for plan, _, notes in COMPOSED:
        pitches = [n.pitch for n in notes]
        # fiddle tunes roam wider than a singer; a vocal-like line stays near an octave
        fiddle = plan.style in (Style.FOLK, Style.REEL, Style.JIG)
        vocal = plan.style in (Style.CHORALE, Style.POP, Style.AMBIENT, Style.LOFI_HIP_HOP)
        limit = 18 if fiddle else 15 if vocal else 16
        assert max(pitches) - min(pitches) <= limit, plan.style


@pytest.mark.parametrize(("mode", "colour", "rival"), [
    ("dorian", 9, 8), ("phrygian", 1, 2), ("lydian", 6, 5), ("mixolydian", 10, 11)])
def test_the_modes_own_degree_outweighs_its_rival(mode: str, colour: int, rival: int) -> None:
    heard: Counter[int] = Counter()
    for style, seed in itertools.product(("folk song", "ambient piece", "pop song"), (0, 1)):
        plan = plan_form(parse_brief(f"a {style} in E {mode}, 16 bars, seed {seed}"))
        for note in compose_melody(plan, compose_harmony(plan), REGISTER):
            heard[(note.pitch - tonic_pc(plan.key)) % 12] += 1
    assert heard[colour] > heard[rival]
    assert heard[colour] >= 6


def test_seeds_give_different_motifs() -> None:
    openings = set()
    for seed in range(4):
        plan = plan_form(parse_brief(f"a folk song in G major, 16 bars, seed {seed}"))
        notes = compose_melody(plan, compose_harmony(plan), REGISTER)
        first = [n for n in notes if n.start < plan.bar_ticks]
        openings.add(tuple((n.pitch, n.start, n.duration) for n in first))
    assert len(openings) >= 3


def test_regenerated_bars_keep_the_voice_leading_and_the_rest() -> None:
    plan = plan_form(parse_brief("a folk song in D major, 16 bars, seed 4"))
    harmony = compose_harmony(plan)
    notes = compose_melody(plan, harmony, REGISTER)
    bars = {2, 3, 6, 7}
    fresh = resample_melody_bars(plan, harmony, notes, bars, REGISTER, attempt=1)
    inside = [n for n in fresh if n.start // plan.bar_ticks + 1 in bars]
    outside = [n for n in fresh if n.start // plan.bar_ticks + 1 not in bars]
    assert [(n.pitch, n.start) for n in outside] == \
        [(n.pitch, n.start) for n in notes if n.start // plan.bar_ticks + 1 not in bars]
    assert inside
    for index, note in enumerate(fresh[:-1]):
        if note in inside and strong(plan, note.start) and \
                note.pitch % 12 not in chord_at(harmony, note.start):
            assert 1 <= abs(fresh[index + 1].pitch - note.pitch) <= 2
    pitches = [n.pitch for n in fresh]
    assert max(pitches) - min(pitches) <= 18  # the new bars keep to the tune's range
