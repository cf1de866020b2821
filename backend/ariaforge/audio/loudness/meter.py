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
  content in the top 10 % of the band may be misread by up to ~2 dB). Only blocks of
  1024 frames whose neighbourhood could reach the level of interest are interpolated:
  an interpolated value is at most c1 x the two neighbouring samples' peak + c2 x the
  largest second difference of the 16 samples around it (c1 < 1, c2 = 0.37; see
  `_bound_constants`), a bound within a fraction of a dB of the sample peak for music,
  so skipped blocks cannot change any result and typically only a few % of the audio
  is interpolated.
* `PowerStream`: the K-weighted power of a signal fed a range at a time (the filters
  carry their state), computed in a background thread; exactly `weighted_power`.
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

import functools
import math
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyloudnorm
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
_MERGE_GAP = 4096

_TAPS = 16
_OFFSETS = np.arange(-_TAPS // 2 + 1, _TAPS // 2 + 1)  # -7..8
_BLOCK = 1024  # frames per block of the true-peak bound
_BOUND_CHUNK = 64  # blocks per chunk when computing the bound
_PARALLEL_FRAMES = 1 << 16  # filter the channels in threads from this length on


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


def _bound_constants() -> tuple[float, float]:
    """(c1, c2) such that every interpolated value between frames n and n+1 is at most
    c1 * max(|x[n]|, |x[n+1]|) + c2 * max |x[m-1] - 2 x[m] + x[m+1]| over m = n-6..n+7.

    Each phase's filter minus linear interpolation between x[n] and x[n+1] is, after
    moving its (tiny) zeroth and first moments onto those two taps, the second
    difference of a kernel G over offsets -6..7 (summation by parts); c1 bounds the two
    central taps, c2 = max sum |G|. For music, whose second differences are small next
    to its samples, this bound is within a fraction of a dB of the sample peak, where
    the sum of absolute taps (`_BOUND`) is 6.4 dB above it."""
    offsets = _OFFSETS.astype(np.float64)
    c1 = c2 = 0.0
    for column, phase in enumerate((0.25, 0.5, 0.75)):
        kernel = _FILTER[:, column].astype(np.float64)
        kernel[offsets == 0] -= 1.0 - phase
        kernel[offsets == 1] -= phase
        first = float((offsets * kernel).sum())
        zeroth = float(kernel.sum())
        kernel[offsets == 0] -= zeroth - first
        kernel[offsets == 1] -= first
        c1 = max(c1, abs(1.0 - phase + zeroth - first) + abs(phase + first))
        c2 = max(c2, float(np.abs(np.cumsum(np.cumsum(kernel))).sum()))
    return c1, c2


_C1, _C2 = _bound_constants()


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


@functools.lru_cache(maxsize=8)
def _k_weighting(sample_rate: int) -> npt.NDArray[np.float64]:
    shelf = pyloudnorm.IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, sample_rate, "high_shelf")
    high_pass = pyloudnorm.IIRfilter(0.0, 0.5, 38.0, sample_rate, "high_pass")
    sos = np.stack([np.concatenate([f.b * f.passband_gain, f.a]) for f in (shelf, high_pass)])
    return sos.astype(np.float64)  # cached: callers must not modify it


def _filtered_square(sos: npt.NDArray[np.float64], column: Audio) -> Floats:
    # sosfilt makes its own float64 copy of the (float32, strided) column.
    filtered: Floats = signal.sosfilt(sos, column)
    np.multiply(filtered, filtered, out=filtered)
    return filtered


def _weighted_power(data: Audio, sample_rate: int) -> Floats:
    """The K-weighted power per frame, summed over channels (the channels are filtered
    in parallel threads: SciPy releases the GIL)."""
    sos = _k_weighting(sample_rate)
    columns = [data[:, channel] for channel in range(data.shape[1])]
    if len(data) < _PARALLEL_FRAMES or len(columns) < 2:
        squares = [_filtered_square(sos, column) for column in columns]
    else:
        with ThreadPoolExecutor(max_workers=len(columns)) as pool:
            squares = list(pool.map(functools.partial(_filtered_square, sos), columns))
    power = squares[0]
    for square in squares[1:]:
        power += square
    return power


