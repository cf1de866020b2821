"""How well chords explain a given melody (reharmonize, restyle): the learned chord
labeller's emission over each cell's notes, and the notes that must be chord tones.

A strong-beat melody note (the downbeat, and the half bar in even metres) that does not
move on by step afterwards can only be heard as a chord tone, so a chord that leaves such a
note outside it is what a kept melody cannot take: colours that would do so are refused,
colours that cover more of them are asked for, and sampled chords are weighed down.
"""

from __future__ import annotations

import itertools
from typing import Final

from ariaforge.composer.harmony_chords import split_slash
from ariaforge.composer.harmony_colour import NO_MELODY, Judge
from ariaforge.composer.harmony_rhythm import Cell
from ariaforge.composer.model.chordlabel import WeightedNote, emission, window_notes
from ariaforge.composer.model.tokens import chord_token_pcs, strength
from ariaforge.composer.plan import Plan
from ariaforge.music.score import PPQ, Note
from ariaforge.music.theory.scales import tonic_pc

MELODY_FIT: Final = 5.0  # how strongly chord-tone coverage of a given melody counts
UNCOVERED: Final = 2.5  # fit lost per strong, unresolved note a chord leaves outside
_STEP: Final = (1, 2)


class MelodyFit:
    """Melody fit per cell: 0 for every chord when there is no melody."""

    def __init__(self, plan: Plan, melody: list[Note] | None, cells: list[Cell]) -> None:
        self.windows: list[list[WeightedNote]] = []
        self.critical: list[list[int]] = []
        if melody is None:
            return
        tonic = tonic_pc(plan.key)
        strong = _strong_positions(plan)
        held = {id(n) for n, after in itertools.pairwise(melody)
                if abs(after.pitch - n.pitch) not in _STEP}
        if melody:
            held.add(id(melody[-1]))
        for cell in cells:
            end = cell.start + cell.length
            self.windows.append(_window(plan, melody, cell.start, end))
            self.critical.append([(n.pitch - tonic) % 12 for n in melody
                                  if cell.start <= n.start < end and id(n) in held
                                  and n.start % plan.bar_ticks in strong])

    def __call__(self, index: int, token: str) -> float:
        if not self.windows or not self.windows[index]:
            return 0.0
        return MELODY_FIT * emission(self.windows[index], split_slash(token)[0]) \
            - UNCOVERED * self.uncovered(index, token)

    def uncovered(self, index: int, token: str) -> int:
        """Strong-beat notes of the cell that would be unresolved non-chord tones."""
        if not self.critical:
            return 0
        tones = chord_token_pcs(split_slash(token)[0])
        return sum(pc not in tones for pc in self.critical[index])

    def judge(self, tokens: list[str]) -> Judge:
        """A colour may not leave a strong-beat note outside the chord that the chord it
        replaces covered; one that covers more, and explains the melody better, is asked
        for."""
        if not self.windows:
            return NO_MELODY

        def keep(index: int, token: str) -> bool:
            return self.uncovered(index, token) <= self.uncovered(index, tokens[index]) \
                and self(index, token) >= self(index, tokens[index]) - MELODY_FIT * 0.1

        def prefer(index: int, token: str) -> bool:
            return self.uncovered(index, token) < self.uncovered(index, tokens[index])

        return Judge(keep, prefer)


def _strong_positions(plan: Plan) -> frozenset[int]:
    beats = plan.bar_ticks // plan.beat_ticks
    if beats % 2 == 0 and plan.bar_ticks >= 3 * PPQ:
        return frozenset({0, plan.bar_ticks // 2})
    return frozenset({0})


def _window(plan: Plan, melody: list[Note], start: int, end: int) -> list[WeightedNote]:
    tonic = tonic_pc(plan.key)
    spans = [(n.pitch - tonic, n.start, n.duration) for n in melody
             if n.start < end and n.end > start]
    marks = {n.start: strength(n.start % plan.bar_ticks, plan.meter.numerator,
                               plan.meter.denominator) for n in melody if start <= n.start < end}
    return window_notes(spans, start, end, marks)
