"""Loudness, true peak, limiter and normalisation, checked against independent meters
(pyloudnorm's own loop, scipy's polyphase resampler)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyloudnorm
import pytest
from scipy import signal

from ariaforge.audio.loudness.limiter import true_peak_limit
from ariaforge.audio.loudness.meter import (
    PowerStream,
    integrated_lufs,
    loudness_of_power,
    loudness_range_lu,
    loudness_range_of_power,
    lufs_of_power,
    weighted_power,
)
from ariaforge.audio.loudness.normalize import normalize, normalize_detailed
from ariaforge.audio.loudness.true_peak import true_peak_dbtp, true_peak_envelope
from ariaforge.audio.synth import render_stems
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


def awkward_signals() -> dict[str, Audio]:
    rng = np.random.default_rng(3)
    n = np.arange(RATE * 2)
    return {
        "noise": (rng.standard_normal((RATE * 2, 2)) * 0.3).astype(np.float32),
        "signs": (rng.choice([-0.7, 0.7], (RATE, 2))).astype(np.float32),
        "nyquist": np.stack([np.cos(np.pi * n) * 0.5] * 2, axis=1).astype(np.float32),
        "quarter": np.stack([np.sin(np.pi * n / 2 + np.pi / 4) * 0.5] * 2,
                            axis=1).astype(np.float32),
        "impulses": np.pad(np.eye(1, 2, dtype=np.float32), ((5, 2000), (0, 0))),
        "tiny": np.asarray([[0.9, -0.9]], np.float32),
    }


def test_true_peak_bound_holds_and_skipping_is_exact(loud: Audio) -> None:
    from ariaforge.audio.loudness.true_peak import _BLOCK, _peaks_and_bounds

    for name, audio in {"loud": loud, **awkward_signals()}.items():
        exact = true_peak_envelope(audio, 0.0)  # every block interpolated
        block_peaks, bounds = _peaks_and_bounds(audio)
        padded = np.zeros(len(bounds) * _BLOCK, np.float32)
        padded[:len(exact)] = np.abs(audio).max(axis=1)
        assert np.array_equal(block_peaks, padded.reshape(-1, _BLOCK).max(axis=1)), name
        padded[:len(exact)] = exact
        assert np.all(padded.reshape(len(bounds), _BLOCK).max(axis=1) <= bounds), name
        for below_db in (0.5, 3.0, 10.0):
            floor = float(exact.max()) * 10 ** (-below_db / 20)
            envelope = true_peak_envelope(audio, floor)
            wanted = exact >= floor
            # A block may be interpolated in a run of another length than in `exact`, and
            # some BLAS kernels (OpenBLAS on AVX-512) then round the last bit differently:
            # equal up to float32 rounding, never a skipped block's sample peak.
            assert np.allclose(envelope[wanted], exact[wanted], rtol=1e-6, atol=0), name
            assert np.all(envelope <= exact * np.float32(1 + 1e-6)), name
        assert true_peak_dbtp(audio) == pytest.approx(20 * np.log10(exact.max()), abs=1e-6)


def test_streamed_power_is_exactly_the_whole_signals(loud: Audio) -> None:
    expected = weighted_power(loud, RATE)
    stream = PowerStream(RATE)
    for begin, end in ((0, 1), (1, 5000), (5000, 5000), (5000, len(loud))):
        stream.feed(loud[begin:end])
    assert np.array_equal(stream.result(), expected)
    stream.close()
    gained = PowerStream(RATE, gain_db=-3.0)
    gained.feed(loud[:7000])
    gained.feed(loud[7000:])
    assert np.array_equal(gained.result(), weighted_power(loud * np.float32(
        10 ** (-3.0 / 20)), RATE))
    gained.close()


def test_loudness_and_range_from_one_power(loud: Audio, quiet: Audio) -> None:
    long = np.concatenate([loud, quiet * 4, loud * 0.5])
    power = weighted_power(long, RATE)
    assert loudness_of_power(power, RATE) == (lufs_of_power(power, RATE),
                                               loudness_range_of_power(power, RATE))
    assert loudness_of_power(power[:RATE], RATE) == (lufs_of_power(power[:RATE], RATE), None)
    assert loudness_of_power(np.zeros(100), RATE) == (None, None)
