"""Melody rhythm vocabularies for the styles the learned rhythm model does not know, as
data, and how a cell is read and laid on the beats of any metre.

A cell is written like a drum grid, one character per sixteenth: `x` starts a note, `-`
holds it, `.` is a rest; spaces only group the characters for reading. Cells for a two-part
beat (a quarter, or two eighths of 7/8) take four characters a beat; cells for a three-part
beat (the dotted quarter of 6/8, 9/8 and 12/8) take six. A cell spans whole beats: one or
two beats fill gaps and odd metres, four fill a 4/4 bar, eight (4/4 only) make a two-bar
figure such as the bossa rhythm. A cell that starts with `3:` is written in eighth-note
triplets, three characters a quarter beat (trap's triplet flow). The number after each cell
is how often it is chosen.

What each list aims at, as a player would phrase it:
- pop: eighths with anticipations of beat 3 and of the next downbeat, and breaths;
- rock: straight eighths and quarters, pushes (an "and" tied over the beat);
- house / edm: sixteenth syncopation (3+3+2), off-beat onsets, short hooks that repeat;
- jazz / swing: eighth lines that will swing, starting off the beat, anticipations;
- blues: a call of eighths ending on a long note, then room for the answer;
- bossa nova: 3+3+2 accents over the bar and the clave's two-bar shape;
- lo-fi hip hop: laid back, sparse, long notes; ambient: halves and wholes.
None of these holds a dotted eighth next to a sixteenth (a folk "snap"): those belong to
fiddle tunes. The styles added with issue 13 are in `rhythm_cells_more`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Final

from ariaforge.composer.arrange.timing import beat_grid
from ariaforge.composer.melody import rhythm_cells_more as more
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Meter

__all__ = ["VOCABULARY", "Cell", "Placed", "layout", "parse_cell", "style_cells",
           "uses_triplets"]

Cells = tuple[tuple[str, float], ...]
Span = tuple[int, int]  # (onset, length) in ticks

_POP: Final[Cells] = (
    ("x---", 1), ("x-x-", 1.5), ("..x-", 0.5),
    ("x-x- x-x-", 2), ("x--- x-x-", 2), ("x-x- x---", 2), ("x-x- --x-", 2), ("..x- x-x-", 1),
    ("x--- x-x- ---- x-x-", 3), ("x-x- x-x- x--- ....", 2), ("..x- x-x- x--- ....", 1.5),
    ("x--- --x- x--- ....", 1.5), ("x-x- x--- x-x- --x-", 2),
    ("x-x- x-x- x--- --x- ---- x-x- x--- ....", 2),
    ("x-x- x-x- --x- ---- x-x- x-x- x--- ....", 1.5),
    ("x--x --x- x-x- x---", 1),  # the 3+3+2 of so many pop hooks
)
_ROCK: Final[Cells] = (
    ("x---", 1.5), ("x-x-", 1.5),
    ("x-x- x-x-", 2), ("x--- x---", 1.5), ("x--- x-x-", 2), ("x-x- x---", 2), ("x-x- ----", 1.5),
    ("x-x- x-x- x-x- x---", 2), ("x--- x-x- ---- x---", 2), ("x-x- x-x- x--- ....", 1.5),
    ("x--- x--- x-x- x---", 1.5), ("x-x- ---- x-x- ----", 1.5),
)
_CLUB: Final[Cells] = (  # house and edm
    ("x-x-", 1), ("..x-", 1.5), ("x---", 0.5),
    ("x--x --x-", 3), ("..x- ..x-", 2), ("x-.x ..x-", 2), ("..x- -x-.", 1.5), ("x-x. x-x.", 1),
    ("..xx ..x-", 1),
    ("x--x --x- ..x- x---", 2), ("..x- ..x- ..x- x-x-", 1.5), ("x--x --x- x--x --x-", 2),
    ("x-.x ..x- ..x- ....", 1.5), ("x--x --x- ---- ....", 1.5),
)
_EDM: Final[Cells] = (*_CLUB, ("x-x- x-x-", 1.5), ("x--- ----", 1), ("x--- ---- ..x- x---", 1))
_JAZZ: Final[Cells] = (
    ("x-x-", 2), ("x---", 1), ("..x-", 1),
    ("x-x- x-x-", 2.5), ("..x- x-x-", 2), ("x-x- x---", 1.5), ("x--- x-x-", 1.5),
    ("..x- ----", 1), ("x-x- --x-", 1.5),
    ("..x- x-x- x-x- x---", 2), ("x-x- x-x- x-x- --x-", 1.5), ("x--- x-x- ---- x-x-", 1.5),
    ("x-x- x-x- x--- ....", 1.5), ("..x- x-x- x-x- ----", 1.5),
    ("..x- x-x- x-x- x-x- x-x- x--- .... ....", 1.5),
    ("x-x- x-x- x-x- --x- ---- x-x- x--- ....", 1.5),  # anticipates bar 2's downbeat
)
_SWING: Final[Cells] = (
    *_JAZZ, ("x--- x--- x-x- x---", 1.5), ("x-x- ---- x-x- ----", 1.5),
    ("x-x- --x- .... ....", 1),
)
_BLUES: Final[Cells] = (
    ("x---", 1.5), ("x-x-", 1.5),
    ("x-x- x---", 2), ("x--- ----", 1.5), ("..x- x---", 1.5), ("x-x- x-x-", 1),
    ("x-x- x-x- x--- ----", 2), ("..x- x-x- x--- ----", 2), ("x--- ---- ---- ....", 1),
    ("x-x- x--- ---- ....", 1.5), ("x-x- x-x- x--- ....", 1.5),
    ("x-x- x-x- x--- ---- ---- .... .... ....", 1.5),
    ("..x- x-x- x-x- x--- ---- ---- .... ....", 1.5),
)
_BOSSA: Final[Cells] = (
    ("x---", 1), ("x-x-", 1),
    ("x-x- --x-", 2), ("..x- x-x-", 1.5), ("x--- x---", 1), ("x--- --x-", 1.5),
    ("x--- --x- ---- x---", 3), ("x-x- --x- x--- x-x-", 2), ("x-x- --x- ---- x-x-", 2),
    ("x--- --x- ---- x--- ---- x--- --x- ----", 2.5),
    ("x-x- --x- x-x- --x- ..x- x--- --x- ....", 1.5),
)
_LOFI: Final[Cells] = (
    ("x---", 1.5), ("x-x-", 0.5),
    ("x--- ----", 2), ("..x- ----", 1.5), ("x-x- ----", 1.5), ("x--- x---", 1),
    ("x--- ---- ..x- x---", 2), ("..x- x--- ---- ....", 2), ("x-x- x--- ---- ....", 1.5),
    ("x--- ---- ---- ....", 1.5), ("x--- ---- ..x-", 1),
    ("x--- ---- ---- ---- .... ..x- x-x- x---", 1.5),
)
_AMBIENT: Final[Cells] = (
    ("x---", 0.5), ("x--- ----", 2), ("x--- ---- ----", 3),  # a dotted half fills 3/4
    ("x--- ---- ---- ----", 3), ("x--- ---- ---- x---", 1.5), ("x--- ---- x--- ----", 1.5),
    ("x--- ---- ---- ....", 1.5),
    ("x--- ---- ---- ---- x--- ---- .... ....", 2),
    ("x--- ---- ---- ---- x--- ---- ---- ----", 1.5),
)

# Three-part beats (6/8, 9/8, 12/8 and the long group of 7/8), six characters a beat.
_COMPOUND_BUSY: Final[Cells] = (
    ("x---x-", 3), ("x-x-x-", 2), ("x-----", 2), ("..x-x-", 1),
    ("x---x- x-----", 2), ("x-x-x- x-----", 2), ("x----- ..x-x-", 1), ("x---x- x---x-", 1.5),
)
_COMPOUND_SPARSE: Final[Cells] = (
    ("x-----", 3), ("x---x-", 2), ("x----- ------", 2), ("x---x- x-----", 1),
    ("..x-x- x-----", 1),
)
_COMPOUND_LONG: Final[Cells] = (("x-----", 2), ("x----- ------", 3), ("x----- x-----", 1))

VOCABULARY: Final[dict[Style, tuple[Cells, Cells]]] = {
    Style.POP: (_POP, _COMPOUND_BUSY),
    Style.ROCK: (_ROCK, _COMPOUND_BUSY),
    Style.HOUSE: (_CLUB, _COMPOUND_BUSY),
    Style.EDM: (_EDM, _COMPOUND_BUSY),
    Style.JAZZ: (_JAZZ, _COMPOUND_BUSY),
    Style.SWING: (_SWING, _COMPOUND_BUSY),
    Style.BLUES: (_BLUES, _COMPOUND_BUSY),
    Style.BOSSA_NOVA: (_BOSSA, _COMPOUND_BUSY),
    Style.LOFI_HIP_HOP: (_LOFI, _COMPOUND_SPARSE),
    Style.AMBIENT: (_AMBIENT, _COMPOUND_LONG),
    Style.FUNK: (more.FUNK, _COMPOUND_BUSY),
    Style.REGGAE: (more.REGGAE, _COMPOUND_BUSY),
    Style.TRAP: (more.TRAP, _COMPOUND_SPARSE),
    Style.HIP_HOP: (more.HIP_HOP, _COMPOUND_BUSY),
    Style.TANGO: (more.TANGO, _COMPOUND_BUSY),
    Style.GOSPEL: (more.GOSPEL, _COMPOUND_BUSY),
    Style.COUNTRY: (more.COUNTRY, _COMPOUND_BUSY),
    Style.SAMBA: (more.SAMBA, _COMPOUND_BUSY),
    Style.METAL: (more.METAL, _COMPOUND_BUSY),
    Style.SYNTHWAVE: (more.SYNTHWAVE, _COMPOUND_SPARSE),
    Style.BALLAD: (more.BALLAD, _COMPOUND_SPARSE),
    Style.LULLABY: (more.LULLABY, more.COMPOUND_ROCKING),
    Style.CAROL: (more.CAROL, _COMPOUND_SPARSE),
    Style.CINEMATIC: (more.CINEMATIC, _COMPOUND_LONG),
    Style.CHIPTUNE: (more.CHIPTUNE, _COMPOUND_BUSY),
    Style.NOCTURNE: (more.NOCTURNE, _COMPOUND_SPARSE),
    Style.BAROQUE: (more.BAROQUE, _COMPOUND_BUSY),
    # Celtic tunes are LEARNED (`rhythm`), like folk: no cells.
}


# --- reading cells and laying them on a metre ----------------------------------------

@dataclass(frozen=True)
class Cell:
    """One figure of the vocabulary, in beats of the kind it was written for."""

    parts: int  # 2: written for two-part beats, 3: for three-part beats
    span: int  # beats
    notes: tuple[tuple[Fraction, Fraction], ...]  # (onset, length) in beats
    weight: float
    triplets: bool = False  # written in eighth-note triplets (`3:`)

    @property
    def fine(self) -> bool:
        """Whether the cell needs sixteenths (an onset or an end off the eighth grid)."""
        half = Fraction(1, self.parts)
        return any((at / half).denominator != 1 or ((at + length) / half).denominator != 1
                   for at, length in self.notes)

    @property
    def density(self) -> float:
        return len(self.notes) / self.span


def parse_cell(pattern: str, parts: int, weight: float = 1.0) -> Cell:
    """A grid string as a cell (the notation is described at the top of this module)."""
    chars = pattern.replace(" ", "")
    per_beat = 2 * parts
    if chars.startswith("3:") and parts == 2:  # eighth-note triplets on a quarter beat
        chars, per_beat = chars[2:], 3
    if not chars or len(chars) % per_beat or chars[0] == "-":
        raise ValueError(f"a cell fills whole beats and starts with x or '.': {pattern!r}")
    notes: list[tuple[Fraction, Fraction]] = []
    for index, char in enumerate(chars):
        if char == "x":
            notes.append((Fraction(index, per_beat), Fraction(1, per_beat)))
        elif char == "-":
            if chars[index - 1] not in "x-":
                raise ValueError(f"a hold after a rest in {pattern!r}")
            at, length = notes[-1]
            notes[-1] = (at, length + Fraction(1, per_beat))
        elif char != ".":
            raise ValueError(f"unknown character {char!r} in {pattern!r}")
    return Cell(parts, len(chars) // per_beat, tuple(notes), weight, per_beat == 3)


@cache
def style_cells(style: Style) -> tuple[Cell, ...]:
    simple, compound = VOCABULARY[style]
    return (*(parse_cell(p, 2, w) for p, w in simple), *(parse_cell(p, 3, w) for p, w in compound))


def uses_triplets(style: Style) -> bool:
    """Whether the style's melody may move in eighth-note triplets (off the sixteenths)."""
    return style in VOCABULARY and any(cell.triplets for cell in style_cells(style))


