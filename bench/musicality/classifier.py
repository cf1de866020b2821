"""Classifier two-sample test: can a logistic regression on simple phrase features tell two
sets of melodies apart? Cross-validated accuracy near 0.5 means it cannot (the sets sound
alike to these features); near 1.0 means they are easily told apart.

Phrases are the melody cut into non-overlapping 4-bar windows from the first full bar
(a pickup bar 0 is skipped as in `features.opening_bars`), each with at least 4 notes.
Folds split by piece, so phrases of one piece never sit on both sides."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import numpy as np

from musicality.piece import MelodyNote, Piece

PHRASE_BARS = 4
FOLDS = 5
L2 = 1.0  # ridge penalty on standardised features


def phrases(piece: Piece) -> list[list[MelodyNote]]:
    """The piece's 4-bar phrases (see the module docstring)."""
    bar = piece.bar
    first = 1 if not piece.melody or piece.melody[0].start % bar >= bar // 2 else 0
    windows: dict[int, list[MelodyNote]] = {}
    for note in piece.melody:
        index = note.start // bar - first
        if index >= 0:
            windows.setdefault(index // PHRASE_BARS, []).append(note)
    return [notes for _, notes in sorted(windows.items()) if len(notes) >= 4]


def _coarse(interval: int) -> int:
    """0 leap down, 1 step down, 2 repeat, 3 step up, 4 leap up."""
    if interval == 0:
        return 2
    step = abs(interval) <= 2
    if interval > 0:
        return 3 if step else 4
    return 1 if step else 0


def _ioi_class(ioi: int, beat: int) -> int:
    """0 under half a beat, 1 half a beat, 2 between, 3 a beat, 4 longer."""
    if ioi < beat // 2:
        return 0
    if ioi == beat // 2:
        return 1
    if ioi < beat:
        return 2
    return 3 if ioi == beat else 4


def _metric_class(position: int, piece: Piece) -> int:
    """0 downbeat, 1 other beat, 2 half-beat, 3 elsewhere."""
    if position == 0:
        return 0
    if position % piece.beat == 0:
        return 1
    return 2 if position % (piece.beat // 2) == 0 else 3


def phrase_features(notes: Sequence[MelodyNote], piece: Piece) -> np.ndarray:
    """Normalised histograms of: interval (semitones clipped to +-12, 25 bins), coarse
    interval bigram (25), inter-onset interval in sixteenths (1..12, 12), inter-onset
    class bigram relative to the beat (25), metric position class of onsets (4), pitch
    class above the tonic (12); and notes per bar / 8, phrase span / 24, the share of
    repeated notes."""
    moves = [b.pitch - a.pitch for a, b in itertools.pairwise(notes)]
    parts = [np.zeros(n) for n in (25, 25, 12, 25, 4, 12)]
    for move in moves:
        parts[0][max(-12, min(12, move)) + 12] += 1
    for a, b in itertools.pairwise(moves):
        parts[1][_coarse(a) * 5 + _coarse(b)] += 1
    for note in notes:
        parts[2][max(1, min(12, note.ioi // 120)) - 1] += 1
        parts[4][_metric_class(note.start % piece.bar, piece)] += 1
        parts[5][(note.pitch - piece.tonic) % 12] += 1
    for first, second in itertools.pairwise(notes):
        parts[3][_ioi_class(first.ioi, piece.beat) * 5
                 + _ioi_class(second.ioi, piece.beat)] += 1
    normalised = [p / p.sum() if p.sum() else p for p in parts]
    pitches = [n.pitch for n in notes]
    scalars = np.array([len(notes) / PHRASE_BARS / 8, (max(pitches) - min(pitches)) / 24,
                        sum(m == 0 for m in moves) / max(1, len(moves))])
    return np.concatenate([*normalised, scalars])


def _fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; the last column of x is 1."""
    weights = np.zeros(x.shape[1])
    penalty = L2 * np.eye(x.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(25):
        p = 1 / (1 + np.exp(-x @ weights))
        gradient = x.T @ (p - y) + penalty @ weights
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-6:
            break
    return weights


def two_sample_accuracy(first: Sequence[Piece], second: Sequence[Piece],
                        seed: int = 0) -> tuple[float, int]:
    """(5-fold cross-validated accuracy, phrases per side) of telling `first`'s phrases
    from `second`'s. The larger side is subsampled to the smaller one's phrase count so
    chance is exactly 0.5; folds are drawn by piece (`Piece.group`)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible split, not a secret
    sides: list[list[tuple[str, np.ndarray]]] = []
    for pieces in (first, second):
        rows = [(p.group or str(id(p)), phrase_features(ph, p)) for p in pieces
                for ph in phrases(p)]
        rng.shuffle(rows)
        sides.append(rows)
    count = min(len(sides[0]), len(sides[1]))
    if count < 2 * FOLDS:
        return float("nan"), count
    labelled = [(g, f, label) for label, side in enumerate(sides) for g, f in side[:count]]
    groups = sorted({g for g, _, _ in labelled})
    rng.shuffle(groups)
    fold_of = {g: i % FOLDS for i, g in enumerate(groups)}
    x = np.array([f for _, f, _ in labelled])
    y = np.array([label for _, _, label in labelled], dtype=np.float64)
    folds = np.array([fold_of[g] for g, _, _ in labelled])
    correct = 0
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        mean, scale = x[train].mean(axis=0), x[train].std(axis=0) + 1e-9
        design = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
        weights = _fit(design[train], y[train])
        correct += int(((design[test] @ weights > 0) == (y[test] == 1)).sum())
    return correct / len(labelled), count
