"""The drums: percussion keys, fills at section ends, swing, four on the floor."""

from __future__ import annotations

from collections import Counter

import pytest

from ariaforge.composer.plan import Plan
from ariaforge.composer.styles import CRASH, KICK
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ, Note
from tests.composer.arrange.material import DRUMS, arrange, bar_of, make_harmony, make_plan


@pytest.mark.parametrize("style", list(Style))
def test_drums_use_percussion_keys_and_fill_section_ends(style: Style) -> None:
    plan = make_plan(style)
    notes = arrange(plan, make_harmony(plan), DRUMS)
    assert all(35 <= n.pitch <= 81 for n in notes)
    per_bar: dict[int, Counter[int]] = {}
    for note in notes:
        per_bar.setdefault(bar_of(plan, note.start), Counter())[note.pitch] += 1
    for section in plan.sections[:-1]:
        last, before = section.end_bar - 1, section.end_bar - 2
        if section.bars < 2:
            continue
        fill, groove = per_bar.get(last, Counter()), per_bar.get(before, Counter())
        new_keys = set(fill) - set(groove) - {CRASH}
        assert new_keys or sum(fill.values()) > sum(groove.values()), (style, section.name)
    final = [n for n in notes if bar_of(plan, n.start) == plan.bars]
    assert {n.pitch for n in final} == {CRASH, KICK}


def offbeats(notes: list[Note], plan: Plan) -> Counter[int]:
    return Counter(n.start % PPQ for n in notes if n.start % PPQ)


def test_swing_delays_offbeats_in_swung_styles_only() -> None:
    for style in (Style.JAZZ, Style.SWING, Style.BLUES):
        plan = make_plan(style)
        assert plan.swing
        positions = offbeats(arrange(plan, make_harmony(plan), DRUMS), plan)
        assert positions[320] > 0 and positions[240] == 0, style
    lofi = make_plan(Style.LOFI_HIP_HOP)
    positions = offbeats(arrange(lofi, make_harmony(lofi), DRUMS), lofi)
    assert positions[288] > 0 and positions[240] == 0
    for style in (Style.ROCK, Style.POP, Style.HOUSE, Style.BOSSA_NOVA):
        plan = make_plan(style)
        assert not plan.swing
        positions = offbeats(arrange(plan, make_harmony(plan), DRUMS), plan)
        assert positions[240] > 0 and positions[320] == 0, style


@pytest.mark.parametrize("style", [Style.HOUSE, Style.EDM])
def test_four_on_the_floor_in_the_drops(style: Style) -> None:
    plan = make_plan(style)
    notes = arrange(plan, make_harmony(plan), DRUMS)
    kicks = {n.start for n in notes if n.pitch == KICK}
    drops = [s for s in plan.sections if s.name == "drop"]
    assert drops
    for section in drops:
        for bar in range(section.start_bar, section.end_bar):
            for beat in range(4):
                assert plan.bar_start(bar) + beat * PPQ in kicks, (section.name, bar, beat)