@dataclass(frozen=True, eq=False)  # compared by identity: one object per cached layout
class Placed:
    """A cell laid on the beats where it may start, in ticks from its first beat."""

    span: int
    spans: tuple[Span, ...]
    weight: float
    log_density: float


@cache
def layout(style: Style, numerator: int, denominator: int, coarse: bool
           ) -> tuple[tuple[tuple[Placed, ...], ...], tuple[Placed, ...]]:
    """For each beat of the bar the cells that may start on it (a figure of two or more
    beats on an even beat, every beat of the kind it was written for), and the two-bar
    figures; `coarse` leaves out cells that need sixteenths."""
    grid = beat_grid(Meter(numerator=numerator, denominator=denominator))
    # Triplets only where every beat is a quarter (not in 7/8, whose quarters fall off it).
    quarters = numerator * 4 % denominator == 0
    usable = [c for c in style_cells(style)
              if not (coarse and c.fine) and not (c.triplets and not quarters)]
    starts = []
    for index in range(len(grid)):
        options = []
        for cell in usable:
            beats = grid[index:index + cell.span]
            if cell.span > len(beats) or (cell.span >= 2 and index % 2):
                continue
            if all(b.parts == cell.parts for b in beats):
                options.append(_placed(cell, [b.length for b in beats]))
        starts.append(tuple(options))
    lengths = [b.length for b in grid] * 2
    whole = tuple(_placed(c, lengths) for c in usable if c.span == len(lengths)
                  and all(b.parts == c.parts for b in grid))
    return tuple(starts), whole


def _placed(cell: Cell, lengths: Sequence[int]) -> Placed:
    offsets = [0, *itertools.accumulate(lengths)]

    def tick(position: Fraction) -> int:
        whole = min(int(position), len(lengths) - 1)
        return offsets[whole] + int((position - whole) * lengths[whole])

    spans = tuple((tick(at), tick(at + length) - tick(at)) for at, length in cell.notes)
    return Placed(cell.span, spans, cell.weight, math.log(max(cell.density, 0.25) / 2))
