"""Loudness (ITU-R BS.1770-4 / EBU R 128), true peak, a true-peak limiter and loudness
normalisation.

* `integrated_lufs` / `loudness_range_lu`: pyloudnorm's K-weighting filters and its
  gating rules (integrated: 400 ms blocks every 100 ms, -70 LUFS absolute and -10 LU
  relative gates; LRA per EBU Tech 3342 with pyloudnorm's 1.5 s of appended silence),
  with the block sums vectorised; the tests check the figures against `pyloudnorm.Meter`.
  Audio shorter than one 400 ms block is measured zero-padded to one block. Both return
  None when nothing passes the absolute gate (digital silence included).
* True peak: the signal interpolated 4x by a 64-tap Kaiser-windowed sinc (16 taps per
  phase; within 0.04 dB up to 0.8 x Nyquist, so it reads like BS.1770-4 Annex 2 meters;
  content in the top 10 % of the band may be misread by up to ~2 dB). Only frames whose
  neighbourhood could reach the level of interest are interpolated: an interpolated value
  is at most the sum of the absolute taps times the neighbourhood's sample peak, so the
  skipped frames cannot change any result.
* `true_peak_limit`: a look-ahead limiter whose gain never lets the true-peak envelope
  exceed the ceiling. The required gain (dB) per frame is minimum-filtered over +-2 ms,
  smoothed by a moving average of the same width (gain reduction ramps in over the
  look-ahead and never falls short of the requirement), then released at 120 dB/s at
  most (a min-plus recursion computed with a cumulative minimum). It aims 0.1 dB under
  the ceiling (`PEAK_MARGIN_DB`, so other 4x meters agree), measures the result and, if
  inter-sample overshoot remains, limits again at a lower internal ceiling.
* `normalize`: gain to the target loudness, then the limiter at the ceiling. Each
  candidate gain is judged exactly for a static gain (the K-weighted power scales with
  the gain squared, so even blocks crossing the -70 LUFS gate are right) and closely
  under limiting (power times the limiter's squared gain); the gain is refined by secant
  steps, and a limited result is measured exactly and corrected until it is within
  0.05 LU of the target. The limiter may take off at most `MAX_LIMITING_DB` (15 dB): a
  target that needs more (a lone click made loud) is missed, the ceiling wins, and
  `Normalized.lufs` says what was reached. Otherwise the result is within 0.05 LU of the
  target and at or below the ceiling.
* Silence: audio with no measurable loudness (digital silence, or nothing above the
  -70 LUFS gate) gets no gain at all; it is returned unchanged, except that a true peak
  above the ceiling is still limited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyloudnorm
from numpy.lib.stride_tricks import sliding_window_view
from scipy import ndimage, signal

Audio = npt.NDArray[np.float32]
Floats = npt.NDArray[np.float64]

LUFS_TOLERANCE = 0.05
PEAK_MARGIN_DB = 0.1
MAX_GAIN_DB = 60.0
MAX_LIMITING_DB = 15.0
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
BLOCK_S = 0.4
BLOCK_OVERLAP = 0.75
LRA_BLOCK_S = 3.0
LRA_OVERLAP = 0.97
LIMITER_LOOKAHEAD_S = 0.002
LIMITER_RELEASE_DB_PER_S = 120.0
_HEADROOM_DB = 6.0

_TAPS = 16
_OFFSETS = np.arange(-_TAPS // 2 + 1, _TAPS // 2 + 1)  # -5..6
_BLOCK = 2048
_CHUNK = 8192


def _interpolator() -> tuple[npt.NDArray[np.float32], float]:
    """(taps x 3) filter for the values a quarter, half and three quarters of a frame
    after each frame, and the largest sum of absolute taps (the overshoot bound)."""
    beta, half_width = 5.0, _TAPS / 2
    columns = []
    for phase in (0.25, 0.5, 0.75):
        distance = phase - _OFFSETS
        window = np.i0(beta * np.sqrt(np.clip(1 - (distance / half_width) ** 2, 0, None)))
        columns.append(np.sinc(distance) * window / np.i0(beta))
    matrix = np.stack(columns, axis=1).astype(np.float32)
    return matrix, float(np.abs(matrix).sum(axis=0).max())


_FILTER, _BOUND = _interpolator()


def db_to_gain(db: float) -> float:
    return 0.0 if db == -math.inf else float(10.0 ** (db / 20.0))


def gain_to_db(gain: float) -> float:
    return -math.inf if gain <= 0.0 else 20.0 * math.log10(gain)


def as_stereo(audio: npt.ArrayLike) -> Audio:
    """(frames, 2) C-contiguous float32 from mono (frames,) / (frames, 1) or stereo."""
    array = np.asarray(audio, dtype=np.float32)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[1] not in (1, 2):
        raise ValueError(f"audio must be (frames,) or (frames, 1|2), got {array.shape}")
    if array.shape[1] == 1:
        array = np.repeat(array, 2, axis=1)
    return np.ascontiguousarray(array)


# --- loudness -------------------------------------------------------------------------


def _k_weighting(sample_rate: int) -> npt.NDArray[np.float64]:
    shelf = pyloudnorm.IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, sample_rate, "high_shelf")
    high_pass = pyloudnorm.IIRfilter(0.0, 0.5, 38.0, sample_rate, "high_pass")
    sos = np.stack([np.concatenate([f.b * f.passband_gain, f.a]) for f in (shelf, high_pass)])
    return sos.astype(np.float64)


def _weighted_power(data: Audio, sample_rate: int) -> Floats:
    """The K-weighted power per frame, summed over channels."""
    sos = _k_weighting(sample_rate)
    power = np.zeros(len(data), dtype=np.float64)
    for channel in range(data.shape[1]):
        filtered = signal.sosfilt(sos, data[:, channel].astype(np.float64))
        power += filtered * filtered
    return power


def _cumulative(power: Floats) -> Floats:
    cumulative = np.empty(len(power) + 1, dtype=np.float64)
    cumulative[0] = 0.0
    np.cumsum(power, out=cumulative[1:])
    return cumulative


def _block_loudness(cumulative: Floats, sample_rate: int, block_s: float,
                    overlap: float) -> Floats:
    """Per-block loudness (LUFS), with pyloudnorm's block boundaries."""
    frames = len(cumulative) - 1
    step = 1.0 - overlap
    count = round((frames / sample_rate - block_s) / (block_s * step)) + 1
    if count < 1:
        return np.zeros(0, dtype=np.float64)
    index = np.arange(count, dtype=np.float64)
    lower = np.minimum((block_s * (index * step) * sample_rate).astype(np.int64), frames)
    upper = np.minimum((block_s * (index * step + 1) * sample_rate).astype(np.int64), frames)
    energy = (cumulative[upper] - cumulative[lower]) / (block_s * sample_rate)
    with np.errstate(divide="ignore"):
        loudness: Floats = -0.691 + 10.0 * np.log10(np.maximum(energy, 0.0))
    return loudness


