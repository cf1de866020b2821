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
    # The styles added with issue 13; each default leaves the styles above unchanged.
    # A loop style's own loops (numerals; "V/7" is V with scale degree 7 in the bass);
    # empty: the learned table's (`model.progressions`).
    major_loops: tuple[str, ...] = ()
    minor_loops: tuple[str, ...] = ()
    half_cadences: tuple[str, ...] = ()  # where a half close is not on V (metal's bVII)
    dominant_vamp: bool = False  # major chords are dominant sevenths that need not resolve
    lament: float = 0.0  # chance a held minor tonic walks its bass down by semitones
    fifths: float = 0.0  # chance a phrase runs a descending circle-of-fifths sequence
    leading_dim: float = 0.0  # chance a secondary dominant becomes the diminished 7th
    raised_four: float = 0.0  # chance IV - I passes through #iv°7 (the gospel walk-up)


_JAZZ_EXT: Final = {"maj7": ("6", 0.3), "m7": ("m9", 0.2), "7": ("9", 0.25)}
_SWING_EXT: Final = {"maj7": ("6", 0.6), "m7": ("m7", 0.0), "7": ("9", 0.2)}
_BOSSA_EXT: Final = {"maj7": ("maj9", 0.35), "m7": ("m9", 0.35), "7": ("9", 0.3)}
_LOFI_EXT: Final = {"maj7": ("maj9", 0.5), "m7": ("m9", 0.5), "7": ("9", 0.5)}
_POP_BORROWED: Final = ("bVII", "bVI", "iv")

_FUNK_EXT: Final = {"7": ("9", 0.45), "m7": ("m9", 0.35)}
_GOSPEL_EXT: Final = {"maj7": ("6", 0.3), "m7": ("m9", 0.3), "7": ("9", 0.4)}
_HIP_HOP_EXT: Final = {"maj7": ("maj9", 0.3), "m7": ("m9", 0.35), "7": ("9", 0.3)}
_CHORALE_CADENCES: Final = ("IV V7 I", "ii V7 I")
_CHORALE_MINOR: Final = ("iv V7 i", "iiø7 V7 i")

