"""Chord voicings led one from the next: which tones of a chord to play (any chord the
harmony gives: triads, sevenths, ninths, sixths, sus, dim7...), every way to stack them in
a register, and the cost of moving from one voicing to the next (least total motion,
common tones held, no crossing, no parallel fifths or octaves, the top voice clear of the
melody)."""

from __future__ import annotations

import itertools
from functools import lru_cache

from ariaforge.composer.styles import Voicing
from ariaforge.music.theory import chords

Chord = tuple[int, ...]  # a voicing: MIDI pitches, low to high

_SPAN = {Voicing.CLOSE: 12, Voicing.SHELL: 14, Voicing.OPEN: 19, Voicing.SPREAD: 26}
_FOUR_VOICE_SLACK = 4  # four close voices may spread a little past the octave
# Which tones say most about a chord: the third (or the sus tone), the seventh or sixth,
# the colour tones, then the root (the bass plays it too) and last a perfect fifth.
_DEGREE_RANK = {3: 0, 2: 0, 4: 0, 7: 1, 6: 1, 9: 2, 11: 2, 13: 2, 1: 4, 5: 5}
_ALTERED_FIFTH_RANK = 1  # a diminished or augmented fifth defines its chord
# What doubling a tone costs when a chord has fewer tones than voices: the root is the
# classical first choice, the fifth next; a third only when nothing else leads well.
_DOUBLING = {1: 0.0, 5: 0.5, 3: 3.0}

PARALLEL_OUTER = 60.0  # the outer voices in parallel fifths or octaves: the ear hears it
PARALLEL_INNER = 10.0
CROSSING = 100.0
COMMON_TONE = 2.0  # a shared tone that does not stay where it was
DRIFT = 0.5  # per semitone the mean pitch strays from the register's centre
MELODY_GAP = 3  # semitones the top voice keeps under the melody, where it can
CROWDING = 4.0  # per semitone closer to the melody than that


def _ranked_tones(chord: chords.Chord, seventh: int | None, rootless: bool
                  ) -> list[tuple[int, int]]:
    """(pitch class, degree) of the chord's tones, most telling first."""
    info = chord.info
    tones = [((chord.root_pc + semis) % 12, degree) for semis, degree in info.tones]
    if seventh is not None and seventh not in {pc for pc, _ in tones}:
        tones.append((seventh, 7))

    def rank(tone: tuple[int, int]) -> tuple[int, int]:
        pc, degree = tone
        base = _DEGREE_RANK.get(degree, 3)
        if degree == 5 and (pc - chord.root_pc) % 12 != 7:
            base = _ALTERED_FIFTH_RANK
        if degree == 1 and rootless:  # after even the tones a voicing may leave out
            return (2, 9)
        return (1 if degree in info.omittable else 0, base)

    return sorted(tones, key=rank)


def voicing_options(chord: chords.Chord, voices: int, rootless: bool,
                    seventh: int | None = None) -> tuple[tuple[tuple[int, ...], float], ...]:
    """The pitch-class multisets to voice, `voices` tones each, with what each costs: the
    most telling tones when the chord has more than there are voices, a doubled root or
    fifth (or, dearly, third) when it has fewer. `seventh` adds a colour seventh."""
    return _options(chord, voices, rootless, seventh)


@lru_cache(maxsize=2048)
def _options(chord: chords.Chord, voices: int, rootless: bool,
             seventh: int | None) -> tuple[tuple[tuple[int, ...], float], ...]:
    ranked = _ranked_tones(chord, seventh, rootless)
    chosen = ranked[:voices]
    pcs = [pc for pc, _ in chosen]
    if len(pcs) == voices:
        return ((tuple(sorted(pcs)), 0.0),)
    options: list[tuple[tuple[int, ...], float]] = []
    missing = voices - len(pcs)
    degrees = {degree: pc for pc, degree in ranked}
    doubles = [(degrees[d], cost) for d, cost in _DOUBLING.items() if d in degrees]
    if not doubles:
        doubles = [(pcs[0], 1.0)]
    for combo in itertools.combinations_with_replacement(doubles, missing):
        filled = tuple(sorted(pcs + [pc for pc, _ in combo]))
        cost = sum(c for _, c in combo) + 2.0 * (len(combo) - len(set(combo)))
        options.append((filled, cost))
    return tuple(options)


