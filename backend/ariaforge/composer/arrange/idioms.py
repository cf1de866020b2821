"""Which accompaniment a chord instrument plays, as a table a musician can read and extend:
instrument family x style -> idiom. A keyboard's left hand plays oom-pah in a waltz, Alberti
in a classical piece, stride in swing; a guitar strums in pop, chugs power chords in rock,
skanks in reggae. A family's `None` row is what it plays in every style not listed; a style
missing from every row keeps the style's own comping (`Idiom.STYLE`, from `styles.py`).

The figures themselves live in `figures` (written as beats, so one table serves every
metre); `keyboard` and `guitar` play them.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from ariaforge.composer.vocabulary import Style

__all__ = ["Family", "Idiom", "family_of", "idiom_for"]


class Family(StrEnum):
    PIANO = "piano"
    EPIANO = "electric piano"  # Rhodes, Wurlitzer
    HARPSICHORD = "harpsichord"
    CLAVINET = "clavinet"
    ORGAN = "organ"
    ACCORDION = "accordion"
    HARP = "harp"
    NYLON_GUITAR = "nylon guitar"
    GUITAR = "guitar"  # steel-string acoustic, clean electric, jazz box, banjo
    DRIVEN_GUITAR = "driven guitar"  # overdrive and distortion
    OTHER = "other"  # pads, mallets, synths: the style's own comping


class Idiom(StrEnum):
    STYLE = "style"  # the style's own comping (styles.py)
    OOM_PAH = "oom-pah"  # bass note on 1, chord on the other beats
    ALBERTI = "alberti"  # broken chord low-high-middle-high
    BROKEN = "broken chord"  # the chord rising and falling, one tone an eighth
    CONTINUO = "continuo"  # a bass note every beat under rolled chords
    NOCTURNE = "nocturne"  # wide arpeggios spanning a tenth and more
    STRIDE = "stride"  # low bass on 1 and 3, a middle chord on 2 and 4
    BOOGIE = "boogie"  # the walking left-hand boogie-woogie figure
    JAZZ_SHELLS = "jazz shells"  # rootless shells over a bassist, root and shell alone
    GOSPEL = "gospel"  # full, open voicings (the passing chords are in the harmony)
    HELD = "held"  # sustained chords: the organ in a hymn, a pad
    EPIANO = "electric piano"  # soft seventh chords, spread and laid back
    STRUM = "strum"  # down- and up-strokes in the style's strumming pattern
    BOOM_CHICK = "boom-chick"  # bass note on 1 (and 3), strums between: country, waltz
    FINGERPICK = "fingerpick"  # thumb on the bass, fingers on the upper strings
    POWER = "power chords"  # root, fifth and octave, palm-muted eighths
    SKANK = "skank"  # short chords on the off-beats
    FUNK_CHOPS = "funk chops"  # short muted sixteenth-note stabs high on the neck
    BOSSA = "bossa"  # thumb bass on 1 and 3 under the style's syncopated chords
    FOUR_TO_THE_BAR = "four to the bar"  # Freddie Green: short quarter-note chords


# Rows: a family; columns: the style (None = every other style).
_TABLE: Final[Mapping[Family, Mapping[Style | None, Idiom]]] = {
    Family.PIANO: {
        Style.WALTZ: Idiom.OOM_PAH, Style.MARCH: Idiom.OOM_PAH, Style.TANGO: Idiom.OOM_PAH,
        Style.CLASSICAL: Idiom.ALBERTI, Style.BAROQUE: Idiom.CONTINUO,
        Style.NOCTURNE: Idiom.NOCTURNE, Style.BALLAD: Idiom.NOCTURNE,
        # Cinematic: a rolling ostinato a tenth wide; the strings hold the spread chords.
        Style.LULLABY: Idiom.NOCTURNE, Style.CINEMATIC: Idiom.NOCTURNE,
        Style.SWING: Idiom.STRIDE, Style.BLUES: Idiom.BOOGIE, Style.JAZZ: Idiom.JAZZ_SHELLS,
        Style.GOSPEL: Idiom.GOSPEL, Style.CHORALE: Idiom.HELD, Style.CAROL: Idiom.HELD,
        Style.REGGAE: Idiom.SKANK, Style.FUNK: Idiom.FUNK_CHOPS,
        Style.LOFI_HIP_HOP: Idiom.EPIANO, Style.FOLK: Idiom.BROKEN,
        Style.CELTIC: Idiom.BROKEN, None: Idiom.STYLE,
    },
    Family.EPIANO: {
        Style.JAZZ: Idiom.JAZZ_SHELLS, Style.SWING: Idiom.JAZZ_SHELLS,
        Style.GOSPEL: Idiom.GOSPEL, Style.FUNK: Idiom.FUNK_CHOPS, Style.REGGAE: Idiom.SKANK,
        Style.BALLAD: Idiom.NOCTURNE, None: Idiom.EPIANO,
    },
    Family.HARPSICHORD: {Style.CLASSICAL: Idiom.ALBERTI, Style.WALTZ: Idiom.OOM_PAH,
                         None: Idiom.CONTINUO},
    Family.CLAVINET: {Style.REGGAE: Idiom.SKANK, None: Idiom.FUNK_CHOPS},
    Family.ORGAN: {Style.REGGAE: Idiom.SKANK, Style.GOSPEL: Idiom.GOSPEL,
                   Style.WALTZ: Idiom.OOM_PAH, None: Idiom.HELD},
    Family.ACCORDION: {Style.CHORALE: Idiom.HELD, Style.AMBIENT: Idiom.HELD,
                       None: Idiom.OOM_PAH},
    Family.HARP: {Style.WALTZ: Idiom.OOM_PAH, Style.CLASSICAL: Idiom.BROKEN,
                  Style.BAROQUE: Idiom.BROKEN, None: Idiom.NOCTURNE},
    Family.NYLON_GUITAR: {
        Style.BOSSA_NOVA: Idiom.BOSSA, Style.SAMBA: Idiom.BOSSA, Style.TANGO: Idiom.OOM_PAH,
        Style.WALTZ: Idiom.BOOM_CHICK, Style.POP: Idiom.STRUM, Style.FOLK: Idiom.STRUM,
        Style.REGGAE: Idiom.SKANK, None: Idiom.FINGERPICK,
    },
    Family.GUITAR: {
        Style.BALLAD: Idiom.FINGERPICK, Style.LULLABY: Idiom.FINGERPICK,
        Style.NOCTURNE: Idiom.FINGERPICK, Style.CLASSICAL: Idiom.FINGERPICK,
        Style.BAROQUE: Idiom.FINGERPICK, Style.AMBIENT: Idiom.FINGERPICK,
        Style.CINEMATIC: Idiom.FINGERPICK,
        Style.COUNTRY: Idiom.BOOM_CHICK, Style.WALTZ: Idiom.BOOM_CHICK,
        Style.MARCH: Idiom.BOOM_CHICK,
        Style.ROCK: Idiom.POWER, Style.METAL: Idiom.POWER, Style.REGGAE: Idiom.SKANK,
        Style.FUNK: Idiom.FUNK_CHOPS, Style.HOUSE: Idiom.FUNK_CHOPS,
        Style.BOSSA_NOVA: Idiom.BOSSA, Style.SAMBA: Idiom.BOSSA,
        Style.SWING: Idiom.FOUR_TO_THE_BAR, Style.JAZZ: Idiom.FOUR_TO_THE_BAR,
        Style.CHORALE: Idiom.FINGERPICK, Style.CAROL: Idiom.FINGERPICK, None: Idiom.STRUM,
    },
    Family.DRIVEN_GUITAR: {Style.REGGAE: Idiom.SKANK, Style.FUNK: Idiom.FUNK_CHOPS,
                           Style.AMBIENT: Idiom.HELD, None: Idiom.POWER},
}

# General MIDI programs (0-based) of each family.
_PROGRAMS: Final[Mapping[Family, range | tuple[int, ...]]] = {
    Family.PIANO: range(4), Family.EPIANO: (4, 5), Family.HARPSICHORD: (6,),
    Family.CLAVINET: (7,), Family.ORGAN: range(16, 21), Family.ACCORDION: (21, 23),
    Family.HARP: (46,), Family.NYLON_GUITAR: (24,),
    Family.GUITAR: (25, 26, 27, 28, 31, 105, 106, 107), Family.DRIVEN_GUITAR: (29, 30),
}

GUITARS: Final = frozenset({Family.NYLON_GUITAR, Family.GUITAR, Family.DRIVEN_GUITAR})
# Idioms whose figure is itself a bass line: over a bassist the style's comping plays.
BASS_LINES: Final = frozenset({Idiom.BOOGIE})
# Idioms that sustain rather than comp: a second chord part beside them comps, and one
# beside a comping part sustains (rank in `Ensemble`).
SUSTAINED: Final = frozenset({Idiom.HELD})


def family_of(program: int) -> Family:
    """The family of a General MIDI program (0-based)."""
    for family, programs in _PROGRAMS.items():
        if program in programs:
            return family
    return Family.OTHER


def idiom_for(family: Family, style: Style) -> Idiom:
    """What `family` plays in `style`: its own row, else its default, else the style's."""
    row = _TABLE.get(family, {})
    return row.get(style, row.get(None, Idiom.STYLE))
