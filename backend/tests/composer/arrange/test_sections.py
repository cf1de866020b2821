"""Sections on the notes: the members of a brass band, a big band's saxes or brass and a
string section each play their own note of one shared voicing (never a unison, never the
same line as another member), in their instrument's range, moving smoothly; horns play
the style's rhythm and strings sustain."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from ariaforge.composer.arrange.ensemble import Ensemble
from ariaforge.composer.arrange.sections import section_family, section_peers, section_voice
from ariaforge.composer.brief import Instrument, parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.melody import compose_melody
from ariaforge.composer.plan import ChordEvent, Plan, plan_form
from ariaforge.music.score import Note, Role
from ariaforge.music.validation.ranges import instrument_range

M, C, B, D = Role.MELODY, Role.CHORDS, Role.BASS, Role.DRUMS


def band(*parts: tuple[Role, int, str]) -> tuple[Instrument, ...]:
    return tuple(Instrument(role=role, program=program, name=name, is_drum=role is D)
                 for role, program, name in parts)


BRASS_BAND = band((M, 56, "Cornet 1"), (C, 56, "Cornet 2"), (C, 60, "Horn"),
                  (C, 57, "Trombone"), (C, 58, "Euphonium"), (B, 58, "Tuba"))
BIG_BAND = band((M, 65, "Alto Sax 1"), (C, 65, "Alto Sax 2"), (C, 66, "Tenor Sax 1"),
                (C, 66, "Tenor Sax 2"), (C, 67, "Baritone Sax"), (C, 56, "Trumpet 1"),
                (C, 56, "Trumpet 2"), (C, 56, "Trumpet 3"), (C, 57, "Trombone 1"),
                (C, 57, "Trombone 2"), (C, 0, "Piano"), (B, 32, "Bass"), (D, 0, "Drums"))
STRINGS = band((M, 48, "Violins I"), (C, 48, "Violins II"), (C, 48, "Violas"),
               (C, 48, "Cellos"), (B, 48, "Basses"))


@dataclass(frozen=True)
class Played:
    plan: Plan
    harmony: list[ChordEvent]
    parts: dict[int, list[Note]]  # track index -> notes
    sections: tuple[tuple[int, ...], ...]


def play(text: str, instruments: tuple[Instrument, ...]) -> Played:
    plan = plan_form(parse_brief(text))
    harmony = compose_harmony(plan)
    melody = compose_melody(plan, harmony, (64, 82))
    parts: dict[int, list[Note]] = {}
    sections: set[tuple[int, ...]] = set()
    for index in range(len(instruments)):
        ensemble = Ensemble(instruments, index)
        peers = section_peers(ensemble)
        if peers:
            sections.add(peers)
            parts[index] = section_voice(plan, harmony, melody, ensemble, (48, 76))
    return Played(plan, harmony, parts, tuple(sorted(sections)))


@pytest.fixture(scope="module")
def played() -> list[Played]:
    return [play("a march in Bb major, 16 bars, seed 2", BRASS_BAND),
            play("a swing tune in F major, 16 bars, seed 4", BIG_BAND),
            play("a funk groove in E minor, 16 bars, seed 1", BIG_BAND),
            play("a ballad in D major, 16 bars, seed 6", STRINGS)]


def test_sections_group_one_family_top_voice_first() -> None:
    assert section_peers(Ensemble(BRASS_BAND, 3)) == (1, 2, 3, 4)  # cornet, horn, trombone...
    assert section_peers(Ensemble(BRASS_BAND, 0)) == ()  # the melody plays no section part
    assert section_peers(Ensemble(BRASS_BAND, 5)) == ()  # nor does the bass
    assert section_peers(Ensemble(BIG_BAND, 2)) == (1, 2, 3, 4)
    assert section_peers(Ensemble(BIG_BAND, 9)) == (5, 6, 7, 8, 9)
    assert section_peers(Ensemble(BIG_BAND, 10)) == ()  # a piano is no section
    assert section_peers(Ensemble(STRINGS, 3)) == (1, 2, 3)
    quartet = band((M, 40, "Violin I"), (C, 40, "Violin II"), (C, 41, "Viola"),
                   (B, 42, "Cello"))
    assert section_peers(Ensemble(quartet, 1)) == ()  # four-part writing, not a section
    guitars = band((M, 65, "Sax"), (C, 25, "Guitar"), (C, 27, "Electric Guitar"))
    assert section_peers(Ensemble(guitars, 1)) == ()
    assert section_family(61) == "brass" and section_family(0) is None


def _sounding(notes: list[Note], tick: int) -> int | None:
    return next((n.pitch for n in notes if n.start <= tick < n.end), None)


def test_members_never_play_the_same_note(played: list[Played]) -> None:
    checked = 0
    for piece in played:
        for section in piece.sections:
            ticks = sorted({n.start for i in section for n in piece.parts[i]})
            for tick in ticks:
                pitches = [p for i in section if (p := _sounding(piece.parts[i], tick))
                           is not None]
                assert len(pitches) == len(set(pitches)), (tick, pitches)
                checked += 1
            for first, second in itertools.combinations(section, 2):
                assert [n.pitch for n in piece.parts[first]] != \
                    [n.pitch for n in piece.parts[second]]
    assert checked > 100


def test_the_top_voice_is_on_top_and_each_member_in_range(played: list[Played]) -> None:
    instruments = {id(p): i for p, i in zip(played, (BRASS_BAND, BIG_BAND, BIG_BAND, STRINGS),
                                            strict=True)}
    for piece in played:
        band_of = instruments[id(piece)]
        for section in piece.sections:
            for upper, lower in itertools.pairwise(section):
                for note in piece.parts[upper]:
                    below = _sounding(piece.parts[lower], note.start)
                    assert below is None or below < note.pitch
            for index in section:
                low, high, _ = instrument_range(band_of[index].program)
                assert all(low <= n.pitch <= high for n in piece.parts[index])


def test_the_shared_voicing_moves_smoothly(played: list[Played]) -> None:
    for piece in played:
        for section in piece.sections:
            for index in section:
                pitches = [n.pitch for n in piece.parts[index]]
                leaps = [abs(b - a) for a, b in itertools.pairwise(pitches)]
                assert sum(leaps) / len(leaps) <= 3.0
                assert max(leaps) <= 12


def test_horns_play_the_styles_rhythm_and_strings_sustain(played: list[Played]) -> None:
    funk, ballad = played[2], played[3]
    horn = funk.parts[5]
    assert len(horn) >= 2 * len(funk.harmony)  # stabs: several hits on each chord
    strings = ballad.parts[1]
    assert len(strings) <= len(ballad.harmony)  # one held note per chord at most
    held_ticks = sum(n.end - n.start for n in strings)
    assert held_ticks >= 0.9 * ballad.plan.total_ticks


def test_a_member_alone_in_its_family_still_plays_a_line() -> None:
    plan = plan_form(parse_brief("a march in C major, 8 bars, seed 1"))
    harmony = compose_harmony(plan)
    melody = compose_melody(plan, harmony, (64, 82))
    lone = band((M, 73, "Flute"), (C, 57, "Trombone"), (B, 33, "Bass"))
    notes = section_voice(plan, harmony, melody, Ensemble(lone, 1), (48, 67))
    assert notes and all(48 <= n.pitch <= 67 for n in notes)


def test_a_second_section_pads_under_the_first_without_copying_it(
        played: list[Played]) -> None:
    """A big band: the brass (reaching highest) plays the style's rhythm; the saxes hold
    their chords under the lead trumpet, so no sax plays a trumpet's or trombone's line."""
    for piece in played[1:3]:
        saxes, brass = (1, 2, 3, 4), (5, 6, 7, 8, 9)
        assert set(piece.sections) == {saxes, brass}
        for sax, horn in itertools.product(saxes, brass):
            assert [(n.pitch, n.start) for n in piece.parts[sax]] != \
                [(n.pitch, n.start) for n in piece.parts[horn]]
        assert len(piece.parts[1]) <= len(piece.harmony) < len(piece.parts[5])
        for event in piece.harmony:  # the lead trumpet over the whole sax section
            lead = _sounding(piece.parts[5], event.start)
            saxes_there = [_sounding(piece.parts[i], event.start) for i in saxes]
            assert lead is None or all(p is None or p < lead for p in saxes_there)
