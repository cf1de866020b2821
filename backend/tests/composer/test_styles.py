"""The style kits: every style has one, its data is playable, and it says what the style
is known for (swing, walking bass, waltz afterbeats, four-on-the-floor)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ariaforge.composer.styles import (
    CLAP,
    GM_PERCUSSION,
    KICK,
    OPEN_HAT,
    SIDE_STICK,
    SNARE,
    BassRule,
    Beats,
    Pulse,
    Texture,
    Voicing,
    style_kit,
)
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style


@pytest.mark.parametrize("style", list(Style))
def test_every_style_has_a_playable_kit(style: Style) -> None:
    kit = style_kit(style)
    assert kit.style is style
    grooves = [*kit.drums.mains, kit.drums.light, kit.drums.full or kit.drums.main]
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
    assert all(len(figure) == 2 for figure in style_kit(Style.BOSSA_NOVA).comp.main)


def test_unknown_style_is_refused() -> None:
    with pytest.raises(KeyError):
        style_kit("polka")  # type: ignore[arg-type]


@pytest.mark.parametrize("style", list(Style))
def test_every_style_has_alternative_grooves_and_figures(style: Style) -> None:
    """A seed can choose: at least two main drum grooves and two comping figures, each
    different from the others."""
    kit = style_kit(style)
    assert len(kit.drums.mains) >= 2 and len(set(kit.drums.mains)) == len(kit.drums.mains)
    assert len(kit.comp.main) >= 2 and len(set(kit.comp.main)) == len(kit.comp.main)


def _offsets(pulses: tuple[Pulse, ...], key: int) -> set[Fraction]:
    """Onsets (in beats from the bar's start, 4/4) of `key` in one bar of pulses."""
    found: set[Fraction] = set()
    for pulse in pulses:
        if pulse.key != key:
            continue
        beats = {Beats.ALL: range(4), Beats.BACK: (1, 3), Beats.STRONG: (0, 2),
                 Beats.FIRST: (0,), Beats.WEAK: (1, 2, 3)}.get(pulse.beats)
        if beats is None:  # Beats.BAR: offsets count from the bar's start
            found |= set(pulse.offsets)
            continue
        inside = ([Fraction(k, pulse.grid) for k in range(pulse.grid)] if pulse.grid
                  else list(pulse.offsets))
        found |= {beat + at for beat in beats for at in inside}
    return found


@pytest.mark.parametrize("style", [Style.HOUSE, Style.EDM])
def test_dance_grooves_keep_four_on_the_floor_and_off_beat_hats(style: Style) -> None:
    for groove in style_kit(style).drums.mains:
        bar = groove[0]
        assert _offsets(bar, KICK) >= {Fraction(b) for b in range(4)}
        assert _offsets(bar, OPEN_HAT) >= {Fraction(1, 2) + b for b in range(4)}
        assert _offsets(bar, CLAP) | _offsets(bar, SNARE) >= {Fraction(1), Fraction(3)}


def test_bossa_grooves_play_the_three_three_two_clave() -> None:
    """Every bossa groove's rim clicks play 3 + 3 + 2 eighths in one bar of two and the
    answering pair in the other, in either order."""
    three, two = {Fraction(0), Fraction(3, 2), Fraction(3)}, {Fraction(1), Fraction(5, 2)}
    for groove in style_kit(Style.BOSSA_NOVA).drums.mains:
        bars = [_offsets(bar, SIDE_STICK) for bar in groove]
        assert sorted(bars, key=len) == [two, three]
    for figure in style_kit(Style.BOSSA_NOVA).comp.main:
        assert len(figure) == 2  # the comping answers the clave over two bars


def test_backbeat_styles_keep_the_snare_on_two_and_four() -> None:
    for style in (Style.POP, Style.ROCK, Style.BLUES, Style.LOFI_HIP_HOP):
        for groove in style_kit(style).drums.mains:
            assert _offsets(groove[0], SNARE) >= {Fraction(1), Fraction(3)}, style
