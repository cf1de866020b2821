"""Mixing stems into a master: track volume, pan, mute/solo, per-track effects, master
gain and a true-peak limiter (optionally with loudness normalisation).

Signal flow per track (the order of a mixing desk: trim, inserts, fader, pan):

    synth stem -> trim (`TrackMix.gain_db`, plus the role-balance trim the pipeline
               measures, see `balance`) -> effects (`TrackMix.fx`, in order)
               -> fader (score volume 0-127 as 40*log10(v/127) dB; 100 is about -4.2 dB,
                  0 is silence) -> pan (equal power, see `pan_gains`) = processed stem

Mute/solo: if any track is soloed, only soloed tracks are heard; a muted track is never
heard (mute wins over solo). An unheard track's processed stem is all zeros.

**What a stem is.** The processed stems returned by `process_stems`/`mix` are the tracks
after everything above and before anything on the master bus, all of one length. They
sum exactly (up to float32 rounding, ~1e-6 of full scale) to the master bus input:
`bus = sum(processed stems)`. The master chain then applies `MasterSettings.gain_db`,
optional loudness normalisation and the true-peak limiter; the limiter's gain varies in
time, so the finished master is *not* a fixed scaling of the bus where it limits.

`StemMixer` does `process_stems` + `sum_stems` for a mix without effects a range of
frames at a time, as the synth delivers them (same arithmetic, same result).

Effects (pedalboard): "eq" (low shelf, high shelf, optional peak), "compressor" (with
optional make-up gain) and "reverb". Reverb levels are linear gains where dry_level 1.0
leaves the dry signal unchanged (pedalboard's dry_level 0.5 is unity; this module halves
ours). When any heard track has a reverb, every stem is extended by `REVERB_TAIL_S` so
the tail is not cut off, and trailing samples below -100 dBFS across all stems are
trimmed afterwards (never into the original length).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pedalboard
from pedalboard._pedalboard import Pedalboard

from ariaforge.audio.errors import BadInputError
from ariaforge.audio.loudness.gain import Audio, Floats, apply_gain, as_stereo, db_to_gain
from ariaforge.audio.loudness.limiter import true_peak_limit
from ariaforge.audio.loudness.normalize import normalize_stereo
from ariaforge.audio.options import (
    CompressorEffect,
    EqEffect,
    MasterSettings,
    MixSettings,
    ReverbEffect,
    TrackMix,
    audible_tracks,
    streamable,
)
from ariaforge.music.score import Score

REVERB_TAIL_S = 3.0
SILENCE_PEAK = 1e-5


def volume_db(volume: int) -> float:
    """Score volume (0-127) as fader gain in dB: 40*log10(v/127); -inf for 0."""
    return -math.inf if volume <= 0 else 40.0 * math.log10(volume / 127.0)


def pan_gains(pan: int) -> tuple[float, float]:
    """Equal-power pan (-64 hard left, 0 centre, 63 hard right) as (left, right) gains,
    normalised so the centre is unity: sqrt2*cos and sqrt2*sin of (x+1)*pi/4 with x in
    -1..1. A centred mono source keeps its level; hard left gives the left channel
    +3 dB and silences the right; left^2 + right^2 = 2 everywhere."""
    x = pan / 64.0 if pan < 0 else pan / 63.0
    angle = (x + 1.0) * math.pi / 4.0
    return math.sqrt(2.0) * math.cos(angle), math.sqrt(2.0) * math.sin(angle)


def _plugin(effect: EqEffect | CompressorEffect | ReverbEffect,
            sample_rate: int) -> list[pedalboard.Plugin]:
    nyquist_guard = 0.45 * sample_rate
    if isinstance(effect, EqEffect):
        chain: list[pedalboard.Plugin] = [
            pedalboard.LowShelfFilter(cutoff_frequency_hz=min(effect.low_shelf_hz,
                                                              nyquist_guard),
                                      gain_db=effect.low_shelf_gain_db),
            pedalboard.HighShelfFilter(cutoff_frequency_hz=min(effect.high_shelf_hz,
                                                               nyquist_guard),
                                       gain_db=effect.high_shelf_gain_db),
        ]
        if effect.peak_hz is not None:
            chain.append(pedalboard.PeakFilter(
                cutoff_frequency_hz=min(effect.peak_hz, nyquist_guard),
                gain_db=effect.peak_gain_db, q=effect.peak_q))
        return chain
    if isinstance(effect, CompressorEffect):
        chain = [pedalboard.Compressor(threshold_db=effect.threshold_db, ratio=effect.ratio,
                                       attack_ms=effect.attack_ms,
                                       release_ms=effect.release_ms)]
        if effect.makeup_gain_db:
            chain.append(pedalboard.Gain(gain_db=effect.makeup_gain_db))
        return chain
    return [pedalboard.Reverb(room_size=effect.room_size, damping=effect.damping,
                              wet_level=effect.wet_level, dry_level=effect.dry_level / 2.0,
                              width=effect.width)]


def apply_effects(audio: Audio, effects: list[EqEffect | CompressorEffect | ReverbEffect],
                  sample_rate: int) -> Audio:
    """`audio` (frames, 2) through the effects in order (a fresh pedalboard each call)."""
    if not effects:
        return audio
    board = Pedalboard([p for e in effects for p in _plugin(e, sample_rate)])
    processed = board(np.ascontiguousarray(audio.T), float(sample_rate), reset=True)
    result: Audio = np.ascontiguousarray(np.asarray(processed, dtype=np.float32).T)
    return result


def _check_tracks(score: Score, settings: MixSettings) -> None:
    unknown = set(settings.tracks) - {track.id for track in score.tracks}
    if unknown:
        raise BadInputError(f"mix settings name unknown tracks: {', '.join(sorted(unknown))}")


def process_stems(score: Score, stems: Mapping[str, npt.ArrayLike], settings: MixSettings,
                  sample_rate: int, *, in_place: bool = False,
                  trims: Mapping[str, float] | None = None) -> dict[str, Audio]:
    """Processed stems (see the module notes) for every track of `score`, keyed by id.
    `stems` must hold a synth stem for each heard track (others may be missing); all
    stems must share one length. Inputs are not modified unless `in_place` (then float32
    (frames, 2) stems may be reused as the output, saving memory). `trims` (dB per track
    id, see `balance.role_trims`) are added to each track's `TrackMix.gain_db`."""
    _check_tracks(score, settings)
    heard = audible_tracks(score)
    arrays = {tid: as_stereo(stem) for tid, stem in stems.items()}
    lengths = {len(a) for a in arrays.values()}
    if len(lengths) > 1:
        raise BadInputError("stems must all have the same length")
    missing = [t.id for t in heard if t.id not in arrays]
    if missing:
        raise BadInputError(f"no stem for track(s): {', '.join(missing)}")
    length = lengths.pop() if lengths else 0
    reverb = any(isinstance(e, ReverbEffect) for t in heard
                 for e in settings.tracks.get(t.id, TrackMix()).fx)
    extended = length + (round(REVERB_TAIL_S * sample_rate) if reverb else 0)
    heard_ids = {t.id for t in heard}
    processed: dict[str, Audio] = {}
    for track in score.tracks:
        if track.id not in heard_ids or track.volume == 0:
            processed[track.id] = np.zeros((extended, 2), np.float32)
            continue
        mix = settings.tracks.get(track.id, TrackMix())
        audio = arrays[track.id]
        if extended > length:
            audio = np.concatenate([audio, np.zeros((extended - length, 2), np.float32)])
        fader = db_to_gain(volume_db(track.volume))
        left, right = pan_gains(track.pan)
        trim_db = mix.gain_db + (trims or {}).get(track.id, 0.0)
        if mix.fx:
            audio = apply_effects(apply_gain(audio, trim_db) if trim_db else audio,
                                  list(mix.fx), sample_rate)
        else:  # trim and fader are both static gains: one multiplication
            fader *= db_to_gain(trim_db)
        own = in_place or audio is not arrays[track.id] or audio is not stems[track.id]
        # Our own copy, or the caller allowed it: scale in place.
        processed[track.id] = scale_channels(audio, fader * left, fader * right,
                                             out=audio if own else None)
    if extended > length:
        processed = _trim_tail(processed, length)
    return processed


