"""Colour passes that belong to one or two styles each: the tango's descending bass under a
held minor tonic, the baroque circle of fifths, the romantic diminished seventh in place of
a secondary dominant, the gospel walk-up from IV through #iv°7 to I.

Each runs only where its `StyleHarmony` chance is above zero (and draws nothing from the
random generator otherwise), on cells no cadence holds, and asks the melody's `Judge`
before it changes a chord. See `harmony_colour` for the passes every style shares.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Final

from ariaforge.composer.harmony_chords import DOMINANT_QUALITIES, in_key, split_slash
from ariaforge.composer.model.tokens import chord_token, split_chord_token
from ariaforge.music.score import Key
from ariaforge.music.theory.scales import scale_pitch_classes, tonic_pc

Keep = Callable[[int, str], bool]  # (cell index, proposed token) -> may it change?

# The tonic's bass walking down by semitones (A, A/G#, A/G, A/F#, F, E7 in A minor): the
# line cliché of tango and film noir.
MINOR_TONIC: Final = "0:min"
LAMENT: Final = ("0:min/11", "0:min/10", "0:min/9", "8:maj", "7:7")
SHORT_LAMENT: Final = ("0:min/11", "0:min/10", "8:maj", "7:7")
_TRIAD_OF: Final = {(4, 7): "maj", (3, 7): "min", (3, 6): "dim"}
SEQUENCE_CELLS: Final = 6  # the most chords a fifths sequence runs before its target


def _degree(token: str) -> int:
    return split_chord_token(split_slash(token)[0])[0]


def _quality(token: str) -> str:
    return split_chord_token(split_slash(token)[0])[1]


def _free_run(locked: set[int], start: int, count: int) -> int:
    """How many unlocked cells follow `start` (exclusive), up to the end of `count`."""
    run = 0
    while start + run + 1 < count and start + run + 1 not in locked:
        run += 1
    return run


def lament(out: list[str], locked: set[int], chance: float, rng: random.Random,
           keep: Keep) -> set[int]:
    """After the first minor tonic with room behind it, the bass falls by semitones to the
    dominant. Returns the cells written, which later passes leave alone."""
    if rng.random() >= chance:
        return set()
    for index, token in enumerate(out):
        if token != MINOR_TONIC:
            continue
        run = _free_run(locked, index, len(out))
        line = LAMENT if run >= len(LAMENT) else SHORT_LAMENT if run >= len(SHORT_LAMENT) \
            else ()
        cells = range(index + 1, index + 1 + len(line))
        if line and all(keep(i, t) for i, t in zip(cells, line, strict=True)):
            out[index + 1:index + 1 + len(line)] = line
            return set(cells)
    return set()


def _scale_triad(key: Key, step: int) -> str:
    """The triad on scale step `step` (0-6) of the key's own (natural) scale."""
    tonic = tonic_pc(key)
    degrees = sorted((pc - tonic) % 12 for pc in scale_pitch_classes(key))
    root = degrees[step % 7]
    third = (degrees[(step + 2) % 7] - root) % 12
    fifth = (degrees[(step + 4) % 7] - root) % 12
    return chord_token(root, _TRIAD_OF.get((third, fifth), "maj"))


def fifths_sequence(out: list[str], locked: set[int], key: Key, chance: float,
                    rng: random.Random, keep: Keep) -> None:
    """The free cells before the section's cadence become a chain of diatonic chords
    each a fifth above the next (vi-ii-V-I, iii-vi-ii-V...), landing on the cadence's
    first chord: the baroque sequence."""
    if rng.random() >= chance:
        return
    end = next((i for i in sorted(locked) if i > 0), None)
    if end is None:
        return
    run = min(end - 1, SEQUENCE_CELLS)
    tonic = tonic_pc(key)
    degrees = sorted((pc - tonic) % 12 for pc in scale_pitch_classes(key))
    target = _degree(out[end])
    if run < 3 or target not in degrees or any(i in locked for i in range(end - run, end)):
        return
    step = degrees.index(target)
    chain = [_scale_triad(key, step + 4 * k) for k in range(run, 0, -1)]
    cells = range(end - run, end)
    if all(keep(i, t) for i, t in zip(cells, chain, strict=True)):
        out[end - run:end] = chain


def leading_diminished(out: list[str], locked: set[int], key: Key, chance: float,
                       rng: random.Random, keep: Keep) -> None:
    """A chromatic dominant seventh that resolves down a fifth may become the diminished
    seventh on its target's leading tone (D7-G becomes F#°7-G): the romantic colour."""
    for index in range(len(out) - 1):
        token, following = out[index], out[index + 1]
        if index in locked or _quality(token) not in DOMINANT_QUALITIES \
                or in_key(split_slash(token)[0], key):
            continue
        if (_degree(token) - _degree(following)) % 12 != 7:
            continue
        dim = chord_token(_degree(following) - 1, "dim7")
        start = index
        while start > 0 and out[start - 1] == token and start - 1 not in locked:
            start -= 1
        if rng.random() < chance and all(keep(i, dim) for i in range(start, index + 1)):
            out[start:index + 1] = [dim] * (index + 1 - start)


def raised_four(out: list[str], locked: set[int], chance: float, rng: random.Random,
                keep: Keep) -> None:
    """IV - #iv°7 - I: a cell where IV is held or I arrives early rises by semitone
    between them (the gospel walk-up)."""
    for index in range(1, len(out) - 1):
        before, current, after = out[index - 1], out[index], out[index + 1]
        if index in locked or _degree(before) != 5 or _quality(before) not in ("maj", "maj7") \
                or _degree(after) != 0 or current not in (before, after):
            continue
        if rng.random() < chance and keep(index, "6:dim7"):
            out[index] = "6:dim7"
