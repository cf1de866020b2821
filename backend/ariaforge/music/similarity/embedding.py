"""Melody and harmony embeddings: signed feature hashing of musical n-gram tokens.

A melody is reduced to its motion: the interval from each note to the next (which makes
it transposition-invariant) and the ratio of each inter-onset interval (IOI) to the one
before it (which makes it tempo- and augmentation-invariant). Interval n-grams (1-3),
IOI-ratio n-grams (1-3) and joint (interval, ratio) uni- and bigrams are counted, hashed
into DIMENSIONS signed buckets and L2-normalised, so cosine similarity approximates the
share of shared n-grams. The embedding only nominates candidates; `align` decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

DIMENSIONS: Final = 128
NoteTuple = tuple[int, int, int]  # (pitch, start tick, duration ticks), ppq 480
Vector = npt.NDArray[np.float32]
MIN_NOTES: Final = 4
MIN_CHORDS: Final = 2

MAX_INTERVAL: Final = 13  # larger leaps fold onto +-13 ("a big leap")
RATIO_STEPS_PER_OCTAVE: Final = 3  # log2 IOI ratios quantised to thirds: 1:1, 4:3, 3:2, 2:1, 3:1
MAX_RATIO: Final = 9
_BASE: Final = 32  # every token value fits in 5 bits

# Token kinds and their weights. Longer n-grams and joint tokens carry the identity of a
# tune; unigrams are shared by nearly all tonal melodies, so they weigh little.
_INTERVAL_WEIGHTS: Final = (0.35, 1.0, 1.4)
_RATIO_WEIGHTS: Final = (0.2, 0.5, 0.8)
_JOINT_WEIGHTS: Final = (0.8, 1.5)
_HARMONY_WEIGHTS: Final = (0.6, 1.4, 0.6, 1.0)  # relative uni/bi, tonic-relative uni/bi

_KIND_SHIFT: Final = 24  # token codes use at most 20 bits
_MASK64: Final = np.uint64(0xFFFFFFFFFFFFFFFF)


def melody_line(notes: Sequence[NoteTuple]) -> list[NoteTuple]:
    """The line a listener follows: notes in time order, one per onset (the highest, so a
    chordal part gives its top voice)."""
    top: dict[int, NoteTuple] = {}
    for note in notes:
        held = top.get(note[1])
        if held is None or note[0] > held[0]:
            top[note[1]] = note
    return [top[start] for start in sorted(top)]


def interval_values(line: Sequence[NoteTuple]) -> npt.NDArray[np.int64]:
    """Interval into each note after the first, clipped, as 0..26."""
    pitches = np.fromiter((n[0] for n in line), dtype=np.int64, count=len(line))
    steps = np.clip(np.diff(pitches), -MAX_INTERVAL, MAX_INTERVAL)
    return steps + MAX_INTERVAL


def ratio_values(line: Sequence[NoteTuple]) -> npt.NDArray[np.int64]:
    """For each note from the third on: log2(IOI into it / IOI before), quantised, 0..18.
    The IOI into the second note has no predecessor and gets no ratio."""
    starts = np.fromiter((n[1] for n in line), dtype=np.float64, count=len(line))
    gaps = np.maximum(np.diff(starts), 1.0)
    if gaps.size < 2:
        return np.zeros(0, dtype=np.int64)
    ratios = np.rint(np.log2(gaps[1:] / gaps[:-1]) * RATIO_STEPS_PER_OCTAVE)
    clipped: npt.NDArray[np.int64] = np.clip(ratios, -MAX_RATIO, MAX_RATIO).astype(np.int64)
    return clipped + MAX_RATIO


def note_ratio_tokens(line: Sequence[NoteTuple]) -> npt.NDArray[np.int64]:
    """One rhythm token per note (the ratio into it; the first two notes: -1), for align."""
    values = ratio_values(line)
    return np.concatenate([np.full(min(2, len(line)), -1, dtype=np.int64), values])


def _grams(values: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.int64]:
    if values.size < size:
        return np.zeros(0, dtype=np.int64)
    code = np.zeros(values.size - size + 1, dtype=np.int64)
    for offset in range(size):
        code = code * _BASE + values[offset:values.size - size + 1 + offset]
    return code


def _hash(codes: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    """splitmix64: stable across processes and platforms (Python's hash() is salted)."""
    with np.errstate(over="ignore"):
        x = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) & _MASK64
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9) & _MASK64
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB) & _MASK64
        return x ^ (x >> np.uint64(31))