class StemMixer:
    """`process_stems` + `sum_stems` for a mix without effects (see `streamable`), a
    range of frames at a time, in place on the synth's stem buffers, as the frames
    become final: the same arithmetic in the same order (`trims` as there), so the same
    bus and stems."""

    def __init__(self, score: Score, settings: MixSettings,
                 trims: Mapping[str, float] | None = None) -> None:
        _check_tracks(score, settings)
        if not streamable(score, settings):
            raise ValueError("StemMixer mixes tracks without effects only")
        self.gains: list[tuple[str, float, float]] = []
        self.heard = [t.id for t in audible_tracks(score)]
        for track in audible_tracks(score):
            if track.volume == 0:
                continue
            fader = db_to_gain(volume_db(track.volume))
            left, right = pan_gains(track.pan)
            fader *= db_to_gain(settings.tracks.get(track.id, TrackMix()).gain_db
                                + (trims or {}).get(track.id, 0.0))
            self.gains.append((track.id, fader * left, fader * right))
        self.bus: Audio = np.zeros((0, 2), np.float32)

    def start(self, frames: int) -> None:
        """The stems will be at most `frames` long."""
        self.bus = np.zeros((frames, 2), np.float32)

    def take(self, parts: Mapping[str, Audio], begin: int, end: int) -> None:
        """Mix frames [begin, end) of the synth stems (`parts`, scaled in place) into
        `bus`."""
        target = self.bus[begin:end]
        for index, (track_id, left, right) in enumerate(self.gains):
            part = parts[track_id]
            scale_channels(part, left, right, out=part)
            if index == 0:
                np.copyto(target, part)
            else:
                target += part

    def processed(self, stems: Mapping[str, Audio]) -> dict[str, Audio]:
        """What `process_stems` returns for the heard tracks, once all is mixed."""
        length = len(next(iter(stems.values()))) if stems else 0
        scaled = {track_id for track_id, _, _ in self.gains}
        return {track_id: stems[track_id] if track_id in scaled
                else np.zeros((length, 2), np.float32) for track_id in self.heard}


