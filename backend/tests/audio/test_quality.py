"""The quality report on synthetic signals with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ariaforge.audio.quality import QualityReport, analyze

RATE = 48000


def sine(seconds: float = 4.0, amplitude: float = 1.0) -> np.ndarray:
    # 1 kHz at 48 kHz: 48 samples a period, one of them exactly on each crest.
    n = np.arange(round(RATE * seconds))
    return (amplitude * np.sin(2 * np.pi * 1000 * n / RATE)).astype(np.float32)


def test_full_scale_sine() -> None:
    report = analyze(sine(), RATE)
    assert not report.silent
    assert report.sample_peak_dbfs == pytest.approx(0.0, abs=1e-3)
    assert report.true_peak_dbtp == pytest.approx(0.0, abs=0.05)
    assert report.crest_factor_db == pytest.approx(10 * math.log10(2), abs=0.01)
    assert report.clipped_samples == 0
    assert report.duration_s == pytest.approx(4.0)
    assert report.leading_silence_s < 0.001 and report.trailing_silence_s < 0.001
    # 1 kHz is where K-weighting is ~0 dB: a full-scale sine in both channels reads
    # about +0.1 LUFS (-3.01 dB for the sine's RMS, +3.01 for two channels, -0.691
    # offset, +~0.7 dB of the shelf at 1 kHz).
    assert report.integrated_lufs == pytest.approx(0.0, abs=1.0)
    # pyloudnorm's LRA appends 1.5 s of silence, which a 4 s tone notices: small, not 0.
    assert report.loudness_range_lu is not None and 0.0 <= report.loudness_range_lu < 3.0
    assert 0.0 < report.score < 1.0  # penalised: over the -1 dBTP ceiling, low crest


def test_clipped_square_wave() -> None:
    clipped = np.clip(sine() * 2.0, -1.0, 1.0)
    report = analyze(clipped, RATE)
    assert report.clipped_samples > 0
    assert report.crest_factor_db is not None and report.crest_factor_db < 3.0
    assert report.score < analyze(sine(), RATE).score
    # Float overs count too, even without flat tops.
    assert analyze(sine() * 1.5, RATE).clipped_samples > 0


def test_silence() -> None:
    report = analyze(np.zeros((RATE * 2, 2), np.float32), RATE)
    assert report.silent and report.score == 0.0
    assert report.integrated_lufs is None and report.true_peak_dbtp is None
    assert report.crest_factor_db is None
    assert report.leading_silence_s == pytest.approx(2.0)
    assert analyze(np.full((RATE, 2), 1e-6, np.float32), RATE).silent  # -120 dBFS


def test_silence_around_the_music_is_measured() -> None:
    music = sine(2.0, 0.5)
    padded = np.concatenate([np.zeros(RATE // 2, np.float32), music,
                             np.zeros(RATE * 3 // 2, np.float32)])
    report = analyze(padded, RATE)
    assert report.leading_silence_s == pytest.approx(0.5, abs=0.01)
    assert report.trailing_silence_s == pytest.approx(1.5, abs=0.01)
    assert report.duration_s == pytest.approx(4.0)


def test_a_well_mastered_signal_scores_high() -> None:
    rng = np.random.default_rng(1)
    noise = rng.standard_normal((RATE * 6, 2)) * 0.05  # crest ~ 14 dB
    report = analyze(noise.astype(np.float32), RATE, target_lufs=-14.0)
    assert isinstance(report, QualityReport)
    assert report.integrated_lufs is not None
    off_target = abs(report.integrated_lufs + 14.0)
    assert report.score == pytest.approx(1.0 - min(0.3, 0.05 * max(0.0, off_target - 0.5)),
                                         abs=0.01)
    assert QualityReport.model_validate_json(report.model_dump_json()) == report
