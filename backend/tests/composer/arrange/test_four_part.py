"""Four-part writing on the notes: a chorale's lower voices under real melodies keep the
rules of a Bach chorale (no parallel fifths or octaves between any two voices, counted as
the musicality bench counts them; no crossing; spacing; ranges; complete chords; the bass
on the chord's bass note; the leading tone rising at a cadence)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from ariaforge.composer.arrange.chorale_costs import load_costs
from ariaforge.composer.arrange.ensemble import Ensemble
from ariaforge.composer.arrange.four_part import (
    four_part_layout,
    four_part_voice,
    is_four_part,
)
from ariaforge.composer.arrange.four_part_search import RANGE_SLACK
from ariaforge.composer.arrange.timing import Harmony, beat_grid
from ariaforge.composer.brief import Instrument, parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.melody import compose_melody
from ariaforge.composer.plan import ChordEvent, Plan, plan_form
from ariaforge.music.score import Note, Role
from ariaforge.music.theory.roman import chord_from_roman
from ariaforge.music.validation.ranges import instrument_range
from tests.bench_files import load_musicality_module

PARALLELS = load_musicality_module("parallels")
M, C, B = Role.MELODY, Role.CHORDS, Role.BASS


def band(*parts: tuple[Role, int, str]) -> tuple[Instrument, ...]:
    return tuple(Instrument(role=role, program=program, name=name)
                 for role, program, name in parts)


SATB = band((M, 52, "Soprano"), (C, 52, "Alto"), (C, 52, "Tenor"), (B, 52, "Bass"))
QUARTET = band((M, 40, "Violin I"), (C, 40, "Violin II"), (C, 41, "Viola"), (B, 42, "Cello"))
BRIEFS = ("a chorale in G major, 16 bars, seed 3", "a chorale in D minor in 3/4, 16 bars, seed 5",
          "a hymn in F major, 24 bars, seed 1", "a carol in A minor, 16 bars, seed 9")


@dataclass(frozen=True)
class Setting:
    plan: Plan
    harmony: list[ChordEvent]
    voices: tuple[list[Note], ...]  # soprano, alto, tenor, bass
    instruments: tuple[Instrument, ...]

    def sonorities(self) -> list[tuple[int, tuple[int | None, ...]]]:
        """(tick, pitches sounding, top voice first) at every onset of any voice."""
        ticks = sorted({n.start for voice in self.voices for n in voice})
        return [(tick, tuple(_sounding(voice, tick) for voice in self.voices))
                for tick in ticks]

    def beats(self) -> list[tuple[int, tuple[int | None, ...]]]:
        """The sonorities on the beats: where the setting places its chords."""
        offsets = {b.offset for b in beat_grid(self.plan.meter)}
        return [(t, s) for t, s in self.sonorities() if t % self.plan.bar_ticks in offsets]


def _sounding(voice: list[Note], tick: int) -> int | None:
    return next((n.pitch for n in voice if n.start <= tick < n.end), None)


def set_in_four_parts(text: str, instruments: tuple[Instrument, ...]) -> Setting:
    plan = plan_form(parse_brief(text))
    harmony = compose_harmony(plan)
    melody = compose_melody(plan, harmony, (60, 79))
    voices = tuple(four_part_voice(plan, harmony, melody, Ensemble(instruments, index))
                   for index in range(4))
    return Setting(plan, harmony, voices, instruments)


@pytest.fixture(scope="module")
def settings() -> list[Setting]:
    return [set_in_four_parts(text, ensemble) for text in BRIEFS
            for ensemble in (SATB, QUARTET)]


def test_satb_quartets_and_one_family_fours_are_four_part() -> None:
    assert four_part_layout(Ensemble(SATB, 0)) == (0, 1, 2, 3)
    assert is_four_part(Ensemble(QUARTET, 2))
    reordered = band((B, 52, "Bass"), (C, 52, "Tenor"), (M, 52, "Soprano"), (C, 52, "Alto"))
    assert four_part_layout(Ensemble(reordered, 0)) == (2, 3, 1, 0)
    brass = band((M, 56, "Trumpet"), (C, 57, "Trombone"), (C, 60, "Horn"), (B, 58, "Tuba"))
    assert four_part_layout(Ensemble(brass, 1)) == (0, 2, 1, 3)  # the horn reaches higher
    drums = Instrument(role=Role.DRUMS, program=0, name="Drums", is_drum=True)
    assert is_four_part(Ensemble((*SATB, drums), 0))
    combo = band((M, 65, "Sax"), (C, 0, "Piano"), (C, 25, "Guitar"), (B, 33, "Bass"))
    assert not is_four_part(Ensemble(combo, 1))
    five = band((M, 48, "Violins I"), (C, 48, "Violins II"), (C, 48, "Violas"),
                (C, 48, "Cellos"), (B, 43, "Basses"))
    assert not is_four_part(Ensemble(five, 1))


def test_no_parallel_fifths_or_octaves_between_any_two_voices(settings: list[Setting]) -> None:
    counted = 0
    for setting in settings:
        sonorities = setting.sonorities()
        for upper, lower in itertools.combinations(range(4), 2):
            pairs = [(s[lower], s[upper]) for _, s in sonorities
                     if s[lower] is not None and s[upper] is not None]
            parallel, changes = PARALLELS.parallel_count(pairs)
            assert parallel == 0, (setting.plan.key, upper, lower)
            counted += changes
    assert counted > 1000


def test_voices_never_cross_and_keep_their_spacing(settings: list[Setting]) -> None:
    for setting in settings:
        for tick, (soprano, alto, tenor, bass) in setting.sonorities():
            assert alto is not None and tenor is not None and bass is not None, tick
            assert bass <= tenor <= alto
            assert soprano is None or alto <= soprano
            assert alto - tenor <= 12 and tenor - bass <= 19, tick
            # within an octave of the soprano, unless the tune climbs past the alto's top
            alto_top = load_costs().ranges["A"][1]
            assert soprano is None or soprano - alto <= 12 or alto >= alto_top - 2


def test_each_voice_stays_in_its_range(settings: list[Setting]) -> None:
    learned = load_costs().ranges
    for setting in settings:
        for voice, name in zip(setting.voices[1:], "ATB", strict=True):
            low, high = learned[name]
            floor, top, _ = instrument_range(setting.instruments["ATB".index(name) + 1].program)
            for note in voice:
                assert low - RANGE_SLACK <= note.pitch <= high + RANGE_SLACK
                assert floor <= note.pitch <= top


def test_chords_are_complete_on_nine_onsets_in_ten(settings: list[Setting]) -> None:
    """On the beats, every tone the chord cannot drop sounds (the soprano counts when it
    sings a chord tone); a triad may drop its fifth, rarely."""
    complete = total = 0
    for setting in settings:
        harmony = Harmony(setting.harmony)
        for tick, pitches in setting.beats():
            event = harmony.at(tick)
            if event is None:
                continue
            chord = event.chord
            tones = set(chord.tone_pitch_classes)
            needed = {(chord.root_pc + semis) % 12 for semis, degree in chord.info.tones
                      if degree not in chord.info.omittable}
            heard = {p % 12 for p in pitches[1:] if p is not None}
            if pitches[0] is not None and pitches[0] % 12 in tones:
                heard.add(pitches[0] % 12)
            total += 1
            complete += needed <= heard
    assert total > 300
    assert complete / total >= 0.9


def test_the_bass_sings_the_chords_bass_note(settings: list[Setting]) -> None:
    for setting in settings:
        bass = setting.voices[3]
        for event in setting.harmony:
            pitch = _sounding(bass, event.start)
            assert pitch is not None and pitch % 12 == event.chord.bass_pc


def test_the_leading_tone_rises_at_a_cadence() -> None:
    plan = plan_form(parse_brief("a chorale in G major, 4 bars, seed 2"))
    numerals = ("I", "IV", "V", "I")
    harmony = [ChordEvent(i * plan.bar_ticks, plan.bar_ticks, chord_from_roman(n, plan.key), n)
               for i, n in enumerate(numerals)]
    melody = [Note(pitch=p, start=i * plan.bar_ticks, duration=plan.bar_ticks)
              for i, p in enumerate((71, 72, 69, 67))]  # B C A G
    voices = [four_part_voice(plan, harmony, melody, Ensemble(SATB, index))
              for index in (1, 2, 3)]
    dominant, tonic = 2 * plan.bar_ticks, 3 * plan.bar_ticks
    before = [_sounding(v, tonic - 1) for v in voices]
    rising = [(v, p) for v, p in zip(voices, before, strict=True) if p is not None and p % 12 == 6]
    assert rising  # F#, the leading tone of G
    for voice, pitch in rising:
        assert _sounding(voice, tonic) == pitch + 1
    assert _sounding(voices[2], dominant) is not None


def test_the_soprano_is_the_melody_and_the_voices_repeat_exactly() -> None:
    setting = set_in_four_parts(BRIEFS[0], SATB)
    again = set_in_four_parts(BRIEFS[0], SATB)
    for first, second in zip(setting.voices, again.voices, strict=True):
        shape = [(n.pitch, n.start, n.end) for n in first]
        assert shape == [(n.pitch, n.start, n.end) for n in second]
    assert len({n.id for voice in (setting.voices + again.voices) for n in voice}) == \
        2 * sum(len(voice) for voice in setting.voices)


def test_not_a_voice_of_a_four_part_band_is_refused() -> None:
    combo = band((M, 65, "Sax"), (C, 0, "Piano"), (B, 33, "Bass"))
    plan = plan_form(parse_brief("a chorale, 4 bars"))
    with pytest.raises(ValueError, match="four-part"):
        four_part_voice(plan, [], [], Ensemble(combo, 1))


def test_outside_hymn_styles_the_lower_voices_move_with_the_chords_not_every_beat() -> None:
    ballad = set_in_four_parts("a pop ballad in C major, 16 bars, seed 4", QUARTET)
    hymn = set_in_four_parts("a hymn in C major, 16 bars, seed 4", QUARTET)
    beats = len(beat_grid(ballad.plan.meter)) * ballad.plan.bars
    assert len(ballad.voices[2]) < 0.75 * beats < len(hymn.voices[2])
    sonorities = ballad.sonorities()
    for _, (_, alto, tenor, bass) in sonorities:
        assert alto is not None and tenor is not None and bass is not None
        assert bass <= tenor <= alto