@lru_cache(maxsize=8192)
def candidates(pitch_classes: tuple[int, ...], low: int, high: int,
               voicing: Voicing) -> tuple[Chord, ...]:
    """Every voicing of the pitch classes within [low, high] whose span suits the style:
    each ordering of the tones stacked upward (open voicings may skip an octave)."""
    span = _SPAN[voicing] + (_FOUR_VOICE_SLACK if len(pitch_classes) > 3 else 0)
    found: set[Chord] = set()
    skips = (0,) if voicing in (Voicing.CLOSE, Voicing.SHELL) else (0, 12)
    for order in set(itertools.permutations(pitch_classes)):
        for extra in itertools.product(skips, repeat=len(order) - 1):
            shape = [order[0]]
            for pc, skip in zip(order[1:], extra, strict=True):
                step = (pc - shape[-1]) % 12 or 12  # a doubled tone goes up an octave
                shape.append(shape[-1] + step + skip)
            if shape[-1] - shape[0] > span:
                continue
            bottom = low + (order[0] - low) % 12
            while bottom + shape[-1] - shape[0] <= high:
                found.add(tuple(bottom + p - shape[0] for p in shape))
                bottom += 12
    return tuple(sorted(found))


def _parallel(first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Two voices (low, high) moving the same way into the same fifth or octave."""
    moved_low, moved_high = second[0] - first[0], second[1] - first[1]
    if moved_low * moved_high <= 0:
        return False
    before, after = (first[1] - first[0]) % 12, (second[1] - second[0]) % 12
    return before == after and after in (0, 7)


def leading_cost(previous: Chord | None, voicing: Chord, centre: float,
                 melody_low: int | None, upper_strokes: bool = False) -> float:
    """What moving from `previous` to `voicing` costs. With `upper_strokes` (a strum),
    either chord may also sound without its lowest voice, on an up-stroke, so the outer
    voices of those partial chords must not move in parallel either."""
    mean = sum(voicing) / len(voicing)
    cost = abs(mean - centre) * DRIFT  # keep near the register's middle over a long piece
    if melody_low is not None and melody_low - voicing[-1] < MELODY_GAP:
        cost += CROWDING * (MELODY_GAP - (melody_low - voicing[-1]))
    if previous is None:
        return cost * 2
    count = len(voicing)
    outer = (voicing[0], voicing[-1])
    if _parallel((previous[0], previous[-1]), outer):
        cost += PARALLEL_OUTER
    if upper_strokes and count > 2 and len(previous) > 2:
        pairs = ((previous[1:], voicing), (previous, voicing[1:]), (previous[1:], voicing[1:]))
        cost += sum(PARALLEL_OUTER / 2 for before, after in pairs
                    if _parallel((before[0], before[-1]), (after[0], after[-1])))
    if len(previous) != count:
        return cost + abs(sum(previous) / len(previous) - mean)
    cost += sum(abs(a - b) for a, b in zip(previous, voicing, strict=True))
    for voice in range(count):
        if voice + 1 < count and voicing[voice] > previous[voice + 1]:
            cost += CROSSING  # crossing past where the voice above just was
        if voice > 0 and voicing[voice] < previous[voice - 1]:
            cost += CROSSING
    for low, high in itertools.combinations(range(count), 2):
        if (low, high) != (0, count - 1) and _parallel((previous[low], previous[high]),
                                                      (voicing[low], voicing[high])):
            cost += PARALLEL_INNER
    held = set(previous) & set(voicing)
    shared = {p % 12 for p in previous} & {p % 12 for p in voicing}
    cost += COMMON_TONE * max(0, len(shared) - len({p % 12 for p in held}))
    return cost
