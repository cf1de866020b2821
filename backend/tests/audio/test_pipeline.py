"""The whole pipeline: score → files, with real synth and real FFmpeg."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from ariaforge.audio.encode import decode, ffmpeg_path, probe
from ariaforge.audio.errors import BadInputError, BadScoreError
from ariaforge.audio.options import MasterSettings, MixSettings, RenderOptions
from ariaforge.audio.pipeline import render_cache_key, render_score
from ariaforge.music.score import Score, Track
from tests.audio import scores


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ffmpeg_ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) from FFmpeg's own EBU R 128 meter."""
    result = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-nostdin", "-i", str(path), "-af",
         "ebur128=peak=true", "-f", "null", "-"], capture_output=True, check=True)
    text = result.stderr.decode()
    summary = text[text.rindex("Summary:"):]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return lufs, peak


def test_render_wav_with_progress(tmp_path: Path) -> None:
    calls: list[tuple[float, str, str]] = []
    result = render_score(scores.simple_score(), MixSettings(), RenderOptions(), tmp_path,
                          progress=lambda p, stage, msg: calls.append((p, stage, msg)))
    [mix] = result.files
    assert mix.kind == "mix" and mix.track_id is None and mix.format == "wav"
    assert mix.path == tmp_path / "mix.wav" and mix.bytes == mix.path.stat().st_size
    assert result.sample_rate == 44100 and probe(mix.path).sample_rate == 44100
    assert len(decode(mix.path)) == round(mix.duration_s * 44100)
    assert result.seconds_of_audio == pytest.approx(mix.duration_s)
    assert 4.0 <= result.seconds_of_audio <= 6.0  # 2 bars at 120 bpm + release tail
    quality = result.quality
    assert not quality.silent and quality.score > 0.8
    assert quality.integrated_lufs == pytest.approx(-14.0, abs=0.5)
    assert quality.true_peak_dbtp is not None and quality.true_peak_dbtp <= -1.0
    # Progress: every stage, in order, never backwards, ending at 100.
    percents = [p for p, _, _ in calls]
    assert percents == sorted(percents) and percents[0] == 0.0 and percents[-1] == 100.0
    stages = [stage for _, stage, _ in calls]
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == [
        "synth", "mix", "loudness", "encode"]
    assert calls[-1] == (100.0, "encode", "done")


@pytest.mark.parametrize("target", [-14.0, -18.0])
@pytest.mark.parametrize("make", [scores.loud_dense, scores.quiet_sparse])
def test_loudness_target_checked_by_ffmpeg(tmp_path: Path, target: float,
                                           make: object) -> None:
    score: Score = make()  # type: ignore[operator]
    options = RenderOptions(bit_depth=24, target_lufs=target, sample_rate=48000)
    result = render_score(score, MixSettings(), options, tmp_path)
    lufs, peak = ffmpeg_ebur128(result.files[0].path)
    assert abs(lufs - target) <= 0.5
    assert peak <= -1.0 + 0.05  # FFmpeg's meter rounds to 0.1 dB
    assert result.quality.true_peak_dbtp is not None and result.quality.true_peak_dbtp <= -1.0


def test_render_is_deterministic(tmp_path: Path) -> None:
    score = scores.simple_score()
    options = RenderOptions(format="mp3", include_stems=True)
    first = render_score(score, MixSettings(), options, tmp_path / "a")
    second = render_score(score, MixSettings(), options, tmp_path / "b")
    assert [sha(f.path) for f in first.files] == [sha(f.path) for f in second.files]
    key = render_cache_key(score, MixSettings(), options)
    assert key == render_cache_key(score, MixSettings(), options)
    assert key != render_cache_key(score, MixSettings(), options.model_copy(
        update={"format": "ogg"}))


def test_stems_add_up_to_the_mix(tmp_path: Path) -> None:
    score = scores.simple_score()
    score = score.model_copy(update={"tracks": [*score.tracks, Track(
        id="muted", mute=True, notes=scores.melody_track("x").notes)]})
    # A low target: no limiting, so the mix is exactly the stems times one gain.
    options = RenderOptions(bit_depth=24, include_stems=True, target_lufs=-24.0)
    result = render_score(score, MixSettings(), options, tmp_path)
    stems = {f.track_id: f for f in result.files if f.kind == "stem"}
    assert set(stems) == {"piano", "drums"}  # the muted track gets no stem file
    assert result.stem_gain_db == pytest.approx(result.mix_gain_db)
    mix = decode(result.files[0].path)
    total = sum(decode(f.path).astype(np.float64) for f in stems.values())
    # 24-bit files: each holds +-2^-24 of rounding; three files.
    assert np.max(np.abs(total - mix)) < 1e-5


