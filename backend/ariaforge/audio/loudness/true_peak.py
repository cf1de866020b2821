"""True peak: the signal interpolated 4x by a 64-tap Kaiser-windowed sinc (16 taps per
phase; within 0.04 dB up to 0.8 x Nyquist, so it reads like BS.1770-4 Annex 2 meters;
content in the top 10 % of the band may be misread by up to ~2 dB).

Only blocks of 1024 frames whose neighbourhood could reach the level of interest are
interpolated: an interpolated value is at most c1 x the two neighbouring samples' peak +
c2 x the largest second difference of the 16 samples around it (c1 < 1, c2 = 0.37; see
`_bound_constants`), a bound within a fraction of a dB of the sample peak for music, so
skipped blocks cannot change any result and typically only a few % of the audio is
interpolated.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ariaforge.audio.loudness.gain import Audio, as_stereo, gain_to_db

_TAPS = 16
_OFFSETS = np.arange(-_TAPS // 2 + 1, _TAPS // 2 + 1)  # -7..8
_BLOCK = 1024  # frames per block of the true-peak bound
_BOUND_CHUNK = 64  # blocks per chunk when computing the bound


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


class TruePeaks:
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
    up to the next, over both channels. Exact wherever it is >= `floor` (a linear level;
    to float32 rounding: a BLAS kernel may round the last bit differently with the length
    of the run a block is interpolated in); elsewhere it may be lower (it is at least the
    frame's sample peak), which no use of it at levels >= `floor` can tell apart. Only
    blocks whose bound (see `_bound_constants`) reaches `floor` are interpolated."""
    return TruePeaks(as_stereo(audio)).at(floor)


def true_peak_dbtp(audio: npt.ArrayLike) -> float | None:
    """True peak in dBTP (4x oversampling), or None for digital silence."""
    return TruePeaks(as_stereo(audio)).peak_db()


def sample_peak_dbfs(audio: npt.ArrayLike) -> float | None:
    data = as_stereo(audio)
    peak = float(np.abs(data).max()) if data.size else 0.0
    return None if peak <= 0.0 else gain_to_db(peak)