class PowerStream:
    """`weighted_power` of a signal that arrives in order, a range of frames at a time,
    computed by one background thread (SciPy filters without the GIL, so this runs
    beside the caller's work). The filters carry their state from range to range, so the
    result is exactly `weighted_power` of the whole signal."""

    def __init__(self, sample_rate: int, gain_db: float = 0.0) -> None:
        self._sos = _k_weighting(sample_rate)
        self._gain = np.float32(db_to_gain(gain_db)) if gain_db else None
        self._states: list[Floats] | None = None
        self._power: Floats = np.zeros(0, np.float64)
        self._done = 0
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._jobs: list[Future[None]] = []

    def feed(self, audio: Audio) -> None:
        """The next frames of the signal, (frames, channels) float32; the caller must
        leave them unchanged until `result`. Multiplied by `gain_db` first, as
        `apply_gain` would."""
        if len(audio):
            self._jobs.append(self._pool.submit(self._filter, audio))

    def _filter(self, audio: Audio) -> None:
        if self._gain is not None:
            audio = audio * self._gain
        if self._states is None:
            self._states = [np.zeros((len(self._sos), 2)) for _ in range(audio.shape[1])]
        squares = []
        for channel, state in enumerate(self._states):
            filtered, self._states[channel] = signal.sosfilt(self._sos, audio[:, channel],
                                                             zi=state)
            np.multiply(filtered, filtered, out=filtered)
            squares.append(filtered)
        if self._done + len(audio) > len(self._power):
            grown = np.empty(max(2 * len(self._power), self._done + len(audio)), np.float64)
            grown[:self._done] = self._power[:self._done]
            self._power = grown
        target = self._power[self._done:self._done + len(audio)]
        np.copyto(target, squares[0])
        for square in squares[1:]:
            target += square
        self._done += len(audio)

    def reserve(self, frames: int) -> None:
        """Room for `frames` frames in all (saves copying as the power grows)."""
        self._jobs.append(self._pool.submit(self._reserve, frames))

    def _reserve(self, frames: int) -> None:
        if frames > len(self._power):
            grown = np.empty(frames, np.float64)
            grown[:self._done] = self._power[:self._done]
            self._power = grown

    def result(self) -> Floats:
        """The power of everything fed (waits for the thread)."""
        for job in self._jobs:
            job.result()
        return self._power[:self._done]

    def close(self) -> None:
        """Stop the thread (after the work already fed)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _cumulative_at(power: Floats, points: npt.NDArray[np.int64]) -> Floats:
    """The cumulative sum of `power` before each of `points` (0..len(power)): the power
    is summed between the distinct points in one pass (no full-length cumulative array,
    which also keeps the large running total out of the differences)."""
    frames = len(power)
    distinct, inverse = np.unique(np.clip(points, 0, frames), return_inverse=True)
    starts = distinct[distinct < frames]
    if not starts.size or starts[0] != 0:
        starts = np.concatenate([np.zeros(1, np.int64), starts])
    running = np.zeros(len(starts) + 1, np.float64)
    if frames:
        np.cumsum(np.add.reduceat(power, starts), out=running[1:])
    values: Floats = running[np.searchsorted(starts, distinct)][inverse.reshape(-1)]
    return values


def _block_sums(power: Floats, sample_rate: int, block_s: float, overlap: float,
                frames: int | None = None) -> tuple[npt.NDArray[np.int64],
                                                    npt.NDArray[np.int64], Floats]:
    """(lower, upper, sums): pyloudnorm's block boundaries and the power summed over
    each block. `frames` longer than the power means silence appended."""
    if frames is None:
        frames = len(power)
    step = 1.0 - overlap
    count = max(round((frames / sample_rate - block_s) / (block_s * step)) + 1, 0)
    index = np.arange(count, dtype=np.float64)
    lower = np.minimum((block_s * (index * step) * sample_rate).astype(np.int64), frames)
    upper = np.minimum((block_s * (index * step + 1) * sample_rate).astype(np.int64), frames)
    sums = _cumulative_at(power, np.concatenate([lower, upper]))
    return lower, upper, sums[count:] - sums[:count]


def _loudness_of_sums(sums: Floats, sample_rate: int, block_s: float) -> Floats:
    with np.errstate(divide="ignore"):
        loudness: Floats = -0.691 + 10.0 * np.log10(
            np.maximum(sums / (block_s * sample_rate), 0.0))
    return loudness


def _block_loudness(power: Floats, sample_rate: int, block_s: float, overlap: float,
                    frames: int | None = None) -> Floats:
    """Per-block loudness (LUFS), with pyloudnorm's block boundaries. `frames` longer
    than the power means silence appended."""
    sums = _block_sums(power, sample_rate, block_s, overlap, frames)[2]
    return _loudness_of_sums(sums, sample_rate, block_s)


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


class _Gated:
    """The 400 ms block loudness of one K-weighted power signal, computed once, and the
    integrated loudness of that signal under any static gain (block energies scale by
    the squared gain, so each block's loudness shifts by the gain in dB; gating follows
    exactly)."""

    def __init__(self, power: Floats, sample_rate: int) -> None:
        block = math.ceil(BLOCK_S * sample_rate) + 1
        if len(power) < block:
            power = np.concatenate([power, np.zeros(block - len(power))])
        self.sample_rate = sample_rate
        self.lower, self.upper, self.sums = _block_sums(power, sample_rate, BLOCK_S,
                                                        BLOCK_OVERLAP)
        self.loudness = _loudness_of_sums(self.sums, sample_rate, BLOCK_S)

    def at(self, gain_db: float) -> float | None:
        return _gated_mean(self.loudness + gain_db if gain_db else self.loudness)

    def at_curve(self, curve: _Curve, power: Floats) -> float | None:
        """The integrated loudness of the power times the curve's squared gain (the
        power of the limited audio, closely): only the limited regions are summed."""
        static = db_to_gain(curve.static_db) ** 2
        sums = self.sums * static
        if curve.regions:
            positions = np.concatenate([np.arange(start, start + len(gain))
                                        for start, gain in curve.regions])
            extra = np.concatenate([power[start:start + len(gain)] * (
                np.power(10.0, gain / 10.0) - static) for start, gain in curve.regions])
            running = np.zeros(len(extra) + 1)
            np.cumsum(extra, out=running[1:])
            sums += (running[np.searchsorted(positions, self.upper)]
                     - running[np.searchsorted(positions, self.lower)])
        return _gated_mean(_loudness_of_sums(sums, self.sample_rate, BLOCK_S))


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
    return _gated_mean(_block_loudness(power, sample_rate, BLOCK_S,
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
    return _range_of_power(power, sample_rate)


def loudness_of_power(power: Floats, sample_rate: int) -> tuple[float | None, float | None]:
    """(`lufs_of_power`, `loudness_range_of_power`)."""
    if not np.any(power):
        return None, None
    block = math.ceil(BLOCK_S * sample_rate) + 1
    if len(power) < block:
        return _lufs_of_power(power, sample_rate), None
    lufs = _gated_mean(_block_loudness(power, sample_rate, BLOCK_S, BLOCK_OVERLAP))
    lra = _range_of_power(power, sample_rate) if len(power) >= 3 * sample_rate else None
    return lufs, lra


def _range_of_power(power: Floats, sample_rate: int) -> float | None:
    """Loudness range of the power with 1.5 s of silence appended."""
    frames = len(power) + int(1.5 * sample_rate)
    loudness = _block_loudness(power, sample_rate, LRA_BLOCK_S, LRA_OVERLAP, frames)
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


def _row_filters() -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The interpolator as two (16, 48) matrices over rows of 16 samples: for samples
    s viewed as rows R (R[r, c] = s[16 r + c]), R[r] @ A + R[r + 1] @ B holds the three
    phases (column 16 p + j) after sample 16 r + j + 7, each the dot product of taps
    with s[16 r + j .. 16 r + j + 15]. No sliding-window copy, one BLAS call per half."""
    taps, phases = _FILTER.shape
    first = np.zeros((_ROW, phases * _ROW), np.float32)
    second = np.zeros((_ROW, phases * _ROW), np.float32)
    for phase in range(phases):
        for j in range(_ROW):
            for tap in range(taps):
                column = j + tap
                target = first if column < _ROW else second
                target[column % _ROW, phase * _ROW + j] = _FILTER[tap, phase]
    return first, second


