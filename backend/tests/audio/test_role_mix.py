"""The role-balanced mix: melody in front of the comping whatever the programs' own
loudness, the user's volume and mute on top, and lossy files under the true-peak ceiling
once decoded (real synth, real FFmpeg)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from ariaforge.audio.balance import role_trims
from ariaforge.audio.encode import decode
from ariaforge.audio.loudness.meter import integrated_lufs
from ariaforge.audio.loudness.true_peak import true_peak_dbtp
from ariaforge.audio.options import EqEffect, MixSettings, RenderOptions, TrackMix, streamable
from ariaforge.audio.pipeline import render_score
from ariaforge.audio.synth import render_stems
from ariaforge.music.score import Note, Role, Score, Track
from tests.audio import scores
from tests.audio.test_pipeline import ffmpeg_ebur128

Q, BAR = scores.Q, scores.BAR
RATE = 44100


def band(*, bars: int = 4, chords_volume: int = 100, mute_chords: bool = False,
         pad: bool = False) -> Score:
    """A loud trumpet over soft piano comping, bass and drums: in TimGM6mb the trumpet
    is some 15 dB louder than the piano at equal velocity."""
    melody = [Note(pitch=72 + (i * 5) % 9, start=i * Q, duration=Q - 40, velocity=90)
              for i in range(bars * 4)]
    chords = [Note(pitch=p, start=b * BAR + beat * 2 * Q, duration=2 * Q - 40, velocity=60)
              for b in range(bars) for beat in range(2) for p in (55, 59, 62, 65)]
    bass = [Note(pitch=36 + (i % 2) * 7, start=i * Q, duration=Q - 40, velocity=95)
            for i in range(bars * 4)]
    tracks = [
        Track(id="melody", role=Role.MELODY, program=56, notes=melody),
        Track(id="chords", role=Role.CHORDS, program=0, volume=chords_volume,
              mute=mute_chords, notes=chords),
        Track(id="bass", role=Role.BASS, program=33, notes=bass),
        scores.drum_track(bars=bars).model_copy(update={"role": Role.DRUMS}),
    ]
    if pad:
        held = [Note(pitch=p, start=b * BAR, duration=BAR - 20, velocity=70)
                for b in range(bars) for p in (60, 64, 67)]
        tracks.append(Track(id="pad", role=Role.PAD, program=48, notes=held))
    return Score(bars=bars, tracks=tracks)


def stem_loudness(score: Score, folder: Path) -> dict[str, float]:
    result = render_score(score, MixSettings(), RenderOptions(include_stems=True), folder)
    loudness: dict[str, float] = {}
    for file in result.files:
        if file.track_id is not None:
            value = integrated_lufs(decode(file.path), RATE)
            assert value is not None
            loudness[file.track_id] = value
    return loudness


def power_sum(*levels: float) -> float:
    return 10.0 * math.log10(sum(10.0 ** (level / 10.0) for level in levels))


def test_melody_sits_3_to_6_db_over_the_comping(tmp_path: Path) -> None:
    loud = stem_loudness(band(pad=True), tmp_path)
    assert 3.0 <= loud["melody"] - loud["chords"] <= 6.0
    assert 3.0 <= loud["melody"] - power_sum(loud["chords"], loud["pad"]) <= 6.0
    assert loud["pad"] < loud["chords"]  # the pad behind the comping
    assert abs(loud["bass"] - loud["drums"]) <= 1.0
    assert loud["melody"] - 6.0 <= loud["bass"] <= loud["melody"] - 1.0


def test_without_balance_the_soft_piano_would_be_buried() -> None:
    # The same stems at plain faders: what the balance corrects (a regression guard on
    # the premise, measured on the synth's own output).
    score = band()
    stems = render_stems(score, None, 22050)
    raw = {tid: integrated_lufs(stem, 22050) for tid, stem in stems.items()}
    assert raw["melody"] is not None and raw["chords"] is not None
    assert raw["melody"] - raw["chords"] > 8.0
    trims = role_trims(score, stems, 22050)
    assert trims["chords"] - trims["melody"] > 4.0


def test_user_volume_moves_a_track_from_its_balanced_level(tmp_path: Path) -> None:
    plain = stem_loudness(band(), tmp_path / "plain")
    louder = stem_loudness(band(chords_volume=127), tmp_path / "louder")
    # Volume 127 is 40*log10(127/100) = 4.15 dB over the default 100.
    moved = (louder["chords"] - louder["melody"]) - (plain["chords"] - plain["melody"])
    assert moved == pytest.approx(4.15, abs=0.2)


def test_muting_a_track_leaves_the_others_balance(tmp_path: Path) -> None:
    plain = stem_loudness(band(), tmp_path / "plain")
    muted = stem_loudness(band(mute_chords=True), tmp_path / "muted")
    assert "chords" not in muted
    for track_id in ("bass", "drums"):
        assert (muted[track_id] - muted["melody"]) == pytest.approx(
            plain[track_id] - plain["melody"], abs=0.2)


def test_scores_without_roles_are_mixed_by_their_volumes_alone() -> None:
    score = scores.simple_score()
    assert role_trims(score, render_stems(score, None, 22050), 22050) == {}


@pytest.mark.parametrize(("fmt", "quality"), [("mp3", "high"), ("mp3", "low"),
                                              ("ogg", "medium"), ("opus", "low"),
                                              ("wav", "high"), ("flac", "high")])
def test_decoded_files_stay_under_the_ceiling(tmp_path: Path, fmt: str,
                                               quality: str) -> None:
    # Loud and dense, normalised hot, so the limiter works and a codec would overshoot.
    options = RenderOptions(format=fmt, quality=quality, target_lufs=-9.0)
    result = render_score(scores.loud_dense(bars=4), MixSettings(), options, tmp_path)
    peak = true_peak_dbtp(decode(result.files[0].path))
    assert peak is not None and peak <= -1.0
    _, ffmpeg_peak = ffmpeg_ebur128(result.files[0].path)
    assert ffmpeg_peak <= -1.0 + 0.05  # FFmpeg's meter rounds to 0.1 dB


def test_a_balanced_mp3_render_is_byte_identical_twice(tmp_path: Path) -> None:
    options = RenderOptions(format="mp3", quality="low", target_lufs=-9.0)
    first = render_score(band(pad=True), MixSettings(), options, tmp_path / "a")
    second = render_score(band(pad=True), MixSettings(), options, tmp_path / "b")
    assert first.files[0].path.read_bytes() == second.files[0].path.read_bytes()


def test_a_balanced_mix_made_while_the_synth_runs_is_the_same(tmp_path: Path) -> None:
    # A faded-out track with an EQ on it: it adds nothing to the mix, but a heard track
    # with an effect means the render cannot be mixed while the synth runs, so the same
    # music goes through `process_stems` after the synth instead. The trims come from
    # the probe render, so both paths apply the same gains.
    ghost = Track(id="ghost", role=Role.OTHER, program=40, volume=0, notes=[
        Note(pitch=67, start=i * BAR, duration=BAR - 40, velocity=80) for i in range(4)])
    base = band(pad=True)
    score = base.model_copy(update={"tracks": [*base.tracks, ghost]})
    options = RenderOptions(format="flac", include_stems=True)
    streamed = render_score(score, MixSettings(), options, tmp_path / "streamed")
    with_eq = MixSettings(tracks={"ghost": TrackMix(fx=[EqEffect(high_shelf_gain_db=-6.0)])})
    assert streamable(score, MixSettings()) and not streamable(score, with_eq)
    after = render_score(score, with_eq, options, tmp_path / "after")
    assert len(streamed.files) == 1 + len(score.tracks)
    assert [f.path.read_bytes() for f in streamed.files] == [
        f.path.read_bytes() for f in after.files]
