"""The synth stage: real SoundFont (TimGM6mb from pretty-midi), real TinySoundFont."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from ariaforge.audio.errors import BadInputError, BadScoreError, RenderError, SoundFontError
from ariaforge.audio.soundfont import default_soundfont_path, load_soundfont
from ariaforge.audio.synth import (
    body_frames,
    render_stems,
    render_stems_stepped,
    tick_to_seconds,
)
from ariaforge.music.score import Note, Score, TempoChange, Track
from tests.audio import scores
from tests.audio.conftest import FAST_RATE, Stems, rms

AUDIBLE_RMS = 1e-3  # about -60 dBFS: far above silence, far below any real note


def test_default_soundfont_is_found_and_cached() -> None:
    path = default_soundfont_path()
    assert path.name == "TimGM6mb.sf2" and path.is_file()
    assert load_soundfont(None) is load_soundfont(path)


def test_missing_soundfont_is_a_render_error() -> None:
    with pytest.raises(SoundFontError):
        render_stems(scores.simple_score(), "/nonexistent/font.sf2", FAST_RATE)


def test_corrupt_soundfont_is_a_render_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sf2"
    bad.write_bytes(b"RIFF" + bytes(range(256)) * 4)
    with pytest.raises(SoundFontError, match="cannot load"):
        render_stems(scores.simple_score(), bad, FAST_RATE)


def test_stems_are_stereo_float32_one_per_track(simple_score: Score,
                                                simple_stems: Stems) -> None:
    assert set(simple_stems) == {"piano", "drums"}
    lengths = {audio.shape for audio in simple_stems.values()}
    assert len(lengths) == 1
    frames, channels = lengths.pop()
    assert channels == 2
    for audio in simple_stems.values():
        assert audio.dtype == np.float32
        assert np.all(np.isfinite(audio))
    body = body_frames(simple_score, FAST_RATE, 0, simple_score.end_tick)
    assert body <= frames <= body + math.ceil(2.0 * FAST_RATE)


def test_pitched_track_is_not_silent(simple_stems: Stems) -> None:
    assert rms(simple_stems["piano"]) > AUDIBLE_RMS


def test_drums_only_score_is_audible_without_program_change() -> None:
    # program 0 on a drum track: no program change anywhere, drum mode must be forced.
    score = scores.drums_only()
    assert score.tracks[0].program == 0
    stems = render_stems(score, None, FAST_RATE)
    assert rms(stems["drums"]) > AUDIBLE_RMS


def test_drum_track_sounds_unlike_the_same_notes_on_a_piano() -> None:
    drums = scores.drum_track()
    as_piano = drums.model_copy(update={"is_drum": False, "id": "piano"})
    a = render_stems(Score(tracks=[drums], bars=2), None, FAST_RATE)["drums"]
    b = render_stems(Score(tracks=[as_piano], bars=2), None, FAST_RATE)["piano"]
    assert not np.allclose(a[: len(b)], b[: len(a)], atol=1e-3)


def test_tick_to_seconds_matches_score() -> None:
    score = scores.tempo_change_score().model_copy(update={"tempo_changes": [
        TempoChange(tick=0, bpm=90), TempoChange(tick=1000, bpm=60),
        TempoChange(tick=5000, bpm=200)]})
    ticks = np.array([0, 1, 999, 1000, 1001, 4999, 5000, 5001, 20000], dtype=np.int64)
    got = tick_to_seconds(score)(ticks)
    want = [score.seconds_at(int(t)) for t in ticks]
    assert np.allclose(got, want, rtol=0, atol=1e-9)


def test_tempo_changes_change_the_duration() -> None:
    steady = scores.simple_score(bars=4)
    slowed = scores.tempo_change_score()  # bars 3-4 at 60 instead of 120 bpm
    a = render_stems(steady, None, FAST_RATE, tail_seconds=0)
    b = render_stems(slowed, None, FAST_RATE, tail_seconds=0)
    frames_a, frames_b = len(a["piano"]), len(b["piano"])
    assert frames_a == round(8.0 * FAST_RATE)  # 4 bars of 4/4 at 120 bpm
    assert frames_b == round(12.0 * FAST_RATE)  # 2 bars at 120 + 2 bars at 60
    # The notes move too: the first note after the change starts at 4 s in both, the
    # next one (a beat later) at 4.5 s at 120 bpm but 5 s at 60 bpm.
    onset = round(5.0 * FAST_RATE)
    window = slice(onset - 200, onset + 2000)
    assert rms(b["piano"][window]) > rms(b["piano"][onset - 2400:onset - 400])


def test_partial_render_of_a_bar_range_has_the_right_length() -> None:
    score = scores.tempo_change_score()
    start, end = score.bar_start(2), score.bar_start(4)  # bars 2-3
    stems = render_stems(score, None, FAST_RATE, start_tick=start, end_tick=end,
                         tail_seconds=0)
    expected = round((score.seconds_at(end) - score.seconds_at(start)) * FAST_RATE)
    assert expected == round((2.0 + 4.0) * FAST_RATE)  # bar 2 at 120, bar 3 at 60 bpm
    assert {len(a) for a in stems.values()} == {expected}
    with_tail = render_stems(score, None, FAST_RATE, start_tick=start, end_tick=end)
    frames = len(with_tail["piano"])
    assert expected <= frames <= expected + math.ceil(2.0 * FAST_RATE)
    assert rms(with_tail["piano"]) > AUDIBLE_RMS


def test_rendering_is_deterministic(simple_score: Score, simple_stems: Stems) -> None:
    again = render_stems(simple_score, None, FAST_RATE)
    for track_id, audio in simple_stems.items():
        assert np.array_equal(audio, again[track_id])


def test_overlapping_notes_of_one_pitch_each_sound() -> None:
    notes = [Note(id="a", pitch=60, start=0, duration=1920),
             Note(id="b", pitch=60, start=480, duration=240)]
    score = Score(bars=1, tracks=[Track(id="t", notes=notes)])
    audio = render_stems(score, None, FAST_RATE, tail_seconds=0)["t"]
    # The long note still sounds after the short one ends (its own note-off).
    late = slice(round(1.2 * FAST_RATE), round(1.8 * FAST_RATE))
    assert rms(audio[late]) > AUDIBLE_RMS


def test_score_without_notes_is_a_bad_score() -> None:
    empty = Score(bars=2, tracks=[Track(id="t")])
    with pytest.raises(BadScoreError) as caught:
        render_stems(empty, None, FAST_RATE)
    assert caught.value.permanent
    assert isinstance(caught.value, RenderError)
    with pytest.raises(BadScoreError):
        render_stems(Score(bars=2), None, FAST_RATE)


def test_range_without_notes_and_unknown_tracks_are_bad_input() -> None:
    score = scores.quiet_sparse(bars=3)  # one short note at the start of each bar
    with pytest.raises(BadScoreError):
        render_stems(score, None, FAST_RATE, start_tick=600, end_tick=1800)
    with pytest.raises(BadInputError):
        render_stems(score, None, FAST_RATE, track_ids=["nope"])


def test_concurrent_renders_in_threads_agree(simple_score: Score,
                                             simple_stems: Stems) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_stems(simple_score, None, FAST_RATE),
                                range(4)))
    for result in results:
        for track_id, audio in simple_stems.items():
            assert np.array_equal(audio, result[track_id])


class Collector:
    """A `StemConsumer` that keeps copies of what it is handed."""

    def __init__(self) -> None:
        self.capacity = 0
        self.ranges: list[tuple[int, int]] = []
        self.parts: dict[str, list[np.ndarray]] = {}

    def start(self, frames: int) -> None:
        self.capacity = frames

    def take(self, parts: dict[str, np.ndarray], begin: int, end: int) -> None:
        self.ranges.append((begin, end))
        for track_id, part in parts.items():
            assert len(part) == end - begin
            self.parts.setdefault(track_id, []).append(part.copy())
            part[:] = 7.0  # the consumer may scribble on what it was handed


@pytest.mark.parametrize("step_seconds", [0.37, 1.0, 100.0])
@pytest.mark.parametrize("keep", [True, False])
def test_stepped_rendering_gives_the_same_stems(step_seconds: float, keep: bool) -> None:
    score = scores.tempo_change_score()
    whole = render_stems(score, None, FAST_RATE)
    length = len(next(iter(whole.values())))
    collector = Collector()
    stems, frames = render_stems_stepped(score, None, FAST_RATE, consumer=collector,
                                         keep=keep, step_seconds=step_seconds)
    assert frames == length and collector.capacity >= length
    assert collector.ranges[0][0] == 0 and collector.ranges[-1][1] == length
    assert all(a[1] == b[0] for a, b in itertools.pairwise(collector.ranges))
    for track_id, audio in whole.items():
        assert np.array_equal(np.concatenate(collector.parts[track_id]), audio)
    assert set(stems) == (set(whole) if keep else set())
