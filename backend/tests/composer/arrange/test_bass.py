"""The bass: roots at the changes, roots or fifths on strong beats, and the walking line's
approach by step; over composed harmony, each chord's own bass note (root, inversion,
tritone substitute, pedal)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from ariaforge.composer.arrange import register_for
from ariaforge.composer.arrange.timing import beat_grid
from ariaforge.composer.brief import parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.plan import plan_form
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ, Role
from ariaforge.music.theory.scales import tonic_pc
from tests.composer.arrange.material import BASS, JAZZ, arrange, make_harmony, make_plan


@pytest.mark.parametrize("style", [s for s in Style if s not in (Style.JAZZ, Style.SWING)])
def test_bass_plays_roots_at_changes_and_roots_or_fifths_on_strong_beats(style: Style) -> None:
    for meter in ("4/4", "3/4", "6/8"):
        plan = make_plan(style, meter)
        harmony = make_harmony(plan, per_bar=2 if meter == "4/4" else 1)
        notes = arrange(plan, harmony, BASS)
        low, high = register_for(BASS, Role.BASS)
        assert all(low <= n.pitch <= high for n in notes)
        starts = {n.start: n for n in notes}
        strong = [plan.bar_start(bar) + beat.offset for bar in range(1, plan.bars + 1)
                  for beat in beat_grid(plan.meter) if beat.strong]
        for event in harmony:
            if event.start in starts:
                assert starts[event.start].pitch % 12 == event.chord.bass_pc
        for tick in strong:
            event = next(e for e in harmony if e.start <= tick < e.end)
            if tick in starts:
                tones = event.chord.tone_pitch_classes
                allowed = {event.chord.bass_pc, tones[2], (tones[0] + 12) % 12}
                if style is Style.BLUES:
                    allowed |= set(tones)  # the boogie walks up the chord
                assert starts[tick].pitch % 12 in allowed, (style, meter, tick)


def test_walking_bass_approaches_each_chord_by_step() -> None:
    for style in (Style.JAZZ, Style.SWING):
        plan = make_plan(style)
        plan = replace(plan, bar_energy=tuple(0.9 for _ in plan.bar_energy))
        harmony = make_harmony(plan, JAZZ)
        notes = sorted(arrange(plan, harmony, BASS), key=lambda n: n.start)
        quarters = [n for n in notes if n.start % PPQ == 0]
        assert len(quarters) >= plan.bars * 3  # a note on (nearly) every beat
        changes = {e.start: e for e in harmony}
        approached = 0
        for before, after in itertools.pairwise(notes):
            if after.start in changes and after.start < plan.bar_start(plan.bars):
                assert after.pitch % 12 == changes[after.start].chord.bass_pc
                assert abs(after.pitch - before.pitch) <= 2, (before, after)
                approached += 1
        assert approached >= plan.bars - 2


COMPOSED = ("a jazz tune in F", "a swing tune in Bb", "a bossa nova in D minor",
            "a happy pop song in C major", "an energetic rock song in E minor",
            "a chorale in G", "a classical piece in C minor", "a folk song in D mixolydian",
            "lo-fi in Eb", "an EDM track in A minor", "house music in C minor",
            "a waltz in F", "a calm ambient piece in D dorian",
            "a dark ambient piece in E phrygian", "a blues in E")


@pytest.mark.parametrize("text", COMPOSED)
def test_bass_plays_each_composed_chords_bass_note_at_its_onset(text: str) -> None:
    """The chord symbol, not a guess, decides the bass: the root, an inversion's bass
    (G/B), a tritone substitute's own root (Db7), or the pedal under a slash chord."""
    for seed in (0, 1):
        plan = plan_form(parse_brief(f"{text} for piano, bass and drums", seed=seed))
        harmony = compose_harmony(plan)
        notes = arrange(plan, harmony, BASS)
        starts = {n.start: n for n in notes}
        onsets = [e for i, e in enumerate(harmony) if i == 0 or e.chord != harmony[i - 1].chord]
        played = [e for e in onsets if e.start in starts]
        assert len(played) >= 0.7 * len(onsets), (text, len(played), len(onsets))
        for event in played:
            assert starts[event.start].pitch % 12 == event.chord.bass_pc, \
                (text, event.chord.symbol)


def test_ambient_bass_holds_the_tonic_pedal_under_slash_chords() -> None:
    pedalled = 0
    for text in ("a calm ambient piece in D dorian", "a dreamy ambient piece in F lydian",
                 "an ambient piece in C major"):
        for seed in (0, 1):
            plan = plan_form(parse_brief(f"{text} for pad, bass", seed=seed))
            harmony = compose_harmony(plan)
            tonic = tonic_pc(plan.key)
            notes = arrange(plan, harmony, BASS)
            for event in harmony:
                if event.chord.bass_pc in event.chord.tone_pitch_classes:
                    continue
                pedalled += 1
                assert event.chord.bass_pc == tonic, event.chord.symbol
                under = [n for n in notes if event.start <= n.start < event.end]
                assert all(n.pitch % 12 == tonic for n in under), event.chord.symbol
    assert pedalled >= 20


def test_walking_bass_over_composed_jazz_changes_lands_on_each_bass_note() -> None:
    for text in ("a jazz tune in F", "a swing tune in Bb"):
        plan = plan_form(parse_brief(f"{text} for piano, bass and drums", seed=3))
        plan = replace(plan, bar_energy=tuple(0.9 for _ in plan.bar_energy))
        harmony = compose_harmony(plan)
        notes = sorted(arrange(plan, harmony, BASS), key=lambda n: n.start)
        changes = {e.start: e for i, e in enumerate(harmony)
                   if i == 0 or e.chord != harmony[i - 1].chord}
        stepped = landed = 0
        for before, after in itertools.pairwise(notes):
            if after.start in changes and after.start < plan.bar_start(plan.bars):
                landed += 1
                assert after.pitch % 12 == changes[after.start].chord.bass_pc
                stepped += abs(after.pitch - before.pitch) <= 2
        assert landed >= plan.bars and stepped >= 0.9 * landed, (stepped, landed)
