"""A motif's bars as cells (rhythm + contour in scale steps) and the ways a composer
restates them. Contours count steps of the mode's seven-note scale, so a cell moved up or
down the scale (a diatonic sequence) keeps every interval within a semitone of the
original: the ear hears the same figure on another degree."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

from ariaforge.music.score import Key
from ariaforge.music.theory.scales import scale_pitch_classes


@dataclass(frozen=True)
class Cell:
    """One bar of melody, pitch-free: (offset in the bar, length) per note, and the scale
    steps between consecutive notes (one fewer than the notes)."""

    rhythm: tuple[tuple[int, int], ...]
    steps: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.rhythm and len(self.steps) != len(self.rhythm) - 1:
            raise ValueError("a cell has one step between each two notes")


class Degrees:
    """Pitches <-> scale degrees (7 per octave) of one key; a pitch outside the scale
    reads as the degree below it."""

    def __init__(self, key: Key) -> None:
        pcs = scale_pitch_classes(key)
        self.tonic = pcs[0]
        self.intervals = tuple((pc - pcs[0]) % 12 for pc in pcs)  # ascending from 0

    def degree(self, pitch: int) -> int:
        octave, rest = divmod(pitch - self.tonic, 12)
        index = max(i for i, step in enumerate(self.intervals) if step <= rest)
        return octave * 7 + index

    def pitch(self, degree: int) -> int:
        octave, index = divmod(degree, 7)
        return self.tonic + 12 * octave + self.intervals[index]

    def steps(self, pitches: Sequence[int]) -> tuple[int, ...]:
        return tuple(self.degree(b) - self.degree(a) for a, b in itertools.pairwise(pitches))

    def walk(self, start: int, steps: Sequence[int]) -> list[int]:
        """The pitches of a contour from the scale degree `start`."""
        return [self.pitch(d) for d in itertools.accumulate(steps, initial=start)]


def cell_of(tones: Sequence[tuple[int, int, int]], bar_start: int, degrees: Degrees) -> Cell:
    """The cell of (pitch, start, length) tones that lie in the bar from `bar_start`."""
    rhythm = tuple((start - bar_start, length) for _, start, length in tones)
    return Cell(rhythm, degrees.steps([pitch for pitch, _, _ in tones]))


# --- restatements -------------------------------------------------------------------

def invert(cell: Cell) -> Cell:
    """The contour upside down: each step up becomes the same step down."""
    return Cell(cell.rhythm, tuple(-s for s in cell.steps))


def vary_interval(cell: Cell, rng: random.Random) -> Cell:
    """One interval widened or narrowed by a step (never into a repeated note)."""
    if not cell.steps:
        return cell
    index = rng.randrange(len(cell.steps))
    step = cell.steps[index]
    options = [s for s in (step - 1, step + 1) if s != 0 and abs(s) <= 4]
    if not options:
        return cell
    steps = list(cell.steps)
    steps[index] = rng.choice(options)
    return Cell(cell.rhythm, tuple(steps))


def displace(cell: Cell, offset: int, bar_ticks: int) -> Cell:
    """The figure started `offset` ticks later in the bar, what passes the bar line cut."""
    rhythm: list[tuple[int, int]] = []
    for onset, length in cell.rhythm:
        moved = onset + offset
        if moved >= bar_ticks:
            break
        rhythm.append((moved, min(length, bar_ticks - moved)))
    if len(rhythm) < 2:
        return cell
    return Cell(tuple(rhythm), cell.steps[:len(rhythm) - 1])


def augment(cell: Cell, bar_ticks: int) -> Cell:
    """The first half of the figure at half speed, filling the bar."""
    half = [(onset, length) for onset, length in cell.rhythm if onset < bar_ticks // 2]
    if len(half) < 2:
        return cell
    rhythm = tuple((2 * onset, min(2 * length, bar_ticks - 2 * onset)) for onset, length in half)
    return Cell(rhythm, cell.steps[:len(half) - 1])


def fragment(cell: Cell, bar_ticks: int, shift: int) -> Cell:
    """The figure's first half-bar stated twice, the second time `shift` scale steps
    away (a sequence of the fragment)."""
    half = bar_ticks // 2
    head = [(onset, min(length, half - onset)) for onset, length in cell.rhythm if onset < half]
    if len(head) < 2 or half % 2:
        return cell
    steps = cell.steps[:len(head) - 1]
    link = shift - sum(steps)  # from the first statement's last note to the second's first
    rhythm = (*head, *((onset + half, length) for onset, length in head))
    return Cell(tuple(rhythm), (*steps, link, *steps))


def restate(cell: Cell, how: str, rng: random.Random, bar_ticks: int, beat: int) -> Cell:
    """`cell` restated one of the ways `phrase.TRANSFORMS` names."""
    if how == "invert":
        return invert(cell)
    if how == "vary":
        return vary_interval(cell, rng)
    if how == "displace":
        return displace(cell, beat, bar_ticks)
    if how == "augment":
        return augment(cell, bar_ticks)
    if how == "fragment":
        return fragment(cell, bar_ticks, rng.choice((-1, 1, -2)))
    return cell  # "exact" and "sequence": the same cell, on another degree
