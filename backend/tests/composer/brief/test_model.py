"""The parsed brief's types refuse what they cannot hold."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ariaforge.composer.brief import Brief, FormSection, Instrument
from ariaforge.music.score import Role


def test_brief_refuses_unknown_fields_and_a_form_that_does_not_add_up():
    with pytest.raises(ValidationError):
        Brief.model_validate({"colour": "red"})
    with pytest.raises(ValidationError, match="add up to 8 bars, not 16"):
        Brief(bars=16, form=[FormSection(name="A", bars=8)])
    with pytest.raises(ValidationError):
        Brief(tempo=301)


def test_drums_and_only_drums_play_the_drums_role():
    with pytest.raises(ValidationError, match="drum kit"):
        Instrument(role=Role.DRUMS, program=0, name="Kit")
    with pytest.raises(ValidationError, match="drum kit"):
        Instrument(role=Role.MELODY, program=0, name="Kit", is_drum=True)
