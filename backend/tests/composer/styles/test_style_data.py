"""Every style is real data: a profile, a kit of its own, words that name it, and tempo
words that land where a musician expects within its range."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.phrases import lookup_instrument, lookup_phrase
from ariaforge.composer.styles import style_kit
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style, StyleWord, phrase_key


def _kit_data(style: Style) -> tuple[object, ...]:
    kit = style_kit(style)
    return (kit.drums, kit.bass, kit.comp, kit.swing_ratio)


@pytest.mark.parametrize("style", list(Style))
def test_every_style_has_its_own_profile_kit_and_word(style: Style) -> None:
    profile = STYLE_PROFILES[style]
    low, high = profile.tempo_range
    assert low <= profile.tempo <= high
    assert profile.ensemble and all(lookup_instrument(word) for word in profile.ensemble)
    others = [s for s in Style if s is not style]
    assert all(STYLE_PROFILES[s] is not profile for s in others), "a borrowed profile"
    assert all(_kit_data(s) != _kit_data(style) for s in others), "a borrowed kit"
    word = lookup_phrase(phrase_key(style.value))
    assert isinstance(word, StyleWord) and word.style is style


# The style words of issue 13, as a user writes them.
WORDS = [
    ("a funky groove", Style.FUNK), ("roots reggae", Style.REGGAE), ("a trap beat", Style.TRAP),
    ("boom bap", Style.HIP_HOP), ("a rap beat", Style.HIP_HOP), ("rap", Style.HIP_HOP),
    ("lofi hip hop", Style.LOFI_HIP_HOP), ("an argentine tango", Style.TANGO),
    ("gospel", Style.GOSPEL), ("bluegrass", Style.COUNTRY), ("a country song", Style.COUNTRY),
    ("samba", Style.SAMBA), ("bossa", Style.BOSSA_NOVA), ("heavy metal", Style.METAL),
    ("synthwave", Style.SYNTHWAVE), ("a power ballad", Style.BALLAD),
    ("a lullaby", Style.LULLABY), ("a christmas carol", Style.CAROL),
    ("a film score", Style.CINEMATIC), ("cinematic", Style.CINEMATIC),
    ("8-bit", Style.CHIPTUNE), ("chiptune", Style.CHIPTUNE), ("a nocturne", Style.NOCTURNE),
    ("romantic piano", Style.NOCTURNE), ("baroque", Style.BAROQUE), ("celtic", Style.CELTIC),
    ("a children's song", Style.FOLK), ("meditation", Style.AMBIENT),
    ("an irish jig", Style.JIG), ("a celtic reel", Style.REEL), ("a march", Style.MARCH),
    ("a slow jazz ballad", Style.JAZZ),
]


@pytest.mark.parametrize(("text", "style"), WORDS)
def test_style_words_name_their_style(text: str, style: Style) -> None:
    assert parse_brief(text).style is style


def test_a_country_waltz_stays_country_in_three() -> None:
    brief = parse_brief("a country waltz in G")
    assert brief.style is Style.COUNTRY
    assert (brief.meter.numerator, brief.meter.denominator) == (3, 4)


@pytest.mark.parametrize(("text", "low", "high"), [
    ("a slow nocturne", 50, 60), ("an uptempo funk tune", 108, 120),
    ("a largo nocturne", 45, 60), ("presto baroque", 168, 200), ("a slow lullaby", 60, 66),
    ("a fast metal song", 170, 200), ("trap", 130, 160)])
def test_tempo_words_land_in_the_style_range(text: str, low: int, high: int) -> None:
    assert low <= parse_brief(text).tempo <= high


@pytest.mark.parametrize(("text", "key"), [
    ("metal", "E minor"), ("trap", "C minor"), ("a tango", "D minor"),
    ("synthwave", "A minor"), ("a film score", "D minor"), ("celtic", "D mixolydian"),
    ("a happy celtic tune", "D major"), ("metal in G major", "G major"), ("funk", "E minor"),
    ("reggae", "G major")])
def test_a_style_brings_its_mode_unless_the_brief_or_mood_names_one(text: str,
                                                                     key: str) -> None:
    brief = parse_brief(text)
    assert f"{brief.key.tonic} {brief.key.mode.value}" == key
