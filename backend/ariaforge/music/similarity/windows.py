"""Windows: the bars of one line (or of the harmony) that are compared as a unit.

Melody windows are 2, 4 and 8 bars long, every track separately; a 2-bar window starts
at every bar, a 4-bar one every 2 bars and an 8-bar one every 4, so a copied phrase that
starts on any bar line is covered by a window that starts with it (2 bars) or within a
bar of it. Audio and hummed input has no bars: it is cut into note-count windows.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np

from ariaforge.music.score import Role, Score
from ariaforge.music.similarity.embedding import (
    MIN_NOTES,
    NoteTuple,
    Vector,
    embed_harmony,
    embed_line,
    line_tokens,
    melody_line,
)
from ariaforge.music.similarity.harmony import ChordEvent, chord_events, label_track_chords

WINDOW_BARS: Final = (2, 4, 8)
HARMONY_TRACK_ROLES: Final = (Role.CHORDS, Role.PAD)


def hop_of(bars: int) -> int:
    """Bars between the starts of consecutive windows of `bars` bars."""
    return max(1, bars // 2)


@dataclass(frozen=True)
class Window:
    kind: Literal["melody", "harmony"]
    bars: int  # 2, 4 or 8; 0 for a phrase from audio or humming
    start_bar: int  # 1-based; 0 for phrases
    track_id: str | None
    track_name: str
    # (pitch, start relative to the window, duration); harmony: (root pitch class, start,
    # duration) per chord
    notes: list[NoteTuple]
    labels: list[str]  # harmony: chord symbols; melody: []
    embedding: Vector = field(compare=False, repr=False)


def _relative(line: Sequence[NoteTuple], origin: int, end: int | None) -> list[NoteTuple]:
    out = []
    for pitch, start, duration in line:
        length = duration if end is None else min(duration, end - start)
        out.append((pitch, start - origin, max(length, 1)))
    return out


def _uniform_bar_starts(bar_ticks: int, until: int) -> list[int]:
    count = max(1, -(-until // bar_ticks))
    return [bar * bar_ticks for bar in range(count + 1)]


def _melody_windows(line: Sequence[NoteTuple], bar_starts: Sequence[int], sizes: Sequence[int],
                    track_id: str | None, track_name: str) -> list[Window]:
    """Windows of a line over bars whose start ticks are `bar_starts` (bar 1 first, one
    extra entry for the end of the last bar)."""
    starts = [note[1] for note in line]
    tokens = line_tokens(line)
    total = len(bar_starts) - 1
    windows: list[Window] = []
    for size in sizes:
        for bar in range(1, total - size + 2, hop_of(size)):  # windows that fit
            begin = bar_starts[bar - 1]
            end = bar_starts[bar - 1 + size]
            first, stop = bisect_left(starts, begin), bisect_left(starts, end)
            vector = tokens.embed(first, stop)
            if vector is None:
                continue
            windows.append(Window("melody", size, bar, track_id, track_name,
                                  _relative(line[first:stop], begin, end), [], vector))
    return windows


def _harmony_windows(events: Sequence[ChordEvent], bar_starts: Sequence[int], tonic: int,
                     sizes: Sequence[int], track_id: str | None, track_name: str
                     ) -> list[Window]:
    total = len(bar_starts) - 1
    windows: list[Window] = []
    for size in sizes:
        for bar in range(1, total - size + 2, hop_of(size)):  # windows that fit
            begin = bar_starts[bar - 1]
            end = bar_starts[bar - 1 + size]
            # The chord sounding at the window's start counts: it is what is heard there.
            chunk = [e for e in events if e.start < end and e.start + e.duration > begin]
            vector = embed_harmony([e.root for e in chunk], [e.quality for e in chunk], tonic)
            if vector is None:
                continue
            notes = [(e.root, max(e.start, begin) - begin,
                      min(e.start + e.duration, end) - max(e.start, begin)) for e in chunk]
            windows.append(Window("harmony", size, bar, track_id, track_name, notes,
                                  [e.label for e in chunk], vector))
    return windows


def line_windows(notes: Sequence[NoteTuple], bar_ticks: int, bars: Sequence[int] = WINDOW_BARS,
                 *, track_id: str | None = None, track_name: str = "") -> list[Window]:
    """Melody windows of one line in a constant meter; bar 1 starts at tick 0."""
    if bar_ticks <= 0:
        raise ValueError("bar_ticks must be positive")
    line = melody_line(notes)
    if len(line) < MIN_NOTES:
        return []
    bar_starts = _uniform_bar_starts(bar_ticks, line[-1][1] + 1)
    return _melody_windows(line, bar_starts, bars, track_id, track_name)


def chord_windows(chords: Sequence[tuple[int, str]], bar_ticks: int, tonic: int,
                  bars: Sequence[int] = WINDOW_BARS, *, end: int | None = None,
                  track_id: str | None = None, track_name: str = "") -> list[Window]:
    """Harmony windows from (tick, chord symbol) in a constant meter; `end`: the tick at
    which the last chord stops (default: the end of its bar)."""
    if bar_ticks <= 0:
        raise ValueError("bar_ticks must be positive")
    if not chords:
        return []
    last = max(tick for tick, _ in chords)
    stop = end if end is not None else (last // bar_ticks + 1) * bar_ticks
    events = chord_events(chords, stop)
    return _harmony_windows(events, _uniform_bar_starts(bar_ticks, stop), tonic, bars,
                            track_id, track_name)


def score_windows(score: Score, bars: Sequence[int] = WINDOW_BARS) -> list[Window]:
    """Melody windows of every non-drum track with notes (a chordal track: its top
    voice) and harmony windows from the chord symbols, or, where a score has none, from
    chords labelled in its first chords (or pad) track."""
    bar_starts = [score.bar_start(bar) for bar in range(1, score.bars + 2)]
    windows: list[Window] = []
    for track in score.tracks:
        if track.is_drum or not track.notes:
            continue
        line = melody_line([(n.pitch, n.start, n.duration) for n in track.notes])
        windows += _melody_windows(line, bar_starts, bars, track.id, track.name)
    tonic = _tonic(score)
    end = bar_starts[-1]
    if score.chord_symbols:
        events = chord_events([(c.tick, c.symbol) for c in score.chord_symbols], end)
        windows += _harmony_windows(events, bar_starts, tonic, bars, None, "Chords")
        return windows
    for role in HARMONY_TRACK_ROLES:
        for track in score.tracks:
            if track.role == role and not track.is_drum and track.notes:
                events = chord_events(label_track_chords(track.notes, score.key), end)
                found = _harmony_windows(events, bar_starts, tonic, bars, track.id, track.name)
                if found:
                    return windows + found
    return windows


def _tonic(score: Score) -> int:
    from ariaforge.music.theory.pitch import pitch_class_of_name

    return pitch_class_of_name(score.key.tonic)


def _phrase(line: Sequence[NoteTuple]) -> Window | None:
    vector = embed_line(line)
    if vector is None:
        return None
    return Window("melody", 0, 0, None, "", _relative(line, line[0][1], None), [], vector)


def phrase_window(notes: Sequence[NoteTuple]) -> Window | None:
    """A whole hummed, played or transcribed phrase as one window (bars = 0)."""
    return _phrase(melody_line(notes))


def phrase_windows(notes: Sequence[NoteTuple], size: int = 16, hop: int = 8) -> list[Window]:
    """Windows of `size` notes every `hop` notes over long unbarred input (audio); the
    tail is covered by a last window that ends with the last note."""
    if size < MIN_NOTES or hop < 1:
        raise ValueError(f"size must be at least {MIN_NOTES} and hop at least 1")
    line = melody_line(notes)
    if len(line) < MIN_NOTES:
        return []
    firsts = list(range(0, max(1, len(line) - size + 1), hop))
    if firsts[-1] + size < len(line):
        firsts.append(len(line) - size)
    windows = [_phrase(line[first:first + size]) for first in firsts]
    return [window for window in windows if window is not None]


def stack(windows: Sequence[Window]) -> np.ndarray:
    """The embeddings as one (n, DIMENSIONS) float32 matrix."""
    from ariaforge.music.similarity.embedding import DIMENSIONS

    if not windows:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([window.embedding for window in windows])
