"""Style knowledge for the arrangement step, as data: how each style's drummer, bassist and
comping player fill a bar.

Rhythms are written in felt beats, not ticks, so one kit serves every metre: a quarter in
2/4, 3/4, 4/4 and 5/4, a dotted quarter in 6/8 and 12/8, and a group of two or three eighths
in 7/8. A `Pulse` names which beats of the bar it plays on and where inside each beat
(0 = on the beat, 1/2 = the "and"); in a three-part beat the "and" falls on the last
triplet eighth, which is exactly the long-short lilt of a jig. Swung styles delay the
off-beat eighth to `StyleKit.swing_ratio` of the beat.

Tempo, metre and whether a style swings by default live in `vocabulary.STYLE_PROFILES`;
this module only says how the style is played.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cache
from typing import Final

from ariaforge.composer.vocabulary import Style

__all__ = ["BassPart", "BassRule", "Beats", "CompPart", "DrumPart", "Fill", "Groove", "Pulse",
           "StyleKit", "Texture", "Voicing", "style_kit"]

F = Fraction

# General MIDI percussion keys (channel 10).
KICK, SIDE_STICK, SNARE, CLAP = 36, 37, 38, 39
CLOSED_HAT, PEDAL_HAT, OPEN_HAT = 42, 44, 46
LOW_TOM, MID_TOM, HIGH_TOM, FLOOR_TOM = 45, 47, 50, 43
CRASH, RIDE, TAMBOURINE, SHAKER = 49, 51, 54, 70  # the GM 'maracas' is our shaker
GM_PERCUSSION: Final = range(35, 82)  # Acoustic Bass Drum .. Open Triangle


_ON_THE_BEAT = (F(0),)
_ONE_BEAT = F(1)
_MOSTLY_LEGATO = F(9, 10)
_TRIPLET_SWING = F(2, 3)


class Beats(StrEnum):
    """Which beats of a bar a pulse plays on."""

    ALL = "all"
    FIRST = "first"
    STRONG = "strong"  # the downbeat and the mid-bar beat (3 in 4/4, 4 in 5/4)
    WEAK = "weak"  # every beat that is not strong: 2 and 3 of a waltz
    BACK = "back"  # every second beat: the backbeat (2 and 4)
    BAR = "bar"  # offsets count in beats from the bar's start (syncopated figures)
    CHORD = "chord"  # once at every chord change, held to the next


@dataclass(frozen=True)
class Pulse:
    """Notes at `offsets` within each selected beat (or, for `Beats.BAR`, within the
    bar), each `length` beats long. `grid` > 0 instead fills each beat with that many
    even notes (2 = eighths; a three-part beat turns 2 into 3 and 4 into 6).
    `velocity` is the loudness at full energy; `key` is the GM drum key for drum parts."""

    beats: Beats
    offsets: tuple[Fraction, ...] = _ON_THE_BEAT
    length: Fraction = _ONE_BEAT
    velocity: int = 90
    key: int = 0
    grid: int = 0


Groove = tuple[tuple[Pulse, ...], ...]  # bars of pulses, cycled (a bossa figure is 2 bars)


def _bar(*pulses: Pulse) -> Groove:
    return (pulses,)


@dataclass(frozen=True)
class Fill:
    """A drum fill over the last `beats` beats of a section's last bar: `grid` notes a
    beat, walking through `keys` (high tom to low), getting louder. `replaces` says
    whether the groove stops under it (a rock fill) or keeps going (an EDM snare roll)."""

    keys: tuple[int, ...] = (SNARE, HIGH_TOM, MID_TOM, LOW_TOM, FLOOR_TOM)
    beats: int = 2
    grid: int = 4
    velocity: tuple[int, int] = (70, 110)
    replaces: bool = True


@dataclass(frozen=True)
class DrumPart:
    main: Groove
    light: Groove  # intros, breakdowns, quiet verses
    fill: Fill = Fill()
    full: Groove | None = None  # choruses and drops; None = main
    variants: tuple[Groove, ...] = ()  # other main grooves of the style a seed may play

    @property
    def mains(self) -> tuple[Groove, ...]:
        """Every main groove the style's drummer may settle on for a piece."""
        return (self.main, *self.variants)


