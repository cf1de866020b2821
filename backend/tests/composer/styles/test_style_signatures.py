"""Every style, composed through the real pipeline (16 bars for flute, piano, bass and
drums), carries its signature on the notes: one operational check per trait, each over
the bars that play the groove (a section's first and last bar, crash and fill, and the
final bar are left out)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from ariaforge.music.score import Score
from tests.bench_files import import_bench_package

BAR_VIEW = import_bench_package("arrangement.bars")
KIT = import_bench_package("arrangement.kit_checks")
PART = import_bench_package("arrangement.part_checks")
BarCheck = Callable[[Any], bool | None]  # bench/arrangement/bars.py's, on one Bar
BAND = "for flute, piano, bass and drums"
BARS = 16


def compose_style(style: Style, seed: int = 0, bars: int = BARS) -> Score:
    """A short piece in `style` for a band that has a drummer, a bassist and a comper."""
    request = ComposeRequest(prompt=f"a piece {BAND}", style=style, seed=seed, bars=bars)
    return compose(request).score


def groove_share(score: Score, check: BarCheck) -> float | None:
    """The share of the groove bars (a section's first and last bar, crash and fill, and
    the final bar left out) that play the check's figure, among the bars it can judge;
    None when it can judge none."""
    found = BAR_VIEW.share(BAR_VIEW.groove_bars(score), check)
    return None if found is None else float(found)


# style -> the per-bar checks (bench/arrangement/kit_checks.py and part_checks.py) it is
# known by on this band, each with the share of groove bars that must show it (a quiet bar
# may thin a groove out, so not every trait holds in every bar).
TRAITS: dict[Style, tuple[tuple[BarCheck, float], ...]] = {
    Style.POP: ((KIT.backbeat, 0.75),),
    Style.ROCK: ((KIT.backbeat, 0.75),),
    Style.JAZZ: ((KIT.ride_on_every_beat, 0.75), (PART.walking_bass, 0.75)),
    Style.SWING: ((KIT.ride_on_every_beat, 0.75), (PART.walking_bass, 0.5)),
    Style.BLUES: ((KIT.backbeat, 0.75),),
    Style.BOSSA_NOVA: ((KIT.cross_stick_clave, 0.5),),
    Style.FOLK: ((PART.alternating_bass, 0.6),),
    Style.REEL: ((PART.walking_bass, 0.6),),
    Style.JIG: ((KIT.kick_on_one, 0.75),),
    Style.WALTZ: ((PART.oom_pah, 0.75),),  # oom-pah-pah
    Style.MARCH: ((KIT.snare_on_every_beat, 0.75),),
    Style.CHORALE: ((PART.block_chords, 0.75),),
    Style.CLASSICAL: ((PART.broken_chords, 0.75),),  # Alberti and broken chords
    Style.AMBIENT: ((PART.block_chords, 0.75),),
    Style.LOFI_HIP_HOP: ((KIT.backbeat, 0.75),),
    Style.EDM: ((KIT.four_on_the_floor, 0.75),),  # the intro keeps its kick
    Style.HOUSE: ((KIT.four_on_the_floor, 0.75),),
    Style.FUNK: ((PART.sixteenth_syncopation, 0.75), (KIT.backbeat, 0.75),
                 (PART.octave_bass, 0.6)),
    Style.REGGAE: ((KIT.drop_on_three, 0.75), (PART.skank, 0.75)),
    Style.TRAP: ((KIT.half_time, 0.75), (KIT.hat_roll, 0.6)),
    Style.HIP_HOP: ((KIT.backbeat, 0.75),),
    Style.TANGO: ((PART.habanera, 0.6),),
    Style.GOSPEL: ((KIT.backbeat, 0.75),),
    Style.COUNTRY: ((KIT.backbeat, 0.75), (PART.oom_pah, 0.6)),
    Style.SAMBA: ((KIT.surdo_on_two, 0.75),),
    Style.METAL: ((KIT.double_kick, 0.75),),
    Style.SYNTHWAVE: ((KIT.gated_snare, 0.6),),
    Style.BALLAD: ((KIT.backbeat, 0.75),),
    Style.LULLABY: ((PART.broken_chords, 0.75),),
    Style.CAROL: ((PART.block_chords, 0.75),),
    # The piano's rolling ostinato, a tenth and more (the strings hold the spread chords).
    Style.CINEMATIC: ((PART.wide_arpeggio, 0.75),),
    Style.CHIPTUNE: ((KIT.backbeat, 0.75), (PART.octave_bass, 0.6)),
    Style.NOCTURNE: ((PART.broken_chords, 0.75),),  # the left hand's arpeggio
    # A continuo walking on every beat, in the motor rhythm of running eighths.
    Style.BAROQUE: ((PART.walking_bass, 0.75), (PART.running_motion, 0.6)),
    Style.CELTIC: ((KIT.bodhran, 0.6),),
}


def test_every_style_has_its_traits_listed() -> None:
    assert set(TRAITS) == set(Style)


@pytest.mark.parametrize("style", list(Style))
def test_the_style_plays_its_signature(style: Style) -> None:
    score = compose_style(style)
    profile = STYLE_PROFILES[style]
    assert (score.meter.numerator, score.meter.denominator) == profile.meter
    low, high = profile.tempo_range
    assert low <= score.tempo <= high
    bars = BAR_VIEW.groove_bars(score)
    assert len(bars) >= 6, f"only {len(bars)} groove bars"
    short = {check.__name__: found for check, needed in TRAITS[style]
             if (found := groove_share(score, check)) is None or found < needed}
    assert not short, f"{style.value}: traits in too few bars {short}"


def _shares(style: Style, check: BarCheck, seeds: range) -> list[float]:
    return [groove_share(compose_style(style, seed), check) or 0.0 for seed in seeds]


def test_reggae_drums_are_a_one_drop_or_steppers() -> None:
    """Beat 3 always carries kick and rim; some seeds drop beat 1 altogether (one-drop),
    others put a kick on every beat (steppers)."""
    drops = _shares(Style.REGGAE, KIT.drop_on_three, range(4))
    one_drops = _shares(Style.REGGAE, KIT.one_drop, range(4))
    steppers = _shares(Style.REGGAE, KIT.steppers, range(4))
    assert min(drops) >= 0.75, drops
    assert max(one_drops) >= 0.75, one_drops
    assert max(steppers) >= 0.5, steppers


def test_some_country_drummers_play_the_train_beat() -> None:
    trains = _shares(Style.COUNTRY, KIT.train_beat, range(4))
    assert max(trains) >= 0.6, trains


def test_a_country_waltz_is_boom_chick_chick() -> None:
    result = compose(ComposeRequest(prompt=f"a country waltz {BAND}", seed=0, bars=BARS))
    assert result.brief.style is Style.COUNTRY
    assert result.score.meter.numerator == 3
    assert (groove_share(result.score, PART.oom_pah) or 0.0) >= 0.6


def test_pop_and_rock_play_no_one_drop_nor_trap_beat() -> None:
    """The checks are specific: the pop and rock kits, judged bar by bar, fail them."""
    for style in (Style.POP, Style.ROCK):
        score = compose_style(style)
        for check in (KIT.one_drop, KIT.half_time, KIT.hat_roll):
            assert groove_share(score, check) == 0, (style.value, check.__name__)