def _hashed(parts: list[tuple[npt.NDArray[np.int64], int, float]]) -> Vector | None:
    """Signed feature hashing of (token codes, kind, weight) groups, L2-normalised."""
    kept = [(codes, kind, weight) for codes, kind, weight in parts if codes.size]
    if not kept:
        return None
    codes = np.concatenate([codes + (kind << _KIND_SHIFT) for codes, kind, _ in kept])
    weights = np.concatenate([np.full(codes.size, weight) for codes, _, weight in kept])
    hashed = _hash(codes)
    buckets = (hashed % np.uint64(DIMENSIONS)).astype(np.int64)
    signs = np.where((hashed >> np.uint64(32)) & np.uint64(1), 1.0, -1.0)
    out = np.bincount(buckets, weights=signs * weights, minlength=DIMENSIONS)
    norm = float(np.linalg.norm(out))
    if norm == 0.0:
        return None
    return (out / norm).astype(np.float32)


@dataclass(frozen=True)
class LineTokens:
    """Every hashed token of a line with the first and last note it spans, so that the
    embedding of any run of notes is a sum over the tokens inside it."""

    buckets: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]  # sign * weight
    first: npt.NDArray[np.int64]
    last: npt.NDArray[np.int64]
    notes: int

    def embed(self, begin: int, end: int) -> Vector | None:
        """The embedding of notes [begin, end) of the line (None under MIN_NOTES)."""
        if end - begin < MIN_NOTES:
            return None
        inside = (self.first >= begin) & (self.last < end)
        out = np.bincount(self.buckets[inside], weights=self.values[inside],
                          minlength=DIMENSIONS)
        norm = float(np.linalg.norm(out))
        if norm == 0.0:
            return None
        return (out / norm).astype(np.float32)


def _spans(count: int, notes_spanned: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    first = np.arange(max(count, 0), dtype=np.int64)
    return first, first + notes_spanned - 1


def line_tokens(line: Sequence[NoteTuple]) -> LineTokens:
    """Tokens of a line already reduced by `melody_line`. Interval k joins notes k and
    k+1; ratio k compares the gaps between notes k, k+1 and k+2."""
    steps = interval_values(line) if len(line) >= 2 else np.zeros(0, dtype=np.int64)
    ratios = ratio_values(line) if len(line) >= 3 else np.zeros(0, dtype=np.int64)
    joint = steps[1:] * _BASE + ratios  # interval into note k+2 with the ratio into it
    groups: list[tuple[npt.NDArray[np.int64], int, float, int]] = []  # codes, kind, w, span
    for size, weight in enumerate(_INTERVAL_WEIGHTS, start=1):
        groups.append((_grams(steps, size), 10 + size, weight, size + 1))
    for size, weight in enumerate(_RATIO_WEIGHTS, start=1):
        groups.append((_grams(ratios, size), 20 + size, weight, size + 2))
    groups.append((joint, 31, _JOINT_WEIGHTS[0], 3))
    groups.append((joint[:-1] * (_BASE * _BASE) + joint[1:], 32, _JOINT_WEIGHTS[1], 4))
    codes = np.concatenate([c + (kind << _KIND_SHIFT) for c, kind, _, _ in groups])
    weights = np.concatenate([np.full(c.size, w) for c, _, w, _ in groups])
    spans = [_spans(c.size, span) for c, _, _, span in groups]
    hashed = _hash(codes)
    buckets = (hashed % np.uint64(DIMENSIONS)).astype(np.int64)
    signs = np.where((hashed >> np.uint64(32)) & np.uint64(1), 1.0, -1.0)
    return LineTokens(buckets, signs * weights, np.concatenate([f for f, _ in spans]),
                      np.concatenate([last for _, last in spans]), len(line))


def embed_line(line: Sequence[NoteTuple]) -> Vector | None:
    """Embedding of a line already reduced by `melody_line` (None under MIN_NOTES)."""
    if len(line) < MIN_NOTES:
        return None
    return line_tokens(line).embed(0, len(line))


def embed_melody(notes: Sequence[NoteTuple]) -> Vector | None:
    """The embedding of a melody (any note order; simultaneous notes: the top one), or
    None when it has fewer than MIN_NOTES onsets."""
    return embed_line(melody_line(notes))


def embed_harmony(roots: Sequence[int], qualities: Sequence[int], tonic: int) -> Vector | None:
    """Chord sequence embedding: (root relative to the previous chord, quality class) and
    (root relative to the key's tonic, quality class) uni- and bigrams."""
    if len(roots) < MIN_CHORDS:
        return None
    root = np.asarray(roots, dtype=np.int64)
    quality = np.asarray(qualities, dtype=np.int64)
    moves = ((root[1:] - root[:-1]) % 12) * _BASE + quality[1:]
    degrees = ((root - tonic) % 12) * _BASE + quality
    squared = _BASE * _BASE
    return _hashed([(moves, 41, _HARMONY_WEIGHTS[0]),
                    (moves[:-1] * squared + moves[1:], 42, _HARMONY_WEIGHTS[1]),
                    (degrees, 43, _HARMONY_WEIGHTS[2]),
                    (degrees[:-1] * squared + degrees[1:], 44, _HARMONY_WEIGHTS[3])])
