"""Windows over bars: per track and size, hops, relative notes, harmony, phrases."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from ariaforge.composer.run import compose
from ariaforge.music.score import ChordSymbol, Note, Role, Score, Track
from ariaforge.music.similarity import (
    WINDOW_BARS,
    embed_melody,
    hop_of,
    line_windows,
    phrase_window,
    phrase_windows,
    score_windows,
)

BAR = 1920  # 4/4


def scale_line(bars: int, per_bar: int = 4) -> list[tuple[int, int, int]]:
    step = BAR // per_bar
    return [(60 + (i * 3) % 13, i * step, step) for i in range(bars * per_bar)]


def test_line_windows_start_on_their_hops_and_cover_the_line() -> None:
    windows = line_windows(scale_line(16), BAR)
    starts: dict[int, list[int]] = {}
    for window in windows:
        starts.setdefault(window.bars, []).append(window.start_bar)
    assert starts[2] == list(range(1, 16))
    assert starts[4] == list(range(1, 14, 2))
    assert starts[8] == [1, 5, 9]
    assert hop_of(2) == 1 and hop_of(4) == 2 and hop_of(8) == 4


def test_window_notes_are_relative_to_the_window_and_inside_it() -> None:
    line = scale_line(8)
    for window in line_windows(line, BAR, (4,)):
        origin = (window.start_bar - 1) * BAR
        expected = [(p, s - origin, d) for p, s, d in line if origin <= s < origin + 4 * BAR]
        assert window.notes == expected
        assert window.kind == "melody" and window.labels == []
        alone = embed_melody(window.notes)
        assert alone is not None
        np.testing.assert_allclose(window.embedding, alone, atol=1e-6)


def test_bars_with_too_few_notes_give_no_window() -> None:
    sparse = [(60, 0, 480), (62, 480, 480), (64, 960, 480)] + [
        (p, 4 * BAR + i * 480, 480) for i, p in enumerate((60, 62, 64, 65, 67, 69, 71, 72))]
    windows = line_windows(sparse, BAR, (2,))
    assert [w.start_bar for w in windows] == [4, 5]
    assert line_windows(sparse[:3], BAR) == []


def test_a_composed_score_gives_windows_per_track_and_size() -> None:
    score = compose("a folk tune in D major, 16 bars, seed 5").score
    windows = score_windows(score)
    pitched = [t for t in score.tracks if not t.is_drum and len(t.notes) >= 4]
    melody_tracks = {w.track_id for w in windows if w.kind == "melody"}
    assert melody_tracks <= {t.id for t in pitched}
    melody = next(t for t in score.tracks if t.role == Role.MELODY)
    assert melody.id in melody_tracks
    for window in windows:
        assert window.bars in WINDOW_BARS
        assert 1 <= window.start_bar <= score.bars - window.bars + 1
        assert (window.start_bar - 1) % hop_of(window.bars) == 0
        assert len(window.notes) >= (4 if window.kind == "melody" else 2)
        assert all(0 <= start < window.bars * BAR for _, start, _ in window.notes)
    ours = [w for w in windows if w.track_id == melody.id]
    counts = Counter(w.bars for w in ours)
    assert counts[8] >= 2 and counts[4] >= 5 and counts[2] >= 10
    # the window's notes are the track's own notes in those bars (top voice per onset)
    window = next(w for w in ours if w.bars == 4 and w.start_bar == 5)
    origin = score.bar_start(5)
    inside = sorted((n.start - origin, n.pitch) for n in melody.notes
                    if origin <= n.start < origin + 4 * BAR)
    assert sorted((s, p) for p, s, _ in window.notes) == [
        (s, max(p for t, p in inside if t == s)) for s in sorted({s for s, _ in inside})]
    assert any(w.kind == "harmony" for w in windows)


def test_harmony_windows_come_from_chord_symbols() -> None:
    melody = Track(id="mel", name="Melody", role=Role.MELODY, notes=[
        Note(pitch=p, start=s, duration=d) for p, s, d in scale_line(4)])
    symbols = [ChordSymbol(tick=t * BAR, symbol=s) for t, s in enumerate(("C", "Am7", "F", "G7"))]
    score = Score(bars=4, chord_symbols=symbols, tracks=[melody])
    harmony = [w for w in score_windows(score) if w.kind == "harmony"]
    by_size = {(w.bars, w.start_bar): w for w in harmony}
    assert set(by_size) == {(2, 1), (2, 2), (2, 3), (4, 1)}
    whole = by_size[(4, 1)]
    assert whole.labels == ["C", "Am7", "F", "G7"]
    assert whole.notes == [(0, 0, BAR), (9, BAR, BAR), (5, 2 * BAR, BAR), (7, 3 * BAR, BAR)]
    assert whole.track_id is None
    assert by_size[(2, 2)].labels == ["Am7", "F"]


def test_harmony_is_labelled_from_the_chords_track_without_symbols() -> None:
    voicings = ((60, 64, 67), (57, 60, 64), (53, 57, 60), (55, 59, 62, 65))
    notes = [Note(pitch=p, start=bar * BAR, duration=BAR)
             for bar, chord in enumerate(voicings) for p in chord]
    score = Score(bars=4, tracks=[Track(id="keys", name="Piano", role=Role.CHORDS, notes=notes)])
    harmony = [w for w in score_windows(score) if w.kind == "harmony" and w.bars == 4]
    assert len(harmony) == 1
    assert harmony[0].labels == ["C", "Am", "F", "G7"]
    assert harmony[0].track_id == "keys"


def test_drum_tracks_give_no_windows() -> None:
    drums = Track(id="dr", name="Drums", role=Role.DRUMS, is_drum=True, notes=[
        Note(pitch=36 + i % 3, start=i * 480, duration=120) for i in range(32)])
    assert score_windows(Score(bars=8, tracks=[drums])) == []


def test_phrase_windows_cut_unbarred_input_by_note_count() -> None:
    notes = scale_line(10)  # 40 notes
    windows = phrase_windows(notes, size=16, hop=8)
    assert [len(w.notes) for w in windows] == [16, 16, 16, 16]
    assert all(w.bars == 0 and w.start_bar == 0 and w.notes[0][1] == 0 for w in windows)
    assert windows[-1].notes[-1][0] == notes[-1][0]  # the tail is covered
    whole = phrase_window(notes)
    assert whole is not None and len(whole.notes) == 40 and whole.bars == 0
    assert phrase_window(notes[:3]) is None
    with pytest.raises(ValueError, match="size"):
        phrase_windows(notes, size=2)