def scale_channels(audio: Audio, left: float, right: float, *,
                   out: Audio | None = None) -> Audio:
    """(frames, 2) `audio` with its channels times `left` and `right` (float32), into
    `out` (may be `audio` itself) or a new array. Column by column: NumPy broadcasts a
    (2,) gain over (frames, 2) several times slower."""
    result: Audio = np.empty_like(audio) if out is None else out
    gains = (np.float32(left), np.float32(right))
    if gains[0] == gains[1]:
        np.multiply(audio, gains[0], out=result)
    else:
        for channel, gain in enumerate(gains):
            np.multiply(audio[:, channel], gain, out=result[:, channel])
    return result


def _trim_tail(stems: dict[str, Audio], keep: int) -> dict[str, Audio]:
    """Cut trailing frames that are below -100 dBFS in every stem (not before `keep`)."""
    last = keep
    for audio in stems.values():
        loud = np.flatnonzero(np.abs(audio[keep:]).max(axis=1) >= SILENCE_PEAK)
        if len(loud):
            last = max(last, keep + int(loud[-1]) + 1)
    return {tid: audio[:last] for tid, audio in stems.items()}


def sum_stems(stems: Mapping[str, Audio], length: int | None = None) -> Audio:
    """The bus: the sum of the stems (float32, (frames, 2))."""
    arrays = list(stems.values())
    if not arrays:
        return np.zeros((length or 0, 2), np.float32)
    bus = arrays[0].copy()
    for audio in arrays[1:]:
        bus += audio
    return bus


@dataclass(frozen=True)
class Mastered:
    """The finished master. `gain_db` is the static gain applied to the bus before the
    limiter (master gain plus any loudness-normalisation gain); `lufs` is the integrated
    loudness when normalisation ran."""

    audio: Audio
    gain_db: float
    lufs: float | None
    true_peak_dbtp: float | None = None
    power: npt.NDArray[np.float64] | None = None


def master_chain(bus: npt.ArrayLike, sample_rate: int, master: MasterSettings, *,
                 target_lufs: float | None = None) -> Mastered:
    """Master gain, then (with `target_lufs`) loudness normalisation, then the true-peak
    limiter at `master.ceiling_dbtp` when `master.limiter` is on. With a target, the
    normalisation decides the level, so `master.gain_db` only shifts where the limiter
    starts working (in effect, nothing)."""
    return master_chain_with_power(bus, sample_rate, master, target_lufs=target_lufs)


def master_chain_with_power(bus: npt.ArrayLike, sample_rate: int, master: MasterSettings,
                            *, target_lufs: float | None = None,
                            power_of: Callable[[], Floats] | None = None,
                            in_place: bool = False) -> Mastered:
    """`master_chain`; `power_of()` returns the K-weighted power of the bus after the
    master gain, when the caller has it (see `loudness.meter.PowerStream`). With `in_place`,
    a float32 (frames, 2) bus may be overwritten by the result (saving a copy)."""
    data = as_stereo(bus)
    own = in_place and data is bus
    if master.gain_db:
        if own and power_of is not None:  # whoever measures the bus must be done with it
            power = power_of()
            power_of = lambda: power  # noqa: E731
        data = apply_gain(data, master.gain_db, out=data if own else None)
        own = True
    if target_lufs is not None:
        result = normalize_stereo(data, sample_rate, target_lufs, master.ceiling_dbtp,
                                  limiter=master.limiter, power_of=power_of, in_place=own)
        return Mastered(result.audio, master.gain_db + result.gain_db, result.lufs,
                        result.true_peak_dbtp, result.power)
    if master.limiter:
        return Mastered(true_peak_limit(data, sample_rate, master.ceiling_dbtp),
                        master.gain_db, None)
    return Mastered(data, master.gain_db, None)


def mix(score: Score, stems: Mapping[str, npt.ArrayLike], settings: MixSettings,
        sample_rate: int, *, target_lufs: float | None = None) -> tuple[Audio, dict[str, Audio]]:
    """(master, processed stems): see the module notes. `sum(processed stems)` is the
    master bus before the master chain."""
    processed = process_stems(score, stems, settings, sample_rate)
    length = len(next(iter(processed.values()))) if processed else 0
    bus = sum_stems(processed, length)
    return master_chain(bus, sample_rate, settings.master, target_lufs=target_lufs).audio, processed
