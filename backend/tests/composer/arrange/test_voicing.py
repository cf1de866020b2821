"""Voice leading on the music itself: outer voices that rarely move in parallel fifths or
octaves (measured as the musicality bench does), the top voice under the melody, common
tones held, and any chord the harmony may bring voiced by its telling tones."""

from __future__ import annotations

import itertools

import pytest

from ariaforge.composer.arrange.voicing import voicing_options
from ariaforge.composer.plan import ChordEvent, Plan
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note
from ariaforge.music.theory.chords import QUALITIES, Chord, ChordQuality
from tests.bench_files import load_musicality_module
from tests.composer.arrange.material import PAD, PIANO, POP, arrange, make_harmony, make_plan

BENCH_PARALLELS = load_musicality_module("parallels")

Q = ChordQuality
# A progression with what the harmony step may add: a secondary dominant, a ninth, a
# borrowed bVI, a tritone substitution, a passing dim7, a sus and a minor sixth.
COLOURFUL = (("C", Q.MAJOR_7), ("A", Q.DOMINANT_7), ("D", Q.MINOR_9), ("G", Q.DOMINANT_13),
             ("C", Q.MAJOR), ("Ab", Q.MAJOR), ("Db", Q.DOMINANT_7), ("C#", Q.DIMINISHED_7),
             ("D", Q.MINOR_7), ("G", Q.SEVEN_SUS4), ("F", Q.MINOR_6), ("C", Q.ADD9))


def colourful_harmony(plan: Plan) -> list[ChordEvent]:
    events = []
    for bar in range(plan.bars):
        root, quality = COLOURFUL[bar % len(COLOURFUL)]
        if bar == plan.bars - 1:
            root, quality = "C", Q.MAJOR
        events.append(ChordEvent(bar * plan.bar_ticks, plan.bar_ticks,
                                 Chord.of(root, quality), "x"))
    return events


def tune(plan: Plan, harmony: list[ChordEvent], home: int) -> list[Note]:
    """Chord tones a beat apart around `home`, stepping down and up: a melody that dips
    into the accompaniment's register."""
    notes = []
    for index, event in enumerate(harmony):
        tones = event.chord.tone_pitch_classes
        tick, step = event.start, 0
        while tick < event.end:
            length = min(plan.beat_ticks, event.end - tick)
            target = home + (-3 if (index + step) % 3 == 0 else 2)
            pc = tones[step % len(tones)]
            notes.append(Note(pitch=target + (pc - target) % 12, start=tick, duration=length))
            tick, step = tick + length, step + 1
    return notes


def chord_stream(notes: list[Note]) -> list[tuple[int, ...]]:
    """At every onset, the pitches sounding (held notes too): what a listener hears."""
    onsets = sorted({n.start for n in notes})
    return [tuple(sorted({n.pitch for n in notes if n.start <= t < n.end})) for t in onsets]


def parallel_share(notes: list[Note]) -> tuple[int, int]:
    """(parallel, all) chord changes, counted by the musicality bench's own function."""
    parallel, changes = BENCH_PARALLELS.parallel_count(chord_stream(notes))
    return int(parallel), int(changes)


CHORDAL_STYLES = [s for s in Style if s is not Style.AMBIENT] + [Style.AMBIENT]


def test_outer_voices_rarely_move_in_parallel_fifths_or_octaves() -> None:
    parallel = changes = 0
    for style in CHORDAL_STYLES:
        for seed in (0, 1, 2):
            plan = make_plan(style, seed=seed)
            for harmony in (make_harmony(plan, POP), colourful_harmony(plan)):
                melody = tune(plan, harmony, 72)
                for instrument in (PIANO, PAD):
                    found, total = parallel_share(arrange(plan, harmony, instrument, melody))
                    parallel, changes = parallel + found, changes + total
    assert changes > 500
    assert parallel / changes <= 0.05, (parallel, changes)


@pytest.mark.parametrize("style", [Style.POP, Style.JAZZ, Style.ROCK, Style.FOLK,
                                   Style.CLASSICAL, Style.HOUSE, Style.BOSSA_NOVA])
def test_top_voice_stays_under_the_melody_by_a_third_mostly(style: Style) -> None:
    plan = make_plan(style, seed=3)
    harmony = colourful_harmony(plan)
    melody = tune(plan, harmony, 66)  # low enough to squeeze the accompaniment
    gaps = []
    for note in arrange(plan, harmony, PIANO, melody):
        above = [m.pitch for m in melody if m.start < note.end and m.end > note.start]
        if above:
            assert note.pitch < min(above), (note, above)
            gaps.append(min(above) - note.pitch)
    assert gaps and sum(gap >= 3 for gap in gaps) / len(gaps) >= 0.95


@pytest.mark.parametrize("style", [Style.POP, Style.CHORALE, Style.AMBIENT, Style.LOFI_HIP_HOP])
def test_common_tones_stay_where_they_were(style: Style) -> None:
    plan = make_plan(style, seed=5)
    harmony = make_harmony(plan, ("I", "vi", "IV", "ii", "V", "iii"))
    melody = tune(plan, harmony, 79)
    voicings = [c for c in chord_stream(arrange(plan, harmony, PIANO, melody)) if len(c) >= 3]
    shared = held = 0
    for before, after in itertools.pairwise(voicings):
        common = {p % 12 for p in before} & {p % 12 for p in after}
        if not common or {p % 12 for p in before} == {p % 12 for p in after}:
            continue
        shared += 1
        held += bool(set(before) & set(after))
    assert shared >= 10 and held / shared >= 0.9, (held, shared)


@pytest.mark.parametrize("quality", list(ChordQuality))
def test_any_chord_is_voiced_by_its_telling_tones(quality: ChordQuality) -> None:
    chord = Chord.of("E", quality)
    info = QUALITIES[quality]
    by_degree = {degree: (chord.root_pc + semis) % 12 for semis, degree in info.tones}
    telling = {pc for degree, pc in by_degree.items()
               if degree not in info.omittable and degree in (3, 6, 7, 9, 13)}
    for voices in (3, 4):
        for pitch_classes, _ in voicing_options(chord, voices, rootless=False):
            assert len(pitch_classes) == voices
            assert set(pitch_classes) <= set(chord.tone_pitch_classes)
            if len(telling) <= voices:
                assert telling <= set(pitch_classes), (quality, voices, pitch_classes)
    if quality is ChordQuality.DIMINISHED_7:
        assert voicing_options(chord, 4, rootless=False)[0][0] == tuple(
            sorted(chord.tone_pitch_classes))
