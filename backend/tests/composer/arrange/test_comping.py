"""Comping: smooth voice leading under the melody, the waltz's beats, the final tonic,
and a chorale's inner voices."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from ariaforge.composer.brief import Instrument
from ariaforge.composer.plan import ChordEvent
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ, Role
from tests.composer.arrange.material import (
    BASS,
    JAZZ,
    PAD,
    PIANO,
    POP,
    arrange,
    bar_of,
    blocks,
    make_harmony,
    make_melody,
    make_plan,
)


def naive_motion(harmony: list[ChordEvent]) -> int:
    """Root-position triads and sevenths from C3: what no voice leading gives."""
    shapes = []
    for event in harmony:
        root = 48 + event.chord.root_pc
        shapes.append(sorted(root + (pc - event.chord.root_pc) % 12
                             for pc in event.chord.tone_pitch_classes))
    return sum(sum(abs(a - b) for a, b in zip(x, y, strict=False))
               for x, y in itertools.pairwise(shapes))


@pytest.mark.parametrize(("style", "progression"), [
    (Style.POP, POP), (Style.JAZZ, JAZZ), (Style.CHORALE, POP), (Style.AMBIENT, JAZZ),
    (Style.BOSSA_NOVA, JAZZ), (Style.WALTZ, POP), (Style.HOUSE, POP)])
def test_voicings_lead_smoothly_under_the_melody(style: Style,
                                                 progression: tuple[str, ...]) -> None:
    plan = make_plan(style)
    harmony = make_harmony(plan, progression)
    melody = make_melody(plan, harmony)
    for instrument in (PIANO, PAD):
        notes = arrange(plan, harmony, instrument, melody)
        chords = [(tick, pitches) for tick, pitches in blocks(notes) if len(pitches) > 1]
        for tick, pitches in chords:
            event = next(e for e in harmony if e.start <= tick < e.end + plan.beat_ticks)
            tones = event.chord.tone_pitch_classes
            sounding = [n.pitch for n in melody if n.start <= tick < n.end]
            if sounding:
                assert max(pitches) < min(sounding), (tick, pitches, sounding)
            if len(tones) >= 4 and event.start == tick:
                assert {tones[1], tones[3]} <= {p % 12 for p in pitches}, (tick, pitches)
        motion = 0
        for (_, first), (_, second) in itertools.pairwise(chords):
            if len(first) != len(second):
                continue
            motion += sum(abs(a - b) for a, b in zip(first, second, strict=True))
            for voice in range(len(second)):
                assert voice + 1 >= len(first) or second[voice] <= first[voice + 1]
                assert voice == 0 or second[voice] >= first[voice - 1]
        assert motion < naive_motion(harmony), style


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_waltz_comping_leaves_the_downbeat_to_the_bass(seed: int) -> None:
    """Oom-pah-pah (beats 2 and 3) or pah on 2 with a lift on the "and" of 3: never 1."""
    plan = make_plan(Style.WALTZ, seed=seed)
    assert str(plan.meter) == "3/4"
    notes = arrange(plan, make_harmony(plan), PIANO)
    positions = Counter(n.start % plan.bar_ticks for n in notes
                        if bar_of(plan, n.start) < plan.bars)
    assert PPQ in positions
    assert set(positions) <= {PPQ, 2 * PPQ, 5 * PPQ // 2}


def test_final_bar_holds_the_tonic() -> None:
    plan = make_plan(Style.POP)
    harmony = make_harmony(plan)
    last = plan.bar_start(plan.bars)
    tonic = harmony[-1].chord.root_pc
    for instrument in (PIANO, BASS, PAD):
        final = [n for n in arrange(plan, harmony, instrument) if n.end > last]
        assert final and all(n.start == last and n.end == plan.total_ticks for n in final)
        assert tonic in {n.pitch % 12 for n in final}


def test_chorale_inner_voices_stay_between_melody_and_bass() -> None:
    plan = make_plan(Style.CHORALE)
    harmony = make_harmony(plan)
    melody = make_melody(plan, harmony)
    alto = Instrument(role=Role.CHORDS, program=52, name="Alto")
    tenor = Instrument(role=Role.CHORDS, program=52, name="Tenor")
    alto_notes = {n.start: n.pitch for n in arrange(plan, harmony, alto, melody)}
    tenor_notes = {n.start: n.pitch for n in arrange(plan, harmony, tenor, melody)}
    assert alto_notes.keys() == tenor_notes.keys()
    for tick, pitch in alto_notes.items():
        top = min(n.pitch for n in melody if n.start <= tick < n.end)
        assert tenor_notes[tick] < pitch < top