_ROW = _TAPS
_ROW_A, _ROW_B = _row_filters()
_ROWS_PER_CHUNK = 8192

def _interpolate_run(data: Audio, begin: int, end: int, envelope: Audio) -> None:
    """Raise `envelope` (frames [begin, end) of an envelope) to the interpolated peaks a
    quarter, half and three quarters of a frame after each frame, over both channels."""
    frames = len(data)
    rows = -(-(end - begin) // _ROW)
    lead = -int(_OFFSETS[0])  # samples before the frame that the taps reach
    low, high = begin - lead, begin - lead + (rows + 1) * _ROW
    target = np.zeros(rows * _ROW, np.float32)
    np.copyto(target[:end - begin], envelope)
    grid = target.reshape(rows, _ROW)
    samples = np.zeros((rows + 1) * _ROW, np.float32)
    for channel in range(data.shape[1]):
        samples[:] = 0.0
        samples[max(low, 0) - low:min(high, frames) - low] = data[max(low, 0):min(high, frames),
                                                                 channel]
        matrix = samples.reshape(rows + 1, _ROW)
        for first in range(0, rows, _ROWS_PER_CHUNK):
            last = min(rows, first + _ROWS_PER_CHUNK)
            phases = matrix[first:last] @ _ROW_A
            phases += matrix[first + 1:last + 1] @ _ROW_B
            np.abs(phases, out=phases)
            peak = np.maximum(phases[:, :_ROW], phases[:, _ROW:2 * _ROW])
            np.maximum(peak, phases[:, 2 * _ROW:], out=peak)
            np.maximum(grid[first:last], peak, out=grid[first:last])
    envelope[:] = target[:end - begin]


def _peaks_and_bounds(data: Audio) -> tuple[Audio, Audio]:
    """Per block of `_BLOCK` frames, (the sample peak; an upper bound of the true-peak
    envelope over the block, from it and its neighbours: see `_bound_constants`), in one
    pass over the audio, a cache-sized chunk at a time."""
    frames, channels = data.shape
    blocks = -(-frames // _BLOCK)
    width = channels * _BLOCK  # samples per block
    flat = data.reshape(-1)
    size = frames * channels
    peak = np.zeros(blocks, np.float32)
    curve = np.zeros(blocks, np.float32)
    step = _BOUND_CHUNK * width
    # One chunk of samples with a frame of context each side (zeros outside the signal).
    buffer = np.zeros(step + 2 * channels, np.float32)
    for begin in range(0, size, step):
        end = min(begin + step, size)
        count = -(-(end - begin) // width)
        low, high = max(begin - channels, 0), min(end + channels, size)
        buffer[:] = 0.0
        buffer[low - begin + channels:high - begin + channels] = flat[low:high]
        used = count * width
        magnitude = np.abs(buffer[channels:channels + used])
        peak[begin // width:begin // width + count] = magnitude.reshape(count, width).max(
            axis=1)
        # Second differences along time.
        second = buffer[:used] + buffer[2 * channels:used + 2 * channels]
        second -= 2.0 * buffer[channels:used + channels]
        np.abs(second, out=second)
        curve[begin // width:begin // width + count] = second.reshape(count, width).max(axis=1)
    if blocks:  # the second differences one frame before the start and after the end
        curve[0] = max(curve[0], peak[0])
        curve[-1] = max(curve[-1], peak[-1])
    block_peak = peak.copy()
    bound: Audio = np.empty(blocks, np.float32)
    for values in (peak, curve):
        near = values.copy()
        np.maximum(near[1:], values[:-1], out=near[1:])
        np.maximum(near[:-1], values[1:], out=near[:-1])
        values[:] = near
    np.multiply(curve, np.float32(_C2), out=bound)
    bound += peak * np.float32(max(_C1, 1.0))
    bound *= np.float32(1.0 + 1e-5)  # float32 rounding, here and in the interpolation
    return block_peak, bound


def _runs(wanted: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Runs of consecutive True blocks, [start, stop)."""
    edges = np.diff(np.concatenate([[0], wanted.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


class _Peaks:
    """The true-peak envelope of one signal, made exact where asked, block by block (the
    full per-frame envelope only once a caller needs it)."""

    def __init__(self, data: Audio) -> None:
        self.data = data
        self.block_peaks, self.bounds = _peaks_and_bounds(data)
        self.envelope: Audio | None = None
        self.done = np.zeros(len(self.bounds), bool)
        self._peak: float | None = None

    def at(self, floor: float) -> Audio:
        """The envelope, exact wherever it is >= `floor` (see `true_peak_envelope`)."""
        if self.envelope is None:
            self.envelope = frame_peak(self.data)
        wanted = (self.bounds >= max(floor, 1e-12)) & ~self.done
        self.done |= wanted
        frames = len(self.envelope)
        for start, stop in _runs(wanted):
            begin, end = start * _BLOCK, min(stop * _BLOCK, frames)
            _interpolate_run(self.data, begin, end, self.envelope[begin:end])
        return self.envelope

    def peak(self) -> float:
        """The true peak (linear; 0 for digital silence): only the blocks that could
        hold it are interpolated."""
        if self._peak is None:
            sample_peak = float(self.block_peaks.max()) if len(self.bounds) else 0.0
            peak = sample_peak
            if sample_peak > 0.0 and self.envelope is not None:
                peak = float(self.at(sample_peak).max())
            elif sample_peak > 0.0:
                frames = len(self.data)
                for start, stop in _runs(self.bounds >= sample_peak):
                    begin, end = start * _BLOCK, min(stop * _BLOCK, frames)
                    envelope = np.zeros(end - begin, np.float32)
                    _interpolate_run(self.data, begin, end, envelope)
                    peak = max(peak, float(envelope.max()))
            self._peak = peak
        return self._peak

    def peak_db(self) -> float | None:
        """The true peak in dBTP, or None for digital silence."""
        peak = self.peak()
        return gain_to_db(peak) if peak > 0.0 else None


def true_peak_envelope(audio: npt.ArrayLike, floor: float = 0.0) -> Audio:
    """Per frame, the largest absolute value of the 4x-interpolated signal from that frame
    up to the next, over both channels. Exact wherever it is >= `floor` (a linear level);
    elsewhere it may be lower (it is at least the frame's sample peak), which no use of it
    at levels >= `floor` can tell apart. Only blocks whose bound (see `_bound_constants`)
    reaches `floor` are interpolated."""
    return _Peaks(as_stereo(audio)).at(floor)


def true_peak_dbtp(audio: npt.ArrayLike) -> float | None:
    """True peak in dBTP (4x oversampling), or None for digital silence."""
    return _Peaks(as_stereo(audio)).peak_db()


def sample_peak_dbfs(audio: npt.ArrayLike) -> float | None:
    data = as_stereo(audio)
    peak = float(np.abs(data).max()) if data.size else 0.0
    return None if peak <= 0.0 else gain_to_db(peak)


# --- limiter --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Curve:
    """A limiter's gain (dB): `static_db` everywhere except in `regions`, each a first
    frame and the gain from there on, frame by frame."""

    static_db: float
    regions: list[tuple[int, Floats]]

    def apply(self, audio: Audio) -> Audio:
        out = apply_gain(audio, self.static_db)
        for start, gain in self.regions:
            stop = start + len(gain)
            np.multiply(audio[start:stop], np.power(10.0, gain / 20.0).astype(np.float32)[
                :, None], out=out[start:stop])
        return out


def _limiter_curve(envelope: Audio, pre_gain_db: float, ceiling_db: float,
                   sample_rate: int) -> _Curve | None:
    """The limiter's gain (pre-gain included), or None when no limiting is needed. It
    differs from the pre-gain only from 2 look-ahead widths before a frame over the
    threshold until the release has recovered from it, so only those regions are
    computed (each exactly as over the whole signal: the requirement is zero around
    them)."""
    threshold = db_to_gain(ceiling_db - pre_gain_db)
    over = np.flatnonzero(envelope > threshold)
    if not len(over):
        return None
    half = max(1, round(LIMITER_LOOKAHEAD_S * sample_rate))
    width = 2 * half + 1
    step = LIMITER_RELEASE_DB_PER_S / sample_rate  # dB per frame
    depth = ceiling_db - pre_gain_db - 20.0 * np.log10(envelope[over].astype(np.float64))
    starts = np.maximum(over - 2 * half - 2, 0)
    ends = np.minimum(over + 2 * half + np.ceil(-depth / step).astype(np.int64) + 3,
                      len(envelope))
    reach = np.maximum.accumulate(ends)
    # Regions closer than _MERGE_GAP are computed as one (the gap is cheap; calls are not).
    first = np.flatnonzero(np.concatenate([[True], starts[1:] > reach[:-1] + _MERGE_GAP]))
    last = np.concatenate([first[1:] - 1, [len(over) - 1]])
    regions = []
    for begin, end in zip(starts[first].tolist(), reach[last].tolist(), strict=True):
        with np.errstate(divide="ignore"):
            required = np.minimum(0.0, ceiling_db - pre_gain_db - 20.0 * np.log10(
                envelope[begin:end].astype(np.float64)))
        held = ndimage.minimum_filter1d(required, width, mode="nearest")
        smooth = np.minimum(ndimage.uniform_filter1d(held, width, mode="nearest"), required)
        ramp = step * np.arange(end - begin, dtype=np.float64)
        released = np.minimum.accumulate(smooth - ramp) + ramp
        regions.append((begin, np.minimum(released, 0.0) + pre_gain_db))
    return _Curve(pre_gain_db, regions)


def apply_gain(audio: Audio, gain_db: Floats | float, *, out: Audio | None = None) -> Audio:
    """`audio` times a static gain or a per-frame gain curve (dB), into `out` (which may
    be `audio`) or a new array."""
    if isinstance(gain_db, float | int):
        scaled: Audio = np.multiply(audio, np.float32(db_to_gain(float(gain_db))), out=out)
        return scaled
    curve = np.power(10.0, gain_db / 20.0).astype(np.float32)
    shaped: Audio = np.multiply(audio, curve[:, None], out=out)
    return shaped


def true_peak_limit(audio: npt.ArrayLike, sample_rate: int, ceiling_dbtp: float = -1.0,
                    *, pre_gain_db: float = 0.0) -> Audio:
    """`audio` times `pre_gain_db`, limited so that its true peak is at most
    `ceiling_dbtp` (verified after limiting)."""
    data = as_stereo(audio)
    peaks = _Peaks(data)
    ceiling = ceiling_dbtp - PEAK_MARGIN_DB
    out = data
    for _ in range(6):
        envelope = peaks.at(db_to_gain(ceiling - pre_gain_db))
        curve = _limiter_curve(envelope, pre_gain_db, ceiling, sample_rate)
        out = apply_gain(data, pre_gain_db) if curve is None else curve.apply(data)
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
    return normalize_stereo(as_stereo(audio), sample_rate, target_lufs, ceiling_dbtp,
                            limiter=limiter)


def normalize_stereo(data: Audio, sample_rate: int, target_lufs: float, ceiling_dbtp: float,
                     *, limiter: bool, power_of: Callable[[], Floats] | None = None,
                     in_place: bool = False) -> Normalized:
    """`normalize_detailed` of stereo `data`; `power_of()`, when given, returns its
    K-weighted power (`weighted_power`), perhaps still being computed elsewhere. With
    `in_place`, a static gain is applied to `data` itself."""
    peaks = _Peaks(data)  # first: it overlaps whatever computes the power
    power = _weighted_power(data, sample_rate) if power_of is None else power_of()
    gated = _Gated(power, sample_rate)
    measured = gated.at(0.0)
    if measured is None:  # silence: no gain; only the ceiling is enforced
        peak = peaks.peak_db()
        if peak is None or peak <= ceiling_dbtp:
            return Normalized(data, 0.0, None, peak, 0, power)
        limited = (true_peak_limit(data, sample_rate, ceiling_dbtp) if limiter
                   else _hard_ceiling(data, ceiling_dbtp))
        limited_power = _weighted_power(limited, sample_rate)
        return Normalized(limited, 0.0, lufs_of_power(limited_power, sample_rate),
                          true_peak_dbtp(limited), 0, limited_power)
    ceiling = ceiling_dbtp - PEAK_MARGIN_DB
    gain = min(target_lufs - measured, MAX_GAIN_DB)
    input_peak = peaks.peak_db() or -math.inf
    # The limiter may take off at most MAX_LIMITING_DB; beyond that the target is missed.
    max_gain = min(MAX_GAIN_DB, ceiling - input_peak + (MAX_LIMITING_DB if limiter else 0.0))
    gain = min(gain, max_gain)
    aim = target_lufs  # what the estimate must reach for the exact figure to hit the target
    iterations = 0
    out: Audio = data
    for _attempt in range(8):
        history: list[tuple[float, float]] = []
        curve: _Curve | None = None
        estimate: float | None = None
        for _ in range(16):
            iterations += 1
            curve = None
            threshold = db_to_gain(ceiling - gain)
            if limiter and peaks.peak() > threshold:  # else nothing is over it
                # The envelope need only be exact where the limiter acts.
                curve = _limiter_curve(peaks.at(threshold), gain, ceiling, sample_rate)
            estimate = gated.at(gain) if curve is None else gated.at_curve(curve, power)
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
            power *= db_to_gain(gain) ** 2  # ours, and not needed any more
            return Normalized(apply_gain(data, gain, out=data if in_place else None), gain,
                              estimate, input_peak + gain, iterations, power)
        out = curve.apply(data)
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