def _gated_mean(loudness: Floats) -> float | None:
    """Integrated loudness of block loudnesses: absolute then relative gate."""
    absolute = loudness[loudness >= ABSOLUTE_GATE_LUFS]
    if absolute.size == 0:
        return None
    energy = np.power(10.0, (absolute + 0.691) / 10.0)
    relative = -0.691 + 10.0 * math.log10(float(energy.mean())) + RELATIVE_GATE_LU
    kept = loudness[(loudness > relative) & (loudness > ABSOLUTE_GATE_LUFS)]
    if kept.size == 0:
        return None
    return -0.691 + 10.0 * math.log10(float(np.power(10.0, (kept + 0.691) / 10.0).mean()))


def integrated_lufs(audio: npt.ArrayLike, sample_rate: int) -> float | None:
    """Integrated loudness in LUFS, or None when nothing passes the absolute gate."""
    data = as_stereo(audio)
    if not np.any(data):
        return None
    block = math.ceil(BLOCK_S * sample_rate) + 1
    if len(data) < block:
        data = np.concatenate([data, np.zeros((block - len(data), 2), np.float32)])
    return _lufs_of_power(_weighted_power(data, sample_rate), sample_rate)


def _lufs_of_power(power: Floats, sample_rate: int) -> float | None:
    block = math.ceil(BLOCK_S * sample_rate) + 1
    if len(power) < block:
        power = np.concatenate([power, np.zeros(block - len(power))])
    return _gated_mean(_block_loudness(_cumulative(power), sample_rate, BLOCK_S,
                                       BLOCK_OVERLAP))


def loudness_range_lu(audio: npt.ArrayLike, sample_rate: int) -> float | None:
    """EBU Tech 3342 loudness range (LRA) in LU, computed as pyloudnorm does (3 s blocks
    every 0.09 s, 1.5 s of silence appended); None for audio under 3 s or without
    loudness."""
    data = as_stereo(audio)
    if len(data) < 3 * sample_rate or not np.any(data):
        return None
    return loudness_range_of_power(_weighted_power(data, sample_rate), sample_rate)


