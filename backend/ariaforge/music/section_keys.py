"""Where a score changes key: sections with a key of their own (`Section.key`), as tick
spans and as the bars where each new key starts. Every reader that needs the key at a
point (validation, MusicXML and MIDI export, engraving) asks here, so a modulated chorus
is judged and written in its own key."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ariaforge.music.score import Key, Score

__all__ = ["KeyMap", "key_changes"]


def key_changes(score: Score) -> list[tuple[int, Key]]:
    """(1-based bar, key) wherever the key in force changes after bar 1, in bar order:
    at the start of a section with its own key, and back to the score's key after it.
    Sections are taken in bar order; bars no section covers are in the score's key."""
    changes: list[tuple[int, Key]] = []
    current = score.key
    bar = 1
    for section in sorted(score.sections, key=lambda s: s.start_bar):
        if section.start_bar > bar and current != score.key:  # a gap: the score's key
            changes.append((bar, score.key))
            current = score.key
        key = section.key or score.key
        if key != current and section.start_bar <= score.bars:
            changes.append((section.start_bar, key))
            current = key
        bar = max(bar, section.end_bar)
    if current != score.key and bar <= score.bars:
        changes.append((bar, score.key))
    return changes  # a first section in a key of its own gives a change at bar 1


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
