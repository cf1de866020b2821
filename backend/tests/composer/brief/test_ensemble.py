"""The instruments: the style's band, named instruments with and without it, "no X",
roles, and the cap on their number."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import parse_brief
from ariaforge.music.score import Role
from tests.composer.brief.fields import programs, roles


@pytest.mark.parametrize(("text", "expected"), [
    ("for piano and strings", [("melody", 0), ("pad", 48)]),
    ("solo guitar", [("melody", 25), ("chords", 25)]),  # lead and rhythm
    ("a guitar solo", [("melody", 25), ("chords", 25)]),
    ("string quartet", [("melody", 40), ("chords", 40), ("chords", 41), ("bass", 42)]),
    ("for violin, cello and piano", [("melody", 40), ("chords", 0), ("bass", 42)]),
    ("flute and harp", [("melody", 73), ("chords", 46)]),
    ("for organ", [("melody", 16), ("chords", 16)]),  # two hands
    ("church organ", [("melody", 19), ("chords", 19)]),
    ("a chorale for organ", [("melody", 19), ("chords", 19)]),
    ("for choir", [("melody", 52), ("chords", 52), ("chords", 52), ("bass", 52)]),
    ("alto sax, tenor sax", [("melody", 65), ("melody", 66)]),
    ("a jazz tune for sax and piano", [("melody", 66), ("chords", 0)]),
    ("a pop song for sax and piano", [("melody", 65), ("chords", 0)]),
    ("for trumpet and tuba", [("melody", 56), ("bass", 58)]),
    ("synth, pad, synth bass and drums",
     [("melody", 80), ("pad", 88), ("bass", 38), ("drums", 0)]),
    ("an ambient piece for synth and pad", [("melody", 80), ("pad", 89)]),
    ("an edm track for synth and pad", [("melody", 81), ("pad", 88)]),
    ("rock, electric guitar and bass", [("melody", 30), ("chords", 30), ("bass", 33)]),
    ("blues, electric guitar and bass", [("melody", 29), ("chords", 29), ("bass", 33)]),
    ("jazz, electric guitar and bass", [("melody", 26), ("chords", 26), ("bass", 32)]),
    ("pop, electric guitar", [("melody", 27), ("chords", 27)]),
    ("classical guitar", [("melody", 24), ("chords", 24)]),
    ("a rock song for guitar", [("melody", 30), ("chords", 30)]),
    ("a bossa nova for guitar", [("melody", 24), ("chords", 24)]),
    ("acoustic guitar and upright bass", [("melody", 25), ("chords", 25), ("bass", 32)]),
    ("for cello", [("melody", 42)]),
    ("for bass and cello", [("melody", 42), ("bass", 33)]),
    ("two violins", [("melody", 40)]),  # counts are a known gap: one track per name
    ("pianos, pianos and more pianos", [("melody", 0), ("chords", 0)]),
    ("orchestra", [("melody", 73), ("pad", 48), ("pad", 60), ("bass", 43), ("other", 47)]),
    ("rhodes and vibes", [("melody", 11), ("chords", 4)]),
    ("fiddle, tin whistle and bodhran", [("melody", 40), ("melody", 72), ("drums", 0)]),
    ("for satb", [("melody", 52), ("chords", 52), ("chords", 52), ("bass", 52)]),
])
def test_instruments(text, expected):
    assert roles(parse_brief(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "with" adds to the style's band, in place of its own instrument of the same family.
    ("a jazz tune with bass and drums", [66, 0, 32, 0]),
    ("a pop song with strings", [80, 0, 48, 33, 0]),
    ("a rock song with electric guitar", [30, 30, 33, 0]),
    ("jazz featuring a saxophone", [66, 0, 32, 0]),
    ("a waltz with piano and strings", [0, 48]),  # strings replace violin and cello
    # A named soloist replaces the band's pure soloist; a fiddle stays on as accompanist.
    ("a bluesy shuffle with harmonica", [22, 0, 33, 0]),
    ("a jig with tin whistle", [72, 40, 25]),
    # "no X" and "without X" remove a family from the band, or from what was named.
    ("a pop song without drums", [80, 0, 33]),
    ("jazz, no bass or drums", [66, 0]),
    ("without any strings, a classical piece", [0, 0]),
    ("piano and drums, no drums", [0, 0]),
    ("no drums ... ok, with drums after all", [80, 0, 33, 0]),
])
def test_instrument_additions_and_exclusions(text, expected):
    assert programs(parse_brief(text)) == expected


def test_bass_and_drums_alone_get_the_style_melody_and_chords():
    brief = parse_brief("bass and drums, jazz")
    assert programs(brief) == [66, 0, 32, 0]
    assert brief.warnings == ["added a Tenor Sax to carry the melody and a Piano for the chords: "
                              "the brief named no melody instrument"]


def test_solo_bass_stays_alone():
    assert roles(parse_brief("solo bass")) == [("bass", 33)]


def test_ruling_out_every_instrument_leaves_a_piano():
    brief = parse_brief("a classical piece without strings")
    assert roles(brief) == [("melody", 0), ("chords", 0)]
    assert "every instrument of the style is ruled out: using a piano" in brief.warnings


def test_drums_are_drum_tracks():
    brief = parse_brief("for piano, bass and drums")
    drums = [i for i in brief.instruments if i.is_drum]
    assert [(d.role, d.name) for d in drums] == [(Role.DRUMS, "Drums")]


def test_instrument_count_is_capped():
    text = ", ".join(["piano", "violin", "viola", "cello", "flute", "oboe", "clarinet",
                      "bassoon", "trumpet", "trombone", "tuba", "harp", "organ", "banjo",
                      "sitar", "koto", "marimba", "xylophone", "drums"])
    brief = parse_brief(text)
    assert len(brief.instruments) == 16
    assert "a brief holds 16 instruments at most: the rest are left out" in brief.warnings
