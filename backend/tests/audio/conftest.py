"""Fixtures for the audio tests: real synth, real FFmpeg, short scores."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from ariaforge.audio.synth import render_stems
from ariaforge.music.score import Score
from tests.audio import scores

FAST_RATE = 22050  # synth-only tests
Stems = dict[str, npt.NDArray[np.float32]]


@pytest.fixture(scope="session")
def simple_score() -> Score:
    return scores.simple_score()


@pytest.fixture(scope="session")
def simple_stems(simple_score: Score) -> Stems:
    return render_stems(simple_score, None, FAST_RATE)


def rms(audio: npt.NDArray[np.float32]) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
