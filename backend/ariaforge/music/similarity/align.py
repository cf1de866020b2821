"""Local alignment: how much of a query's melodic motion a match contains, in order.

Notes are aligned one to one (Smith-Waterman). A pair of notes agrees in pitch when the
match, transposed by one constant amount, lands on the query's pitch class, and in
rhythm when both notes come after the same IOI ratio (tempo and augmentation drop out).
A substituted note costs only itself, a missing or added note a gap, so a copy with
a tenth of its notes changed still scores about 0.9, and the score is the aligned share
of the query: 1.0 means every query note was found, in order, with its rhythm (a query
of fewer than MIN_SCORED_NOTES notes cannot reach 1.0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

import numpy as np
import numpy.typing as npt

from ariaforge.music.similarity.embedding import NoteTuple, melody_line, note_ratio_tokens
from ariaforge.music.similarity.harmony import chord_class
from ariaforge.music.similarity.windows import Window

PITCH_WEIGHT: Final = 0.7  # a note found with its pitch
RHYTHM_WEIGHT: Final = 0.3  # ... and with its rhythm
PITCH_MISS: Final = -0.4  # a substituted note (its rhythm may still agree)
GAP: Final = 0.6  # a note in one line with no partner in the other
TRANSPOSITIONS_TRIED: Final = 3
# A query of few notes is weak evidence: a handful of long notes in 4 bars matches some
# corpus tune by chance, so the score is a share of at least this many notes.
MIN_SCORED_NOTES: Final = 8

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Alignment:
    score: float  # 0..1: share of the query's melodic motion found, in order, in the match
    transposition: int  # semitones match -> query, folded to -6..+5
    pairs: list[tuple[int, int]]  # aligned note indexes (query, match) into the melody lines


def fold(semitones: int) -> int:
    """-6..+5."""
    return (semitones + 6) % 12 - 6


def local_alignment(similarity: Matrix, gap: float) -> tuple[float, list[tuple[int, int]]]:
    """Best local alignment score and its pairs. Rows are filled with numpy: within a
    row, H[j] = max(A[j], H[j-1] - gap) is a running maximum of A[k] + gap*k."""
    rows, cols = similarity.shape
    table = np.zeros((rows + 1, cols + 1))
    offsets = gap * np.arange(cols + 1, dtype=np.float64)
    for i in range(1, rows + 1):
        above = table[i - 1]
        best = np.zeros(cols + 1)
        best[1:] = np.maximum(above[:-1] + similarity[i - 1], above[1:] - gap)
        np.maximum(best, 0.0, out=best)
        table[i] = np.maximum.accumulate(best + offsets) - offsets
    flat = int(np.argmax(table))
    i, j = divmod(flat, cols + 1)
    top = float(table[i, j])
    pairs: list[tuple[int, int]] = []
    while i > 0 and j > 0 and table[i, j] > 1e-12:
        here = table[i, j]
        if np.isclose(here, table[i - 1, j - 1] + similarity[i - 1, j - 1]):
            if similarity[i - 1, j - 1] > 0:
                pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif np.isclose(here, table[i - 1, j] - gap):
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return top, pairs


def _candidates(query: Sequence[int], match: Sequence[int]) -> list[int]:
    """The transpositions worth trying: the commonest pitch-class differences."""
    counts: Counter[int] = Counter()
    query_classes = Counter(p % 12 for p in query)
    match_classes = Counter(p % 12 for p in match)
    for q, q_count in query_classes.items():
        for m, m_count in match_classes.items():
            counts[(q - m) % 12] += q_count * m_count
    return [shift for shift, _ in counts.most_common(TRANSPOSITIONS_TRIED)]


def align(query: Sequence[NoteTuple], match: Sequence[NoteTuple]) -> Alignment:
    """How much of `query`'s melody `match` contains, in order (melody rerank score).
    Both are reduced to their lines first (one note per onset, the top one)."""
    q_line, m_line = melody_line(query), melody_line(match)
    if not q_line or not m_line:
        return Alignment(0.0, 0, [])
    q_pitch = np.array([n[0] for n in q_line], dtype=np.int64)
    m_pitch = np.array([n[0] for n in m_line], dtype=np.int64)
    q_rhythm, m_rhythm = note_ratio_tokens(q_line), note_ratio_tokens(m_line)
    rhythm = (q_rhythm[:, None] == m_rhythm[None, :]) | (q_rhythm[:, None] < 0) | (
        m_rhythm[None, :] < 0)
    rhythm_part = np.where(rhythm, RHYTHM_WEIGHT, 0.0)
    difference = (q_pitch[:, None] - m_pitch[None, :]) % 12
    best = Alignment(0.0, 0, [])
    for shift in _candidates(q_pitch.tolist(), m_pitch.tolist()):
        same = difference == shift
        similarity = np.where(same, PITCH_WEIGHT, PITCH_MISS) + rhythm_part
        top, pairs = local_alignment(similarity, GAP)
        scored = max(len(q_line), MIN_SCORED_NOTES)
        score = min(1.0, top / (scored * (PITCH_WEIGHT + RHYTHM_WEIGHT)))
        if score > best.score:
            best = Alignment(round(score, 4), fold(shift), pairs)
    return best


def _chord_tokens(chords: Window | Sequence[str]) -> list[tuple[int, int]]:
    labels = chords.labels if isinstance(chords, Window) else chords
    return [c for c in (chord_class(label) for label in labels) if c is not None]


def align_harmony(query: Window | Sequence[str], match: Window | Sequence[str]) -> float:
    """Share of the query's chord changes (root motion and quality) found in order in the
    match, 0..1; takes harmony windows or their chord symbols."""
    q, m = _chord_tokens(query), _chord_tokens(match)
    if len(q) < 2 or len(m) < 2:
        return 0.0
    q_moves = [((b[0] - a[0]) % 12, b[1]) for a, b in pairwise(q)]
    m_moves = [((b[0] - a[0]) % 12, b[1]) for a, b in pairwise(m)]
    similarity = np.array([[1.0 if a == b else -0.5 for b in m_moves] for a in q_moves])
    top, _ = local_alignment(similarity, 0.6)
    return round(min(1.0, top / len(q_moves)), 4)
