"""Every style, composed through the real pipeline (16 bars for flute, piano, bass and
drums), carries its signature on the notes: one operational check per trait, each over
the bars that play the groove (a section's first and last bar, crash and fill, and the
final bar are left out)."""

from __future__ import annotations

import pytest

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from tests.composer.styles import signature as sig

# style -> the traits it is known by, each with the share of groove bars that must show it
# (a quiet bar may thin a groove out, so not every trait holds in every bar).
TRAITS: dict[Style, tuple[tuple[sig.BarCheck, float], ...]] = {
    Style.POP: ((sig.backbeat, 0.75),),
    Style.ROCK: ((sig.backbeat, 0.75),),
    Style.JAZZ: ((sig.ride_on_every_beat, 0.75), (sig.walking_bass, 0.75)),
    Style.SWING: ((sig.ride_on_every_beat, 0.75), (sig.walking_bass, 0.5)),
    Style.BLUES: ((sig.backbeat, 0.75),),
    Style.BOSSA_NOVA: ((sig.cross_stick_clave, 0.5),),
    Style.FOLK: ((sig.alternating_bass, 0.6),),
    Style.REEL: ((sig.walking_bass, 0.6),),
    Style.JIG: ((sig.kick_on_one, 0.75),),
    Style.WALTZ: ((sig.boom_chick, 0.75),),  # oom-pah-pah
    Style.MARCH: ((sig.snare_on_every_beat, 0.75),),
    Style.CHORALE: ((sig.block_chords, 0.75),),
    Style.CLASSICAL: ((sig.broken_chords, 0.75),),  # Alberti and broken chords
    Style.AMBIENT: ((sig.block_chords, 0.75),),
    Style.LOFI_HIP_HOP: ((sig.backbeat, 0.75),),
    Style.EDM: ((sig.four_on_the_floor, 0.4),),
    Style.HOUSE: ((sig.four_on_the_floor, 0.75),),
    Style.FUNK: ((sig.sixteenth_syncopation, 0.75), (sig.backbeat, 0.75),
                 (sig.octave_bass, 0.6)),
    Style.REGGAE: ((sig.drop_on_three, 0.75), (sig.skank, 0.75)),
    Style.TRAP: ((sig.half_time_snare, 0.75), (sig.hat_roll, 0.6)),
    Style.HIP_HOP: ((sig.backbeat, 0.75),),
    Style.TANGO: ((sig.habanera, 0.6),),
    Style.GOSPEL: ((sig.backbeat, 0.75),),
    Style.COUNTRY: ((sig.backbeat, 0.75), (sig.boom_chick, 0.6)),
    Style.SAMBA: ((sig.surdo_on_two, 0.75),),
    Style.METAL: ((sig.double_kick, 0.75),),
    Style.SYNTHWAVE: ((sig.gated_snare, 0.6),),
    Style.BALLAD: ((sig.backbeat, 0.75),),
    Style.LULLABY: ((sig.broken_chords, 0.75),),
    Style.CAROL: ((sig.block_chords, 0.75),),
    Style.CINEMATIC: ((sig.spread_chords, 0.75),),
    Style.CHIPTUNE: ((sig.backbeat, 0.75), (sig.octave_bass, 0.6)),
    Style.NOCTURNE: ((sig.broken_chords, 0.75),),  # the left hand's arpeggio
    Style.BAROQUE: ((sig.walking_bass, 0.75),),  # a continuo in steady quarters
    Style.CELTIC: ((sig.bodhran, 0.6),),
}


def test_every_style_has_its_traits_listed() -> None:
    assert set(TRAITS) == set(Style)


@pytest.mark.parametrize("style", list(Style))
def test_the_style_plays_its_signature(style: Style) -> None:
    score = sig.compose_style(style)
    profile = STYLE_PROFILES[style]
    assert (score.meter.numerator, score.meter.denominator) == profile.meter
    low, high = profile.tempo_range
    assert low <= score.tempo <= high
    bars = sig.groove_bars(score)
    assert len(bars) >= 6, f"only {len(bars)} groove bars"
    short = {check.__name__: round(sig.share(bars, check), 2)
             for check, needed in TRAITS[style] if sig.share(bars, check) < needed}
    assert not short, f"{style.value}: traits in too few bars {short}"


def _shares(style: Style, check: sig.BarCheck, seeds: range) -> list[float]:
    return [sig.share(sig.groove_bars(sig.compose_style(style, seed)), check) for seed in seeds]


def test_reggae_drums_are_a_one_drop_or_steppers() -> None:
    """Beat 3 always carries kick and rim; some seeds drop beat 1 altogether (one-drop),
    others put a kick on every beat (steppers)."""
    one_drops = _shares(Style.REGGAE, sig.one_drop, range(4))
    steppers = _shares(Style.REGGAE, sig.four_on_the_floor, range(4))
    assert max(one_drops) >= 0.75, one_drops
    assert max(steppers) >= 0.5, steppers


def test_some_country_drummers_play_the_train_beat() -> None:
    trains = _shares(Style.COUNTRY, sig.train_beat, range(4))
    assert max(trains) >= 0.6, trains


def test_a_country_waltz_is_boom_chick_chick() -> None:
    result = compose(ComposeRequest(prompt=f"a country waltz {sig.BAND}", seed=0,
                                    bars=sig.BARS))
    assert result.brief.style is Style.COUNTRY
    assert result.score.meter.numerator == 3
    bars = sig.groove_bars(result.score)
    assert sig.share(bars, sig.boom_chick) >= 0.6


def test_pop_and_rock_play_no_one_drop_nor_trap_beat() -> None:
    """The checks are specific: the pop and rock kits fail them."""
    for style in (Style.POP, Style.ROCK):
        bars = sig.groove_bars(sig.compose_style(style))
        assert sig.share(bars, sig.one_drop) == 0
        assert sig.share(bars, sig.half_time_snare) == 0
        assert sig.share(bars, sig.hat_roll) == 0
