"""Cutting tunes (rows of features, see features.py) into fixed-length windows, for
training (every position scored) and for evaluation (each token scored once, with a
long history). numpy only, so the bench can use it without the training environment."""

from __future__ import annotations

import itertools

import numpy as np

SCORED_TAIL = 16  # evaluation: a window after the first scores only its last 16 tokens


def _stack(x: np.ndarray, y: np.ndarray, spans: list[tuple[int, int, int]], context: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """spans: (start, end, first scored) row indices; windows padded on the right (the
    model is causal, so padding never changes a real position's output)."""
    xs = np.zeros((len(spans), context, x.shape[1]), dtype=np.int64)
    ys = np.zeros((len(spans), context), dtype=np.int64)
    weight = np.zeros((len(spans), context), dtype=np.float32)
    for row, (start, end, scored) in enumerate(spans):
        xs[row, :end - start] = x[start:end]
        ys[row, :end - start] = y[start:end]
        weight[row, scored - start:end - start] = 1.0
    return xs, ys, weight


def training_windows(x: np.ndarray, y: np.ndarray, offsets: np.ndarray, context: int,
                     rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Every tune's opening window, then windows at a random phase covering the rest;
    every position of a window is a training target."""
    spans = []
    for begin, end in itertools.pairwise(offsets):
        length = int(end - begin)
        spans.append((int(begin), int(begin) + min(length, context), int(begin)))
        if length > context:
            phase = int(rng.integers(1, context))
            for start in range(phase, length - context + 1, context):
                spans.append((int(begin) + start, int(begin) + start + context,
                              int(begin) + start))
    return _stack(x, y, spans, context)


def evaluation_windows(x: np.ndarray, y: np.ndarray, offsets: np.ndarray, context: int
                       ) -> tuple[np.ndarray, ...]:
    """Windows in which each token is scored exactly once: the first `context` tokens of
    a tune in its opening window, later ones in sliding windows where they have at least
    `context - SCORED_TAIL` tokens of history."""
    spans = []
    for begin, end in itertools.pairwise(offsets):
        begin, end = int(begin), int(end)
        spans.append((begin, min(end, begin + context), begin))
        scored = min(end, begin + context)
        while scored < end:
            stop = min(end, scored + SCORED_TAIL)
            spans.append((stop - context, stop, scored))
            scored = stop
    return _stack(x, y, spans, context)
