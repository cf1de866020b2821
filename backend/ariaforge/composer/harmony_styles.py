"""What each style's harmony is made of, as data: how fast chords change, which chromatic
colours it uses and how often, and how it closes a phrase.

The learned harmony model proposes the diatonic skeleton (or, for loop styles, ranks the
style's loops); the colours here are then applied where the skeleton gives them a place:
a secondary dominant needs a chord to resolve to, a ii-V needs a target, a passing
diminished seventh needs I moving to ii. Numerals are relative to the major scale of the
tonic (see `model.progressions.numeral_token`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from ariaforge.composer.vocabulary import Style


@dataclass(frozen=True)
class StyleHarmony:
    per_bar: int = 1  # chord cells per bar in 2- and 4-beat metres below 170 bpm
    bars_per_chord: int = 1  # 2: chords change every other bar (ambient)
    hold: float = 0.25  # chance a cell keeps the chord before it
    loops: bool = False  # sections tile one of the style's loops
    long_loop: float = 0.0  # chance a loop's chords last two bars each
    borrowed: tuple[str, ...] = ()  # chords from the parallel minor, in major keys
    borrowed_weight: float = 0.0  # their share of the sampling weight
    secondary: float = 0.0  # chance a chord before a diatonic target becomes V7/target
    two_five: float = 0.0  # chance a target is approached by its own ii-V
    tritone: float = 0.0  # chance a dominant seventh becomes its tritone substitute
    passing_dim: float = 0.0  # chance I -> ii passes through #I°7
    minor_iv: float = 0.0  # chance IV before I turns minor (IV-iv-I)
    sevenths: bool = False  # chords sound as their diatonic sevenths
    extensions: dict[str, tuple[str, float]] = field(default_factory=dict)
    pedal: float = 0.0  # chance a phrase rides over a tonic pedal
    inversions: float = 0.0  # chance an inner chord is in first inversion
    # Authentic cadences in major and minor keys, the last cells of a phrase.
    cadences: tuple[str, ...] = ("V7 I",)
    minor_cadences: tuple[str, ...] = ("V7 i",)


_JAZZ_EXT: Final = {"maj7": ("6", 0.3), "m7": ("m9", 0.2), "7": ("9", 0.25)}
_SWING_EXT: Final = {"maj7": ("6", 0.6), "m7": ("m7", 0.0), "7": ("9", 0.2)}
_BOSSA_EXT: Final = {"maj7": ("maj9", 0.35), "m7": ("m9", 0.35), "7": ("9", 0.3)}
_LOFI_EXT: Final = {"maj7": ("maj9", 0.5), "m7": ("m9", 0.5), "7": ("9", 0.5)}
_POP_BORROWED: Final = ("bVII", "bVI", "iv")

HARMONY: Final[dict[Style, StyleHarmony]] = {
    Style.POP: StyleHarmony(loops=True, long_loop=0.15, hold=0.1, borrowed=_POP_BORROWED,
                            borrowed_weight=0.1, minor_iv=0.35, secondary=0.08),
    Style.ROCK: StyleHarmony(loops=True, long_loop=0.1, hold=0.15,
                             borrowed=("bVII", "bIII", "bVI"), borrowed_weight=0.15),
    Style.EDM: StyleHarmony(loops=True, long_loop=0.35, hold=0.1, borrowed=("bVI", "bVII"),
                            borrowed_weight=0.1),
    Style.HOUSE: StyleHarmony(loops=True, long_loop=0.3, hold=0.2, borrowed=("bVII",),
                              borrowed_weight=0.05),
    Style.LOFI_HIP_HOP: StyleHarmony(loops=True, hold=0.1, sevenths=True, passing_dim=0.5,
                                     secondary=0.3, extensions=_LOFI_EXT,
                                     cadences=("ii7 V7 I",), minor_cadences=("iiø7 V7 i",)),
    Style.JAZZ: StyleHarmony(per_bar=2, hold=0.3, sevenths=True, secondary=0.45,
                             two_five=0.7, tritone=0.3, passing_dim=0.4,
                             extensions=_JAZZ_EXT, cadences=("ii7 V7 I",),
                             minor_cadences=("iiø7 V7 i",)),
    Style.SWING: StyleHarmony(per_bar=2, hold=0.3, sevenths=True, secondary=0.5,
                              two_five=0.65, tritone=0.25, passing_dim=0.6,
                              extensions=_SWING_EXT, cadences=("ii7 V7 I",),
                              minor_cadences=("iiø7 V7 i",)),
    Style.BOSSA_NOVA: StyleHarmony(per_bar=2, hold=0.35, sevenths=True, secondary=0.45,
                                   two_five=0.55, tritone=0.3, extensions=_BOSSA_EXT,
                                   cadences=("ii7 V7 I",), minor_cadences=("iiø7 V7 i",)),
    Style.BLUES: StyleHarmony(),
    Style.FOLK: StyleHarmony(hold=0.35),
    Style.REEL: StyleHarmony(hold=0.35),
    Style.JIG: StyleHarmony(hold=0.3),
    Style.WALTZ: StyleHarmony(hold=0.35, secondary=0.15),
    Style.MARCH: StyleHarmony(hold=0.3, secondary=0.15),
    Style.CHORALE: StyleHarmony(per_bar=2, hold=0.1, secondary=0.15, inversions=0.3,
                                cadences=("IV V7 I", "ii V7 I"),
                                minor_cadences=("iv V7 i", "iiø7 V7 i")),
    Style.CLASSICAL: StyleHarmony(per_bar=2, hold=0.25, secondary=0.3, minor_iv=0.15,
                                  inversions=0.15,
                                  cadences=("II7 V7 I", "IV V7 I", "ii V7 I"),
                                  minor_cadences=("iv V7 i", "bVI V7 i", "iiø7 V7 i")),
    Style.AMBIENT: StyleHarmony(bars_per_chord=2, hold=0.2, borrowed=("bVI", "iv", "bVII"),
                                borrowed_weight=0.1, minor_iv=0.3, pedal=0.8,
                                cadences=("IV I", "V I"), minor_cadences=("iv i", "bVII i")),
}


def style_harmony(style: Style) -> StyleHarmony:
    return HARMONY.get(style, StyleHarmony())
