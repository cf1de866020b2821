"""The vocabulary's tables: General MIDI names, every style's profile, instrument lookup."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import Style, parse_brief
from ariaforge.composer.instruments import GM_PROGRAM_NAMES
from ariaforge.composer.phrases import lookup_instrument
from ariaforge.composer.vocabulary import STYLE_PROFILES
from ariaforge.music.validation import STYLES as VALIDATION_STYLES


def test_gm_names_cover_every_program():
    assert len(GM_PROGRAM_NAMES) == 128
    assert (GM_PROGRAM_NAMES[0], GM_PROGRAM_NAMES[48], GM_PROGRAM_NAMES[127]) == (
        "Acoustic Grand Piano", "String Ensemble 1", "Gunshot")


@pytest.mark.parametrize("style", list(Style))
def test_every_style_profile_is_usable(style):
    profile = STYLE_PROFILES[style]
    low, high = profile.tempo_range
    assert 30 <= low <= profile.tempo <= high <= 300
    assert profile.validation_style in VALIDATION_STYLES
    assert all(lookup_instrument(word) for word in profile.ensemble)
    brief = parse_brief(style.value.replace("-", " "))
    assert brief.style is style
    assert brief.bars == profile.bars
    assert sum(section.bars for section in brief.form) == profile.bars


def test_lookup_instrument_takes_plurals_and_any_case():
    word = lookup_instrument("Violins")
    assert word is not None
    assert word.voices[0].program == 40
    assert lookup_instrument("kazoo") is None
