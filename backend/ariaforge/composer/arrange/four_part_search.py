"""The search behind four-part writing: every way to voice each chord under the soprano
(alto, tenor and bass in their ranges, the bass on the chord's bass note, no crossing), what
each voicing costs on its own (spacing, doubling, a missing fifth, the ranges) and what
moving from one to the next costs (each voice's motion, parallel fifths and octaves between
any two voices, overlaps, a leading tone or a seventh that does not resolve), then the
cheapest path through all of them (Viterbi, vectorised over voicings with numpy).

The costs come from the Bach chorales (`chorale_costs`); the rules a chorale never breaks
(parallels, spacing past an octave, a missing third) cost far more than any habit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ariaforge.composer.arrange.chorale_costs import (
    MAX_GAP,
    MAX_LEAP,
    VoicingCosts,
    load_costs,
)
from ariaforge.music.theory.chords import Chord, ChordQuality

__all__ = ["Slot", "cheapest_voicings"]

if TYPE_CHECKING:  # numpy is imported on first use, so importing the composer stays light
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Floats = npt.NDArray[np.float64]

PARALLEL: Final = 60.0  # two voices in parallel fifths or octaves
SPACING: Final = 25.0  # soprano-alto or alto-tenor past an octave, tenor-bass past a 12th
MISSING: Final = 30.0  # a chord without its third, seventh or root
OMITTABLE: Final = 1.5  # an omittable tone of a seventh or larger chord left out
RANGE: Final = 3.0  # per semitone outside the voice's usual range
RANGE_SLACK: Final = 3  # semitones past the usual range a voice may still go
OVERLAP: Final = 5.0  # a voice moving past where its neighbour just was
HIDDEN: Final = 3.0  # the outer voices leaping the same way into a perfect interval
LEADING_CADENCE: Final = 25.0  # the leading tone not rising to the tonic at a cadence
SEVENTH: Final = 6.0  # a seventh that neither falls by step nor stays
DOUBLED_LEADING: Final = 8.0
LONG_LEAP: Final = 4.0  # on top of the table for a leap past the octave
# Each cost read from the chorales counts one habit alone, while the motion of three
# voices adds up; a missing fifth weighs double, so a chord stays complete about as
# often as Bach's do.
OMITTED_FIFTH_WEIGHT: Final = 3.0
_DOMINANT: Final = frozenset({ChordQuality.MAJOR, ChordQuality.DOMINANT_7,
                              ChordQuality.DOMINANT_9, ChordQuality.DOMINANT_13})
_LEADING_ROOT: Final = frozenset({ChordQuality.DIMINISHED, ChordQuality.DIMINISHED_7,
                                  ChordQuality.HALF_DIMINISHED_7})
_PAIRS: Final = ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3))  # (upper, lower) voices
_GAP_PAIRS: Final = (("SA", 0, 1, 12), ("AT", 1, 2, 12), ("TB", 2, 3, 19))
_WIDEST: Final = 127  # the widest motion between two MIDI pitches


@dataclass(frozen=True)
class Slot:
    """One sonority to voice: from `tick` to `end`, `chord` under `soprano` (None where
    the melody rests); `cadence` when it is the chord that closes a section.

    What the rules hear of the soprano: `heard`, its pitch, or where the melody rests the
    next note it sings (fifths and octaves are heard across a rest); `leaving`, its last
    pitch before `end` (quick notes move on within a beat, and the next sonority must not
    make fifths or octaves with where they got to); `ceiling`, the lowest it sings
    meanwhile, which the alto keeps under."""

    tick: int
    end: int
    chord: Chord
    soprano: int | None
    cadence: bool
    heard: int | None
    leaving: int | None
    ceiling: int | None


Ranges = tuple[tuple[int, int], ...]  # usual (low, high) of alto, tenor and bass


def _degree_names(chord: Chord) -> dict[int, str]:
    """Pitch class -> "root", "third", "fifth" or another degree's name, for doubling."""
    names = {1: "root", 3: "third", 5: "fifth", 2: "third", 4: "third"}
    return {(chord.root_pc + semis) % 12: names.get(degree, f"d{degree}")
            for semis, degree in chord.info.tones}


