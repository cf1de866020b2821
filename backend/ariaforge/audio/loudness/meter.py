"""Loudness per ITU-R BS.1770-4 / EBU R 128: integrated loudness and loudness range.

`integrated_lufs` / `loudness_range_lu` use pyloudnorm's K-weighting filters and its
gating rules (integrated: 400 ms blocks every 100 ms, -70 LUFS absolute and -10 LU
relative gates; LRA per EBU Tech 3342 with pyloudnorm's 1.5 s of appended silence), with
the block sums vectorised; the tests check the figures against `pyloudnorm.Meter`. Audio
shorter than one 400 ms block is measured zero-padded to one block. Both return None when
nothing passes the absolute gate (digital silence included).

`PowerStream`: the K-weighted power of a signal fed a range at a time (the filters carry
their state), computed in a background thread; exactly `weighted_power`.

`GatedBlocks`: the block loudness of one signal computed once, then judged under any
static gain or limiter `GainCurve` without filtering again (what `normalize` iterates on).
"""

from __future__ import annotations

import functools
import math
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy import signal

from ariaforge.audio.loudness.gain import Audio, Floats, GainCurve, as_stereo, db_to_gain

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
BLOCK_S = 0.4
BLOCK_OVERLAP = 0.75
LRA_BLOCK_S = 3.0
LRA_OVERLAP = 0.97
_PARALLEL_FRAMES = 1 << 16  # filter the channels in threads from this length on


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


class GatedBlocks:
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

    def at_curve(self, curve: GainCurve, power: Floats) -> float | None:
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

