"""`normalize`: gain to the target loudness, then the limiter at the ceiling.

Each candidate gain is judged exactly for a static gain (the K-weighted power scales with
the gain squared, so even blocks crossing the -70 LUFS gate are right) and closely under
limiting (power times the limiter's squared gain); the gain is refined by secant steps,
and a limited result is measured exactly and corrected until it is within 0.05 LU of the
target. The limiter may take off at most `MAX_LIMITING_DB` (15 dB): a target that needs
more (a lone click made loud) is missed, the ceiling wins, and `Normalized.lufs` says what
was reached. Otherwise the result is within 0.05 LU of the target and at or below the
ceiling.

Silence: audio with no measurable loudness (digital silence, or nothing above the -70
LUFS gate) gets no gain at all; it is returned unchanged, except that a true peak above
the ceiling is still limited.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy.typing as npt

from ariaforge.audio.loudness.gain import (
    Audio,
    Floats,
    GainCurve,
    apply_gain,
    as_stereo,
    db_to_gain,
)
from ariaforge.audio.loudness.limiter import (
    PEAK_MARGIN_DB,
    hard_ceiling,
    limiter_curve,
    true_peak_limit,
)
from ariaforge.audio.loudness.meter import GatedBlocks, lufs_of_power, weighted_power
from ariaforge.audio.loudness.true_peak import TruePeaks, true_peak_dbtp

LUFS_TOLERANCE = 0.05
MAX_GAIN_DB = 60.0
MAX_LIMITING_DB = 15.0


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
    peaks = TruePeaks(data)  # first: it overlaps whatever computes the power
    power = weighted_power(data, sample_rate) if power_of is None else power_of()
    gated = GatedBlocks(power, sample_rate)
    measured = gated.at(0.0)
    if measured is None:  # silence: no gain; only the ceiling is enforced
        peak = peaks.peak_db()
        if peak is None or peak <= ceiling_dbtp:
            return Normalized(data, 0.0, None, peak, 0, power)
        limited = (true_peak_limit(data, sample_rate, ceiling_dbtp) if limiter
                   else hard_ceiling(data, ceiling_dbtp))
        limited_power = weighted_power(limited, sample_rate)
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
        curve: GainCurve | None = None
        estimate: float | None = None
        for _ in range(16):
            iterations += 1
            curve = None
            threshold = db_to_gain(ceiling - gain)
            if limiter and peaks.peak() > threshold:  # else nothing is over it
                # The envelope need only be exact where the limiter acts.
                curve = limiter_curve(peaks.at(threshold), gain, ceiling, sample_rate)
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
        out_power = weighted_power(out, sample_rate)
        exact = lufs_of_power(out_power, sample_rate)
        out_peak = true_peak_dbtp(out)
        if out_peak is not None and out_peak > ceiling_dbtp:
            ceiling -= out_peak - ceiling_dbtp + 0.02
            continue
        if exact is None or abs(exact - target_lufs) <= LUFS_TOLERANCE or gain >= max_gain:
            return Normalized(out, gain, exact, out_peak, iterations, out_power)
        aim += target_lufs - exact
    out = hard_ceiling(out, ceiling_dbtp)  # pragma: no cover - belt and braces
    out_power = weighted_power(out, sample_rate)  # pragma: no cover
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
