"""Embeddings: invariant to transposition and tempo, sensitive to the tune."""

from __future__ import annotations

import numpy as np
import pytest

from ariaforge.music.similarity import DIMENSIONS, embed_melody
from ariaforge.music.similarity.variants import mutate, retime, transpose

# "Twinkle twinkle" in C, crotchets and minims at ppq 480.
TWINKLE = [(p, i * 480, 480) for i, p in enumerate(
    (60, 60, 67, 67, 69, 69, 67, 65, 65, 64, 64, 62, 62, 60))]
# A dotted, leaping line: nothing like it.
OTHER = [(p, s, d) for p, s, d in zip(
    (72, 64, 76, 59, 71, 62, 74, 57, 69, 60, 77, 65, 79, 55),
    (0, 720, 960, 1680, 1920, 2640, 2880, 3600, 3840, 4560, 4800, 5520, 5760, 6480),
    (720, 240) * 7, strict=True)]


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_shape_dtype_and_unit_length() -> None:
    vector = embed_melody(TWINKLE)
    assert vector is not None
    assert vector.shape == (DIMENSIONS,)
    assert vector.dtype == np.float32
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("semitones", [-7, -1, 3, 12])
def test_transposition_does_not_change_the_embedding(semitones: int) -> None:
    original, moved = embed_melody(TWINKLE), embed_melody(transpose(TWINKLE, semitones))
    assert original is not None and moved is not None
    np.testing.assert_allclose(moved, original, atol=1e-6)


@pytest.mark.parametrize("factor", [2.0, 0.5, 1.5])
def test_tempo_and_augmentation_do_not_change_the_embedding(factor: float) -> None:
    original, stretched = embed_melody(TWINKLE), embed_melody(retime(TWINKLE, factor))
    assert original is not None and stretched is not None
    np.testing.assert_allclose(stretched, original, atol=1e-6)


def test_a_different_melody_is_far_and_a_small_change_stays_near() -> None:
    base = embed_melody(TWINKLE)
    other, changed = embed_melody(OTHER), embed_melody(mutate(TWINKLE, 0.1, seed=1))
    assert base is not None and other is not None and changed is not None
    assert cosine(base, other) < 0.3
    assert cosine(base, changed) > 0.5
    assert cosine(base, changed) > cosine(base, other) + 0.3


def test_rhythm_is_part_of_the_embedding() -> None:
    dotted = [(p, s, d) for (p, _, _), s, d in zip(
        TWINKLE, np.cumsum([0] + [720, 240] * 6 + [720])[:14].tolist(), [720, 240] * 7,
        strict=True)]
    base, other = embed_melody(TWINKLE), embed_melody(dotted)
    assert base is not None and other is not None
    assert cosine(base, other) < 0.9


def test_fewer_than_four_onsets_give_no_embedding() -> None:
    assert embed_melody(TWINKLE[:3]) is None
    # a chord is one onset: three chords are still three onsets
    chords = [(p + 12 * k, i * 480, 480) for i, p in enumerate((60, 65, 67)) for k in (0, 1)]
    assert embed_melody(chords) is None


def test_a_chordal_part_is_read_by_its_top_voice() -> None:
    voiced = TWINKLE + [(p - 12, s, d) for p, s, d in TWINKLE] + [
        (p - 17, s, d) for p, s, d in TWINKLE]
    a, b = embed_melody(voiced), embed_melody(TWINKLE)
    assert a is not None and b is not None
    np.testing.assert_allclose(a, b, atol=1e-6)