def test_partial_render_and_opus_rate(tmp_path: Path) -> None:
    score = scores.tempo_change_score()  # bars 1-2 at 120 bpm, 3-4 at 60 bpm
    options = RenderOptions(format="opus", start_bar=2, end_bar=3, tail_seconds=0)
    result = render_score(score, MixSettings(), options, tmp_path)
    assert result.sample_rate == 48000  # opus always renders at 48 kHz
    assert result.seconds_of_audio == pytest.approx(2.0 + 4.0, abs=1e-4)
    path = result.files[0].path
    assert probe(path).sample_rate == 48000
    assert len(decode(path)) / 48000 == pytest.approx(6.0, abs=960 / 48000)


def test_all_tracks_muted_renders_silence(tmp_path: Path) -> None:
    score = scores.simple_score()
    score = score.model_copy(update={"tracks": [t.model_copy(update={"mute": True})
                                                for t in score.tracks]})
    result = render_score(score, MixSettings(), RenderOptions(include_stems=True), tmp_path)
    assert result.quality.silent and result.quality.score == 0.0
    assert [f.kind for f in result.files] == ["mix"]
    assert result.seconds_of_audio == pytest.approx(4.0)  # 2 bars, no tail from silence
    assert not np.any(decode(result.files[0].path))


def test_no_limiter_and_no_target(tmp_path: Path) -> None:
    settings = MixSettings(master=MasterSettings(limiter=False, gain_db=-6))
    result = render_score(scores.simple_score(), settings,
                          RenderOptions(target_lufs=None, format="flac"), tmp_path)
    assert result.mix_gain_db == -6
    assert result.quality.integrated_lufs is not None and result.quality.integrated_lufs < -14


def test_bad_scores_and_options(tmp_path: Path) -> None:
    with pytest.raises(BadScoreError) as caught:
        render_score(Score(bars=4, tracks=[Track(id="empty")]), MixSettings(),
                     RenderOptions(), tmp_path)
    assert caught.value.permanent
    with pytest.raises(BadScoreError):
        render_score(Score(bars=4), MixSettings(), RenderOptions(), tmp_path)
    with pytest.raises(BadInputError):
        render_score(scores.simple_score(), MixSettings(), RenderOptions(start_bar=5),
                     tmp_path)
    with pytest.raises(ValidationError):
        RenderOptions(start_bar=3, end_bar=2)
    with pytest.raises(ValidationError):
        RenderOptions(format="aac")
    with pytest.raises(ValidationError):
        RenderOptions(sample_rate=22050)
    assert not list(tmp_path.iterdir())  # nothing written for refused input


@pytest.mark.parametrize(("settings", "options"), [
    (MixSettings(master=MasterSettings(gain_db=-3)),
     RenderOptions(format="flac", include_stems=True)),
    (MixSettings(), RenderOptions(format="wav", bit_depth=24, target_lufs=-8.0)),
    (MixSettings(), RenderOptions(format="wav", target_lufs=None)),
])
def test_mixing_during_the_synth_changes_nothing(tmp_path: Path, settings: MixSettings,
                                                 options: RenderOptions,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Without effects the mix and its loudness are computed while the synth runs; the
    files must be those of mixing afterwards."""
    score = scores.loud_dense()
    score = score.model_copy(update={"tracks": [
        t.model_copy(update={"pan": 20 * i - 10}) for i, t in enumerate(score.tracks)]})
    streamed = render_score(score, settings, options, tmp_path / "streamed")
    monkeypatch.setattr(sys.modules["ariaforge.audio.pipeline"], "streamable",
                        lambda *_: False)
    after = render_score(score, settings, options, tmp_path / "after")
    assert [sha(f.path) for f in streamed.files] == [sha(f.path) for f in after.files]
    assert streamed.quality == after.quality
    assert (streamed.mix_gain_db, streamed.stem_gain_db) == (after.mix_gain_db,
                                                             after.stem_gain_db)
