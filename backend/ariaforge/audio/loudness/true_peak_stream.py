"""The true peak of a signal that arrives a chunk at a time (a file being decoded), in
memory of one chunk: `true_peak`'s interpolator and bound, with the filter's reach kept
between chunks.

Each interpolated value after frame n reads frames n-7 .. n+8, so a chunk's last 8 frames
wait for the next chunk, and 7 frames before them are kept as their history. Every frame
is measured once, with the same neighbours as in the whole signal (zeros before its start
and after its end, as `true_peak_dbtp` reads them), so the peak is `true_peak_dbtp`'s to
float32 rounding. Blocks are interpolated only where `true_peak`'s bound reaches the
loudest value found so far or the caller's floor, whichever is higher (without a floor,
a signal whose loudest part comes late is interpolated almost everywhere before it: about
25 times the work of `true_peak_dbtp`, which knows the whole signal's sample peak first).
"""

from __future__ import annotations

import numpy as np

from ariaforge.audio.loudness.gain import Audio, as_stereo, db_to_gain, gain_to_db
from ariaforge.audio.loudness.true_peak import (
    _BLOCK,
    _OFFSETS,
    _interpolate_run,
    _peaks_and_bounds,
    _runs,
    frame_peak,
)

_LEAD = -int(_OFFSETS[0])  # frames before a frame that its interpolation reads (7)
_TRAIL = int(_OFFSETS[-1])  # and after it (8)


class TruePeakStream:
    """`feed` the signal's chunks in order, then `peak_db` (the true peak of all of it,
    dBTP, None for digital silence).

    With a `floor_db`, the peak is exact when it reaches the floor; under it, it may
    read lower (it is at least the sample peak), as `true_peak_envelope`'s floor: a
    check against a ceiling needs no more, and a signal whose loudest part comes late
    is then not interpolated almost everywhere before it."""

    def __init__(self, floor_db: float | None = None) -> None:
        self._held: Audio = np.zeros((0, 2), np.float32)  # history + frames not measured
        self._waiting = 0  # frames at the end of `_held` not measured yet
        self._peak = 0.0
        self._floor = 0.0 if floor_db is None else db_to_gain(floor_db)

    def feed(self, audio: Audio) -> None:
        chunk = as_stereo(audio)
        if not len(chunk):
            return
        window = np.concatenate([self._held, chunk]) if len(self._held) else chunk
        first = len(self._held) - self._waiting
        last = max(first, len(window) - _TRAIL)  # frames with all their neighbours here
        self._measure(window, first, last)
        self._waiting = len(window) - last
        self._held = window[max(0, last - _LEAD):].copy()

    def peak_db(self) -> float | None:
        """The true peak of everything fed; the last frames are measured against the
        silence after the end."""
        if self._waiting:
            self._measure(self._held, len(self._held) - self._waiting, len(self._held))
            self._waiting = 0
        return gain_to_db(self._peak) if self._peak > 0.0 else None

    def _measure(self, window: Audio, first: int, last: int) -> None:
        """Raise the peak to that of frames [first, last) of `window`, whose
        neighbours within reach are all in `window` (or outside the signal)."""
        if last <= first:
            return
        self._peak = max(self._peak, float(frame_peak(window[first:last]).max()))
        if self._peak <= 0.0:
            return
        # The bound of a block reads only its own and neighbouring frames: the window's
        # edges can only raise it, so skipped blocks stay under the peak.
        _, bounds = _peaks_and_bounds(window)
        wanted = bounds >= max(self._peak, self._floor)
        wanted[:first // _BLOCK] = False
        wanted[-(-last // _BLOCK):] = False
        for start, stop in _runs(wanted):
            begin, end = max(start * _BLOCK, first), min(stop * _BLOCK, last)
            envelope = np.zeros(end - begin, np.float32)
            _interpolate_run(window, begin, end, envelope)
            self._peak = max(self._peak, float(envelope.max()))
