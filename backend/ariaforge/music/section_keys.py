"""Where a score changes key: sections with a key of their own (`Section.key`), as tick
spans and as the bars where each new key starts. Every reader that needs the key at a
point (validation, MusicXML and MIDI export, engraving) asks here, so a modulated chorus
is judged and written in its own key."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ariaforge.music.score import Key, Score

__all__ = ["KeyMap", "key_changes", "keys_by_bar"]


def keys_by_bar(score: Score) -> list[Key]:
    """The key in force in each bar (index 0 is bar 1).

    The rule: a bar is in the key of the innermost keyed section covering it, the one
    that starts latest (on a tie, the shorter one; then the later in the list). A section
    without a key changes nothing, so one nested in a keyed section stays in the outer
    key, and the outer key returns after a keyed section nested in it; only bars outside
    every keyed section are in the score's key."""
    keys = [score.key] * score.bars
    keyed = [(s.start_bar, -s.bars, index, s.key) for index, s in enumerate(score.sections)
             if s.key is not None]
    # Painted outer first, so each inner section overwrites only its own bars.
    for start, minus_bars, _, key in sorted(keyed, key=lambda item: item[:3]):
        first, end = start - 1, min(start - minus_bars - 1, score.bars)
        if first < end:
            keys[first:end] = [key] * (end - first)
    return keys


def key_changes(score: Score) -> list[tuple[int, Key]]:
    """(1-based bar, key) wherever the key in force (`keys_by_bar`) changes, in bar
    order; a first bar in a key other than the score's gives a change at bar 1."""
    changes: list[tuple[int, Key]] = []
    current = score.key
    for bar, key in enumerate(keys_by_bar(score), start=1):
        if key != current:
            changes.append((bar, key))
            current = key
    return changes


@dataclass(frozen=True)
class KeyMap:
    """The key in force at any tick."""

    home: Key
    starts: tuple[int, ...]  # ticks where a key starts, ascending (0 first)
    keys: tuple[Key, ...]

    @classmethod
    def of(cls, score: Score) -> KeyMap:
        starts, keys = [0], [score.key]
        for bar, key in key_changes(score):
            tick = score.bar_start(bar)
            if tick == starts[-1]:
                keys[-1] = key
            else:
                starts.append(tick)
                keys.append(key)
        return cls(score.key, tuple(starts), tuple(keys))

    @property
    def modulates(self) -> bool:
        return any(key != self.home for key in self.keys)

    def at(self, tick: int) -> Key:
        return self.keys[max(0, bisect_right(self.starts, tick) - 1)]
