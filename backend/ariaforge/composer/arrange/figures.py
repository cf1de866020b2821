"""The accompaniment figures of `idioms`, as data: what a keyboard's left hand or a guitar
plays in each felt beat of a bar. A figure says, for the bar's first beat, its other strong
beats and its weak beats, which steps sound (where in the beat, how long in beats, and
what: the bass note, the fifth, the chord, an arpeggio tone...). Written in felt beats, one
figure serves every metre: an oom-pah is bass-chord-chord in 3/4 and bass-chord-fifth-chord
in 4/4.

Arpeggios walk `cycle` over a ladder of the chord's tones (`Ladder`), restarting at each
chord change, so an Alberti bass is the ladder root-third-fifth walked 0, 2, 1, 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction as F
from typing import Final

from ariaforge.composer.arrange.idioms import Idiom

__all__ = ["FIGURES", "LADDER_SPANS", "Figure", "Kind", "Ladder", "Step"]


class Kind(StrEnum):
    BASS = "bass"  # the chord's bass note, low (dropped when a bassist plays)
    FIFTH = "fifth"  # the chord's fifth in the bass: the alternating bass
    TENTH = "tenth"  # the bass note and a tenth above it: a stride pianist's reach
    CHORD = "chord"  # the voicing, all together
    UPPER = "upper"  # the voicing without its lowest note: a guitar's up-stroke
    TONE = "tone"  # the next tone of the arpeggio (`Figure.cycle` over the ladder)
    POWER = "power"  # root, fifth and octave: a power chord
    RING = "ring"  # a power chord with the third on top, let ring: an open chord strummed


class Ladder(StrEnum):
    CLOSE = "close"  # root, third, fifth (seventh or octave): Alberti, broken chords
    WIDE = "wide"  # root, fifth, octave, tenth, twelfth: a nocturne, a fingerpicker
    BOOGIE = "boogie"  # root, third, fifth, sixth, flat seventh: boogie-woogie


# How far above its root each ladder reaches.
LADDER_SPANS: Final = {Ladder.CLOSE: 12, Ladder.WIDE: 19, Ladder.BOOGIE: 10}


@dataclass(frozen=True)
class Step:
    at: F  # within the beat: 0 = on it, 1/2 = its "and", 1/4 its second sixteenth
    length: F  # in beats
    kind: Kind
    accent: int = 0  # velocity added


@dataclass(frozen=True)
class Figure:
    first: tuple[Step, ...]
    weak: tuple[Step, ...]
    strong: tuple[Step, ...] | None = None  # None: as `first`
    cycle: tuple[int, ...] = (0,)
    ladder: Ladder = Ladder.CLOSE
    roll: bool = False  # chords spread low to high, as a harpsichord or harp plays them

    def steps(self, beat: int, strong: bool) -> tuple[Step, ...]:
        if beat == 0:
            return self.first
        if strong:
            return self.first if self.strong is None else self.strong
        return self.weak

    def plays(self, kind: Kind) -> bool:
        return any(step.kind is kind for steps in (self.first, self.weak, self.strong or ())
                   for step in steps)


def _every(*steps: Step) -> Figure:
    return Figure(steps, steps)


def _tones(per_beat: int, length: F) -> tuple[Step, ...]:
    return tuple(Step(F(k, per_beat), length, Kind.TONE) for k in range(per_beat))


_HALF, _QUARTER, _EIGHTH, _ONE = F(1, 2), F(1, 4), F(1, 8), F(1)
_CHOP = F(1, 6)  # a muted stab: shorter than the sixteenth it sits on
_EIGHTH_TONES = _tones(2, _HALF)

# Each idiom's figures; a seed settles on one for the piece.
FIGURES: Final[dict[Idiom, tuple[Figure, ...]]] = {
    Idiom.OOM_PAH: (Figure((Step(F(0), _ONE, Kind.BASS, 8),),
                           (Step(F(0), F(3, 4), Kind.CHORD),),
                           (Step(F(0), _ONE, Kind.FIFTH, 4),)),),
    Idiom.STRIDE: (Figure((Step(F(0), F(3, 4), Kind.TENTH, 8),),
                          (Step(F(0), _HALF, Kind.CHORD, 4),),
                          (Step(F(0), F(3, 4), Kind.FIFTH, 6),)),),
    Idiom.ALBERTI: (Figure(_EIGHTH_TONES, _EIGHTH_TONES, cycle=(0, 2, 1, 2)),),
    Idiom.BROKEN: (Figure(_EIGHTH_TONES, _EIGHTH_TONES, cycle=(0, 1, 2, 3, 2, 1)),
                   Figure(_EIGHTH_TONES, _EIGHTH_TONES, cycle=(0, 2, 1, 3, 2, 1))),
    Idiom.NOCTURNE: (Figure(_EIGHTH_TONES, _EIGHTH_TONES, cycle=(0, 1, 2, 3, 4, 3, 2, 1),
                            ladder=Ladder.WIDE),
                     Figure(_EIGHTH_TONES, _EIGHTH_TONES, cycle=(0, 1, 3, 2, 4, 2, 3, 1),
                            ladder=Ladder.WIDE)),
    Idiom.BOOGIE: (Figure(_EIGHTH_TONES, _EIGHTH_TONES, cycle=(0, 1, 2, 3, 4, 3, 2, 1),
                          ladder=Ladder.BOOGIE),),
    Idiom.CONTINUO: (Figure((Step(F(0), _ONE, Kind.BASS, 6), Step(F(0), _ONE, Kind.CHORD)),
                            (Step(F(0), _ONE, Kind.BASS),), roll=True),),
    Idiom.FINGERPICK: (Figure(_EIGHTH_TONES, _EIGHTH_TONES, cycle=(0, 2, 3, 4, 3, 2),
                              ladder=Ladder.WIDE),
                       Figure(_EIGHTH_TONES, _EIGHTH_TONES, cycle=(0, 3, 1, 4),
                              ladder=Ladder.WIDE)),  # Travis: the thumb on the beat
    Idiom.BOOM_CHICK: (Figure((Step(F(0), _ONE, Kind.BASS, 8),),
                              (Step(F(0), _HALF, Kind.CHORD), Step(_HALF, _HALF, Kind.UPPER)),
                              (Step(F(0), _ONE, Kind.FIFTH, 4),)),),
    Idiom.POWER: (_every(Step(F(0), _QUARTER, Kind.POWER, 10),
                         Step(_HALF, _QUARTER, Kind.POWER)),  # palm-muted eighths
                  # ring the downbeat open (its third says major or minor), then chug;
                  # the bar's other strong beat rings bare
                  Figure((Step(F(0), F(3, 2), Kind.RING, 12),),
                         (Step(F(0), _QUARTER, Kind.POWER, 6),
                          Step(_HALF, _QUARTER, Kind.POWER)),
                         (Step(F(0), F(3, 2), Kind.POWER, 12),))),
    Idiom.SKANK: (_every(Step(_HALF, _QUARTER, Kind.CHORD, 6)),),
    Idiom.FUNK_CHOPS: (Figure((Step(F(0), _CHOP, Kind.CHORD, 10),
                               Step(F(3, 4), _CHOP, Kind.CHORD)),
                              (Step(_QUARTER, _CHOP, Kind.CHORD),
                               Step(_HALF, _CHOP, Kind.CHORD, 6)),
                              (Step(_HALF, _CHOP, Kind.CHORD, 6),
                               Step(F(3, 4), _CHOP, Kind.CHORD))),
                       Figure((Step(F(0), _CHOP, Kind.CHORD, 10),
                               Step(_HALF, _CHOP, Kind.CHORD)),
                              (Step(_QUARTER, _CHOP, Kind.CHORD, 6),
                               Step(F(3, 4), _CHOP, Kind.CHORD)))),
    Idiom.FOUR_TO_THE_BAR: (Figure((Step(F(0), _HALF, Kind.CHORD),),
                                   (Step(F(0), _HALF, Kind.CHORD, 8),)),),
    # Under the style's own comping, when nobody else plays the bass: the bossa thumb,
    # and a plain root (fifth on the other strong beat) for every other idiom.
    Idiom.BOSSA: (Figure((Step(F(0), F(3, 2), Kind.BASS, 6),), (),
                         (Step(F(0), F(3, 2), Kind.FIFTH, 4),)),),
    Idiom.STYLE: (Figure((Step(F(0), F(2), Kind.BASS, 6),), (),
                         (Step(F(0), F(2), Kind.FIFTH, 2),)),),
}
