"""The melody step: exact bar arithmetic, register, scale, chord tones on strong beats,
cadences, determinism, repeated phrases, and the resample / vary entry points."""

from __future__ import annotations

import itertools
import random

import pytest

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.melody import compose_melody, resample_melody_bars, vary_melody
from ariaforge.composer.melody.rhythm_cells import uses_triplets
from ariaforge.composer.model.tokens import GRID
from ariaforge.composer.plan import ChordEvent, Plan, plan_form
from ariaforge.composer.vocabulary import STYLE_PROFILES
from ariaforge.music.score import PPQ, ChordSymbol, Note, Role, Score, Track
from ariaforge.music.theory.scales import functional_pitch_classes, tonic_pc
from ariaforge.music.validation import Severity, validate
from tests.composer.plans import random_plans

REGISTER = (60, 84)
TRIPLET_GRID = PPQ // 12  # where both sixteenths and eighth-note triplets fall (trap)



def compose(text: str) -> tuple[Plan, list[ChordEvent], list[Note]]:
    plan = plan_form(parse_brief(text))
    harmony = compose_harmony(plan)
    return plan, harmony, compose_melody(plan, harmony, REGISTER)


def shape(notes: list[Note]) -> list[tuple[int, int, int]]:
    return [(n.pitch, n.start, n.duration) for n in notes]


def chord_at(harmony: list[ChordEvent], tick: int) -> ChordEvent:
    return next(e for e in harmony if e.start <= tick < e.end)


