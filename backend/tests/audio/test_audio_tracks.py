"""Audio tracks in the renderer: samples placed on the tempo map, stretched, mixed like any
track; per-track SoundFont presets. Real FFmpeg (samples made and decoded by it), real
synth, real pedalboard."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from ariaforge.audio.encode import decode, ffmpeg_path
from ariaforge.audio.errors import BadInputError
from ariaforge.audio.options import MasterSettings, MixSettings, RenderOptions
from ariaforge.audio.pipeline import render_score
from ariaforge.audio.samples import SampleSource, place_clips, stretch
from ariaforge.audio.soundfont import default_soundfont_path
from ariaforge.audio.synth import TrackVoice, render_stems
from ariaforge.music.score import AudioClip, Note, Role, Score, TempoChange, Track

RATE = 44100
SAMPLE_ID = "0b0c9a4e-52a3-4f7e-9a55-6f1f2b3c4d5e"
# A few milliseconds: the onset detector below finds a 1 kHz burst's start within a
# sample or two, so this is room for FFmpeg's resampler, not for a slack renderer.
ONSET_TOLERANCE_S = 0.003


def tone_burst(folder: Path, seconds: float = 0.25, name: str = "burst.wav",
               rate: int = 48000) -> Path:
    """A 1 kHz sine of `seconds` at full level, written by FFmpeg at `rate` (not the
    render rate: the renderer must resample it)."""
    path = folder / name
    subprocess.run([ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"sine=frequency=1000:sample_rate={rate}:"
                    f"duration={seconds}", "-af", "volume=6dB", "-ac", "1", str(path)],
                   check=True)
    return path


def onset_and_end(audio: npt.NDArray[np.float32], rate: int) -> tuple[float, float]:
    """First and last moment (s) the signal is above a tenth of its peak."""
    level = np.max(np.abs(audio), axis=1)
    loud = np.flatnonzero(level > 0.1 * float(level.max()))
    return float(loud[0]) / rate, float(loud[-1] + 1) / rate


def audio_score(tempo: float, clip_tick: int, *, stretch_clip: bool = False,
                gain_db: float = 0.0, changes: list[TempoChange] | None = None) -> Score:
    return Score(tempo=tempo, tempo_changes=changes or [], bars=4, tracks=[
        Track(id="loop", name="Loop", role=Role.AUDIO, clips=[
            AudioClip(sample_id=SAMPLE_ID, start=clip_tick, gain_db=gain_db,
                      stretch=stretch_clip)])])


def quiet_options() -> RenderOptions:
    # No loudness normalisation: levels in the file are the mix's own.
    return RenderOptions(target_lufs=None, tail_seconds=2.0)


@pytest.mark.parametrize(("tempo", "changes"), [
    (120.0, None), (90.0, None), (120.0, [TempoChange(tick=1920, bpm=60.0)])])
def test_a_clip_sounds_at_its_start_in_seconds(tmp_path: Path, tempo: float,
                                               changes: list[TempoChange] | None) -> None:
    burst = tone_burst(tmp_path)
    score = audio_score(tempo, 2 * 1920 + 480, changes=changes)  # bar 3, beat 2
    result = render_score(score, MixSettings(), quiet_options(), tmp_path / "out",
                          samples={SAMPLE_ID: SampleSource(burst)})
    onset, end = onset_and_end(decode(result.files[0].path), RATE)
    expected = score.seconds_at(2 * 1920 + 480)
    assert expected == pytest.approx({120.0: 4.5, 90.0: 6.0}[tempo] if not changes else 7.0)
    assert abs(onset - expected) < ONSET_TOLERANCE_S
    assert end - onset == pytest.approx(0.25, abs=ONSET_TOLERANCE_S)  # not stretched


def test_stretch_follows_the_score_tempo(tmp_path: Path) -> None:
    burst = tone_burst(tmp_path, seconds=1.0)
    lengths = {}
    for tempo in (120.0, 90.0, 160.0):
        score = audio_score(tempo, 1920, stretch_clip=True)
        result = render_score(score, MixSettings(), quiet_options(), tmp_path / str(tempo),
                              samples={SAMPLE_ID: SampleSource(burst, bpm=120.0)})
        onset, end = onset_and_end(decode(result.files[0].path), RATE)
        assert abs(onset - score.seconds_at(1920)) < 0.01  # the stretcher's latency is cut
        lengths[tempo] = end - onset
    assert lengths[120.0] == pytest.approx(1.0, abs=0.01)  # sample tempo = score tempo
    assert lengths[90.0] / lengths[120.0] == pytest.approx(120 / 90, rel=0.03)
    assert lengths[160.0] / lengths[120.0] == pytest.approx(120 / 160, rel=0.03)


def test_stretch_keeps_the_pitch_within_range_and_resamples_outside_it() -> None:
    t = np.arange(RATE, dtype=np.float64) / RATE
    tone = np.repeat((0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None], 2, 1)

    def pitch(audio: npt.NDArray[np.float32]) -> float:
        middle = audio[len(audio) // 4: 3 * len(audio) // 4, 0]
        spectrum = np.abs(np.fft.rfft(middle))
        return float(np.argmax(spectrum)) * RATE / len(middle)

    kept = stretch(tone, RATE, 1.5)
    assert len(kept) == pytest.approx(RATE / 1.5, rel=0.02)
    assert pitch(kept) == pytest.approx(440, rel=0.02)
    turntable = stretch(tone, RATE, 8.0)  # beyond STRETCH_RANGE: resampled
    assert len(turntable) == round(RATE / 8)
    assert pitch(turntable) == pytest.approx(440 * 8, rel=0.05)


def test_gain_and_the_track_fader_apply_to_clips(tmp_path: Path) -> None:
    burst = tone_burst(tmp_path)
    peaks = {}
    for gain_db, volume in ((0.0, 127), (-12.0, 127), (0.0, 64)):
        score = audio_score(120.0, 0, gain_db=gain_db)
        score.tracks[0].volume = volume
        stems = render_stems(score, None, RATE, clips=place_clips(
            score, {SAMPLE_ID: SampleSource(burst)}, RATE))
        raw = float(np.max(np.abs(stems["loop"])))
        result = render_score(score, MixSettings(master=MasterSettings(limiter=False)),
                              quiet_options(), tmp_path / f"{gain_db}-{volume}",
                              samples={SAMPLE_ID: SampleSource(burst)})
        peaks[(gain_db, volume)] = (raw, float(np.max(np.abs(decode(result.files[0].path)))))
    assert 20 * np.log10(peaks[(-12.0, 127)][0] / peaks[(0.0, 127)][0]) == pytest.approx(
        -12.0, abs=0.1)
    # Fader 64 of 127: 40*log10(64/127) = -11.9 dB, in the mix, not in the raw stem.
    assert peaks[(0.0, 64)][0] == pytest.approx(peaks[(0.0, 127)][0], rel=1e-3)
    assert 20 * np.log10(peaks[(0.0, 64)][1] / peaks[(0.0, 127)][1]) == pytest.approx(
        40 * np.log10(64 / 127), abs=0.2)


def test_audio_tracks_mix_with_notes_and_get_stems(tmp_path: Path) -> None:
    burst = tone_burst(tmp_path)
    score = audio_score(120.0, 1920)
    score.tracks.append(Track(id="lead", name="Lead", role=Role.MELODY, program=0, notes=[
        Note(pitch=60, start=0, duration=480, velocity=100)]))
    result = render_score(score, MixSettings(), RenderOptions(include_stems=True, tail_seconds=0.5),
                          tmp_path / "out", samples={SAMPLE_ID: SampleSource(burst)})
    stems = {f.track_id: f for f in result.files if f.kind == "stem"}
    assert set(stems) == {"loop", "lead"}
    loop_onset, _ = onset_and_end(decode(stems["loop"].path), RATE)
    lead_onset, _ = onset_and_end(decode(stems["lead"].path), RATE)
    assert abs(loop_onset - 2.0) < ONSET_TOLERANCE_S and lead_onset < 0.05
    mix = decode(result.files[0].path)
    assert float(np.max(np.abs(mix[: RATE // 2]))) > 0.01  # the note
    assert float(np.max(np.abs(mix[2 * RATE: 2 * RATE + RATE // 8]))) > 0.01  # the clip


def test_a_clip_that_begins_before_a_partial_render_plays_from_inside(tmp_path: Path) -> None:
    burst = tone_burst(tmp_path, seconds=3.0)
    score = audio_score(120.0, 0)  # 0..3 s; bar 2 starts at 2 s
    result = render_score(score, MixSettings(), RenderOptions(
        target_lufs=None, start_bar=2, end_bar=2, tail_seconds=0.0), tmp_path / "out",
        samples={SAMPLE_ID: SampleSource(burst)})
    audio = decode(result.files[0].path)
    assert len(audio) == 2 * RATE
    onset, end = onset_and_end(audio, RATE)
    assert onset < ONSET_TOLERANCE_S and end == pytest.approx(1.0, abs=ONSET_TOLERANCE_S)


def test_a_missing_sample_is_a_permanent_error(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="not available"):
        render_score(audio_score(120.0, 0), MixSettings(), quiet_options(), tmp_path)


def test_a_soundfont_preset_replaces_the_program() -> None:
    notes = [Note(pitch=60 + i, start=i * 480, duration=480) for i in range(4)]
    score = Score(bars=1, tracks=[Track(id="t", program=0, notes=notes)])
    violin = Score(bars=1, tracks=[Track(id="t", program=40, notes=notes)])
    voice = {"t": TrackVoice(default_soundfont_path(), 0, 40)}
    with_voice = render_stems(score, None, 22050, voices=voice)["t"]
    assert np.array_equal(with_voice, render_stems(violin, None, 22050)["t"])
    assert not np.array_equal(with_voice, render_stems(score, None, 22050)["t"])
    # A preset the SoundFont lacks leaves the track's own program.
    missing = {"t": TrackVoice(default_soundfont_path(), 7, 99)}
    assert np.array_equal(render_stems(score, None, 22050, voices=missing)["t"],
                          render_stems(score, None, 22050)["t"])
