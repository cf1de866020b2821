"""Style, meter, feel, mood and energy: what each word sets, and which mention wins when
they disagree."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import Mood, Style, parse_brief

# --- meter and swing ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "meter", "swing"), [
    ("3/4", "3/4", False), ("6/8", "6/8", False), ("in 7/8", "7/8", False),
    ("5/4 time", "5/4", False), ("12/8", "12/8", False), ("common time", "4/4", False),
    ("cut time", "2/2", False), ("alla breve", "2/2", False), ("waltz", "3/4", False),
    ("jig", "6/8", False), ("slip jig", "9/8", False), ("reel", "4/4", False),
    ("march", "2/4", False), ("swing", "4/4", True), ("a jazz waltz", "3/4", True),
    ("rock shuffle", "4/4", True), ("swung pop", "4/4", True),
    ("jazz with straight eighths", "4/4", False), ("blues", "4/4", True),
    ("a minuet", "3/4", False), ("1/2 of a song", "4/4", False),
])
def test_meter_and_swing(text, meter, swing):
    brief = parse_brief(text)
    assert str(brief.meter) == meter
    assert brief.swing is swing


@pytest.mark.parametrize(("text", "meter", "warning"), [
    ("a waltz in 4/4", "4/4", "'waltz' usually means 3/4, but the brief asks for 4/4: "
     "using 4/4"),
    ("a jig in 3/4", "3/4", "'jig' usually means 6/8, but the brief asks for 3/4: using 3/4"),
    ("3/4 ... no, 5/4", "5/4", "several meters named (3/4, 5/4): using the last, 5/4"),
    ("in 5/7", "4/4", "5/7 is not a meter this composer writes: ignored"),
    ("swing with straight eighths", "4/4", "'swing' is usually swung, but the brief asks "
     "for straight eighths: using straight"),
])
def test_meter_contradictions(text, meter, warning):
    brief = parse_brief(text)
    assert str(brief.meter) == meter
    assert warning in brief.warnings


# --- style and mood -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "style"), [
    ("pop", "pop"), ("Rock", "rock"), ("JAZZ", "jazz"), ("big band", "swing"),
    ("bluesy", "blues"), ("bossa-nova", "bossa-nova"), ("Bossa Nova", "bossa-nova"),
    ("celtic", "celtic"), ("reels", "reel"), ("jigs", "jig"), ("waltzes", "waltz"),
    ("marches", "march"), ("hymn", "chorale"), ("baroque", "baroque"),
    ("soundscape", "ambient"), ("lo-fi hip-hop", "lofi-hip-hop"), ("lo fi", "lofi-hip-hop"),
    ("chillhop", "lofi-hip-hop"), ("dubstep", "edm"), ("drum & bass", "edm"),
    ("deep house", "house"), ("rock'n'roll", "rock"), ("R&B", "pop"),
    ("an irish reel", "reel"), ("a folk waltz", "waltz"), ("a classical march", "march"),
    ("a jazz waltz", "jazz"), ("a rock march", "rock"), ("swing jazz", "jazz"),
    ("a song", "pop"), ("Klezmer", "pop"),
])
def test_style(text, style):
    assert parse_brief(text).style == Style(style)


def test_several_styles_the_last_wins():
    brief = parse_brief("pop, or maybe rock")
    assert brief.style is Style.ROCK
    assert brief.warnings == ["several styles named (pop, rock): using the last, rock"]


@pytest.mark.parametrize(("text", "mood"), [
    ("sad", "melancholic"), ("melancholy", "melancholic"), ("wistful", "melancholic"),
    ("joyful", "happy"), ("uplifting", "happy"), ("peaceful", "calm"), ("serene", "calm"),
    ("driving", "energetic"), ("ominous", "dark"), ("spooky", "dark"),
    ("ethereal", "dreamy"), ("heroic", "epic"), ("epic", "epic"),
    ("tender", "romantic"), ("whimsical", "playful"), ("light-hearted", "playful"),
    ("a song", "neutral"), ("not sad", "neutral"), ("dark and epic", "epic"),
])
def test_mood(text, mood):
    assert parse_brief(text).mood == Mood(mood)


def test_moods_that_pull_apart_warn():
    brief = parse_brief("happy but sad")
    assert brief.mood is Mood.MELANCHOLIC
    assert brief.warnings == ["moods that pull apart named (happy, melancholic): using the "
                              "last, melancholic"]
    assert parse_brief("dark and epic").warnings == []


@pytest.mark.parametrize(("text", "energy"), [
    ("", 0.6), ("ambient", 0.2), ("edm", 0.85), ("a calm edm track", 0.53),
    ("a soft pop song", 0.4), ("heavy rock", 1.0), ("a quiet, soft, delicate ballad", 0.0),
    ("fast pop", 0.66),
])
def test_energy(text, energy):
    assert parse_brief(text).energy == energy
