"""Parallel fifths and octaves between the outer voices of a chord stream, as the
musicality bench counts them (`features.parallel_changes`). No imports beyond the standard
library, so the arrangement tests count them the same way by loading this file."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

PERFECT = (0, 7)  # interval classes of octaves/unisons and fifths


def parallel_count(chords: Sequence[Sequence[int]]) -> tuple[int, int]:
    """(parallel, all) chord changes in `chords` (each a chord's pitches, low to high; a
    chord of fewer than 2 pitches is skipped). A change is two consecutive chords whose
    pitch-class sets differ with neither inside the other. Parallel: both outer voices move
    in the same direction and the interval between them, modulo 12, is a unison/octave at
    both chords or a fifth at both."""
    stream = [chord for chord in chords if len(chord) >= 2]
    parallel = changes = 0
    for before, after in itertools.pairwise(stream):
        first_pcs, second_pcs = {p % 12 for p in before}, {p % 12 for p in after}
        if first_pcs <= second_pcs or second_pcs <= first_pcs:
            continue
        changes += 1
        low, high = after[0] - before[0], after[-1] - before[-1]
        first, second = (before[-1] - before[0]) % 12, (after[-1] - after[0]) % 12
        parallel += low * high > 0 and first == second and first in PERFECT
    return parallel, changes