class BassRule(StrEnum):
    """How the bass picks pitches for the hits its pulses give."""

    ROOT = "root"  # the chord's bass note on every hit (rock eighths, sustained roots)
    ROOT_FIFTH = "root-fifth"  # root at the change, fifth on the bar's other strong beat
    ALTERNATE = "alternate"  # root, fifth, root, fifth: oom-pah, boom-chick
    OCTAVES = "octaves"  # root, octave above, root...: EDM pumping eighths
    WALK = "walk"  # a quarter-note walking line with approach tones into each chord
    BOOGIE = "boogie"  # root, 3rd, 5th, 6th, b7, 6th, 5th, 3rd: the blues shuffle


@dataclass(frozen=True)
class BassPart:
    rule: BassRule
    main: Groove
    sparse: Groove
    full: Groove | None = None
    velocity: int = 96


class Voicing(StrEnum):
    CLOSE = "close"  # within an octave
    SHELL = "shell"  # rootless: 3rd and 7th first (the bass has the root)
    OPEN = "open"  # spread a little past the octave, an inner voice dropped an octave
    SPREAD = "spread"  # open, up to two octaves: pads and strings


class Texture(StrEnum):
    BLOCK = "block"  # all voices together
    STRUM = "strum"  # guitar: full down-strokes on beats, lighter up-strokes between
    ARPEGGIO = "arpeggio"  # one voice at a time, walking `CompPart.arpeggio`
    AFTERBEAT = "afterbeat"  # chords only off the downbeat (the bass owns beat 1)


@dataclass(frozen=True)
class CompPart:
    voicing: Voicing
    texture: Texture
    main: tuple[Groove, ...]  # options: one is chosen per phrase, so repeats sound alike
    sparse: Groove
    full: Groove | None = None
    voices: int = 4
    add_sevenths: bool = False  # jazz players colour plain triads with the diatonic 7th
    arpeggio: tuple[int, ...] = (0, 1, 2, 3, 2, 1)  # voice indices, 0 = lowest
    legato: Fraction = _MOSTLY_LEGATO  # fraction of each hit's room actually sounded
    velocity: int = 80
    open_ok: bool = False  # a seed may spread the close voicing past the octave
    pad: Groove | None = None  # how a pad or string section moves; None: it holds chords


@dataclass(frozen=True)
class StyleKit:
    style: Style
    drums: DrumPart
    bass: BassPart
    comp: CompPart
    swing_ratio: Fraction = _TRIPLET_SWING  # where a swung off-beat eighth lands in its beat


# --- shared figures -------------------------------------------------------------------

_HALF, _QUARTER, _EIGHTH = F(1, 2), F(1, 4), F(1, 8)
_ON, _AND = (F(0),), (_HALF,)
_HELD = _bar(Pulse(Beats.CHORD, length=F(64)))
_TWO_FEEL = _bar(Pulse(Beats.STRONG, length=F(2)))
_WHOLE = _bar(Pulse(Beats.FIRST, length=F(8)))
_QUARTERS = _bar(Pulse(Beats.ALL))
_EIGHTHS = _bar(Pulse(Beats.ALL, length=_HALF, grid=2))
_ROCK_FILL = Fill()
_JAZZ_FILL = Fill((SNARE, HIGH_TOM, SNARE, LOW_TOM), beats=2, grid=3, velocity=(55, 85))
_SOFT_FILL = Fill((SIDE_STICK, LOW_TOM, FLOOR_TOM), beats=1, grid=2, velocity=(50, 75))
_ROLL = Fill((SNARE,), beats=4, grid=4, velocity=(50, 115), replaces=False)


def _kick(beats: Beats, velocity: int = 100, offsets: tuple[Fraction, ...] = _ON) -> Pulse:
    return Pulse(beats, offsets, _HALF, velocity, KICK)


def _hit(key: int, beats: Beats, velocity: int, offsets: tuple[Fraction, ...] = _ON,
         grid: int = 0) -> Pulse:
    return Pulse(beats, offsets, _HALF, velocity, key, grid)


_BACKBEAT = _bar(_kick(Beats.STRONG), _hit(SNARE, Beats.BACK, 100),
                 _hit(CLOSED_HAT, Beats.ALL, 70, grid=2))
_QUIET_BACKBEAT = _bar(_kick(Beats.FIRST, 80), _hit(SIDE_STICK, Beats.BACK, 60),
                       _hit(CLOSED_HAT, Beats.ALL, 55))
