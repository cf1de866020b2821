"""Shorthand for writing style kits as data (`style_kits_groove`, `style_kits_lyric`):
a bar of pulses, drum hits on beats or at offsets, pitched figures, and the plain
figures every style uses (held chords, quarters, eighths...)."""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from ariaforge.composer.styles import (
    FLOOR_TOM,
    LOW_TOM,
    SIDE_STICK,
    Beats,
    Fill,
    Groove,
    Pulse,
)

F = Fraction
_HALF, _QUARTER = F(1, 2), F(1, 4)


def bar(*pulses: Pulse) -> Groove:
    return (pulses,)


def hit(key: int, beats: Beats, velocity: int, *offsets: Fraction, grid: int = 0) -> Pulse:
    return Pulse(beats, offsets or (F(0),), _HALF, velocity, key, grid)


def at(key: int, velocity: int, *offsets: Fraction) -> Pulse:
    """Drum hits at offsets in beats from the bar's start."""
    return Pulse(Beats.BAR, offsets, _HALF, velocity, key)


def notes(*spans: tuple[Fraction, Fraction], velocity: int = 90) -> tuple[Pulse, ...]:
    """A pitched figure: (onset in beats from the bar's start, length in beats)."""
    return tuple(Pulse(Beats.BAR, (onset,), length, velocity) for onset, length in spans)


def sixteenths(*steps: int) -> tuple[Fraction, ...]:
    return tuple(F(step, 4) for step in steps)


HELD: Final = bar(Pulse(Beats.CHORD, length=F(64)))
WHOLE: Final = bar(Pulse(Beats.FIRST, length=F(8)))
TWO_FEEL: Final = bar(Pulse(Beats.STRONG, length=F(2)))
QUARTERS: Final = bar(Pulse(Beats.ALL))
EIGHTHS: Final = bar(Pulse(Beats.ALL, length=_HALF, grid=2))
SIXTEENTHS: Final = bar(Pulse(Beats.ALL, length=_QUARTER, grid=4))
ROCK_FILL: Final = Fill()
SOFT_FILL: Final = Fill((SIDE_STICK, LOW_TOM, FLOOR_TOM), beats=1, grid=2, velocity=(50, 75))
