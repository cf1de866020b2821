"""Audio arrays and gains: the (frames, 2) float32 shape every loudness stage uses,
dB <-> linear, and a static or per-frame gain applied to audio.

`GainCurve` is a gain that is static except in a few regions (what the limiter computes,
and what the meter can judge without applying it, see `meter.GatedBlocks.at_curve`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Audio = npt.NDArray[np.float32]
Floats = npt.NDArray[np.float64]


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


def apply_gain(audio: Audio, gain_db: Floats | float, *, out: Audio | None = None) -> Audio:
    """`audio` times a static gain or a per-frame gain curve (dB), into `out` (which may
    be `audio`) or a new array."""
    if isinstance(gain_db, float | int):
        scaled: Audio = np.multiply(audio, np.float32(db_to_gain(float(gain_db))), out=out)
        return scaled
    curve = np.power(10.0, gain_db / 20.0).astype(np.float32)
    shaped: Audio = np.multiply(audio, curve[:, None], out=out)
    return shaped


@dataclass(frozen=True)
class GainCurve:
    """A gain (dB) such as the limiter's: `static_db` everywhere except in `regions`, each
    a first frame and the gain from there on, frame by frame."""

    static_db: float
    regions: list[tuple[int, Floats]]

    def apply(self, audio: Audio) -> Audio:
        out = apply_gain(audio, self.static_db)
        for start, gain in self.regions:
            stop = start + len(gain)
            np.multiply(audio[start:stop], np.power(10.0, gain / 20.0).astype(np.float32)[
                :, None], out=out[start:stop])
        return out

