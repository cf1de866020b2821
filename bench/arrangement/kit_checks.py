"""Per-bar checks on the drum kit, each a groove as a drummer names it. A check says None
in a bar where the kit is silent or where its groove has no meaning (a backbeat in three),
else whether the bar plays it. Beats are felt beats, counted from 1."""

from __future__ import annotations

import itertools

from arrangement.bars import Bar, judged_if, on, on_any
from arrangement.grid import (
    CLAP,
    HATS,
    KICKS,
    LOUD_SNARES,
    LOW_TOM,
    RIDE,
    SIDE_STICK,
    SIXTEENTH,
    SNARE,
    SNARES,
    near,
)

drummed = judged_if(lambda bar: bar.drums)


@drummed
def backbeat(bar: Bar) -> bool | None:
    """The backbeat: snare, cross-stick or clap on 2 and 4 (on 2 in a bar of two)."""
    if bar.beats not in (2, 4):
        return None
    return on(bar.hits(*SNARES), *bar.beat_at(*range(2, bar.beats + 1, 2)))


@drummed
def four_on_the_floor(bar: Bar) -> bool | None:
    """Four on the floor: the kick on every beat."""
    return on(bar.hits(*KICKS), *bar.every_beat)


@drummed
def kick_on_one(bar: Bar) -> bool | None:
    """The kick marks the downbeat."""
    return on(bar.hits(*KICKS), 0)


@drummed
def drop_on_three(bar: Bar) -> bool | None:
    """Reggae's drop: kick and rim (or snare) struck together on 3, the bar's one accent."""
    if bar.beats != 4:
        return None
    three = bar.beat_at(3)[0]
    return on(bar.hits(*KICKS), three) and on(bar.hits(*SNARES), three)


def one_drop(bar: Bar) -> bool | None:
    """The one-drop: the drop on 3 and no kick on 1, the downbeat left empty."""
    dropped = drop_on_three(bar)
    return dropped and not on(bar.hits(*KICKS), 0)


def steppers(bar: Bar) -> bool | None:
    """Steppers: the drop on 3 over a kick on every beat."""
    dropped = drop_on_three(bar)
    return dropped and on(bar.hits(*KICKS), *bar.every_beat)


@drummed
def half_time(bar: Bar) -> bool | None:
    """The half-time feel: the snare (or clap) on 3 and not on 2 or 4, so the backbeat
    comes once a bar (trap, and metal's crushing grooves)."""
    if bar.beats != 4:
        return None
    snares = bar.hits(*LOUD_SNARES)
    return on(snares, bar.beat_at(3)[0]) and not on_any(snares, *bar.beat_at(2, 4))


@drummed
def thrash_beat(bar: Bar) -> bool | None:
    """The thrash (skank) beat of metal: the kick on every beat, the snare on every "and"
    between them."""
    ands = [tick + bar.beat // 2 for tick in bar.every_beat]
    return on(bar.hits(*KICKS), *bar.every_beat) and on(bar.hits(*LOUD_SNARES), *ands)


@drummed
def hat_roll(bar: Bar) -> bool | None:
    """A hi-hat roll: three or more hats in a row closer than a sixteenth apart (32nds or
    sixteenth-note triplets), as trap hats stutter."""
    gaps = [b - a for a, b in itertools.pairwise(bar.hits(*HATS))]
    return any(g1 < SIXTEENTH and g2 < SIXTEENTH for g1, g2 in itertools.pairwise(gaps))


@drummed
def train_beat(bar: Bar) -> bool | None:
    """Country's train beat: snare sixteenths right through the bar (one may be left
    out), accented on the weak beats (2 and 4) above the sixteenth that follows."""
    snares = bar.hits(SNARE)
    grid = range(0, bar.size, SIXTEENTH)
    return sum(on(snares, tick) for tick in grid) >= len(grid) - 1 and all(
        bar.loudest(SNARE, tick) > bar.loudest(SNARE, tick + SIXTEENTH) for tick in bar.weak)


@drummed
def double_kick(bar: Bar) -> bool | None:
    """A driving bass drum: two kicks a beat or more (eighths, or sixteenths on a double
    pedal), as metal plays it."""
    return len(bar.hits(*KICKS)) >= 2 * bar.beats


@drummed
def surdo_on_two(bar: Bar) -> bool | None:
    """Samba's surdo (the kick stands in): the deep drum answers on 2, louder than on 1."""
    if bar.beats < 2:
        return None
    two = bar.beat_at(2)[0]
    return max(bar.loudest(key, two) for key in KICKS) > max(
        bar.loudest(key, 0) for key in KICKS)


@drummed
def gated_snare(bar: Bar) -> bool | None:
    """The 1980s gated snare: snare and clap struck together on 2 and 4."""
    if bar.beats != 4:
        return None
    backbeats = bar.beat_at(2, 4)
    return on(bar.hits(SNARE), *backbeats) and on(bar.hits(CLAP), *backbeats)


@drummed
def ride_on_every_beat(bar: Bar) -> bool | None:
    """The jazz ride: the ride cymbal on every beat."""
    return on(bar.hits(RIDE), *bar.every_beat)


@drummed
def bodhran(bar: Bar) -> bool | None:
    """The bodhrán's pulse (a low tom stands in): a stroke on every beat."""
    return on(bar.hits(LOW_TOM), *bar.every_beat)


@drummed
def snare_on_every_beat(bar: Bar) -> bool | None:
    """The march: the snare on every beat."""
    return on(bar.hits(SNARE), *bar.every_beat)


@drummed
def cross_stick_clave(bar: Bar) -> bool | None:
    """Bossa nova's rim: the cross-stick clicks a clave figure, some of it off the beat."""
    return any(not near(tick % bar.beat, 0) and not near(tick % bar.beat, bar.beat)
               for tick in bar.hits(SIDE_STICK))
