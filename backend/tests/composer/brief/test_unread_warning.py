"""A brief the reader cannot fully read gets one warning that lists what was understood and
the words that were not; ordinary English briefs, and briefs in the six languages read,
get none."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import BriefOverrides, parse_brief
from tests.bench_files import load_musicality_module
from tests.composer.brief.test_multilingual import TABLE
from tests.composer.brief.test_parse_brief import BRIEFS

UNREAD = "could not read all of this brief"
ENGLISH = [
    *[row[0] for row in BRIEFS],
    *[prompt for _, prompt in load_musicality_module("briefs").briefs()],
    "a sad song about the sea, for guitar", "something upbeat for a birthday party",
    "a gentle lullaby for my daughter", "write me a jazz tune with a catchy melody",
    "an epic cinematic theme for a trailer, with choir and orchestra",
]


def unread_warnings(text: str, **overrides: object) -> list[str]:
    brief = parse_brief(text, BriefOverrides.model_validate(overrides))
    return [warning for warning in brief.warnings if warning.startswith(UNREAD)]


@pytest.mark.parametrize("text", ENGLISH)
def test_ordinary_english_briefs_do_not_warn(text):
    assert unread_warnings(text) == []


@pytest.mark.parametrize("text", [param.values[0] for param in TABLE])
def test_briefs_read_in_full_in_other_languages_do_not_warn(text):
    assert unread_warnings(text) == []


def test_a_german_brief_with_unknown_words_lists_both():
    [warning] = unread_warnings("ein sehnsuchtsvoller Walzer im Nebel, d-Moll, 16 Takte, Cello")
    understood, not_understood = warning.split("not understood")
    for words in ("Walzer", "d-Moll", "16 Takte", "Cello"):
        assert words in understood
    assert "'sehnsuchtsvoller'" in not_understood and "'Nebel'" in not_understood
    for filler in ("ein", "im"):
        assert f"'{filler}'" not in warning


def test_one_unknown_word_in_a_french_brief_is_named():
    [warning] = unread_warnings("une valse en ré mineur pour violoncelle, sous la pluie")
    assert warning.endswith("not understood: 'pluie'")
    assert "'sous'" not in warning and "'la'" not in warning


@pytest.mark.parametrize("text", [
    "een droevige wals in d klein voor cello",  # Dutch
    "悲しいワルツ、チェロのために",  # Japanese
    "一首悲伤的华尔兹 大提琴",  # Chinese
    "грустный вальс для виолончели",  # Russian
    "asdf qwerty zxcv",
])
def test_a_brief_in_a_language_not_read_warns_and_names_the_languages(text):
    [warning] = unread_warnings(text)
    assert "French, German, Spanish, Italian and Portuguese" in warning


def test_nothing_understood_says_so():
    [warning] = unread_warnings("sehnsuchtsvoll und neblig")
    assert "understood nothing" in warning
    assert "'sehnsuchtsvoll'" in warning and "'neblig'" in warning


def test_a_long_list_is_cut_short():
    words = " ".join(f"wort{letter}" for letter in "abcdefghijklmnopq")
    [warning] = unread_warnings(f"ein Walzer {words}")
    assert "'wortl'" in warning and "'wortm'" not in warning
    assert warning.endswith("and 5 more. The brief reader knows English, French, German, "
                            "Spanish, Italian and Portuguese words; the rest was filled in "
                            "with the style's defaults")


def test_a_requested_field_is_named_as_the_requests():
    [warning] = unread_warnings("ein sehnsuchtsvoller Walzer im Nebel", style="jazz")
    assert "style 'Walzer'" not in warning
    assert "the request set style;" in warning


def test_little_understood_in_english_warns():
    [warning] = unread_warnings("flamingo pineapple volcano tuba")
    assert "instruments 'tuba'" in warning
    assert "'flamingo', 'pineapple', 'volcano'" in warning


def test_the_warning_is_the_same_every_time():
    text = "ein sehnsuchtsvoller Walzer im Nebel"
    assert unread_warnings(text) == unread_warnings(text)


def test_english_words_shared_with_other_languages_do_not_make_a_brief_foreign():
    """"per", "con" and "die" are English words too: one unknown word in a brief that is
    mostly understood is no reason to warn."""
    assert unread_warnings("a jazz waltz with two chords per bar for piano and trumpet, "
                           "sparkling") == []