@lru_cache(maxsize=4096)
def _candidates(chord: Chord, soprano: int | None, heard: int | None, ceiling: int | None,
                ranges: Ranges, leading_pc: int) -> tuple[Ints, Floats]:
    """Every voicing (soprano, alto, tenor, bass) of `chord` and what it costs alone
    (cached: chorales repeat their chords under the same soprano notes; never mutated)."""
    import numpy as np

    costs = load_costs()
    tones = chord.tone_pitch_classes
    options = []
    for index, (low, high) in enumerate(ranges):
        wanted = (chord.bass_pc,) if index == 2 else tones
        options.append([p for p in range(low - RANGE_SLACK, high + RANGE_SLACK + 1)
                        if p % 12 in wanted])
    alto, tenor, bass = (a.ravel() for a in np.meshgrid(*map(np.array, options),
                                                         indexing="ij"))
    top = ceiling if ceiling is not None else 127
    keep = (bass <= tenor) & (tenor <= alto) & (alto <= top)
    if not keep.any():  # nothing fits the ranges: allow crossing rather than nothing
        keep = np.ones_like(alto, dtype=bool)
    alto, tenor, bass = alto[keep], tenor[keep], bass[keep]
    voices = np.stack([np.full_like(alto, -1 if heard is None else heard),
                       alto, tenor, bass], axis=1)
    cost = np.zeros(len(alto))
    for index, (low, high) in enumerate(ranges, start=1):
        pitch = voices[:, index]
        cost += RANGE * (np.maximum(0, low - pitch) + np.maximum(0, pitch - high))
    for pair, upper, lower, limit in _GAP_PAIRS:
        if upper == 0 and soprano is None:
            continue
        gap = voices[:, upper] - voices[:, lower]
        cost += np.take(np.array(costs.gaps[pair]), np.clip(gap, 0, MAX_GAP))
        cost += SPACING * (gap > limit)
    cost += _completeness(chord, voices, soprano, costs)
    cost += _doubling(chord, voices, soprano, leading_pc, costs)
    return voices, cost


def _completeness(chord: Chord, voices: Ints, soprano: int | None,
                  costs: VoicingCosts) -> Floats:
    import numpy as np

    sounding = voices[:, 1:] % 12
    if soprano is not None and soprano % 12 in chord.tone_pitch_classes:
        sounding = np.concatenate([np.full((len(voices), 1), soprano % 12), sounding],
                                  axis=1)
    cost = np.zeros(len(voices))
    triad = len(chord.info.tones) == 3
    for semis, degree in chord.info.tones:
        present = (sounding == (chord.root_pc + semis) % 12).any(axis=1)
        if triad and degree == 5 and semis == 7:
            miss = OMITTED_FIFTH_WEIGHT * costs.omitted_fifth
        elif degree in chord.info.omittable:
            miss = OMITTABLE
        else:
            miss = MISSING
        cost += miss * ~present
    return cost


def _doubling(chord: Chord, voices: Ints, soprano: int | None, leading_pc: int,
              costs: VoicingCosts) -> Floats:
    import numpy as np

    names = _degree_names(chord)
    inversion = names.get(chord.bass_pc, "root")
    table = costs.doubling.get(inversion, costs.doubling["root"])
    pcs = voices[:, 1:] % 12
    if soprano is not None:
        pcs = np.concatenate([np.full((len(voices), 1), soprano % 12), pcs], axis=1)
    cost = np.zeros(len(voices))
    for pc, name in names.items():
        doubled = (pcs == pc).sum(axis=1) > 1
        if name in table and len(chord.info.tones) == 3:
            cost += table[name] * doubled
        elif name != "root":
            cost += 2.0 * doubled  # a seventh chord doubles its root, if anything
        if pc == leading_pc:
            cost += DOUBLED_LEADING * doubled
    return cost


def _resolutions(before: Chord, after: Chord) -> tuple[int, int]:
    """(the pitch class that must rise a semitone, a seventh that must fall or stay): the
    leading tone of V -> I or vii -> I, and the chord seventh; -1 for none."""
    leading = -1
    if before.quality in _DOMINANT and (after.root_pc - before.root_pc) % 12 == 5:
        leading = (before.root_pc + 4) % 12
    elif before.quality in _LEADING_ROOT and (after.root_pc - before.root_pc) % 12 == 1:
        leading = before.root_pc
    sevenths = [(before.root_pc + s) % 12 for s, degree in before.info.tones if degree == 7]
    return leading, sevenths[0] if sevenths else -1