# The styles added with issue 13, as a musician would describe their harmony.
NEW_STYLES: Final[dict[Style, StyleHarmony]] = {
    # One- and two-chord grooves on dominant sevenths and ninths that never resolve.
    Style.FUNK: StyleHarmony(
        loops=True, long_loop=0.5, hold=0.1, sevenths=True, dominant_vamp=True,
        extensions=_FUNK_EXT,
        major_loops=("I7 IV7", "I7 I7 IV7 I7", "I7 IV7 I7 bVII7", "I7 bVII7 IV7 I7",
                     "I7 I7 I7 IV7"),
        minor_loops=("i7 IV7", "i7 i7 IV7 i7", "i7 iv7", "i7 bVII7 i7 IV7", "i7 i7 i7 bVII7"),
        cadences=("IV7 I7", "V7 I7", "bVII7 I7"), minor_cadences=("IV7 i7", "V7 i7")),
    # Three-chord loops on I, IV and V; in minor the tonic rocks against bVII or iv.
    Style.REGGAE: StyleHarmony(
        loops=True, long_loop=0.3, hold=0.1, borrowed=("bVII",), borrowed_weight=0.05,
        major_loops=("I IV V IV", "I IV I V", "I V vi IV", "I IV", "I bVII IV I", "I vi IV V"),
        minor_loops=("i bVII", "i iv", "i bVII bVI bVII", "i iv bVII i", "i iv i bVII"),
        cadences=("IV V I", "V I"), minor_cadences=("iv bVII i", "bVII i")),
    # Dark minor loops of two to four chords, each often held two bars.
    Style.TRAP: StyleHarmony(
        loops=True, long_loop=0.5, hold=0.05,
        major_loops=("vi IV I V", "I vi IV V", "I iii vi IV", "IV vi"),
        minor_loops=("i bVI bVII i", "i bVI", "i iv", "i bVI bIII bVII", "i i bVI bVII",
                     "i bII", "i iv bVI V"),
        cadences=("IV V I", "IV I"), minor_cadences=("bVI bVII i", "iv i", "bII i")),
    # Sampled-sounding seventh-chord loops, two or four chords.
    Style.HIP_HOP: StyleHarmony(
        loops=True, long_loop=0.4, hold=0.1, sevenths=True, extensions=_HIP_HOP_EXT,
        major_loops=("Imaj7 vi7", "ii7 V7", "Imaj7 IVmaj7", "vi7 ii7 V7 Imaj7",
                     "IVmaj7 iii7 vi7 vi7"),
        minor_loops=("i7 iv7", "i7 bVImaj7", "i7 iv7 bVII7 bIIImaj7", "i7 i7 iv7 bVImaj7",
                     "i7 bVImaj7 iv7 V7"),
        cadences=("ii7 V7 I",), minor_cadences=("iv7 i", "iiø7 V7 i")),
    # Minor, dominant sevenths that resolve hard, the tonic's bass falling by semitones.
    Style.TANGO: StyleHarmony(
        per_bar=2, hold=0.3, secondary=0.35, minor_iv=0.2, lament=0.6,
        cadences=("V7 I", "IV V7 I"), minor_cadences=("V7 i", "iv V7 i", "bVI V7 i")),
    # Sevenths and ninths, secondary dominants and ii-Vs, passing diminished chords on
    # the way from I to ii and from IV back to I, and the plagal "amen" close.
    Style.GOSPEL: StyleHarmony(
        per_bar=2, hold=0.2, sevenths=True, secondary=0.45, two_five=0.3, passing_dim=0.5,
        minor_iv=0.35, raised_four=0.5, extensions=_GOSPEL_EXT,
        cadences=("IV I", "iv I", "ii7 V7 I", "IV iv I"),
        minor_cadences=("iv i", "iiø7 V7 i")),
    # I, IV and V, a chord a bar or two, the V of V on the way to V.
    Style.COUNTRY: StyleHarmony(
        loops=True, long_loop=0.35, hold=0.2, secondary=0.25,
        major_loops=("I IV I V", "I I IV I", "I IV V I", "I vi IV V", "I V IV I",
                     "I I IV IV I I V V"),
        minor_loops=("i iv i V", "i bVII bVI V", "i iv V i", "i bIII bVII i"),
        cadences=("V7 I", "IV V7 I", "II7 V7 I"), minor_cadences=("V7 i", "iv V7 i")),
    # Sevenths, ii-Vs and secondary dominants, a chord a bar of 2/4.
    Style.SAMBA: StyleHarmony(hold=0.3, sevenths=True, secondary=0.45, two_five=0.5,
                              tritone=0.15, extensions=_BOSSA_EXT,
                              cadences=("ii7 V7 I",), minor_cadences=("iiø7 V7 i",)),
    # Minor and phrygian power progressions: i-bVI-bVII, i-bII; half closes on bVII.
    # A riff chugs on the tonic (the open low string) and steps out to bII, bVI or bVII
    # and back: the tonic on half the bars or more, so power chords, which sound no third,
    # still name the key (i-bVI-bVII-bVII played as fifths alone is heard in the key of iv).
    Style.METAL: StyleHarmony(
        loops=True, long_loop=0.2, hold=0.1, borrowed=("bVI", "bVII", "bIII"),
        borrowed_weight=0.15,
        major_loops=("I bVII IV I", "I bIII IV I", "I bVI bVII I", "I I bVII IV"),
        minor_loops=("i i i bVI", "i bII i i", "i i i bVII", "i i bII i", "i bVI i i",
                     "i i bVI bVII", "i bVII i i"),
        half_cadences=("bVII",), cadences=("bVI bVII I", "IV V I"),
        minor_cadences=("bVI bVII i", "bII i", "bVII i")),
    # The minor dance loops (i-bVI-bIII-bVII), chords held a bar or two.
    Style.SYNTHWAVE: StyleHarmony(
        loops=True, long_loop=0.45, hold=0.1, borrowed=("bVI", "bVII"), borrowed_weight=0.1,
        major_loops=("I V vi IV", "vi IV I V", "I bVI bVII I", "IV V vi I"),
        minor_loops=("i bVI bIII bVII", "i bVI bVII i", "bVI bVII i i", "i bVII bVI bVII",
                     "i iv bVI bVII"),
        cadences=("IV V I", "bVI bVII I"), minor_cadences=("bVI bVII i", "iv bVII i")),
    # I-V/7-vi-IV: a loop whose bass walks down by step; borrowed iv on the way home.
    Style.BALLAD: StyleHarmony(
        loops=True, long_loop=0.3, hold=0.1, borrowed=("iv", "bVII"), borrowed_weight=0.08,
        minor_iv=0.3, inversions=0.2, secondary=0.1,
        major_loops=("I V/7 vi IV", "I V/7 vi V", "I V/7 vi iii/5 IV I/3 ii V", "vi IV I V",
                     "I vi IV V", "I I/3 IV V"),
        minor_loops=("i i/b7 bVI V", "i bVII bVI V", "i bVI bIII bVII", "i iv bVII bIII"),
        cadences=("IV V I", "ii V I", "IV iv I"), minor_cadences=("iv V i", "bVI bVII i")),
    # I, IV and V, each held a bar or two.
    Style.LULLABY: StyleHarmony(
        loops=True, long_loop=0.5, hold=0.3,
        major_loops=("I IV I V", "I I IV I", "I V I V", "I IV V I", "I vi IV V"),
        minor_loops=("i iv i V", "i i iv i", "i V i V", "i iv V i"),
        cadences=("V I", "IV V I", "IV I"), minor_cadences=("V i", "iv V i")),
    # Hymn harmony: two chords a bar, inversions, secondary dominants, full closes.
    Style.CAROL: StyleHarmony(per_bar=2, hold=0.1, secondary=0.15, inversions=0.3,
                              cadences=(*_CHORALE_CADENCES, "IV I"),
                              minor_cadences=_CHORALE_MINOR),
    # Modal and borrowed loops (i-bVI-bIII-bVII, I-bVI), long chords over pedals.
    Style.CINEMATIC: StyleHarmony(
        loops=True, bars_per_chord=2, hold=0.2, borrowed=("bVI", "bVII", "iv", "bIII"),
        borrowed_weight=0.15, minor_iv=0.3, pedal=0.35,
        major_loops=("I bVI", "I bVI bVII I", "I bVI IV I", "I V vi IV", "I iv bVI bVII",
                     "vi IV I V"),
        minor_loops=("i bVI bIII bVII", "i bVI", "i bVI iv i", "i bVII bVI bVII",
                     "i iv bVI bVII", "i bIII bVII iv"),
        half_cadences=("bVI", "bVII"), cadences=("bVI bVII I", "IV I", "iv I"),
        minor_cadences=("bVI bVII i", "iv i", "bVI V i")),
    # Fast four-chord loops, a chord a bar.
    Style.CHIPTUNE: StyleHarmony(
        loops=True, hold=0.05,
        major_loops=("I V vi IV", "vi IV I V", "I vi IV V", "I IV V IV", "I bVII IV I"),
        minor_loops=("i bVI bVII i", "i bVII bVI bVII", "i iv V i", "i bVI bIII bVII"),
        cadences=("IV V I", "ii V I"), minor_cadences=("bVI bVII i", "iv V i")),
    # Romantic harmony: secondary dominants and diminished sevenths, borrowed iv,
    # inversions, passing diminished chords.
    Style.NOCTURNE: StyleHarmony(
        per_bar=2, hold=0.3, secondary=0.4, leading_dim=0.4, passing_dim=0.3, minor_iv=0.3,
        inversions=0.3, borrowed=("iv", "bVI"), borrowed_weight=0.06,
        cadences=("ii V7 I", "IV V7 I", "iv V7 I"),
        minor_cadences=("iv V7 i", "bVI V7 i", "iiø7 V7 i")),
    # Circle-of-fifths sequences, inversions, a cadence at every phrase end.
    Style.BAROQUE: StyleHarmony(per_bar=2, hold=0.1, secondary=0.25, inversions=0.3,
                                fifths=0.7, cadences=_CHORALE_CADENCES,
                                minor_cadences=_CHORALE_MINOR),
    # Modal colour: bVII beside I, drones under whole phrases.
    Style.CELTIC: StyleHarmony(hold=0.35, borrowed=("bVII",), borrowed_weight=0.15,
                               pedal=0.35, cadences=("V I", "IV V I", "bVII I"),
                               minor_cadences=("bVII i", "bVI bVII i", "V i")),
}

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
    **NEW_STYLES,
}


def style_harmony(style: Style) -> StyleHarmony:
    return HARMONY.get(style, StyleHarmony())
