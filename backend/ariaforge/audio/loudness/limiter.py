"""`true_peak_limit`: a look-ahead limiter whose gain never lets the true-peak envelope
exceed the ceiling.

The required gain (dB) per frame is minimum-filtered over +-2 ms, smoothed by a moving
average of the same width (gain reduction ramps in over the look-ahead and never falls
short of the requirement), then released at 120 dB/s at most (a min-plus recursion
computed with a cumulative minimum). It aims 0.1 dB under the ceiling (`PEAK_MARGIN_DB`,
so other 4x meters agree), measures the result and, if inter-sample overshoot remains,
limits again at a lower internal ceiling.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from ariaforge.audio.loudness.gain import Audio, GainCurve, apply_gain, as_stereo, db_to_gain
from ariaforge.audio.loudness.true_peak import TruePeaks, true_peak_dbtp

PEAK_MARGIN_DB = 0.1
LIMITER_LOOKAHEAD_S = 0.002
LIMITER_RELEASE_DB_PER_S = 120.0
_MERGE_GAP = 4096


def limiter_curve(envelope: Audio, pre_gain_db: float, ceiling_db: float,
                  sample_rate: int) -> GainCurve | None:
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
    return GainCurve(pre_gain_db, regions)



def true_peak_limit(audio: npt.ArrayLike, sample_rate: int, ceiling_dbtp: float = -1.0,
                    *, pre_gain_db: float = 0.0) -> Audio:
    """`audio` times `pre_gain_db`, limited so that its true peak is at most
    `ceiling_dbtp` (verified after limiting)."""
    data = as_stereo(audio)
    peaks = TruePeaks(data)
    ceiling = ceiling_dbtp - PEAK_MARGIN_DB
    out = data
    for _ in range(6):
        envelope = peaks.at(db_to_gain(ceiling - pre_gain_db))
        curve = limiter_curve(envelope, pre_gain_db, ceiling, sample_rate)
        out = apply_gain(data, pre_gain_db) if curve is None else curve.apply(data)
        peak = true_peak_dbtp(out)
        if peak is None or peak <= ceiling_dbtp:
            return out
        ceiling -= peak - ceiling_dbtp + 0.02
    return hard_ceiling(out, ceiling_dbtp)  # pragma: no cover - belt and braces


def hard_ceiling(audio: Audio, ceiling_dbtp: float) -> Audio:
    """`audio` turned down as a whole until its true peak is under the ceiling: the last
    resort when limiting has not got there."""
    peak = true_peak_dbtp(audio)
    if peak is None or peak <= ceiling_dbtp:
        return audio
    return apply_gain(audio, ceiling_dbtp - peak - 0.01)

