"""Voice parts named one by one: soprano, alto, tenor, baritone and bass voice are singers
(a solo voice, or together a choir section), never dropped; "bass" alone stays the bass
instrument and "alto sax" / "tenor sax" stay saxophones."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import Brief, parse_brief
from ariaforge.composer.phrases import lookup_instrument
from ariaforge.music.score import Role

VOICE_OOHS, CHOIR_AAHS = 53, 52


def band(brief: Brief) -> list[tuple[str, Role, int]]:
    return [(i.name, i.role, i.program) for i in brief.instruments]


def test_two_voices_and_an_organ_keep_both_singers():
    brief = parse_brief("a hymn for alto, tenor and organ", seed=2)
    names = [i.name for i in brief.instruments]
    assert names[:2] == ["Alto", "Tenor"]
    assert band(brief)[0] == ("Alto", Role.MELODY, VOICE_OOHS)  # one voice carries the tune
    assert band(brief)[1] == ("Tenor", Role.CHORDS, VOICE_OOHS)
    assert any("Organ" in name for name in names)
    assert not any("not understood" in warning for warning in brief.warnings)


def test_a_solo_voice_sings_the_tune_over_the_piano():
    brief = parse_brief("a song for tenor and piano", seed=2)
    assert band(brief) == [("Tenor", Role.MELODY, VOICE_OOHS), ("Piano", Role.CHORDS, 0)]


@pytest.mark.parametrize(("text", "parts"), [
    ("a chorale for soprano, alto and tenor",
     [("Soprano", Role.MELODY), ("Alto", Role.CHORDS), ("Tenor", Role.CHORDS)]),
    ("a hymn for soprano, alto, tenor and bass",
     [("Soprano", Role.MELODY), ("Alto", Role.CHORDS), ("Tenor", Role.CHORDS),
      ("Bass", Role.BASS)]),
    ("a carol for sopranos, altos, tenors and basses",
     [("Soprano", Role.MELODY), ("Alto", Role.CHORDS), ("Tenor", Role.CHORDS),
      ("Bass", Role.BASS)]),
    ("a folk song for tenor, baritone and alto",
     [("Alto", Role.MELODY), ("Tenor", Role.CHORDS), ("Baritone", Role.BASS)]),
])
def test_three_or_four_voices_are_a_choir_section(text, parts):
    brief = parse_brief(text, seed=2)
    assert sorted((i.name, i.role) for i in brief.instruments) == sorted(parts)
    assert {i.program for i in brief.instruments} == {CHOIR_AAHS}
    assert not any("not understood" in warning for warning in brief.warnings)


@pytest.mark.parametrize(("phrase", "program"), [
    ("alto sax", 65), ("tenor sax", 66), ("tenor saxophone", 66), ("baritone sax", 67),
    ("soprano sax", 64), ("bass guitar", 33), ("double bass", 32), ("tenor horn", 60),
])
def test_longer_phrases_keep_their_instrument(phrase, program):
    word = lookup_instrument(phrase)
    assert word is not None and [v.program for v in word.voices] == [program]


def test_bass_alone_is_still_the_bass_instrument():
    brief = parse_brief("a jazz tune for alto sax, bass and drums", seed=2)
    assert band(brief) == [("Alto Sax", Role.MELODY, 65), ("Acoustic Bass", Role.BASS, 32),
                           ("Drums", Role.DRUMS, 0)]
    rock = parse_brief("a rock song for guitar, bass and drums", seed=2)
    assert VOICE_OOHS not in [i.program for i in rock.instruments]
    assert any(i.role is Role.BASS and i.program == 33 for i in rock.instruments)


@pytest.mark.parametrize(("phrase", "name"), [
    ("soprano", "Soprano"), ("alto", "Alto"), ("contralto", "Alto"), ("tenor", "Tenor"),
    ("baritone", "Baritone"), ("bass voice", "Bass"), ("bass singer", "Bass"),
])
def test_each_voice_word_is_a_singer(phrase, name):
    word = lookup_instrument(phrase)
    assert word is not None
    assert [(v.name, v.program) for v in word.voices] == [(name, VOICE_OOHS)]
