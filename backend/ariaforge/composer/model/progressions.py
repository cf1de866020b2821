"""Hand-written idiomatic progressions for the styles the training corpus has no data for.

The corpus is folk dance tunes and Bach chorales: nothing in it sounds like pop, jazz or
house. For those styles the harmony model is trained on these loops as extra, weighted
sequences under the style's own context, and backs off to what every style shares (see
training/MODEL_CARD.md). Numerals are relative to the major scale of the tonic, so minor
keys spell their flat degrees (i bVI bIII bVII).
"""

from __future__ import annotations

import re
from typing import Final

from ariaforge.composer.model.tokens import chord_token

# style -> mode family ("maj" or "min") -> loops, each played as a cycle.
PROGRESSIONS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "pop": {"maj": ("I V vi IV", "vi IV I V", "I vi IV V", "I IV vi V", "IV I V vi",
                    "I V IV IV", "I iii IV V", "I bVII IV I", "I bVI bVII I", "I IV iv I"),
            "min": ("i bVI bIII bVII", "i iv bVI V", "i bVII bVI bVII", "bVI bVII i i",
                    "i bIII bVII iv")},
    "rock": {"maj": ("I bVII IV I", "I IV V IV", "I V bVII IV", "I bIII IV I", "I IV I V",
                     "vi IV I V"),
             "min": ("i bVII bVI bVII", "i iv bVII i", "i bVI bVII i", "i bIII iv bVI",
                     "i bVII iv i")},
    "jazz": {"maj": ("ii7 V7 Imaj7 Imaj7", "Imaj7 vi7 ii7 V7", "iii7 VI7 ii7 V7",
                     "Imaj7 IV7 iii7 VI7", "ii7 V7 iii7 VI7", "IVmaj7 iv7 iii7 VI7"),
             "min": ("iiø7 V7 i7 i7", "i7 iv7 bVII7 bIIImaj7", "bVImaj7 iiø7 V7 i7",
                     "i7 i7 iv7 V7")},
    "swing": {"maj": ("I6 vi7 ii7 V7", "I VI7 II7 V7", "Imaj7 I7 IVmaj7 iv7", "iii7 VI7 ii7 V7",
                      "I6 I6 ii7 V7"),
              "min": ("i6 iv7 V7 i6", "i7 iiø7 V7 i7")},
    "blues": {"maj": ("I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7",),
              "min": ("i7 iv7 i7 i7 iv7 iv7 i7 i7 bVI7 V7 i7 V7",)},
    "bossa-nova": {"maj": ("Imaj7 II7 ii7 V7", "Imaj7 vi7 ii7 V7", "ii7 V7 Imaj7 IVmaj7",
                           "Imaj9 II7 ii9 V7"),
                   "min": ("i7 iv7 V7 i7", "i7 iiø7 V7 i7", "i6 iv7 bVII7 bIIImaj7")},
    "ambient": {"maj": ("I IV", "Imaj7 IVmaj7", "I iii IV I", "vi IV I V", "Iadd9 IVmaj7"),
                "min": ("i bVI", "i iv bVI bIII", "i7 bVImaj7", "i bVII bVI bVII")},
    "lofi-hip-hop": {"maj": ("ii7 V7 Imaj7 vi7", "IVmaj7 iii7 ii7 Imaj7", "Imaj7 vi7 ii7 V7",
                             "IVmaj7 V7 iii7 vi7"),
                     "min": ("i7 iv7 bVIImaj7 bIIImaj7", "i9 iv9 i9 V7", "bVImaj7 iv7 i7 i7")},
    "edm": {"maj": ("vi IV I V", "I V vi IV", "IV V vi vi", "vi V IV V", "I bVI bVII I"),
            "min": ("i bVI bIII bVII", "i bVI bVII i", "i bVII bVI bVII", "bVI bVII i i")},
    "house": {"maj": ("I vi IV V", "ii7 V7 Imaj7 Imaj7", "IVmaj7 V7 iii7 vi7", "vi7 ii7 V7 I"),
              "min": ("i7 bVII bVI bVII", "i7 iv7 i7 iv7", "i bVI bVII i")},
    "classical": {"maj": ("I IV V I", "I ii V7 I", "I vi IV V7", "I V vi iii IV I IV V",
                          "I IV I V"),
                  "min": ("i iv V7 i", "i bVI iv V", "i iiø7 V7 i", "i iv bVII bIII bVI iiø7 V")},
}

# How much one loop counts against one corpus sequence: the styles without data lean on
# their loops; classical has the chorales and gets a lighter touch.
STYLE_WEIGHT: Final = {"classical": 2.0}
DEFAULT_WEIGHT: Final = 20.0
LOOP_REPEATS: Final = 3

_DEGREES: Final = {"I": 0, "II": 2, "III": 4, "IV": 5, "V": 7, "VI": 9, "VII": 11}
_NUMERAL = re.compile(r"^(?P<accidental>[b#]?)(?P<numeral>VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|"
                      r"ii|i)(?P<mark>[°ø+]?)(?P<suffix>maj9|maj7|add9|sus4|7|6|9)?$")
_UPPER: Final = {"": "maj", "7": "7", "maj7": "maj7", "6": "6", "9": "9", "maj9": "maj9",
                 "sus4": "sus4", "add9": "maj"}
_LOWER: Final = {"": "min", "7": "m7", "6": "m6", "9": "m9"}


def numeral_token(numeral: str) -> str:
    """"V7" -> "7:7", "bVI" -> "8:maj", "iiø7" -> "2:m7b5", "vii°" -> "11:dim"."""
    match = _NUMERAL.match(numeral)
    if not match:
        raise ValueError(f"not a numeral this table reads: {numeral!r}")
    degree = _DEGREES[match["numeral"].upper()] + {"b": -1, "#": 1, "": 0}[match["accidental"]]
    mark, suffix = match["mark"], match["suffix"] or ""
    if mark == "°":
        quality = "dim7" if suffix == "7" else "dim"
    elif mark == "ø":
        quality = "m7b5"
    elif mark == "+":
        quality = "aug"
    elif match["numeral"].isupper():
        quality = _UPPER[suffix]
    else:
        quality = _LOWER[suffix]
    return chord_token(degree, quality)


def style_sequences(style: str) -> list[tuple[str, list[str], float]]:
    """(mode family, chord tokens, weight) for each hand-written loop of a style."""
    weight = STYLE_WEIGHT.get(style, DEFAULT_WEIGHT)
    sequences = []
    for family, loops in PROGRESSIONS.get(style, {}).items():
        for loop in loops:
            tokens = [numeral_token(n) for n in loop.split()]
            sequences.append((family, tokens * LOOP_REPEATS, weight))
    return sequences
