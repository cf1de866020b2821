"""Mixing: volume, pan, mute/solo, effects, stems-sum-to-mix, settings validation."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from pydantic import ValidationError

from ariaforge.audio.errors import BadInputError
from ariaforge.audio.mix import (
    StemMixer,
    master_chain,
    mix,
    pan_gains,
    process_stems,
    sum_stems,
    volume_db,
)
from ariaforge.audio.options import (
    MasterSettings,
    MixSettings,
    TrackMix,
    audible_tracks,
    streamable,
)
from ariaforge.music.score import Score
from tests.audio.conftest import FAST_RATE, Stems, rms

RAW = MixSettings(master=MasterSettings(limiter=False))  # no master processing at all
# float32 sums of a few stems: errors are ~1e-7 of full scale; 1e-5 leaves ample room.
SUM_TOLERANCE = 1e-5


def with_tracks(score: Score, **changes: dict[str, object]) -> Score:
    tracks = [t.model_copy(update=changes.get(t.id, {})) for t in score.tracks]
    return score.model_copy(update={"tracks": tracks})


def test_volume_curve_and_pan_law() -> None:
    assert volume_db(127) == 0.0
    assert volume_db(0) == -math.inf
    assert volume_db(100) == pytest.approx(40 * math.log10(100 / 127))
    assert pan_gains(0) == pytest.approx((1.0, 1.0))
    left, right = pan_gains(-64)
    assert (left, right) == pytest.approx((math.sqrt(2), 0.0), abs=1e-12)
    assert pan_gains(63) == pytest.approx((0.0, math.sqrt(2)), abs=1e-12)
    for pan in (-64, -30, 0, 17, 63):
        l, r = pan_gains(pan)  # noqa: E741
        assert l * l + r * r == pytest.approx(2.0)


def test_stems_sum_to_the_mix_before_the_master_chain(simple_score: Score,
                                                      simple_stems: Stems) -> None:
    settings = MixSettings(master=MasterSettings(limiter=False), tracks={
        "piano": TrackMix(gain_db=-3, fx=[{"type": "eq", "low_shelf_gain_db": 3,
                                           "high_shelf_gain_db": -6, "peak_hz": 800,
                                           "peak_gain_db": 4},
                                          {"type": "compressor", "threshold_db": -30,
                                           "ratio": 4, "makeup_gain_db": 6},
                                          {"type": "reverb", "room_size": 0.6}]),
        "drums": TrackMix(gain_db=2)})
    score = with_tracks(simple_score, piano={"pan": -40}, drums={"pan": 20, "volume": 80})
    master, processed = mix(score, simple_stems, settings, FAST_RATE)
    assert set(processed) == {"piano", "drums"}
    assert {a.shape for a in processed.values()} == {master.shape}
    # The reverb tail lengthens the mix beyond the synth stems.
    assert len(master) > len(simple_stems["piano"])
    total = np.sum([a.astype(np.float64) for a in processed.values()], axis=0)
    assert np.max(np.abs(total - master)) < SUM_TOLERANCE
    assert rms(master) > 1e-3


def test_master_gain_scales_the_sum_exactly_without_limiter(simple_score: Score,
                                                           simple_stems: Stems) -> None:
    settings = MixSettings(master=MasterSettings(limiter=False, gain_db=-6))
    master, processed = mix(simple_score, simple_stems, settings, FAST_RATE)
    bus = sum_stems(processed)
    assert np.max(np.abs(bus * 10 ** (-6 / 20) - master)) < SUM_TOLERANCE


def test_limiter_keeps_the_master_under_its_ceiling(simple_score: Score,
                                                    simple_stems: Stems) -> None:
    from ariaforge.audio.loudness.true_peak import true_peak_dbtp

    loud = MasterSettings(gain_db=12, ceiling_dbtp=-2.0)
    out = master_chain(sum_stems(process_stems(simple_score, simple_stems, MixSettings(),
                                               FAST_RATE)), FAST_RATE, loud)
    peak = true_peak_dbtp(out.audio)
    assert peak is not None and peak <= -2.0


def test_mute_silences_a_track(simple_score: Score, simple_stems: Stems) -> None:
    score = with_tracks(simple_score, drums={"mute": True})
    master, processed = mix(score, simple_stems, RAW, FAST_RATE)
    assert not np.any(processed["drums"])
    assert rms(processed["piano"]) > 1e-3
    assert np.max(np.abs(master - processed["piano"])) < SUM_TOLERANCE


def test_solo_plays_only_soloed_tracks(simple_score: Score, simple_stems: Stems) -> None:
    score = with_tracks(simple_score, drums={"solo": True})
    assert [t.id for t in audible_tracks(score)] == ["drums"]
    master, processed = mix(score, simple_stems, RAW, FAST_RATE)
    assert not np.any(processed["piano"])
    assert rms(master) > 1e-3
    # Mute wins over solo.
    both = with_tracks(simple_score, drums={"solo": True, "mute": True})
    assert audible_tracks(both) == []


def test_zero_volume_is_silent(simple_score: Score, simple_stems: Stems) -> None:
    score = with_tracks(simple_score, piano={"volume": 0})
    _, processed = mix(score, simple_stems, RAW, FAST_RATE)
    assert not np.any(processed["piano"])


@pytest.mark.parametrize(("pan", "louder"), [(-64, 0), (-32, 0), (32, 1), (63, 1)])
def test_pan_moves_energy(simple_score: Score, simple_stems: Stems, pan: int,
                          louder: int) -> None:
    score = with_tracks(simple_score, piano={"pan": pan}, drums={"mute": True})
    _, processed = mix(score, simple_stems, RAW, FAST_RATE)
    piano = processed["piano"]
    loud, quiet = rms(piano[:, louder]), rms(piano[:, 1 - louder])
    assert loud > 2 * quiet if abs(pan) < 60 else quiet < 1e-6 * loud
    # Equal power: the total energy matches the centred track's.
    centred = mix(with_tracks(score, piano={"pan": 0}), simple_stems, RAW, FAST_RATE)[1]
    energy = float(np.sum(np.square(piano, dtype=np.float64)))
    centre_energy = float(np.sum(np.square(centred["piano"], dtype=np.float64)))
    src = simple_stems["piano"].astype(np.float64)
    # Exact for a mono source; the SoundFont's piano is nearly mono, so within 10 %.
    if np.allclose(src[:, 0], src[:, 1], atol=1e-4):
        assert energy == pytest.approx(centre_energy, rel=1e-4)
    else:
        assert energy == pytest.approx(centre_energy, rel=0.1)


def test_inputs_are_not_modified(simple_score: Score, simple_stems: Stems) -> None:
    before = {k: v.copy() for k, v in simple_stems.items()}
    mix(with_tracks(simple_score, piano={"volume": 50, "pan": 20}), simple_stems, RAW,
        FAST_RATE)
    for track_id, audio in before.items():
        assert np.array_equal(audio, simple_stems[track_id])


@pytest.mark.parametrize("bad", [
    {"tracks": {"piano": {"fx": [{"type": "flanger"}]}}},  # unknown effect type
    {"tracks": {"piano": {"fx": [{"type": "compressor", "ratio": 50}]}}},
    {"tracks": {"piano": {"fx": [{"type": "reverb", "room_size": 2}]}}},
    {"tracks": {"piano": {"fx": [{"type": "eq", "low_shelf_gain_db": 40}]}}},
    {"tracks": {"piano": {"fx": [{"type": "compressor", "threshold_db": 5}]}}},
    {"tracks": {"piano": {"gain_db": 30}}},
    {"tracks": {"piano": {"fx": [{"type": "reverb", "wet": 0.5}]}}},  # unknown field
    {"master": {"ceiling_dbtp": 0.5}},
    {"master": {"gain_db": -40}},
    {"master": {"gain_db": float("nan")}},
    {"tracks": {"bad id!": {}}},
    {"surprise": 1},
])
def test_invalid_mix_settings_raise_validation_error(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        MixSettings.model_validate(bad)


def test_settings_for_an_unknown_track_are_refused(simple_score: Score,
                                                   simple_stems: Stems) -> None:
    settings = MixSettings(tracks={"ghost": TrackMix(gain_db=-3)})
    with pytest.raises(BadInputError):
        mix(simple_score, simple_stems, settings, FAST_RATE)


def test_effects_change_the_sound(simple_score: Score, simple_stems: Stems) -> None:
    base = mix(simple_score, simple_stems, RAW, FAST_RATE)[1]["piano"]
    for fx in ({"type": "eq", "high_shelf_gain_db": -12},
               {"type": "compressor", "threshold_db": -40, "ratio": 10}):
        settings = MixSettings(master=MasterSettings(limiter=False),
                               tracks={"piano": TrackMix.model_validate({"fx": [fx]})})
        changed = mix(simple_score, simple_stems, settings, FAST_RATE)[1]["piano"]
        assert changed.shape == base.shape
        assert rms(changed) < rms(base)
    # dry_level 1.0 and wet_level 0 is unity: pedalboard's dry 0.5 mapping.
    unity = MixSettings(master=MasterSettings(limiter=False), tracks={"piano": TrackMix(
        fx=[{"type": "reverb", "wet_level": 0.0, "dry_level": 1.0}])})
    passed = mix(simple_score, simple_stems, unity, FAST_RATE)[1]["piano"]
    assert np.max(np.abs(passed[: len(base)] - base)) < 1e-5


def test_stem_mixer_matches_process_stems_and_sum(simple_score: Score,
                                                  simple_stems: Stems) -> None:
    score = with_tracks(simple_score, piano={"pan": -40, "volume": 90}, drums={"pan": 25})
    settings = MixSettings(tracks={"piano": TrackMix(gain_db=-3)})
    assert streamable(score, settings)
    processed = process_stems(score, simple_stems, settings, FAST_RATE)
    bus = sum_stems(processed)
    buffers = {k: v.copy() for k, v in simple_stems.items()}
    mixer = StemMixer(score, settings)
    length = len(bus)
    mixer.start(length + 100)
    bounds = [0, 1, 999, length // 2, length]
    for begin, end in itertools.pairwise(bounds):
        mixer.take({k: v[begin:end] for k, v in buffers.items()}, begin, end)
    assert np.array_equal(mixer.bus[:length], bus)
    for track_id, audio in mixer.processed(buffers).items():
        assert np.array_equal(audio, processed[track_id])
    with_reverb = MixSettings(tracks={"piano": TrackMix(fx=[{"type": "reverb"}])})
    assert not streamable(score, with_reverb)
    with pytest.raises(BadInputError):
        StemMixer(score, MixSettings(tracks={"ghost": TrackMix()}))