PLANS = random_plans(50, seed=21, modes=("major", "minor", "dorian", "mixolydian", "aeolian"),
                     lengths=(8, 12, 16, 32))


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: f"{p.style}-{p.meter}-{p.key.mode}")
def test_bar_arithmetic_register_and_validation(plan: Plan) -> None:
    harmony = compose_harmony(plan)
    notes = compose_melody(plan, harmony, REGISTER)
    assert notes
    for before, after in itertools.pairwise(notes):
        assert before.end <= after.start  # one line, no overlaps
    for note in notes:
        if not plan.swing:  # swung off-beats sit between the sixteenths
            grid = TRIPLET_GRID if uses_triplets(plan.style) else GRID
            assert note.start % grid == 0 and note.duration % grid == 0
        assert REGISTER[0] <= note.pitch <= REGISTER[1]
        bar_end = (note.start // plan.bar_ticks + 1) * plan.bar_ticks
        assert note.end <= bar_end  # never across a bar line, so never past the end
    assert notes[-1].end == plan.total_ticks
    assert notes[-1].pitch % 12 == tonic_pc(plan.key)
    score = Score(tempo=plan.tempo, key=plan.key, meter=plan.meter, bars=plan.bars,
                  chord_symbols=[ChordSymbol(tick=e.start, symbol=e.chord.symbol)
                                 for e in harmony],
                  tracks=[Track(name="Melody", role=Role.MELODY, program=73, notes=notes)])
    report = validate(score, STYLE_PROFILES[plan.style].validation_style)
    assert report.counts[Severity.ERROR] == 0, report.violations[:3]


def test_mostly_in_scale_with_chord_tones_on_strong_beats() -> None:
    in_scale = total = 0
    ours = baseline = strong = 0
    rng = random.Random(0)
    for plan in PLANS[:25]:
        harmony = compose_harmony(plan)
        notes = compose_melody(plan, harmony, REGISTER)
        scale = functional_pitch_classes(plan.key)
        pool = [p for p in range(REGISTER[0], REGISTER[1] + 1) if p % 12 in scale]
        for note in notes:
            total += 1
            in_scale += note.pitch % 12 in scale
            if note.start % plan.bar_ticks == 0:
                chord = chord_at(harmony, note.start).chord.pitch_classes
                strong += 1
                ours += note.pitch % 12 in chord
                baseline += rng.choice(pool) % 12 in chord
    assert in_scale / total >= 0.93
    assert ours / strong >= baseline / strong + 0.25


def test_last_note_is_a_long_tonic() -> None:
    plan, _, notes = compose("folk song in G major, 16 bars, seed 3")
    assert notes[-1].pitch % 12 == 7
    assert notes[-1].duration >= plan.bar_ticks // 2


def test_half_cadence_ends_on_a_dominant_chord_tone() -> None:
    plan, harmony, notes = compose("pop song in C major, verse chorus, 32 bars, seed 8")
    for section in plan.sections:
        if section.cadence.value == "half":
            # the cadence's long note (a pickup into the next phrase may follow it)
            last_bar = [n for n in notes if plan.bar_start(section.end_bar - 1) <= n.start
                        < plan.bar_start(section.end_bar)]
            last = max(last_bar, key=lambda n: (n.duration, n.start))
            assert last.pitch % 12 in chord_at(harmony, last.start).chord.pitch_classes
            assert (chord_at(harmony, last.start).chord.root_pc - 0) % 12 == 7


def test_same_seed_same_notes_different_seed_different_notes() -> None:
    _, _, first = compose("jig in D major, 32 bars, seed 5")
    _, _, again = compose("jig in D major, 32 bars, seed 5")
    _, _, other = compose("jig in D major, 32 bars, seed 6")
    assert shape(first) == shape(again)
    assert [n.id for n in first] == [n.id for n in again]
    assert shape(first) != shape(other)


def test_repeated_phrase_shares_its_rhythm() -> None:
    plan, _, notes = compose("jazz standard in Bb, AABA, 32 bars, seed 12")
    a_sections = [s for s in plan.sections if s.phrase == "A"]
    assert len(a_sections) >= 2

    def rhythm(section_start: int, bars: int) -> list[tuple[int, int]]:
        start, end = plan.bar_start(section_start), plan.bar_start(section_start + bars - 1)
        return [(n.start - start, n.duration) for n in notes if start <= n.start < end]

    first = rhythm(a_sections[0].start_bar, a_sections[0].bars)
    second = rhythm(a_sections[1].start_bar, a_sections[1].bars)
    assert first == second


def test_resample_changes_only_the_requested_bars() -> None:
    plan, harmony, notes = compose("folk song in D major, 16 bars, seed 4")
    bars = {3, 4, 9}
    fresh = resample_melody_bars(plan, harmony, notes, bars, REGISTER, attempt=1)
    other = resample_melody_bars(plan, harmony, notes, bars, REGISTER, attempt=2)

    def outside(ns: list[Note]) -> list[tuple[int, int, int]]:
        return [s for s in shape(ns) if s[1] // plan.bar_ticks + 1 not in bars]

    def inside(ns: list[Note]) -> list[tuple[int, int, int]]:
        return [s for s in shape(ns) if s[1] // plan.bar_ticks + 1 in bars]

    assert outside(fresh) == outside(notes)
    assert inside(fresh) != inside(notes)
    assert inside(fresh) != inside(other)
    for bar in bars:  # every requested bar is filled to its end
        in_bar = [n for n in fresh if n.start // plan.bar_ticks + 1 == bar]
        assert in_bar and in_bar[-1].end == plan.bar_start(bar + 1)
    for before, after in itertools.pairwise(fresh):
        assert before.end <= after.start


def test_resample_continues_past_the_existing_notes() -> None:
    plan, harmony, notes = compose("folk song in D major, 16 bars, seed 4")
    first_half = [n for n in notes if n.start < plan.bar_start(9)]
    continued = resample_melody_bars(plan, harmony, first_half, range(9, 17), REGISTER, 0)
    assert shape(continued[:len(first_half)]) == shape(first_half)
    assert continued[-1].end == plan.total_ticks
    assert all(REGISTER[0] <= n.pitch <= REGISTER[1] for n in continued)


def test_vary_keeps_rhythm_and_changes_about_the_amount() -> None:
    plan, harmony, notes = compose("classical piece in F major, 16 bars, seed 2")
    bars = set(range(1, 9))
    varied = vary_melody(plan, harmony, notes, bars, REGISTER, amount=0.3)
    assert [(n.start, n.duration) for n in varied] == [(n.start, n.duration) for n in notes]
    in_bars = [i for i, n in enumerate(notes) if n.start // plan.bar_ticks + 1 in bars]
    changed = [i for i in range(len(notes)) if varied[i].pitch != notes[i].pitch]
    assert set(changed) <= set(in_bars)
    assert 0.1 * len(in_bars) <= len(changed) <= 0.45 * len(in_bars)
    assert all(REGISTER[0] <= n.pitch <= REGISTER[1] for n in varied)
    assert all(abs(a.pitch - b.pitch) <= 4 for a, b in zip(varied, notes, strict=True))
