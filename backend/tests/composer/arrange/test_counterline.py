"""The second melodic instrument on the notes: a countermelody that keeps moving (at least
a note a beat in active sections, more where the melody holds), consonant with the melody
on the beats, in contrary or oblique motion more than parallel, under the melody; and in
country, folk, pop and carols a harmony line a third or sixth under the tune."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from ariaforge.composer.arrange.countermelody import Tune
from ariaforge.composer.arrange.lines import HARMONY_LINE_STYLES, arrange_counterline
from ariaforge.composer.arrange.timing import Density, Harmony, beat_grid, density
from ariaforge.composer.brief import parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.melody import compose_melody
from ariaforge.composer.plan import ChordEvent, Plan, plan_form
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note

REGISTER = (55, 76)
COUNTER_BRIEFS = ("a jazz tune in D major, 24 bars, seed 4", "a classical piece in G minor, "
                  "24 bars, seed 2", "a waltz in F major, 24 bars, seed 7",
                  "a bossa nova in A minor, 24 bars, seed 3", "a reel in D major, 24 bars, seed 1")


@dataclass(frozen=True)
class Duet:
    plan: Plan
    harmony: list[ChordEvent]
    melody: list[Note]
    line: list[Note]


def duet(text: str, melody: list[Note] | None = None) -> Duet:
    plan = plan_form(parse_brief(text))
    harmony = compose_harmony(plan)
    tune = melody if melody is not None else compose_melody(plan, harmony, (64, 84))
    return Duet(plan, harmony, tune, arrange_counterline(plan, Harmony(harmony), tune,
                                                         REGISTER))


@pytest.fixture(scope="module")
def counters() -> list[Duet]:
    return [duet(text) for text in COUNTER_BRIEFS]


def _beats(plan: Plan) -> set[int]:
    return {plan.bar_start(bar) + b.offset for bar in range(1, plan.bars + 1)
            for b in beat_grid(plan.meter)}


def test_the_countermelody_moves_at_least_once_a_beat_in_active_sections(
        counters: list[Duet]) -> None:
    for piece in counters:
        assert piece.plan.style not in HARMONY_LINE_STYLES
        active = {bar for bar in range(1, piece.plan.bars + 1)
                  if density(piece.plan, bar) is not Density.SPARSE}
        beats = len(active) * len(beat_grid(piece.plan.meter))
        played = sum(1 for n in piece.line if piece.plan.bar_of(n.start) in active)
        assert beats and played / beats >= 1.0, piece.plan.style


def test_the_countermelody_is_consonant_on_the_beats_and_stays_under(
        counters: list[Duet]) -> None:
    sweet = total = 0
    for piece in counters:
        tune = Tune(piece.melody)
        beats = _beats(piece.plan)
        for note in piece.line:
            above = tune.at(note.start)
            assert above is None or note.pitch < above
            assert REGISTER[0] <= note.pitch <= REGISTER[1]
            if note.start in beats and above is not None:
                total += 1
                sweet += (above - note.pitch) % 12 in (3, 4, 8, 9, 0, 7)
    assert total > 300 and sweet / total >= 0.9


def _motions(melody: list[Note], line: list[Note]) -> dict[str, int]:
    tune = Tune(melody)
    kinds = {"contrary": 0, "parallel": 0, "oblique": 0}
    for before, after in itertools.pairwise(line):
        first, second = tune.at(before.start), tune.at(after.start)
        if first is None or second is None:
            continue
        moved, answered = second - first, after.pitch - before.pitch
        kinds["oblique" if moved == 0 or answered == 0 else
              "contrary" if moved * answered < 0 else "parallel"] += 1
    return kinds


def test_contrary_and_oblique_motion_outweigh_parallel(counters: list[Duet]) -> None:
    for piece in counters:
        kinds = _motions(piece.melody, piece.line)
        assert kinds["contrary"] + kinds["oblique"] > 2 * kinds["parallel"], kinds
        assert kinds["contrary"] > kinds["parallel"], kinds


def test_the_countermelody_moves_where_the_melody_holds() -> None:
    """Under a melody of whole bars, the line walks: well over a note a beat."""
    plan = plan_form(parse_brief("a jazz tune in C major, 8 bars, seed 5"))
    harmony = compose_harmony(plan)
    held = [Note(pitch=76 + (bar % 3), start=plan.bar_start(bar), duration=plan.bar_ticks)
            for bar in range(1, plan.bars + 1)]
    piece = duet("a jazz tune in C major, 8 bars, seed 5", held)
    assert piece.harmony == harmony
    active = [bar for bar in range(1, plan.bars) if density(plan, bar) is not Density.SPARSE]
    played = sum(1 for n in piece.line if plan.bar_of(n.start) in active)
    assert active and played / (len(active) * len(beat_grid(plan.meter))) >= 1.5


@pytest.mark.parametrize("style", sorted(HARMONY_LINE_STYLES))
def test_duet_styles_harmonise_a_third_or_sixth_under(style: Style) -> None:
    piece = duet(f"a {style.value} song in G major, 16 bars, seed 3")
    tune = Tune(piece.melody)
    starts = {n.start for n in piece.melody}
    sweet = 0
    for note in piece.line:
        above = tune.at(note.start)
        assert above is not None and note.pitch < above and note.start in starts
        sweet += (above - note.pitch) in (3, 4, 8, 9)
    assert len(piece.line) >= 0.9 * len(piece.melody)
    assert sweet >= 0.8 * len(piece.line)
    beats = {piece.plan.bar_start(bar) for bar in range(1, piece.plan.bars + 1)}
    harmony = Harmony(piece.harmony)
    for note in piece.line:
        event = harmony.at(note.start)
        if note.start in beats and event is not None:
            assert note.pitch % 12 in event.chord.pitch_classes


@pytest.mark.parametrize("style", ["jazz", "country"])
def test_a_line_registered_over_a_low_tune_sings_above_it(style: str) -> None:
    """A flute over a cello's tune: a descant (jazz) or a high harmony (country)."""
    plan = plan_form(parse_brief(f"a {style} tune in G major, 16 bars, seed 2"))
    harmony = compose_harmony(plan)
    low_tune = compose_melody(plan, harmony, (45, 62))
    line = arrange_counterline(plan, Harmony(harmony), low_tune, (62, 86))
    tune = Tune(low_tune)
    heard = [(tune.at(n.start), n.pitch) for n in line]
    over = sum(1 for below, pitch in heard if below is not None and pitch > below)
    assert len(line) >= 0.5 * len(low_tune)
    assert over >= 0.95 * sum(1 for below, _ in heard if below is not None)
