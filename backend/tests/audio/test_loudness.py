"""Loudness, true peak, limiter and normalisation, checked against independent meters
(pyloudnorm's own loop, scipy's polyphase resampler)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest
from scipy import signal

from ariaforge.audio import (
    integrated_lufs,
    normalize,
    normalize_detailed,
    render_stems,
    true_peak_dbtp,
    true_peak_limit,
)
from ariaforge.audio.loudness import loudness_range_lu
from ariaforge.music.score import Score
from tests.audio import scores

RATE = 44100
Audio = npt.NDArray[np.float32]


def reference_lufs(audio: Audio, rate: int = RATE) -> float:
    return float(pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64)))


def reference_true_peak(audio: Audio) -> float:
    """4x oversampling with scipy's own (longer) anti-imaging filter."""
    up = signal.resample_poly(audio.astype(np.float64), 4, 1, axis=0)
    return float(20 * np.log10(np.max(np.abs(up))))


def mixdown(score: Score, rate: int = RATE) -> Audio:
    stems = render_stems(score, None, rate)
    total = np.sum(list(stems.values()), axis=0)
    return np.asarray(total, dtype=np.float32)


@pytest.fixture(scope="module")
def loud() -> Audio:
    return mixdown(scores.loud_dense())


@pytest.fixture(scope="module")
def quiet() -> Audio:
    return mixdown(scores.quiet_sparse())


@pytest.fixture(scope="module")
def drums() -> Audio:
    return mixdown(scores.drums_only(bars=3))


def test_lufs_and_lra_match_pyloudnorm(loud: Audio, quiet: Audio) -> None:
    for audio in (loud, quiet):
        assert integrated_lufs(audio, RATE) == pytest.approx(reference_lufs(audio), abs=0.01)
    long = np.concatenate([loud, quiet * 4, loud * 0.5])
    lra = loudness_range_lu(long, RATE)
    want = pyloudnorm.Meter(RATE).loudness_range(long.astype(np.float64))
    assert lra is not None and lra == pytest.approx(want, abs=0.1)


def test_true_peak_catches_inter_sample_peaks() -> None:
    # A sine at a quarter of the sample rate, sampled 45 degrees off its peaks: every
    # sample is at 0.707 of the true amplitude (-3 dB), the true peak is the amplitude.
    # Faded in and out: an abrupt start would itself overshoot (Gibbs), truly.
    n = np.arange(RATE)
    fade = np.clip(np.minimum(n, RATE - 1 - n) / (RATE * 0.1), 0, 1)
    tone = (np.sin(2 * np.pi * n / 4 + np.pi / 4) * 0.5 * fade).astype(np.float32)
    sample_peak = 20 * np.log10(np.max(np.abs(tone)))
    assert sample_peak == pytest.approx(20 * np.log10(0.5) - 3.01, abs=0.01)
    assert true_peak_dbtp(tone) == pytest.approx(20 * np.log10(0.5), abs=0.1)
    assert true_peak_dbtp(np.zeros((100, 2), np.float32)) is None


@pytest.mark.parametrize("target", [-14.0, -18.0])
@pytest.mark.parametrize("which", ["loud", "quiet", "drums"])
def test_normalize_hits_target_under_ceiling(which: str, target: float,
                                             request: pytest.FixtureRequest) -> None:
    audio: Audio = request.getfixturevalue(which)
    out = normalize(audio, RATE, target_lufs=target, ceiling_dbtp=-1.0)
    assert out.shape == audio.shape and out.dtype == np.float32
    assert abs(reference_lufs(out) - target) <= 0.5
    peak = true_peak_dbtp(out)
    assert peak is not None and peak <= -1.0
    assert reference_true_peak(out) <= -1.0


def test_normalize_limits_when_it_must(drums: Audio) -> None:
    # Drums alone have a high peak-to-loudness ratio: -14 LUFS at -1 dBTP needs limiting.
    result = normalize_detailed(drums, RATE, target_lufs=-14.0, ceiling_dbtp=-1.0)
    input_peak = true_peak_dbtp(drums)
    assert input_peak is not None
    # The gain alone would put the peaks 3+ dB over the ceiling: the limiter took that off.
    assert input_peak + result.gain_db > -1.0 + 3.0
    assert result.lufs is not None and abs(result.lufs - -14.0) <= 0.5
    assert result.true_peak_dbtp is not None and result.true_peak_dbtp <= -1.0


def test_silence_gets_no_gain() -> None:
    silence = np.zeros((RATE * 2, 2), np.float32)
    result = normalize_detailed(silence, RATE, -14.0, -1.0)
    assert result.gain_db == 0.0 and result.lufs is None
    assert not np.any(result.audio)
    # Below the -70 LUFS gate: no gain either (a hiss would otherwise become a roar).
    whisper = (np.random.default_rng(0).standard_normal((RATE * 2, 2)) * 1e-5).astype(
        np.float32)
    assert integrated_lufs(whisper, RATE) is None
    assert np.array_equal(normalize(whisper, RATE), whisper)


def test_very_short_audio_is_measured() -> None:
    blip = np.full((RATE // 10, 2), 0.1, np.float32)  # 100 ms, under one 400 ms block
    assert integrated_lufs(blip, RATE) is not None
    out = normalize(blip, RATE, -14.0, -1.0)
    peak = true_peak_dbtp(out)
    assert peak is not None and peak <= -1.0


def test_limiter_respects_any_ceiling(loud: Audio) -> None:
    for ceiling in (-0.1, -1.0, -6.0):
        out = true_peak_limit(loud, RATE, ceiling, pre_gain_db=12.0)
        peak = true_peak_dbtp(out)
        assert peak is not None and peak <= ceiling
        assert reference_true_peak(out) <= ceiling + 0.05
