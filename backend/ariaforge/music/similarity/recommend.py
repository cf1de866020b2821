"""Which bars to vary: flagged windows merged into bar ranges, one range per passage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ariaforge.music.similarity.windows import Window


@dataclass(frozen=True)
class BarRange:
    track_id: str | None
    track_name: str
    start_bar: int
    bars: int
    score: float  # the highest score among the windows merged into it


def recommend(flagged: Iterable[tuple[Window, float]]) -> list[BarRange]:
    """Merge overlapping or touching (window, score) pairs of the same track into bar
    ranges, highest score first. Phrase windows (no bars) are left out."""
    by_track: dict[tuple[str | None, str], list[tuple[int, int, float]]] = {}
    for window, score in flagged:
        if window.bars <= 0:
            continue
        key = (window.track_id, window.track_name)
        by_track.setdefault(key, []).append(
            (window.start_bar, window.start_bar + window.bars, score))
    ranges: list[BarRange] = []
    for (track_id, name), spans in by_track.items():
        spans.sort()
        first, end, best = spans[0]
        for start, stop, score in spans[1:]:
            if start <= end:
                end, best = max(end, stop), max(best, score)
                continue
            ranges.append(BarRange(track_id, name, first, end - first, best))
            first, end, best = start, stop, score
        ranges.append(BarRange(track_id, name, first, end - first, best))
    ranges.sort(key=lambda r: (-r.score, r.start_bar))
    return ranges
