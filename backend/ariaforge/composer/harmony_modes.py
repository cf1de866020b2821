"""Modal harmony that makes the mode audible.

A church mode is heard through the chord that holds its characteristic degree: bII in
phrygian (the b2), II major in lydian (the #4), bVII in mixolydian (the b7), IV major in
dorian (the natural 6), bVI and bVII in aeolian. Those chords are weighted up, every phrase
gets at least one of them, and phrases close on them (bII-i, II-I, bVII-I, IV-i) instead of
on a major V, which would bring in the leading tone the mode does not have. Chords outside
the mode never appear: harmony samples only chords whose tones are all in the scale.
"""

from __future__ import annotations

from typing import Final

from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Key, Mode

# mode -> its characteristic chords (numerals), the first the strongest.
CHARACTERISTIC: Final[dict[Mode, tuple[str, ...]]] = {
    Mode.PHRYGIAN: ("bII", "bvii"),
    Mode.LYDIAN: ("II", "vii"),
    Mode.MIXOLYDIAN: ("bVII", "v"),
    Mode.DORIAN: ("IV", "ii"),
    Mode.AEOLIAN: ("bVI", "bVII"),
}
# How a modal phrase closes: authentic (the characteristic chord to the tonic) and half
# (it stops on the characteristic chord).
MODAL_CADENCES: Final[dict[Mode, tuple[str, ...]]] = {
    Mode.PHRYGIAN: ("bII i", "bvii bII i"),
    Mode.LYDIAN: ("II I", "vii II I"),
    Mode.MIXOLYDIAN: ("bVII I", "v bVII I"),
    Mode.DORIAN: ("IV i", "ii IV i"),
    Mode.AEOLIAN: ("bVII i", "bVI bVII i"),
}
# Loops for loop styles (pop, rock, edm, house, lo-fi) in a mode: tonic-characteristic
# vamps, as modal rock and dance music play them, the tonic on half the bars.
MODAL_LOOPS: Final[dict[Mode, tuple[str, ...]]] = {
    Mode.PHRYGIAN: ("i bII i bII", "i bII i i", "i iv i bII", "i iv bII i"),
    Mode.LYDIAN: ("I II I II", "I II vii I", "I II I vii", "I vi II I"),
    Mode.MIXOLYDIAN: ("I bVII I bVII", "I bVII IV I", "I v bVII I", "I bVII I v"),
    # i-IV is dorian's vamp, but its IV and bVII are the parent major's I and IV: the vamp
    # that stays on i three bars in four is the one heard in the mode even as fifths alone.
    Mode.DORIAN: ("i IV i IV", "i ii IV i", "i IV i bVII", "i bVII IV i", "i i IV i"),
    Mode.AEOLIAN: ("i bVI bVII i", "i bVII bVI bVII", "i iv bVI bVII", "i bVI i bVII"),
}
CHARACTERISTIC_WEIGHT: Final = 4.0  # how much more likely the model's proposal becomes
# A mode is only heard as itself when its tonic dominates: otherwise the same notes are
# heard in the parent major key (E phrygian as C major). So the tonic chord is favoured and
# held longer, and the parent key's own tonic chord (bVI in phrygian, V in lydian, IV in
# mixolydian, bVII in dorian, bIII in aeolian) is played less.
TONIC_WEIGHT: Final = 3.0
TONIC_FLOOR: Final = 0.15
TONIC_HOLD: Final = 0.5
PARENT_TONIC: Final = {Mode.PHRYGIAN: 8, Mode.LYDIAN: 7, Mode.MIXOLYDIAN: 5,
                       Mode.DORIAN: 10, Mode.AEOLIAN: 3}
PARENT_WEIGHT: Final = 0.4
# Styles whose modal pieces still cadence on a major V (the tonal minor of Bach's dorian
# chorales); they keep the characteristic chords inside phrases.
TONAL_CADENCE_STYLES: Final = frozenset({Style.CHORALE, Style.CLASSICAL, Style.CAROL,
                                         Style.BAROQUE, Style.NOCTURNE})


def is_modal(key: Key) -> bool:
    return key.mode in CHARACTERISTIC


def modal_cadences(key: Key, style: Style) -> tuple[str, ...] | None:
    """The cadence formulas for a modal key, or None where tonal cadences apply."""
    if style in TONAL_CADENCE_STYLES:
        return None
    return MODAL_CADENCES.get(key.mode)
