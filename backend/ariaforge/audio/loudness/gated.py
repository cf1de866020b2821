"""Integrated loudness of a signal that arrives a range at a time, in memory that grows
with its 100 ms segments (80 bytes a second), not with its frames.

BS.1770's gating blocks are 400 ms long and start every 100 ms, so each block is four
consecutive 100 ms segments: summing the K-weighted power per segment while the signal
streams by is all the gating needs. The segment edges are pyloudnorm's block starts (as
`meter` uses them); a block's end is taken as the fourth segment's end, which can differ
from pyloudnorm's by one frame of float rounding (far under 0.01 dB). The filters and
the gating are `meter`'s own; `integrated_lufs` of the whole signal is what this
reproduces (the tests compare them).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import signal

from ariaforge.audio.loudness.gain import Audio, Floats
from ariaforge.audio.loudness.meter import (
    BLOCK_OVERLAP,
    BLOCK_S,
    _gated_mean,
    _k_weighting,
    _loudness_of_sums,
)

_SEGMENTS_PER_BLOCK = round(1.0 / (1.0 - BLOCK_OVERLAP))  # 4


class GatedLoudnessStream:
    """Feed (frames, channels) float32 audio in order with `feed`; `lufs` is the
    integrated loudness of everything fed. Not thread-safe: one caller at a time (the
    data fed may be reused by the caller as soon as `feed` returns)."""

    def __init__(self, sample_rate: int) -> None:
        self._rate = sample_rate
        self._sos = _k_weighting(sample_rate)
        self._states: list[Floats] | None = None
        self._closed: list[Floats] = []  # the power of finished segments, per chunk fed
        self._open = 0.0  # the power of the segment being filled so far
        self._segment = 0  # index of the segment being filled
        self._frames = 0

    def _edge(self, index: int) -> int:
        """The first frame of segment `index` (pyloudnorm's block start)."""
        return int(BLOCK_S * (index * (1.0 - BLOCK_OVERLAP)) * self._rate)

    def feed(self, audio: Audio) -> None:
        if not len(audio):
            return
        if self._states is None:
            self._states = [np.zeros((len(self._sos), 2)) for _ in range(audio.shape[1])]
        power: Floats | None = None
        for channel, state in enumerate(self._states):
            filtered, self._states[channel] = signal.sosfilt(self._sos, audio[:, channel],
                                                             zi=state)
            np.multiply(filtered, filtered, out=filtered)
            power = filtered if power is None else power + filtered
        assert power is not None
        first, end = self._frames, self._frames + len(audio)
        edges = []
        index = self._segment + 1
        while (edge := self._edge(index)) <= end:
            edges.append(edge - first)
            index += 1
        running = np.cumsum(power)
        if edges:
            at = running[np.asarray(edges, np.int64) - 1]
            sums = np.diff(at, prepend=0.0)
            sums[0] += self._open
            self._closed.append(sums)
            self._open = float(running[-1] - at[-1])
        else:
            self._open += float(running[-1])
        self._segment = index - 1
        self._frames = end

    def lufs(self) -> float | None:
        """Integrated loudness (LUFS) of everything fed; None when nothing passes the
        absolute gate. Audio shorter than one block is measured zero-padded to one, as
        `integrated_lufs` does."""
        frames = max(self._frames, math.ceil(BLOCK_S * self._rate) + 1)
        segments = np.concatenate([*self._closed, [self._open]])
        count = max(round((frames / self._rate - BLOCK_S)
                          / (BLOCK_S * (1.0 - BLOCK_OVERLAP))) + 1, 0)
        padded = np.zeros(count + _SEGMENTS_PER_BLOCK, np.float64)
        used = min(len(segments), len(padded))
        padded[:used] = segments[:used]
        sums = sum(padded[i:i + count] for i in range(_SEGMENTS_PER_BLOCK))
        return _gated_mean(_loudness_of_sums(np.asarray(sums, np.float64), self._rate,
                                             BLOCK_S))
