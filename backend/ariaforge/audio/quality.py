"""A technical quality report of finished audio, with a 0..1 summary score.

Measures (on float audio, before any lossy encoding):

* integrated_lufs, loudness_range_lu: BS.1770-4 / EBU Tech 3342 (see `loudness.meter`);
  None when undefined (silence; LRA also for audio under 3 s).
* true_peak_dbtp (4x oversampled) and sample_peak_dbfs; None for digital silence.
* clipped_samples: samples beyond full scale (|x| > 1, which integer formats clip) plus
  samples in flat runs of 3 or more consecutive samples at |x| >= 0.999 (a waveform
  already clipped at or just below full scale). A full-scale sine has no such runs.
* crest_factor_db: sample peak over RMS (both channels together); 3.01 dB for a sine,
  0 for a square wave; None for silence.
* silent: True when the sample peak is below -90 dBFS (so nothing useful is audible).
* leading/trailing_silence_s: time before the first / after the last sample above
  -60 dBFS.
* duration_s.

Score (0..1, higher is better), 0 when silent, else 1 minus these penalties (then
clamped to 0..1 and rounded to 3 decimals):

* clipping: 0.1 + 50 x (clipped fraction of samples), at most 0.5, when any sample clips;
* true peak over the ceiling (default -1 dBTP): 0.1 per dB over, at most 0.3;
* loudness off target (when a target is given): 0.05 per LU beyond 0.5 LU, at most 0.3;
* squashed dynamics: crest factor under 6 dB costs 0.2 x (6 - crest) / 6;
* dead air: 0.02 per second of leading silence beyond 1 s plus trailing silence beyond
  3 s, at most 0.1.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from ariaforge.audio.loudness.gain import as_stereo, gain_to_db
from ariaforge.audio.loudness.meter import loudness_of_power, weighted_power
from ariaforge.audio.loudness.true_peak import true_peak_dbtp

SILENT_PEAK_DBFS = -90.0
SILENCE_THRESHOLD_DBFS = -60.0
CLIP_LEVEL = 0.999
CLIP_RUN = 3
_SLICE = 1 << 18


class QualityReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    integrated_lufs: float | None
    loudness_range_lu: float | None
    true_peak_dbtp: float | None
    sample_peak_dbfs: float | None
    clipped_samples: int = Field(ge=0)
    crest_factor_db: float | None
    silent: bool
    leading_silence_s: float = Field(ge=0)
    trailing_silence_s: float = Field(ge=0)
    duration_s: float = Field(ge=0)
    score: float = Field(ge=0, le=1)


def count_clipped(audio: npt.NDArray[np.float32]) -> int:
    """Samples over full scale, plus samples in flat runs (>= 3) at |x| >= 0.999."""
    clipped = np.abs(audio) > 1.0
    for channel in range(audio.shape[1]):
        column = audio[:, channel]
        hot = np.abs(column) >= CLIP_LEVEL
        if len(column) < CLIP_RUN or not hot.any():
            continue
        # pairs[i]: samples i and i+1 are equal and both hot.
        pairs = (column[1:] == column[:-1]) & hot[1:] & hot[:-1]
        edges = np.diff(np.concatenate([[0], pairs.astype(np.int8), [0]]))
        starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        # stop - start equal pairs make a flat run of stop - start + 1 samples.
        long_runs = stops - starts + 1 >= CLIP_RUN
        delta = np.zeros(len(column) + 1, np.int64)
        np.add.at(delta, starts[long_runs], 1)
        np.add.at(delta, stops[long_runs] + 1, -1)
        clipped[:, channel] |= np.cumsum(delta[:-1]) > 0
    return int(np.count_nonzero(clipped))


def _scan(data: npt.NDArray[np.float32]) -> tuple[float, float, int | None, int | None]:
    """(sample peak, sum of squares in float64, first and last frame with a sample at or
    above -60 dBFS), a slice at a time: no full-size temporary arrays, and the silence
    search stops at the first audible slice from either end."""
    flat = data.reshape(-1)
    channels = max(data.shape[1], 1)
    size = _SLICE * channels
    threshold = np.float32(10 ** (SILENCE_THRESHOLD_DBFS / 20))
    peak = squares = 0.0
    for begin in range(0, len(flat), size):
        part = flat[begin:begin + size]
        peak = max(peak, float(part.max()), -float(part.min()))
        wide = part.astype(np.float64)
        squares += float(np.dot(wide, wide))
    first = last = None
    for begin in range(0, len(flat), size):
        audible = np.abs(flat[begin:begin + size]) >= threshold
        index = int(np.argmax(audible))
        if audible[index]:
            first = (begin + index) // channels
            break
    if first is not None:
        for begin in range((len(flat) - 1) // size * size, -1, -size):
            audible = np.abs(flat[begin:begin + size]) >= threshold
            index = len(audible) - 1 - int(np.argmax(audible[::-1]))
            if audible[index]:
                last = (begin + index) // channels
                break
    return peak, squares, first, last


def analyze(audio: npt.ArrayLike, sample_rate: int, *, target_lufs: float | None = None,
            ceiling_dbtp: float = -1.0, power: npt.NDArray[np.float64] | None = None,
            true_peak: float | None = None) -> QualityReport:
    """The quality report of (frames, 2) float audio (see the module notes). Callers
    that already measured this audio may pass its K-weighted `power`
    (`loudness.meter.weighted_power`) and `true_peak` (dBTP) to save the work."""
    data = as_stereo(audio)
    frames = len(data)
    duration = frames / sample_rate
    peak, squares, first, last = _scan(data)
    peak_db = gain_to_db(peak) if peak > 0 else None
    silent = peak_db is None or peak_db < SILENT_PEAK_DBFS
    if peak_db is None:
        return QualityReport(
            integrated_lufs=None, loudness_range_lu=None, true_peak_dbtp=None,
            sample_peak_dbfs=None, clipped_samples=0, crest_factor_db=None, silent=True,
            leading_silence_s=duration, trailing_silence_s=duration, duration_s=duration,
            score=0.0)
    rms = math.sqrt(squares / data.size)
    crest = gain_to_db(peak / rms) if rms > 0 else None
    if first is not None and last is not None:
        leading, trailing = first / sample_rate, (frames - 1 - last) / sample_rate
    else:
        leading = trailing = frames / sample_rate
    if power is None or len(power) != frames:
        power = weighted_power(data, sample_rate)
    lufs, lra = loudness_of_power(power, sample_rate)
    if true_peak is None:
        true_peak = true_peak_dbtp(data)
    clipped = count_clipped(data) if peak >= CLIP_LEVEL else 0  # nothing can be clipped
    report = {
        "integrated_lufs": lufs, "loudness_range_lu": lra,
        "true_peak_dbtp": true_peak, "sample_peak_dbfs": peak_db, "clipped_samples": clipped,
        "crest_factor_db": crest, "silent": silent, "leading_silence_s": leading,
        "trailing_silence_s": trailing, "duration_s": duration,
    }
    if silent:
        return QualityReport(**report, score=0.0)
    penalty = 0.0
    if clipped:
        penalty += min(0.5, 0.1 + 50.0 * clipped / data.size)
    if true_peak is not None and true_peak > ceiling_dbtp:
        penalty += min(0.3, 0.1 * (true_peak - ceiling_dbtp))
    if target_lufs is not None and lufs is not None:
        penalty += min(0.3, 0.05 * max(0.0, abs(lufs - target_lufs) - 0.5))
    if crest is not None and crest < 6.0:
        penalty += 0.2 * (6.0 - crest) / 6.0
    penalty += min(0.1, 0.02 * (max(0.0, leading - 1.0) + max(0.0, trailing - 3.0)))
    score = round(min(1.0, max(0.0, 1.0 - penalty)), 3)
    return QualityReport(**report, score=score)