def weighted_power(audio: npt.ArrayLike, sample_rate: int) -> Floats:
    """K-weighted power per frame (summed over channels): what `integrated_lufs` and
    `loudness_range_lu` measure, for callers that want both from one filtering pass."""
    return _weighted_power(as_stereo(audio), sample_rate)


def lufs_of_power(power: Floats, sample_rate: int) -> float | None:
    """`integrated_lufs` from `weighted_power`."""
    return _lufs_of_power(power, sample_rate) if np.any(power) else None


def loudness_range_of_power(power: Floats, sample_rate: int) -> float | None:
    """`loudness_range_lu` from `weighted_power` (the appended silence is taken as exact
    zeros, where pyloudnorm filters it: a difference far below 0.1 LU)."""
    if len(power) < 3 * sample_rate or not np.any(power):
        return None
    padded = np.concatenate([power, np.zeros(int(1.5 * sample_rate))])
    loudness = _block_loudness(_cumulative(padded), sample_rate, LRA_BLOCK_S, LRA_OVERLAP)
    absolute = loudness[loudness >= ABSOLUTE_GATE_LUFS]
    if absolute.size == 0:
        return None
    integrated = 10.0 * math.log10(float(np.power(10.0, absolute / 10.0).mean()))
    kept = absolute[absolute >= integrated - 20.0]
    if kept.size == 0:  # pragma: no cover - the loudest block always passes
        return None
    return float(np.percentile(kept, 95) - np.percentile(kept, 10))


# --- true peak ------------------------------------------------------------------------


def frame_peak(audio: Audio) -> Audio:
    """Per frame, the largest absolute sample over the channels."""
    peak: Audio = np.abs(audio[:, 0])
    for channel in range(1, audio.shape[1]):
        np.maximum(peak, np.abs(audio[:, channel]), out=peak)
    return peak


def _interpolate_run(data: Audio, begin: int, end: int, envelope: Audio) -> None:
    """Raise envelope[begin:end] to the interpolated peaks a quarter, half and three
    quarters of a frame after each frame, over both channels."""
    low, high = begin + int(_OFFSETS[0]), end + int(_OFFSETS[-1])
    pad_low, pad_high = max(0, -low), max(0, high - len(data))
    phases = np.empty((_FILTER.shape[1], _CHUNK), np.float32)
    transposed = np.ascontiguousarray(_FILTER.T)
    for channel in range(data.shape[1]):
        column = data[max(low, 0):min(high, len(data)), channel]
        if pad_low or pad_high:
            column = np.concatenate([np.zeros(pad_low, np.float32), column,
                                     np.zeros(pad_high, np.float32)])
        windows = sliding_window_view(column, _TAPS)  # (end - begin, taps)
        for offset in range(0, end - begin, _CHUNK):
            block = np.array(windows[offset:offset + _CHUNK])
            count = len(block)
            out = phases if count == _CHUNK else np.empty((len(phases), count), np.float32)
            np.dot(transposed, block.T, out=out)
            np.abs(out, out=out)
            target = envelope[begin + offset:begin + offset + count]
            for row in out:
                np.maximum(target, row, out=target)


