"""The style kits: every style has one, its data is playable, and it says what the style
is known for (swing, walking bass, waltz afterbeats, four-on-the-floor)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ariaforge.composer.styles import (
    GM_PERCUSSION,
    KICK,
    BassRule,
    Beats,
    Texture,
    Voicing,
    style_kit,
)
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style


@pytest.mark.parametrize("style", list(Style))
def test_every_style_has_a_playable_kit(style: Style) -> None:
    kit = style_kit(style)
    assert kit.style is style
    grooves = [kit.drums.main, kit.drums.light, kit.drums.full or kit.drums.main]
    for groove in grooves:
        assert groove, "a groove has at least one bar"
        for pulses in groove:
            for pulse in pulses:
                assert pulse.key in GM_PERCUSSION
                assert 1 <= pulse.velocity <= 127
                assert pulse.length > 0
                assert all(0 <= offset < (8 if pulse.beats is Beats.BAR else 1)
                           for offset in pulse.offsets)
    assert all(key in GM_PERCUSSION for key in kit.drums.fill.keys)
    assert kit.comp.main and kit.comp.voices >= 3
    assert Fraction(1, 2) < kit.swing_ratio < 1


def test_swung_styles_and_their_signatures() -> None:
    swung = {style for style, profile in STYLE_PROFILES.items() if profile.swing}
    assert {Style.JAZZ, Style.SWING, Style.BLUES, Style.LOFI_HIP_HOP} <= swung
    for style in (Style.JAZZ, Style.SWING):
        kit = style_kit(style)
        assert kit.bass.rule is BassRule.WALK
        assert kit.comp.voicing is Voicing.SHELL and kit.comp.add_sevenths
    assert style_kit(Style.WALTZ).comp.texture is Texture.AFTERBEAT
    assert style_kit(Style.AMBIENT).comp.voicing is Voicing.SPREAD
    for style in (Style.EDM, Style.HOUSE):
        kicks = [p for p in style_kit(style).drums.main[0] if p.key == KICK]
        assert kicks and kicks[0].beats is Beats.ALL
    assert len(style_kit(Style.BOSSA_NOVA).comp.main[0]) == 2  # a two-bar figure


def test_unknown_style_is_refused() -> None:
    with pytest.raises(KeyError):
        style_kit("polka")  # type: ignore[arg-type]
