"""The instrument vocabulary: every General MIDI name and the common aliases reach the right
program; instruments General MIDI lacks are played on a named stand-in; the ones we cannot
play at all, and unknown instrument-shaped words, are named in the warnings."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import BriefOverrides, Instrument, parse_brief
from ariaforge.composer.gm_programs import EVERYDAY_WORD_PROGRAMS, GM_PROGRAM_NAMES
from ariaforge.composer.phrases import lookup_instrument
from ariaforge.composer.vocabulary import Style
from tests.composer.brief.fields import programs

# A fiddle is a violin played as a fiddle: "fiddle" keeps the violin's sound (program 40).
_OWN_MEANING = {"Fiddle": 40}


def _program(phrase: str, style: Style = Style.POP) -> int:
    word = lookup_instrument(phrase)
    assert word is not None, phrase
    return word.voices[0].program_for(style)


@pytest.mark.parametrize(("program", "name"), list(enumerate(GM_PROGRAM_NAMES)))
def test_every_general_midi_name_is_its_program(program, name):
    assert len(GM_PROGRAM_NAMES) == 128
    # Sound effects named by everyday words ("rain") take "fx" beside the name.
    phrase = f"{name} fx" if program in EVERYDAY_WORD_PROGRAMS else name
    assert _program(phrase) == _OWN_MEANING.get(name, program)
    assert _program(phrase.lower()) == _OWN_MEANING.get(name, program)


def test_everyday_words_are_not_instruments():
    for word in ("rain", "soundtrack", "atmosphere", "echoes", "applause", "crystal"):
        assert lookup_instrument(word) is None, word
    brief = parse_brief("a calm song about rain, like a film soundtrack")
    assert not any(instrument.program >= 96 for instrument in brief.instruments)


ALIASES = [
    ("clavinet", 7), ("clav", 7), ("slap bass", 36), ("808", 38), ("808 bass", 38),
    ("rhodes", 4), ("fender rhodes", 4), ("wurlitzer", 5), ("b3", 16), ("hammond", 16),
    ("hammond b3", 16), ("upright", 32), ("upright bass", 32), ("double bass", 32),
    ("fretless", 35), ("nylon guitar", 24), ("muted trumpet", 59), ("tin whistle", 72),
    ("steel drums", 114), ("steel pan", 114), ("kalimba", 108), ("thumb piano", 108),
    ("melodica", 22), ("bandoneon", 23), ("cavaquinho", 25), ("ukulele", 24),
    ("mandolin", 25), ("bouzouki", 25), ("erhu", 110), ("didgeridoo", 70),
    ("electric piano", 4), ("music box", 10), ("harp", 46), ("choir", 52), ("voice", 53),
    ("vocals", 53), ("theremin", 85), ("honky-tonk piano", 3), ("drawbar organ", 16),
    ("tango accordion", 23), ("guitar harmonics", 31), ("synth brass", 62),
    ("shakuhachi", 77), ("shamisen", 106), ("agogo", 113), ("taiko drum", 116),
    ("church organ", 19), ("harmonium", 20), ("cor anglais", 69), ("sousaphone", 58),
    ("picked bass", 34), ("synth strings", 50), ("cimbalom", 15), ("shehnai", 111),
    ("cornet", 56), ("euphonium", 57), ("whistle", 78),
]


@pytest.mark.parametrize(("phrase", "program"), ALIASES)
def test_aliases(phrase, program):
    assert _program(phrase) == program


@pytest.mark.parametrize("phrase", ["cajon", "bongos", "congas", "djembe", "bodhran",
                                    "808 drums", "drum machine", "tambourine"])
def test_hand_drums_play_on_the_drum_kit(phrase):
    word = lookup_instrument(phrase)
    assert word is not None and [v.is_drum for v in word.voices] == [True]


def test_the_808_is_the_bass_and_the_drum_machine():
    brief = parse_brief("a trap beat for 808 and synth lead")
    assert [(i.role.value, i.program, i.is_drum) for i in brief.instruments][1:] == [
        ("bass", 38, False), ("drums", 0, True)]
    assert [i.name for i in brief.instruments if i.role.value == "bass"] == ["808 Bass"]


@pytest.mark.parametrize(("phrase", "style", "program"), [
    ("bass", Style.JAZZ, 32), ("bass", Style.POP, 33), ("bass", Style.CLASSICAL, 43),
    ("bass", Style.TRAP, 38), ("guitar", Style.BOSSA_NOVA, 24), ("guitar", Style.ROCK, 30),
    ("electric guitar", Style.JAZZ, 26), ("organ", Style.CHORALE, 19),
    ("organ", Style.GOSPEL, 16), ("sax", Style.JAZZ, 66), ("keys", Style.LOFI_HIP_HOP, 4),
])
def test_programs_follow_the_style(phrase, style, program):
    assert _program(phrase, style) == program


@pytest.mark.parametrize(("text", "warning"), [
    ("a tango for bandoneon and piano", "no bandoneon sound: played on Tango Accordion"),
    ("a folk tune for mandolin", "no mandolin sound: played on Steel Guitar"),
    ("an erhu melody", "no erhu sound: played on Fiddle"),
    ("didgeridoo and drums", "no didgeridoo sound: played on Bassoon"),
    ("a rumba with congas", "no congas sound: the drum kit plays its part"),
])
def test_stand_ins_are_named_with_their_substitute(text, warning):
    assert warning in parse_brief(text).warnings


def test_stand_ins_keep_their_own_name():
    brief = parse_brief("a tango for bandoneon and piano")
    assert brief.instruments[0].name == "Bandoneon"
    assert brief.instruments[0].program == 23


def test_unplayable_and_unknown_instruments_are_named():
    brief = parse_brief("a waltz for theremin and glass harmonica")
    assert "no theremin sound: played on Voice Lead" in brief.warnings
    assert "no glass harmonica sound in General MIDI: left out" in brief.warnings
    assert 22 not in programs(brief)  # the harmonica is not what was asked for
    brief = parse_brief("a march for mellophone and sousaphone")
    assert "unknown instrument 'mellophone': left out" in brief.warnings
    assert 58 in programs(brief)


def test_only_unplayable_instruments_bring_the_styles_band():
    brief = parse_brief("a waltz for kazoo")
    assert "no kazoo sound in General MIDI: left out" in brief.warnings
    assert "no instrument named can be played: the waltz band plays" in brief.warnings
    assert brief.instruments


def test_a_ruled_out_unplayable_instrument_is_not_warned_about():
    assert not any("kazoo" in w for w in parse_brief("a waltz, no kazoo").warnings)


@pytest.mark.parametrize("name", ["clavinet", "slap bass", "808", "B3", "Wurlitzer",
                                  "tin whistle", "bandoneon", "cajon", "brass band",
                                  "string section", "Tango Accordion", "honky-tonk piano"])
def test_the_request_field_accepts_every_alias(name):
    brief = parse_brief("anything", BriefOverrides(instruments=[name]))
    assert brief.instruments


def test_the_request_field_refuses_an_unknown_instrument():
    with pytest.raises(ValueError, match="unknown instrument"):
        BriefOverrides(instruments=["kazoo"])


def test_a_requested_instrument_object_keeps_its_role():
    brief = parse_brief("anything", BriefOverrides(instruments=[
        Instrument(role="melody", program=7, name="Clav")]))
    assert [(i.role.value, i.program, i.name) for i in brief.instruments] == [
        ("melody", 7, "Clav")]
