"""One voicing a section plays together, one note per player, led from chord to chord.

Horns (brass, saxes, woodwinds) stack the chord's tones down from a top note under the
lead, in close position (within an octave) or "drop 2" (the second voice from the top an
octave lower: the big-band sound of four or more horns); strings and voices spread theirs
(every other chord tone, open position, as divisi strings sit). Each chord takes the
stack that moves least from the last one, keeps every player in their range and the top
voice a third to a sixth under the melody, and does not move the outer voices in
parallel fifths or octaves. The pitches of a stack are all different, so no two players
ever double a note.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from enum import StrEnum
from typing import Final

from ariaforge.composer.arrange.comping import MelodyFloor
from ariaforge.composer.arrange.timing import Harmony
from ariaforge.music.score import Note
from ariaforge.music.theory.chords import Chord

__all__ = ["Shape", "shared_voicings"]

Stack = tuple[int, ...]  # one pitch per player, top player first

OUT_OF_RANGE: Final = 6.0  # per semitone a player is pushed past their range
CROWDING: Final = 3.0  # per semitone the top voice rises past a third under the lead
FAR_BELOW: Final = 1.0  # per semitone it sinks past a sixth under the lead
_UNDER: Final = (3, 9)  # semitones under the lead's average pitch the top voice likes
PARALLEL: Final = 30.0  # outer voices in parallel fifths or octaves
DOUBLED_THIRD: Final = 3.0  # a triad's third twice (the root or fifth doubles better)
MISSING_THIRD: Final = 8.0  # a stack without the chord's third (or sus tone)
DRIFT: Final = 0.3  # per semitone the top voice strays from its range's middle
DOUBLED: Final = 6.0  # a pitch another section already plays on this chord
OVER_ANOTHER: Final = 25.0  # per semitone the top voice reaches another section's top
_REACH: Final = 7  # semitones below its range the top voice may still be tried
_CACHE_SIZE: Final = 8
_cache: OrderedDict[Hashable, tuple[Stack, ...]] = OrderedDict()


class Shape(StrEnum):
    CLOSE = "close"  # consecutive chord tones down from the top, within an octave
    DROP_TWO = "drop-2"  # close, with the second voice from the top an octave lower
    SPREAD = "spread"  # every other chord tone down from the top: open position


def _ladder(top: int, tones: frozenset[int], count: int, skip: int) -> Stack:
    """`count` pitches down from `top`, each the `skip`-th chord tone below the last."""
    stack = [top]
    pitch = top
    while len(stack) < count:
        passed = 0
        while passed < skip:
            pitch -= 1
            passed += pitch % 12 in tones
        stack.append(pitch)
    return tuple(stack)


def _stacks(top: int, tones: frozenset[int], count: int, shapes: Sequence[Shape]
            ) -> list[Stack]:
    found: list[Stack] = []
    for shape in shapes:
        if shape is Shape.SPREAD:
            found.append(_ladder(top, tones, count, 2))
            continue
        close = _ladder(top, tones, count, 1)
        if shape is Shape.CLOSE:
            found.append(close)
        elif count >= 4:  # drop the 2nd (and with six or more, the 4th) an octave
            dropped = [p - 12 if i in (1, 3) and (i == 1 or count >= 6) else p
                       for i, p in enumerate(close)]
            stack = tuple(sorted(dropped, reverse=True))
            if len(set(stack)) == count:
                found.append(stack)
    return found


def _cost(stack: Stack, previous: Stack | None, chord: Chord,
          ranges: Sequence[tuple[int, int]], lead: float | None) -> float:
    cost = sum(OUT_OF_RANGE * (max(0, low - p) + max(0, p - high))
               for p, (low, high) in zip(stack, ranges, strict=True))
    low, high = ranges[0]
    cost += DRIFT * abs(stack[0] - (low + high) / 2)
    if lead is not None:  # a third to a sixth under the lead, as a section backs a soloist
        cost += CROWDING * max(0, stack[0] - (lead - _UNDER[0]))
        cost += FAR_BELOW * max(0, (lead - _UNDER[1]) - stack[0])
    tones = chord.tone_pitch_classes
    pcs = [p % 12 for p in stack]
    third = tones[1] if len(tones) > 1 else tones[0]
    if third not in pcs:
        cost += MISSING_THIRD
    elif len(tones) == 3 and pcs.count(third) > 1:
        cost += DOUBLED_THIRD
    if previous is not None:
        cost += sum(abs(a - b) for a, b in zip(stack, previous, strict=True))
        top, bottom = stack[0] - previous[0], stack[-1] - previous[-1]
        before, after = (previous[0] - previous[-1]) % 12, (stack[0] - stack[-1]) % 12
        if top * bottom > 0 and before == after and after in (0, 7):
            cost += PARALLEL
    return cost


def _beside(stack: Stack, upper: Stack) -> float:
    """What sitting beside another section's stack costs: each shared pitch, and a top
    voice above that section's top."""
    if not upper:
        return 0.0
    return DOUBLED * len(set(stack) & set(upper)) + OVER_ANOTHER * max(0, stack[0] - upper[0]
                                                                        + 1)


def _lead(tune: MelodyFloor, start: int, end: int) -> float | None:
    """The melody's average pitch over a chord, weighted by how long each note sounds."""
    spans = [(n.pitch, min(end, n.end) - max(start, n.start))
             for n in tune.sounding(start, end)]
    total = sum(length for _, length in spans)
    return sum(p * length for p, length in spans) / total if total else None


def shared_voicings(chords: Harmony, melody: Sequence[Note],
                    ranges: Sequence[tuple[int, int]], shapes: Sequence[Shape],
                    above: Sequence[Stack] = ()) -> list[Stack]:
    """One stack per chord event (top player first), each led from the one before;
    `above` is another section's stacks (one per chord) to keep under and not double.
    Every member of a section asks for the same stacks: the last answers are kept."""
    key = (tuple((e.start, e.duration, e.chord) for e in chords.events),
           tuple((n.pitch, n.start, n.duration) for n in melody), tuple(ranges), tuple(shapes),
           tuple(above))
    found = _cache.get(key)
    if found is None:
        found = _lead_voicings(chords, melody, ranges, shapes, above)
        _cache[key] = found
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return list(found)


def _lead_voicings(chords: Harmony, melody: Sequence[Note],
                   ranges: Sequence[tuple[int, int]], shapes: Sequence[Shape],
                   above: Sequence[Stack]) -> tuple[Stack, ...]:
    count = len(ranges)
    low, high = ranges[0]
    chosen: list[Stack] = []
    previous: Stack | None = None
    tune = MelodyFloor(melody)
    for index, event in enumerate(chords.events):
        tones = frozenset(event.chord.tone_pitch_classes)
        lead = _lead(tune, event.start, event.end)
        upper = above[index] if index < len(above) else ()
        tops = [p for p in range(low - _REACH, high + 1) if p % 12 in tones]
        pool = [s for top in tops for s in _stacks(top, tones, count, shapes)]
        best = min(pool, key=lambda s: (_cost(s, previous, event.chord, ranges, lead)
                                        + _beside(s, upper), s))
        chosen.append(best)
        previous = best
    return tuple(chosen)
