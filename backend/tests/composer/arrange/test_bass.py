"""The bass: roots at the changes, roots or fifths on strong beats, and the walking line's
approach by step."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from ariaforge.composer.arrange import register_for
from ariaforge.composer.arrange.timing import beat_grid
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ, Role
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