_RIDE_SWING = _bar(_hit(RIDE, Beats.ALL, 80), _hit(RIDE, Beats.BACK, 65, _AND),
                   _hit(PEDAL_HAT, Beats.BACK, 60), _kick(Beats.FIRST, 45))
_BRUSHES = _bar(_hit(RIDE, Beats.ALL, 60), _hit(PEDAL_HAT, Beats.BACK, 50))
_FOUR_ON_FLOOR = _bar(_kick(Beats.ALL, 110), _hit(CLAP, Beats.BACK, 95),
                      _hit(OPEN_HAT, Beats.ALL, 80, _AND))


def _comp(*offsets: tuple[Fraction, Fraction], velocity: int = 80) -> Groove:
    """A one-bar syncopated comping figure: (onset in beats from the bar start, length)."""
    return (tuple(Pulse(Beats.BAR, (at,), length, velocity) for at, length in offsets),)


# Alternative grooves, one family per style: a seed settles on one for the whole piece.
_POP_PUSH = _bar(_kick(Beats.BAR, 100, (F(0), F(3, 2), F(2))), _hit(SNARE, Beats.BACK, 100),
                 _hit(CLOSED_HAT, Beats.ALL, 70, grid=2))  # the kick on the "and" of 2
_ROCK_DRIVE = _bar(_kick(Beats.BAR, 105, (F(0), F(2), F(5, 2))),
                   _hit(SNARE, Beats.BACK, 110), _hit(CLOSED_HAT, Beats.ALL, 85, grid=2),
                   _hit(CRASH, Beats.FIRST, 70))
_TWO_BEAT_RIDE = _bar(*_RIDE_SWING[0][:3], _kick(Beats.STRONG, 50))  # a two-feel drummer
_RIDE_SHUFFLE = _bar(_kick(Beats.BAR, 90, (F(0), F(2), F(7, 2))), _hit(SNARE, Beats.BACK, 95),
                     _hit(RIDE, Beats.ALL, 70, (F(0), _HALF)))
# The bossa's rim-click clave, 3 + 3 + 2 eighths then 2: one bar starts it (3-2), or the
# other (2-3).
_BOSSA_KICK = _kick(Beats.BAR, 70, (F(0), F(3, 2), F(2), F(7, 2)))
_CLAVE_THREE = _hit(SIDE_STICK, Beats.BAR, 70, (F(0), F(3, 2), F(3)))
_CLAVE_TWO = _hit(SIDE_STICK, Beats.BAR, 70, (F(1), F(5, 2)))
_BOSSA_HATS = _hit(CLOSED_HAT, Beats.ALL, 50, grid=2)
_FOLK_STICK = _bar(_kick(Beats.STRONG, 75), _hit(SIDE_STICK, Beats.BACK, 60),
                   _hit(SHAKER, Beats.ALL, 45, grid=2))
_HOUSE_SHUFFLE = _bar(*_FOUR_ON_FLOOR[0], _hit(SHAKER, Beats.ALL, 45, (_QUARTER, F(3, 4))))


