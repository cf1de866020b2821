"""The style traits, one operational check per trait, judged on the notes of a composed
score, and `STYLE_TRAITS`: which traits each style must show (the table the bench and
tests/composer/musicality/test_arrangement_briefset.py use).

A groove or figure trait is a per-bar check (kit_checks.py, part_checks.py) that most of
the piece's groove bars pass (`in_most_bars`: 60% of the bars it can judge, the crash and
fill bars at the sections' edges left out). The others read the whole piece
(piece_traits.py). Each trait returns True (obeyed), False (broken) or None (the piece
gives it nothing to judge, e.g. a drum trait in a piece without drums)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from ariaforge.music.score import Score
from arrangement import kit_checks as kit
from arrangement import part_checks as part
from arrangement.bars import BarCheck, either, groove_bars, share
from arrangement.piece_traits import (
    compound_meter,
    duple_meter,
    final_cadence,
    four_part,
    no_kit,
    plagal_colour,
    power_chords,
    running_eighths,
    sevenths,
    slow,
    slow_harmony,
    small_range,
    square_lead,
    straight,
    swing,
    synth_band,
    triple_meter,
    twelve_bar,
    wide_register,
)

Trait = Callable[[Score], bool | None]
MOST: Final = 0.6


def in_most_bars(check: BarCheck, needed: float = MOST) -> Trait:
    """The score-level trait: `check` holds in at least `needed` of the groove bars it
    can judge."""

    def trait(score: Score) -> bool | None:
        found = share(groove_bars(score), check)
        return None if found is None else found >= needed

    trait.__name__ = check.__name__
    trait.__doc__ = f"{(check.__doc__ or '').strip()} In {needed:.0%} of the groove bars."
    return trait


backbeat = in_most_bars(kit.backbeat)
four_on_the_floor = in_most_bars(kit.four_on_the_floor)
half_time = in_most_bars(kit.half_time)
hat_roll = in_most_bars(kit.hat_roll)
one_drop_or_steppers = in_most_bars(either(kit.one_drop, kit.steppers))
backbeat_or_half_time_or_thrash_beat = in_most_bars(  # metal
    either(kit.backbeat, kit.half_time, kit.thrash_beat))
backbeat_or_four_on_the_floor = in_most_bars(  # synthwave
    either(kit.backbeat, kit.four_on_the_floor))
oom_pah_or_train_beat = in_most_bars(either(part.oom_pah, kit.train_beat))  # country
oom_pah = in_most_bars(part.oom_pah)
skank = in_most_bars(part.skank)
habanera = in_most_bars(part.habanera)
wide_arpeggio = in_most_bars(part.wide_arpeggio)  # a nocturne's left hand
running_motion = in_most_bars(part.running_motion)
sixteenth_syncopation = in_most_bars(part.sixteenth_syncopation)

STYLE_TRAITS: Final[Mapping[str, tuple[Trait, ...]]] = {
    "pop": (backbeat,), "rock": (backbeat,),
    "metal": (backbeat_or_half_time_or_thrash_beat, power_chords),
    "jazz": (swing, sevenths), "swing": (swing, sevenths), "blues": (swing, twelve_bar),
    "bossa-nova": (straight, sevenths), "samba": (sixteenth_syncopation, straight),
    "folk": (duple_meter,), "country": (oom_pah_or_train_beat,),
    "celtic": (running_eighths,), "reel": (running_eighths,), "jig": (compound_meter,),
    "waltz": (triple_meter, oom_pah), "march": (duple_meter, final_cadence),
    "chorale": (four_part, final_cadence), "carol": (four_part,),
    "classical": (final_cadence,), "baroque": (running_motion,),
    "nocturne": (wide_arpeggio, slow, no_kit), "ballad": (slow,),
    "lullaby": (slow, small_range, no_kit), "cinematic": (slow_harmony, wide_register),
    "ambient": (slow_harmony, no_kit), "lofi-hip-hop": (swing, sevenths),
    "hip-hop": (backbeat,), "trap": (half_time, hat_roll), "funk": (sixteenth_syncopation,),
    "reggae": (skank, one_drop_or_steppers), "gospel": (plagal_colour, backbeat),
    "tango": (habanera,), "edm": (four_on_the_floor, synth_band),
    "house": (four_on_the_floor,),
    "synthwave": (backbeat_or_four_on_the_floor, synth_band), "chiptune": (square_lead,),
}
