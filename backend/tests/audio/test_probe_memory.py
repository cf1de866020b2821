"""The balance probe and the codec check in bounded memory: the probe keeps loudness per
100 ms segment, the codec check measures the decoded file a chunk at a time, and both
give the figures of measuring everything at once (real synth, real FFmpeg)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from ariaforge.audio.balance import PROBE_RATE, probe_trims, role_trims
from ariaforge.audio.codec_peak import decoded_true_peak
from ariaforge.audio.encode import decode, encode
from ariaforge.audio.loudness.gated import GatedLoudnessStream
from ariaforge.audio.loudness.meter import integrated_lufs
from ariaforge.audio.loudness.true_peak import true_peak_dbtp
from ariaforge.audio.loudness.true_peak_stream import TruePeakStream
from ariaforge.audio.synth import render_stems
from ariaforge.music.score import Note, Role, Score, Track
from tests.audio import scores
from tests.audio.test_role_mix import band

Q = scores.Q
ROLES = [Role.MELODY, Role.CHORDS, Role.BASS, Role.PAD, Role.CHORDS, Role.OTHER]
PROGRAMS = [56, 0, 33, 48, 24, 73]


def long_band(bars: int) -> Score:
    """Six tracks of varied programs and velocities, `bars` bars at 120 bpm."""
    return Score(bars=bars, tracks=[
        Track(id=f"t{t}", role=role, program=PROGRAMS[t], notes=[
            Note(pitch=40 + 6 * t + (i * 5) % 9, start=i * Q, duration=Q - 40,
                 velocity=50 + (i * 7 + t * 11) % 60) for i in range(bars * 4)])
        for t, role in enumerate(ROLES)])


def fed_unevenly(stream: GatedLoudnessStream, audio: np.ndarray, seed: int) -> None:
    rng = np.random.default_rng(seed)
    begin = 0
    while begin < len(audio):
        size = int(rng.integers(1, 20_000))
        stream.feed(audio[begin:begin + size])
        begin += size


def test_segment_loudness_is_the_integrated_loudness() -> None:
    stems = render_stems(band(pad=True), None, PROBE_RATE)
    for seed, stem in enumerate(stems.values()):
        stream = GatedLoudnessStream(PROBE_RATE)
        fed_unevenly(stream, stem, seed)
        whole = integrated_lufs(stem, PROBE_RATE)
        assert whole is not None
        assert stream.lufs() == pytest.approx(whole, abs=0.01)
    silent = GatedLoudnessStream(PROBE_RATE)
    silent.feed(np.zeros((PROBE_RATE, 2), np.float32))
    assert silent.lufs() is None


def test_probe_trims_match_the_whole_stems() -> None:
    # The trims of the probe as it was: every stem whole at the probe's rate.
    score = band(pad=True)
    whole = role_trims(score, render_stems(score, None, PROBE_RATE), PROBE_RATE)
    probed = probe_trims(score, None, start_tick=0, end_tick=None, tail_seconds=2.0,
                         track_ids=[t.id for t in score.tracks])
    assert probed.keys() == whole.keys()
    for track_id, trim in whole.items():
        assert probed[track_id] == pytest.approx(trim, abs=0.1)


def probe_peak_bytes(score: Score) -> int:
    tracemalloc.start()
    try:
        trims = probe_trims(score, None, start_tick=0, end_tick=None, tail_seconds=2.0,
                            track_ids=[t.id for t in score.tracks])
        assert len(trims) == len(score.tracks)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_probe_memory_does_not_grow_with_the_length() -> None:
    short, long = long_band(40), long_band(160)  # 1:20 and 5:20 of music
    short_peak, long_peak = probe_peak_bytes(short), probe_peak_bytes(long)
    assert long_peak < 1.25 * short_peak
    # What keeping every frame's power would take for the long score alone.
    whole_power = len(long.tracks) * 320 * PROBE_RATE * 8
    assert long_peak < whole_power / 2


def test_streamed_true_peak_is_the_whole_signals(tmp_path: Path) -> None:
    stems = render_stems(scores.loud_dense(bars=4), None, 44100)
    mix = sum(stems.values()) * np.float32(2.0)  # hot: over 0 dBTP between samples
    path = encode(mix, 44100, tmp_path / "mix.mp3", "mp3", quality="low")
    decoded = decode(path)
    whole = true_peak_dbtp(decoded)
    assert whole is not None and whole > 0.0
    for size in (1, 999, 1 << 16):
        stream = TruePeakStream()
        for begin in range(0, len(decoded), size * 50 if size == 1 else size):
            stream.feed(decoded[begin:begin + (size * 50 if size == 1 else size)])
        assert stream.peak_db() == pytest.approx(whole, abs=1e-4)
    assert decoded_true_peak(path) == pytest.approx(whole, abs=1e-4)
    # With a floor under the peak the figure is exact; over it, it only stays under.
    assert decoded_true_peak(path, floor_db=whole - 1.0) == pytest.approx(whole, abs=1e-4)
    above = decoded_true_peak(path, floor_db=whole + 1.0)
    assert above is not None and above <= whole + 1e-4


def test_codec_check_holds_a_chunk_not_the_file(tmp_path: Path) -> None:
    frames = 60 * 44100
    rng = np.random.default_rng(3)
    music = (0.2 * rng.standard_normal((frames, 2))).astype(np.float32)
    path = encode(music, 44100, tmp_path / "long.mp3", "mp3", quality="low")
    tracemalloc.start()
    try:
        peak = decoded_true_peak(path)
        held = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak is not None
    assert held < frames * 8 / 4  # a quarter of the decoded file, which is 21 MB