_KITS: Final[dict[Style, StyleKit]] = {
    Style.POP: StyleKit(
        Style.POP,
        DrumPart(_BACKBEAT, _QUIET_BACKBEAT, _ROCK_FILL, variants=(_POP_PUSH,)),
        BassPart(BassRule.ROOT_FIFTH, _TWO_FEEL, _WHOLE, _EIGHTHS),
        CompPart(Voicing.CLOSE, Texture.BLOCK,
                 (_TWO_FEEL, _QUARTERS,
                  _comp((F(0), F(3, 2)), (F(3, 2), F(5, 2)))),  # the pushed "and" of 2
                 _HELD, _QUARTERS, open_ok=True)),
    Style.ROCK: StyleKit(
        Style.ROCK,
        DrumPart(_bar(_kick(Beats.STRONG, 105, (F(0), _HALF)), _hit(SNARE, Beats.BACK, 110),
                      _hit(CLOSED_HAT, Beats.ALL, 80, grid=2)), _QUIET_BACKBEAT, _ROCK_FILL,
                 _bar(_kick(Beats.STRONG, 110, (F(0), _HALF)), _hit(SNARE, Beats.BACK, 115),
                      _hit(RIDE, Beats.ALL, 85, grid=2)), variants=(_ROCK_DRIVE,)),
        BassPart(BassRule.ROOT, _EIGHTHS, _TWO_FEEL, velocity=104),
        CompPart(Voicing.CLOSE, Texture.STRUM, (_EIGHTHS, _QUARTERS), _TWO_FEEL,
                 _EIGHTHS, velocity=92, open_ok=True)),
    Style.JAZZ: StyleKit(
        Style.JAZZ,
        DrumPart(_RIDE_SWING, _BRUSHES, _JAZZ_FILL, variants=(_TWO_BEAT_RIDE,)),
        BassPart(BassRule.WALK, _QUARTERS, _TWO_FEEL, velocity=90),
        CompPart(Voicing.SHELL, Texture.BLOCK,
                 (_comp((F(0), F(1)), (F(3, 2), _HALF)),  # Charleston
                  _comp((F(3, 2), _HALF), (F(7, 2), _HALF)),  # the "ands" of 2 and 4
                  _comp((F(0), _HALF), (F(5, 2), F(1)))),
                 _bar(Pulse(Beats.CHORD, length=F(1))),
                 _comp((F(0), F(1)), (F(3, 2), _HALF), (F(3), F(1))),
                 voices=3, add_sevenths=True, velocity=72)),
    Style.SWING: StyleKit(
        Style.SWING,
        DrumPart(_bar(*_RIDE_SWING[0], _kick(Beats.ALL, 50), _hit(SNARE, Beats.BACK, 55)),
                 _RIDE_SWING, _JAZZ_FILL,
                 variants=(_bar(*_RIDE_SWING[0], _kick(Beats.ALL, 50),  # snare "drops"
                                _hit(SNARE, Beats.BAR, 60, (F(5, 2), F(7, 2)))),)),
        BassPart(BassRule.WALK, _QUARTERS, _TWO_FEEL, velocity=96),
        CompPart(Voicing.SHELL, Texture.BLOCK,
                 (_bar(Pulse(Beats.ALL, length=F(3, 4), velocity=70)),  # four to the bar
                  _comp((F(0), F(1)), (F(3, 2), _HALF))),
                 _TWO_FEEL, voices=3, add_sevenths=True, velocity=74)),
    Style.BLUES: StyleKit(
        Style.BLUES,
        DrumPart(_bar(_kick(Beats.STRONG, 95), _hit(SNARE, Beats.BACK, 100),
                      _hit(CLOSED_HAT, Beats.ALL, 70, (F(0), _HALF))),
                 _bar(_kick(Beats.FIRST, 75), _hit(SIDE_STICK, Beats.BACK, 60),
                      _hit(RIDE, Beats.ALL, 55)), _JAZZ_FILL, variants=(_RIDE_SHUFFLE,)),
        BassPart(BassRule.BOOGIE, _QUARTERS, _TWO_FEEL),
        CompPart(Voicing.CLOSE, Texture.BLOCK,
                 (_bar(Pulse(Beats.ALL, (F(0), _HALF), _HALF, 78)),  # shuffle eighths
                  _comp((F(0), F(1)), (F(3, 2), _HALF), (F(2), F(1)), (F(7, 2), _HALF))),
                 _HELD, voices=4, add_sevenths=True, velocity=78, open_ok=True)),
    Style.BOSSA_NOVA: StyleKit(
        Style.BOSSA_NOVA,
        DrumPart(((_BOSSA_KICK, _CLAVE_THREE, _BOSSA_HATS),
                  (_BOSSA_KICK, _CLAVE_TWO, _BOSSA_HATS)),
                 _bar(_hit(CLOSED_HAT, Beats.ALL, 45, grid=2), _kick(Beats.STRONG, 55)),
                 _SOFT_FILL,
                 variants=(((_BOSSA_KICK, _CLAVE_TWO, _BOSSA_HATS),
                            (_BOSSA_KICK, _CLAVE_THREE, _BOSSA_HATS)),)),
        BassPart(BassRule.ROOT_FIFTH,
                 _bar(Pulse(Beats.BAR, (F(0),), F(3, 2)), Pulse(Beats.BAR, (F(3, 2),), _HALF),
                      Pulse(Beats.BAR, (F(2),), F(3, 2)), Pulse(Beats.BAR, (F(7, 2),), _HALF)),
                 _TWO_FEEL, velocity=84),
        CompPart(Voicing.CLOSE, Texture.BLOCK,
                 ((_comp((F(0), F(1)), (F(3, 2), F(1)), (F(3), F(1)))[0],
                   _comp((F(1, 2), F(1)), (F(2), F(1)), (F(7, 2), _HALF))[0]),
                  (_comp((F(1, 2), F(1)), (F(2), F(1)), (F(7, 2), _HALF))[0],
                   _comp((F(0), F(1)), (F(3, 2), F(1)), (F(3), F(1)))[0])),
                 _HELD, voices=4, add_sevenths=True, velocity=70, open_ok=True)),
    Style.FOLK: StyleKit(
        Style.FOLK,
        DrumPart(_bar(_kick(Beats.FIRST, 75), _hit(TAMBOURINE, Beats.BACK, 65),
                      _hit(SHAKER, Beats.ALL, 45, grid=2)),
                 _bar(_hit(SHAKER, Beats.ALL, 40, grid=2)), _SOFT_FILL, variants=(_FOLK_STICK,)),
        BassPart(BassRule.ALTERNATE, _TWO_FEEL, _WHOLE, _QUARTERS, velocity=88),
        CompPart(Voicing.CLOSE, Texture.STRUM,
                 (_comp((F(0), F(1)), (F(1), _HALF), (F(3, 2), F(1)), (F(5, 2), _HALF),
                        (F(3), _HALF), (F(7, 2), _HALF)),
                  _comp((F(0), F(1)), (F(1), _HALF), (F(3, 2), _HALF), (F(2), F(1)),
                        (F(3), _HALF), (F(7, 2), _HALF))),  # down, down-up, down, down-up
                 _QUARTERS, _EIGHTHS, velocity=80, open_ok=True)),
    Style.REEL: StyleKit(
        Style.REEL,
        DrumPart(_bar(_kick(Beats.STRONG, 85), _hit(SNARE, Beats.BACK, 75),
                      _hit(CLOSED_HAT, Beats.ALL, 55, grid=2)),
                 _bar(_hit(SHAKER, Beats.ALL, 45, grid=2)), _SOFT_FILL,
                 variants=(_bar(_kick(Beats.STRONG, 85), _hit(TAMBOURINE, Beats.BACK, 70),
                                _hit(SHAKER, Beats.ALL, 50, grid=2)),)),
        BassPart(BassRule.ALTERNATE, _QUARTERS, _TWO_FEEL),
        CompPart(Voicing.CLOSE, Texture.STRUM,
                 (_bar(Pulse(Beats.ALL, (F(0), _HALF), _HALF)),
                  _comp((F(0), _HALF), (F(1), _HALF), (F(3, 2), _HALF), (F(2), _HALF),
                        (F(3), _HALF), (F(7, 2), _HALF))),  # a guitar's boom, boom-chk
                 _TWO_FEEL, velocity=82, open_ok=True)),
    Style.JIG: StyleKit(
        Style.JIG,
        DrumPart(_bar(_kick(Beats.FIRST, 85), _hit(SIDE_STICK, Beats.BACK, 70),
                      _hit(TAMBOURINE, Beats.ALL, 50, grid=2)),
                 _bar(_hit(SHAKER, Beats.ALL, 45, grid=2)), _SOFT_FILL,
                 variants=(_bar(_kick(Beats.ALL, 75), _hit(SIDE_STICK, Beats.BACK, 65),
                                _hit(SHAKER, Beats.ALL, 50, grid=2)),)),
        BassPart(BassRule.ALTERNATE, _QUARTERS, _WHOLE),
        CompPart(Voicing.CLOSE, Texture.STRUM,
                 (_bar(Pulse(Beats.ALL, (F(0), _HALF), _HALF)),  # the long-short lilt
                  _bar(Pulse(Beats.ALL, length=_HALF, grid=2))),  # down-up-up, three eighths
                 _QUARTERS, voices=3, velocity=80, open_ok=True)),
    Style.WALTZ: StyleKit(
        Style.WALTZ,
        DrumPart(_bar(_kick(Beats.FIRST, 75), _hit(PEDAL_HAT, Beats.WEAK, 55)),
                 _bar(_kick(Beats.FIRST, 60)), _SOFT_FILL,
                 variants=(_bar(_kick(Beats.FIRST, 70), _hit(RIDE, Beats.WEAK, 50)),)),
        BassPart(BassRule.ALTERNATE, _bar(Pulse(Beats.FIRST, length=F(1))), _WHOLE),
        CompPart(Voicing.CLOSE, Texture.AFTERBEAT,
                 (_bar(Pulse(Beats.WEAK, length=F(3, 4))),  # oom-pah-pah
                  _comp((F(1), F(3, 2)), (F(5, 2), _HALF))),  # pah on 2, a lift into 1
                 _bar(Pulse(Beats.WEAK, length=F(3, 4), velocity=70)),
                 voices=3, velocity=72)),
    Style.MARCH: StyleKit(
        Style.MARCH,
        DrumPart(_bar(_kick(Beats.ALL, 95), _hit(SNARE, Beats.ALL, 95),
                      _hit(SNARE, Beats.ALL, 65, (_HALF, F(3, 4)))),
                 _bar(_kick(Beats.FIRST, 75), _hit(SNARE, Beats.ALL, 60)),
                 Fill((SNARE,), beats=1, grid=8, velocity=(60, 110)),  # a press roll
                 variants=(_bar(_kick(Beats.STRONG, 95), _hit(SNARE, Beats.ALL, 85, grid=2),
                                _hit(CRASH, Beats.FIRST, 55)),)),
        BassPart(BassRule.ALTERNATE, _QUARTERS, _TWO_FEEL, velocity=96),
        CompPart(Voicing.CLOSE, Texture.AFTERBEAT,
                 (_bar(Pulse(Beats.ALL, _AND, _HALF)),  # the "ands": oom-pah
                  _bar(Pulse(Beats.BACK, length=_HALF))),  # the brass on the off-beats
                 _bar(Pulse(Beats.BACK)),
                 voices=3, velocity=82)),
    Style.CHORALE: StyleKit(
        Style.CHORALE,
        DrumPart(_bar(_kick(Beats.FIRST, 50)), _bar(_kick(Beats.FIRST, 40)), _SOFT_FILL,
                 variants=(_bar(_kick(Beats.STRONG, 45)),)),
        BassPart(BassRule.ROOT, _HELD, _HELD, velocity=80),
        CompPart(Voicing.CLOSE, Texture.BLOCK, (_HELD, _TWO_FEEL), _HELD, voices=3, legato=F(1),
                 velocity=72, open_ok=True)),  # close or open position
    Style.CLASSICAL: StyleKit(
        Style.CLASSICAL,
        DrumPart(_bar(_kick(Beats.FIRST, 55)), _bar(_kick(Beats.FIRST, 45)), _SOFT_FILL,
                 variants=(_bar(_kick(Beats.STRONG, 50)),)),  # timpani on the strong beats
        BassPart(BassRule.ROOT_FIFTH, _TWO_FEEL, _HELD, _QUARTERS, velocity=80),
        CompPart(Voicing.CLOSE, Texture.ARPEGGIO,
                 (_EIGHTHS, _bar(Pulse(Beats.ALL, length=F(1, 3), grid=3))),  # or triplets
                 _QUARTERS,
                 _bar(Pulse(Beats.ALL, length=_QUARTER, grid=4)), voices=3,
                 arpeggio=(0, 2, 1, 2), velocity=70, open_ok=True)),  # Alberti bass figure
    Style.AMBIENT: StyleKit(
        Style.AMBIENT,
        DrumPart(_bar(_kick(Beats.FIRST, 50), _hit(SHAKER, Beats.ALL, 35, _AND)),
                 _bar(_hit(SHAKER, Beats.ALL, 30, _AND)), _SOFT_FILL,
                 variants=(_bar(_kick(Beats.BAR, 45, (F(0), F(5, 2))),
                                _hit(SHAKER, Beats.ALL, 30, grid=2)),)),
        BassPart(BassRule.ROOT, _HELD, _HELD, velocity=70),
        CompPart(Voicing.SPREAD, Texture.BLOCK, (_HELD, _WHOLE), _HELD, legato=F(1),
                 velocity=62)),
    Style.LOFI_HIP_HOP: StyleKit(
        Style.LOFI_HIP_HOP,
        DrumPart(_bar(_kick(Beats.BAR, 90, (F(0), F(5, 2))), _hit(SNARE, Beats.BACK, 80),
                      _hit(CLOSED_HAT, Beats.ALL, 50, grid=2)),
                 _bar(_kick(Beats.FIRST, 70), _hit(SIDE_STICK, Beats.BACK, 55),
                      _hit(CLOSED_HAT, Beats.ALL, 40)), _SOFT_FILL,
                 variants=(_bar(_kick(Beats.BAR, 90, (F(0), F(3, 2), F(5, 2))),
                                _hit(SNARE, Beats.BACK, 80),
                                _hit(CLOSED_HAT, Beats.ALL, 45, grid=2),
                                _hit(OPEN_HAT, Beats.BAR, 40, (F(7, 2),))),)),
        BassPart(BassRule.ROOT_FIFTH,
                 _bar(Pulse(Beats.BAR, (F(0),), F(3, 2)), Pulse(Beats.BAR, (F(5, 2),), F(1))),
                 _WHOLE, velocity=86),
        CompPart(Voicing.CLOSE, Texture.BLOCK,
                 (_comp((F(0), F(5, 2)), (F(5, 2), F(3, 2))),
                  _comp((F(1, 2), F(2)), (F(3), F(1)))),  # laid back behind the beat
                 _HELD, voices=4, add_sevenths=True, velocity=66, open_ok=True),
        swing_ratio=F(3, 5)),  # a lazier swing than jazz's full triplet
    Style.EDM: StyleKit(
        Style.EDM,
        # The light groove (intro, outro) keeps a softer kick on every beat: a DJ mixes
        # in and out on it; the hats and claps thin out instead.
        DrumPart(_FOUR_ON_FLOOR, _bar(_kick(Beats.ALL, 85),
                                      _hit(CLOSED_HAT, Beats.ALL, 50, _AND),
                                      _hit(CLAP, Beats.BACK, 60)), _ROLL,
                 _bar(*_FOUR_ON_FLOOR[0], _hit(CLOSED_HAT, Beats.ALL, 50, grid=4)),
                 variants=(_bar(_kick(Beats.ALL, 110), _hit(SNARE, Beats.BACK, 95),
                                _hit(OPEN_HAT, Beats.ALL, 75, _AND),
                                _hit(CLOSED_HAT, Beats.ALL, 45, (_QUARTER, F(3, 4)))),)),
        BassPart(BassRule.OCTAVES, _EIGHTHS, _WHOLE, velocity=104),
        CompPart(Voicing.CLOSE, Texture.BLOCK,
                 (_bar(Pulse(Beats.ALL, _AND, _QUARTER)),  # off-beat stabs
                  _comp((F(0), F(1)), (F(3, 2), F(1)), (F(3), F(1)))),  # 3 + 3 + 2 eighths
                 _HELD, velocity=90, open_ok=True)),
    Style.HOUSE: StyleKit(
        Style.HOUSE,
        DrumPart(_bar(*_FOUR_ON_FLOOR[0], _hit(CLOSED_HAT, Beats.ALL, 45)),
                 _bar(_kick(Beats.ALL, 90), _hit(OPEN_HAT, Beats.ALL, 60, _AND)), _ROLL,
                 variants=(_HOUSE_SHUFFLE,)),
        BassPart(BassRule.OCTAVES, _bar(Pulse(Beats.ALL, _AND, _HALF)), _WHOLE, _EIGHTHS,
                 velocity=100),
        CompPart(Voicing.CLOSE, Texture.BLOCK,
                 (_bar(Pulse(Beats.ALL, _AND, _QUARTER)),  # off-beat organ stabs
                  _comp((F(1, 2), _HALF), (F(3, 2), _HALF), (F(5, 2), _QUARTER),
                        (F(11, 4), _HALF))),  # a piano riff pushing the 16th before 4
                 _TWO_FEEL, velocity=88, open_ok=True)),
}


def style_kit(style: Style) -> StyleKit:
    """How `style` is played: drums, bass and comping."""
    return _all_kits()[style]


@cache
def _all_kits() -> dict[Style, StyleKit]:
    """The kits above and those of the styles added in issue 13, which live in their own
    modules (built from this one's types, hence imported late)."""
    from ariaforge.composer.style_kits_groove import GROOVE_KITS
    from ariaforge.composer.style_kits_lyric import LYRIC_KITS

    return {**_KITS, **GROOVE_KITS, **LYRIC_KITS}
