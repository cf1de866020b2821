"""Deterministic changes of a melody, for tests and the quality bench: what someone who
copies a tune and disguises it might do."""

from __future__ import annotations

import random
from collections.abc import Sequence

from ariaforge.music.similarity.embedding import NoteTuple


def transpose(notes: Sequence[NoteTuple], semitones: int) -> list[NoteTuple]:
    return [(pitch + semitones, start, duration) for pitch, start, duration in notes]


def retime(notes: Sequence[NoteTuple], factor: float) -> list[NoteTuple]:
    """Every start and duration scaled (2.0: augmentation, 0.5: diminution; at the same
    bpm, a tempo change in ticks looks the same)."""
    if factor <= 0:
        raise ValueError("factor must be positive")
    return [(pitch, round(start * factor), max(1, round(duration * factor)))
            for pitch, start, duration in notes]


def mutate(notes: Sequence[NoteTuple], fraction: float, seed: int) -> list[NoteTuple]:
    """`fraction` of the notes (rounded) moved by a step or two, up or down; the same
    seed gives the same changes."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction must lie in 0..1")
    chosen = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    picked = set(chosen.sample(range(len(notes)), round(len(notes) * fraction)))
    out = []
    for index, (pitch, start, duration) in enumerate(notes):
        if index in picked:
            pitch += chosen.choice((-2, -1, 1, 2))
        out.append((pitch, start, duration))
    return out
