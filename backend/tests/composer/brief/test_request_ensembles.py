"""A request's instrument list takes the ensembles the README names, "big band" among them,
as the brief's text does."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.brief.model import BriefOverrides
from ariaforge.music.score import Role


@pytest.mark.parametrize("name", ["big band", "Big Band", "bigband"])
def test_a_request_for_a_big_band_gets_the_big_band(name):
    asked = parse_brief("a swing tune", overrides=BriefOverrides(instruments=[name]), seed=4)
    written = parse_brief("a big band swing tune", seed=4)
    assert [(i.name, i.program, i.role) for i in asked.instruments] == [
        (i.name, i.program, i.role) for i in written.instruments]
    names = [i.name for i in asked.instruments]
    assert "Trombone" in names and "Tenor Sax" in names
    assert [i.role for i in asked.instruments].count(Role.MELODY) == 1
    assert asked.understood["instruments"] == "request"


def test_a_big_band_beside_a_named_instrument_in_a_request():
    brief = parse_brief("a swing tune", overrides=BriefOverrides(
        instruments=["big band", "vibraphone"]), seed=4)
    assert "Vibraphone" in [i.name for i in brief.instruments]
    assert "Trombone" in [i.name for i in brief.instruments]


def test_a_made_up_ensemble_is_still_refused():
    with pytest.raises(ValidationError, match="unknown instrument"):
        BriefOverrides(instruments=["huge band"])