def _transition(previous: Ints, current: Ints, step: Slot, after: Slot,
                costs: VoicingCosts, tables: Floats) -> Floats:
    """The (m, n) cost of moving from each of `previous` to each of `current`."""
    import numpy as np

    has_soprano = step.leaving is not None and after.heard is not None
    if step.leaving is not None and after.heard is not None:
        previous = previous.copy()
        previous[:, 0] = step.leaving
    moved = current[None, :, :] - previous[:, None, :]
    cost = np.zeros(moved.shape[:2])
    for voice in (1, 2, 3):
        cost += tables[voice - 1][moved[:, :, voice] + _WIDEST]
    for upper, lower in _PAIRS:
        if upper == 0 and not has_soprano:
            continue
        before = (previous[:, upper] - previous[:, lower]) % 12
        now = (current[:, upper] - current[:, lower]) % 12
        same = (before[:, None] == now[None, :]) & ((now == 0) | (now == 7))[None, :]
        cost += PARALLEL * (same & (moved[:, :, upper] * moved[:, :, lower] > 0))
        # a voice moving past where its neighbour just was
        if lower == upper + 1 and (upper > 0 or has_soprano):
            cost += OVERLAP * (current[None, :, lower] > previous[:, None, upper])
            cost += OVERLAP * (current[None, :, upper] < previous[:, None, lower])
    if has_soprano:
        outer = (current[:, 0] - current[:, 3]) % 12
        if abs(moved[0, 0, 0]) > 2:
            cost += HIDDEN * (((outer == 0) | (outer == 7))[None, :]
                              & (moved[:, :, 0] * moved[:, :, 3] > 0))
    leading, seventh = _resolutions(step.chord, after.chord)
    for voice in (1, 2, 3):
        motion = moved[:, :, voice]
        if leading >= 0:
            holds = (previous[:, voice] % 12 == leading)[:, None]
            penalty = LEADING_CADENCE if after.cadence else costs.leading_tone_free
            cost += penalty * (holds & (motion != 1))
        if seventh >= 0:
            holds = (previous[:, voice] % 12 == seventh)[:, None]
            resolves = (motion == -1) | (motion == -2) | (
                (motion == 0) & (seventh in after.chord.pitch_classes))
            cost += SEVENTH * (holds & ~resolves)
    return cost


def _motion_tables(costs: VoicingCosts) -> Floats:
    """Each lower voice's cost of every motion from -127 to 127 semitones (index + 127):
    the learned cost up to an octave, the octave's plus `LONG_LEAP` past it."""
    import numpy as np

    tables = []
    for voice in ("A", "T", "B"):
        learned = costs.motion[voice]
        row = [learned[max(-MAX_LEAP, min(MAX_LEAP, k)) + MAX_LEAP]
               + (LONG_LEAP if abs(k) > MAX_LEAP else 0.0)
               for k in range(-_WIDEST, _WIDEST + 1)]
        tables.append(row)
    return np.array(tables)


def cheapest_voicings(slots: Sequence[Slot], ranges: Ranges, leading_pc: int
                      ) -> list[tuple[int, int, int]]:
    """(alto, tenor, bass) for every slot: the cheapest path through the voicings."""
    import numpy as np

    if not slots:
        return []
    costs = load_costs()
    tables = _motion_tables(costs)
    layers = [_candidates(s.chord, s.soprano, s.heard, s.ceiling, ranges, leading_pc)
              for s in slots]
    voices, total = layers[0][0], layers[0][1].copy()
    back: list[Ints] = []
    for index in range(1, len(slots)):
        current, static = layers[index]
        step = _transition(voices, current, slots[index - 1], slots[index], costs, tables)
        paths = total[:, None] + step
        best = np.argmin(paths, axis=0)
        total = paths[best, np.arange(len(current))] + static
        back.append(best)
        voices = current
    choice = int(np.argmin(total))
    chosen = [choice]
    for best in reversed(back):
        choice = int(best[choice])
        chosen.append(choice)
    chosen.reverse()
    return [(int(v[c, 1]), int(v[c, 2]), int(v[c, 3]))
            for (v, _), c in zip(layers, chosen, strict=True)]
