"""The form: listed sections, letter forms, section lengths, and scaling them to the
piece's bars."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.brief.form import form_choice
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from tests.composer.brief.fields import form_of


@pytest.mark.parametrize(("text", "form"), [
    ("intro, verse, chorus, outro", [("intro", 4), ("verse", 8), ("chorus", 8), ("outro", 4)]),
    ("AABA", [("A", 8), ("A", 8), ("B", 8), ("A", 8)]),
    ("aaba form", [("A", 8), ("A", 8), ("B", 8), ("A", 8)]),
    ("A-B-A", [("A", 8), ("B", 8), ("A", 8)]),
    ("verse chorus", [("verse", 8), ("chorus", 8), ("verse", 8), ("chorus", 8)]),
    ("verse-chorus-bridge", [("verse", 8), ("chorus", 8), ("bridge", 8)]),
    ("rondo", [("A", 8), ("B", 8), ("A", 8), ("C", 8), ("A", 8)]),
    ("binary", [("A", 8), ("B", 8)]),
    ("8-bar intro, 16 bar verse, chorus (12 bars)", [("intro", 8), ("verse", 16),
                                                    ("chorus", 12)]),
    ("intro, verse, pre-chorus, chorus, middle eight, outro",
     [("intro", 4), ("verse", 8), ("pre-chorus", 4), ("chorus", 8), ("middle eight", 8),
      ("outro", 4)]),
    ("a pop song with an intro and an outro",
     [("intro", 4), ("verse", 8), ("chorus", 8), ("verse", 8), ("chorus", 8), ("outro", 4)]),
    ("intro, AABA, coda", [("intro", 4), ("A", 8), ("A", 8), ("B", 8), ("A", 8),
                           ("coda", 4)]),
])
def test_form(text, form):
    assert form_of(parse_brief(text)) == form


@pytest.mark.parametrize(("text", "style", "form"), [
    ("a catchy chorus", Style.POP, [("intro", 4), ("verse", 8), ("chorus", 8), ("verse", 8),
                                    ("chorus", 8), ("outro", 4)]),  # one word: no form
    ("a blues, 36 bars", Style.BLUES, [("chorus", 12), ("chorus", 12), ("chorus", 12)]),
    ("jazz, 20 bars", Style.JAZZ, [("A", 8), ("A", 8), ("B", 4)]),
    ("pop, 10 bars", Style.POP, [("verse", 10)]),  # a tail under a phrase joins the last
])
def test_the_style_form_when_none_is_named(text, style, form):
    """A seed that takes the style's usual form gets it sized to the bars."""
    seed = next(s for s in range(20) if form_choice(style, s) == 0)
    assert form_of(parse_brief(text, seed=seed)) == form


@pytest.mark.parametrize("style", list(Style))
def test_seeds_take_the_styles_forms_and_keep_the_bars(style):
    profile = STYLE_PROFILES[style]
    usual = {name for intro, body, outro in profile.forms
             for name, _ in (*intro, *body, *outro)}
    forms = []
    for seed in range(6):
        brief = parse_brief(f"a {style.value} piece, 48 bars", seed=seed)
        assert brief.bars == 48 and sum(s.bars for s in brief.form) == 48
        assert {s.name for s in brief.form} <= usual
        forms.append(form_of(brief))
    if len(profile.forms) > 1:
        assert forms[0] != forms[1]  # consecutive seeds take different forms
        assert len({tuple(f) for f in forms}) == len(profile.forms)
    else:
        assert all(f == forms[0] for f in forms)


def test_a_named_form_ignores_the_seed():
    forms = {tuple(form_of(parse_brief("a pop song, AABA, 40 bars", seed=seed)))
             for seed in range(4)}
    assert forms == {(("A", 12), ("A", 12), ("B", 8), ("A", 8))}


@pytest.mark.parametrize(("text", "form"), [
    ("AABA, 64 bars", [("A", 16), ("A", 16), ("B", 16), ("A", 16)]),
    ("intro verse chorus outro, 48 bars", [("intro", 8), ("verse", 16), ("chorus", 16),
                                           ("outro", 8)]),
    ("AABA, 30 bars", [("A", 8), ("A", 8), ("B", 8), ("A", 6)]),
    ("ABA in 6 bars", [("A", 2), ("B", 2), ("A", 2)]),
    ("intro verse chorus outro in 2 minutes at 120 bpm",
     [("intro", 12), ("verse", 20), ("chorus", 20), ("outro", 8)]),
])
def test_forms_scale_to_the_length(text, form):
    brief = parse_brief(text)
    assert form_of(brief) == form
    assert sum(bars for _, bars in form) == brief.bars


def test_section_counts_that_disagree_with_the_length_are_scaled():
    brief = parse_brief("32 bars: 4-bar intro, 8 bar verse, 4 bar outro")
    assert form_of(brief) == [("intro", 8), ("verse", 16), ("outro", 8)]
    assert brief.warnings == ["the sections' bar counts add up to 16, not 32: scaling them "
                              "to fit"]


def test_section_counts_set_the_length():
    brief = parse_brief("8-bar intro, 16 bar verse, chorus (12 bars)")
    assert brief.bars == 36


def test_too_many_sections_for_the_bars():
    brief = parse_brief("2 bars: intro verse chorus outro")
    assert form_of(brief) == [("intro", 1), ("verse", 1)]
    assert brief.warnings == ["2 bars cannot hold 4 sections: keeping the first 2"]
