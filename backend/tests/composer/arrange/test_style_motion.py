"""How a style keeps its parts moving where it has a signature motion: baroque strings and
continuo keep a motor rhythm of running eighths, a cinematic string section with nobody
on the bass sounds its basses far under the voicing, and an EDM intro keeps its kick."""

from __future__ import annotations

from ariaforge.composer.arrange import arrange_track
from ariaforge.composer.brief import Instrument
from ariaforge.composer.styles import KICK, Beats, style_kit
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note, Role
from tests.composer.arrange.bands import FLUTE, Band, onsets, play
from tests.composer.arrange.material import BASS, make_harmony, make_melody, make_plan

STRINGS = Instrument(role=Role.PAD, program=48, name="Strings")


def _eighths_bars(band: Band, notes: list[Note]) -> float:
    """The share of the bars before the last whose every eighth is struck."""
    plan = band.plan
    eighth = plan.beat_ticks // 2
    struck = {n.start for n in notes}
    full = [all(plan.bar_start(bar) + k * eighth in struck
                for k in range(plan.bar_ticks // eighth))
            for bar in range(1, plan.bars)]
    return sum(full) / len(full)


def test_baroque_strings_repeat_their_chords_in_eighths_and_a_pop_pad_holds() -> None:
    baroque = play(Style.BAROQUE, STRINGS, lead=FLUTE)
    assert _eighths_bars(baroque, baroque.parts[STRINGS.name]) >= 0.6
    pop = play(Style.POP, STRINGS, lead=FLUTE)
    changes = {event.start for event in pop.harmony}
    assert set(onsets(pop.parts[STRINGS.name])) <= changes


def test_a_baroque_bass_walks_in_running_eighths() -> None:
    plan = make_plan(Style.BAROQUE)
    harmony = make_harmony(plan)
    notes = arrange_track(plan, harmony, make_melody(plan, harmony), BASS)
    band = Band(plan, harmony, {}, ())
    assert _eighths_bars(band, notes) >= 0.6
    assert len({n.pitch for n in notes}) >= 5  # it walks, it does not drum one note


def test_cinematic_strings_sound_their_basses_only_with_nobody_on_the_bass() -> None:
    alone = play(Style.CINEMATIC, STRINGS, lead=FLUTE)
    strokes = onsets(alone.body(STRINGS.name))
    assert len(strokes) >= 8
    for tick, pitches in strokes.items():
        low, *voicing = pitches
        assert low % 12 == alone.chord_at(tick).chord.bass_pc
        assert voicing[0] - low >= 7, (tick, pitches)  # well under the cellos' voicing
    assert max(map(max, strokes.values())) - min(map(min, strokes.values())) >= 24
    beside = play(Style.CINEMATIC, STRINGS, lead=FLUTE, bassist=True)
    assert min(n.pitch for n in beside.parts[STRINGS.name]) > \
        min(n.pitch for n in alone.parts[STRINGS.name])


def test_an_edm_intro_keeps_the_kick_on_every_beat() -> None:
    drums = style_kit(Style.EDM).drums
    for groove in (drums.light, *drums.mains):
        assert any(pulse.key == KICK and pulse.beats is Beats.ALL
                   for bar in groove for pulse in bar)
