"""Keys: how they are written ("D minor", "in F#", "Bbm"), words that only look like
them, conventional spelling, and which key wins when several are named."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import parse_brief
from tests.composer.brief.fields import key_of


@pytest.mark.parametrize(("text", "key"), [
    ("D minor", "D minor"), ("d minor", "D minor"), ("D MINOR", "D minor"),
    ("in F#", "F# major"), ("F# major", "F# major"), ("in f♯", "F# major"),
    ("Bb", "Bb major"), ("in bb", "Bb major"), ("B♭ major", "Bb major"),
    ("B flat minor", "Bb minor"), ("b-flat minor", "Bb minor"), ("C sharp minor", "C# minor"),
    ("Dm", "D minor"), ("in dm", "D minor"), ("F#m", "F# minor"), ("Bbm", "Bb minor"),
    ("in the key of E", "E major"), ("key of Bb minor", "Bb minor"), ("key: G", "G major"),
    ("D dorian", "D dorian"), ("E phrygian", "E phrygian"), ("F lydian", "F lydian"),
    ("G mixolydian", "G mixolydian"), ("A aeolian", "A aeolian"), ("C ionian", "C ionian"),
    ("B locrian", "B locrian"), ("Cmaj", "C major"), ("Amin", "A minor"),
    ("E-flat major!", "Eb major"), ("(in G minor)", "G minor"), ("A minor waltz", "A minor"),
    ("in a minor", "A minor"), ("in the key of a", "A major"), ("in Ab", "Ab major"),
    ("a minor key song", "A minor"),  # "a" is the article: minor, pop's tonic A
    ("a major hit, in D", "D major"),
])
def test_keys(text, key):
    assert key_of(parse_brief(text)) == key


@pytest.mark.parametrize(("text", "key"), [
    # The mode alone: the style's usual tonic for major-like or minor-like modes.
    ("mixolydian", "C mixolydian"), ("dorian", "A dorian"), ("a minor-key song", "A minor"),
    ("a dorian reel", "E dorian"), ("a minor jig", "E minor"), ("phrygian rock", "E phrygian"),
])
def test_a_mode_alone_takes_the_styles_tonic(text, key):
    assert key_of(parse_brief(text)) == key


@pytest.mark.parametrize(("text", "key", "warning"), [
    ("C# major", "Db major", "C# major is written as Db major (fewer accidentals)"),
    ("A# minor", "Bb minor", "A# minor is written as Bb minor (fewer accidentals)"),
    ("G# major", "Ab major", "G# major is written as Ab major (fewer accidentals)"),
    ("Gb major", "F# major", "Gb major is written as F# major (fewer accidentals)"),
    ("in D#", "Eb major", "D# major is written as Eb major (fewer accidentals)"),
])
def test_keys_are_spelled_conventionally(text, key, warning):
    brief = parse_brief(text)
    assert key_of(brief) == key
    assert brief.warnings == [warning]


@pytest.mark.parametrize("text", [
    "a sharp contrast", "plan B", "a flat landscape", "in a slow rhythm", "e.g. a song",
    "4 GB of RAM", "the DM", "an Inc. jingle", "ebony", "bed", "A B", "cdab",
])
def test_words_that_only_look_like_keys(text):
    assert key_of(parse_brief(text)) == "C major"


def test_the_last_explicit_key_wins():
    brief = parse_brief("a piece in D minor ... actually in F#")
    assert key_of(brief) == "F# minor"  # "in F#" names no mode; the minor stays
    assert brief.warnings == ["several keys named (D minor, in F#): using the last, F# minor"]


def test_a_later_key_with_its_own_mode_replaces_both():
    brief = parse_brief("D minor, no wait, E major")
    assert key_of(brief) == "E major"
    assert any("several keys named (D minor, E major)" in w for w in brief.warnings)


def test_mood_sets_the_mode_only_when_no_key_is_named():
    assert key_of(parse_brief("a melancholic tune")) == "A minor"
    assert key_of(parse_brief("a dark waltz")) == "D minor"
    assert key_of(parse_brief("a melancholic tune in C major")) == "C major"
    assert key_of(parse_brief("a melancholic tune in C")) == "C minor"
    assert parse_brief("a melancholic tune").understood["key"] == "melancholic"