def true_peak_envelope(audio: npt.ArrayLike, floor: float = 0.0) -> Audio:
    """Per frame, the largest absolute value of the 4x-interpolated signal from that frame
    up to the next, over both channels. Exact wherever it is >= `floor` (a linear level);
    elsewhere it may be lower (it is at least the frame's sample peak), which no use of it
    at levels >= `floor` can tell apart."""
    data = as_stereo(audio)
    envelope = frame_peak(data)
    frames = len(envelope)
    if not frames:
        return envelope
    blocks = -(-frames // _BLOCK)
    padded = np.zeros(blocks * _BLOCK, np.float32)
    padded[:frames] = envelope
    block_peak = padded.reshape(blocks, _BLOCK).max(axis=1)
    near = block_peak.copy()
    np.maximum(near[1:], block_peak[:-1], out=near[1:])
    np.maximum(near[:-1], block_peak[1:], out=near[:-1])
    wanted = near * _BOUND >= max(floor, 1e-12)
    # Runs of consecutive wanted blocks: [starts[i], stops[i]).
    edges = np.diff(np.concatenate([[0], wanted.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        _interpolate_run(data, start * _BLOCK, min(stop * _BLOCK, frames), envelope)
    return envelope


def true_peak_dbtp(audio: npt.ArrayLike) -> float | None:
    """True peak in dBTP (4x oversampling), or None for digital silence."""
    data = as_stereo(audio)
    if not data.size:
        return None
    sample_peak = float(np.abs(data).max())
    if sample_peak <= 0.0:
        return None
    return gain_to_db(float(true_peak_envelope(data, sample_peak).max()))


def sample_peak_dbfs(audio: npt.ArrayLike) -> float | None:
    data = as_stereo(audio)
    peak = float(np.abs(data).max()) if data.size else 0.0
    return None if peak <= 0.0 else gain_to_db(peak)


# --- limiter --------------------------------------------------------------------------


def _limiter_gain_db(envelope: Audio, pre_gain_db: float, ceiling_db: float,
                     sample_rate: int) -> Floats | None:
    """Gain (dB, pre-gain included) per frame, or None when no limiting is needed."""
    threshold = db_to_gain(ceiling_db - pre_gain_db)
    if not np.any(envelope > threshold):
        return None
    with np.errstate(divide="ignore"):
        required = np.minimum(
            0.0, ceiling_db - pre_gain_db - 20.0 * np.log10(envelope.astype(np.float64)))
    width = 2 * max(1, round(LIMITER_LOOKAHEAD_S * sample_rate)) + 1
    held = ndimage.minimum_filter1d(required, width, mode="nearest")
    smooth = np.minimum(ndimage.uniform_filter1d(held, width, mode="nearest"), required)
    ramp = (LIMITER_RELEASE_DB_PER_S / sample_rate) * np.arange(len(smooth), dtype=np.float64)
    released = np.minimum.accumulate(smooth - ramp) + ramp
    gain: Floats = np.minimum(released, 0.0) + pre_gain_db
    return gain


def apply_gain(audio: Audio, gain_db: Floats | float) -> Audio:
    """`audio` times a static gain or a per-frame gain curve (dB)."""
    if isinstance(gain_db, float | int):
        scaled: Audio = audio * np.float32(db_to_gain(float(gain_db)))
        return scaled
    curve = np.power(10.0, gain_db / 20.0).astype(np.float32)
    shaped: Audio = audio * curve[:, None]
    return shaped


def _limit(data: Audio, envelope: Audio, pre_gain_db: float, ceiling_db: float,
           sample_rate: int) -> Audio:
    curve = _limiter_gain_db(envelope, pre_gain_db, ceiling_db, sample_rate)
    return apply_gain(data, pre_gain_db if curve is None else curve)


def true_peak_limit(audio: npt.ArrayLike, sample_rate: int, ceiling_dbtp: float = -1.0,
                    *, pre_gain_db: float = 0.0) -> Audio:
    """`audio` times `pre_gain_db`, limited so that its true peak is at most
    `ceiling_dbtp` (verified after limiting)."""
    data = as_stereo(audio)
    ceiling = ceiling_dbtp - PEAK_MARGIN_DB
    envelope = true_peak_envelope(data, db_to_gain(ceiling - pre_gain_db - 6.0))
    out = data
    for _ in range(6):
        out = _limit(data, envelope, pre_gain_db, ceiling, sample_rate)
        peak = true_peak_dbtp(out)
        if peak is None or peak <= ceiling_dbtp:
            return out
        ceiling -= peak - ceiling_dbtp + 0.02
    return _hard_ceiling(out, ceiling_dbtp)  # pragma: no cover - belt and braces


def _hard_ceiling(audio: Audio, ceiling_dbtp: float) -> Audio:
    peak = true_peak_dbtp(audio)
    if peak is None or peak <= ceiling_dbtp:
        return audio
    return apply_gain(audio, ceiling_dbtp - peak - 0.01)


# --- normalisation --------------------------------------------------------------------


@dataclass(frozen=True)
class Normalized:
    """`audio` after normalisation. `gain_db` is the static gain applied before the
    limiter; `lufs` and `true_peak_dbtp` describe the result (None for silence), and
    `power` is its K-weighted power per frame (see `weighted_power`)."""

    audio: Audio
    gain_db: float
    lufs: float | None
    true_peak_dbtp: float | None
    iterations: int
    power: Floats


def normalize_detailed(
    audio: npt.ArrayLike,
    sample_rate: int,
    target_lufs: float = -14.0,
    ceiling_dbtp: float = -1.0,
    *,
    limiter: bool = True,
) -> Normalized:
    """See the module notes. With `limiter=False` nothing is limited: the gain stops
    where the true peak reaches the ceiling (the target may then be missed).

    Each candidate gain is judged by the loudness of the input's K-weighted power times
    the squared gain (exact for a static gain: gating near -70 LUFS included; close for
    the limiter's slowly moving gain), and the pre-limiter gain is refined by secant steps.
    A limited candidate is then measured exactly and the estimate's offset corrected until
    the exact figure is within tolerance."""
    data = as_stereo(audio)
    power = _weighted_power(data, sample_rate)
    measured = lufs_of_power(power, sample_rate)
    if measured is None:  # silence: no gain; only the ceiling is enforced
        peak = true_peak_dbtp(data)
        if peak is None or peak <= ceiling_dbtp:
            return Normalized(data, 0.0, None, peak, 0, power)
        limited = (true_peak_limit(data, sample_rate, ceiling_dbtp) if limiter
                   else _hard_ceiling(data, ceiling_dbtp))
        limited_power = _weighted_power(limited, sample_rate)
        return Normalized(limited, 0.0, lufs_of_power(limited_power, sample_rate),
                          true_peak_dbtp(limited), 0, limited_power)
    ceiling = ceiling_dbtp - PEAK_MARGIN_DB
    gain = min(target_lufs - measured, MAX_GAIN_DB)
    resolved_for = gain + _HEADROOM_DB
    envelope = true_peak_envelope(data, db_to_gain(ceiling - resolved_for))
    floor = db_to_gain(ceiling - resolved_for)
    # The envelope is exact above its floor; below it, measure the peak outright.
    exact_peak = float(envelope.max()) if float(envelope.max()) >= floor else None
    input_peak = gain_to_db(exact_peak) if exact_peak else (true_peak_dbtp(data) or -math.inf)
    # The limiter may take off at most MAX_LIMITING_DB; beyond that the target is missed.
    max_gain = min(MAX_GAIN_DB, ceiling - input_peak + (MAX_LIMITING_DB if limiter else 0.0))
    gain = min(gain, max_gain)
    aim = target_lufs  # what the estimate must reach for the exact figure to hit the target
    iterations = 0
    out: Audio = data
    for _attempt in range(8):
        history: list[tuple[float, float]] = []
        curve: Floats | None = None
        estimate: float | None = None
        for _ in range(16):
            iterations += 1
            if limiter and gain > resolved_for:
                resolved_for = gain + _HEADROOM_DB
                envelope = true_peak_envelope(data, db_to_gain(ceiling - resolved_for))
            curve = (_limiter_gain_db(envelope, gain, ceiling, sample_rate) if limiter
                     else None)
            weights = db_to_gain(gain) ** 2 if curve is None else np.power(10.0, curve / 10.0)
            estimate = _lufs_of_power(power * weights, sample_rate)
            error = aim - (estimate if estimate is not None else -math.inf)
            if abs(error) <= LUFS_TOLERANCE / 2 or not math.isfinite(error):
                break
            history.append((gain, aim - error))
            slope = 1.0
            if len(history) >= 2:
                (g0, l0), (g1, l1) = history[-2], history[-1]
                if g1 != g0:
                    slope = min(1.0, max(0.05, (l1 - l0) / (g1 - g0)))
            if gain >= max_gain and error > 0:
                break
            gain = min(gain + error / slope, max_gain)
        if curve is None:  # a static gain: loudness and peak follow exactly
            return Normalized(apply_gain(data, gain), gain, estimate, input_peak + gain,
                              iterations, power * db_to_gain(gain) ** 2)
        out = apply_gain(data, curve)
        out_power = _weighted_power(out, sample_rate)
        exact = lufs_of_power(out_power, sample_rate)
        out_peak = true_peak_dbtp(out)
        if out_peak is not None and out_peak > ceiling_dbtp:
            ceiling -= out_peak - ceiling_dbtp + 0.02
            continue
        if exact is None or abs(exact - target_lufs) <= LUFS_TOLERANCE or gain >= max_gain:
            return Normalized(out, gain, exact, out_peak, iterations, out_power)
        aim += target_lufs - exact
    out = _hard_ceiling(out, ceiling_dbtp)  # pragma: no cover - belt and braces
    out_power = _weighted_power(out, sample_rate)  # pragma: no cover
    return Normalized(out, gain, lufs_of_power(out_power, sample_rate),  # pragma: no cover
                      true_peak_dbtp(out), iterations, out_power)


def normalize(
    audio: npt.ArrayLike,
    sample_rate: int,
    target_lufs: float = -14.0,
    ceiling_dbtp: float = -1.0,
) -> Audio:
    """`audio` at `target_lufs` (+-0.5 LU) with its true peak at or below `ceiling_dbtp`.
    Digital silence is returned unchanged (no gain)."""
    return normalize_detailed(audio, sample_rate, target_lufs, ceiling_dbtp).audio
