"""Chord sequences for harmony windows: symbols to (root, quality class), and chords
labelled from a chords/pad track when a score has no chord symbols."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ariaforge.music.score import Key, Note
from ariaforge.music.theory.chords import (
    ChordParseError,
    ChordQuality,
    parse_chord_symbol,
    recognize_chord,
)

# Quality classes a listener tells apart in a progression; colour tones (6, 9, add9) do
# not make a different progression.
_CLASSES: Final[dict[ChordQuality, int]] = {
    ChordQuality.MAJOR: 0, ChordQuality.MAJOR_6: 0, ChordQuality.ADD9: 0,
    ChordQuality.MAJOR_7: 0, ChordQuality.MAJOR_9: 0,
    ChordQuality.MINOR: 1, ChordQuality.MINOR_6: 1, ChordQuality.MINOR_7: 1,
    ChordQuality.MINOR_9: 1, ChordQuality.MINOR_MAJOR_7: 1,
    ChordQuality.DOMINANT_7: 2, ChordQuality.DOMINANT_9: 2, ChordQuality.DOMINANT_11: 2,
    ChordQuality.DOMINANT_13: 2, ChordQuality.SEVEN_SUS4: 2,
    ChordQuality.DIMINISHED: 3, ChordQuality.DIMINISHED_7: 3,
    ChordQuality.HALF_DIMINISHED_7: 3,
    ChordQuality.AUGMENTED: 4, ChordQuality.SUS2: 5, ChordQuality.SUS4: 5,
}
UNKNOWN_CLASS: Final = 6


@dataclass(frozen=True)
class ChordEvent:
    root: int  # pitch class
    quality: int  # quality class
    start: int
    duration: int
    label: str


def chord_class(label: str) -> tuple[int, int] | None:
    """(root pitch class, quality class) of a chord symbol; None when it does not parse."""
    try:
        chord = parse_chord_symbol(label)
    except (ChordParseError, ValueError):
        return None
    return chord.root_pc, _CLASSES.get(chord.quality, UNKNOWN_CLASS)


def chord_events(symbols: Sequence[tuple[int, str]], end: int) -> list[ChordEvent]:
    """Events from (tick, symbol) in time order, each lasting to the next or to `end`;
    unreadable symbols are dropped and a repeated chord extends the one before."""
    events: list[ChordEvent] = []
    ordered = sorted(symbols, key=lambda item: item[0])
    for index, (tick, label) in enumerate(ordered):
        found = chord_class(label)
        if found is None:
            continue
        following = ordered[index + 1][0] if index + 1 < len(ordered) else max(end, tick + 1)
        if events and events[-1].label == label:
            last = events[-1]
            events[-1] = ChordEvent(last.root, last.quality, last.start,
                                    max(following, tick + 1) - last.start, label)
            continue
        events.append(ChordEvent(found[0], found[1], tick, max(following - tick, 1), label))
    return events


def label_track_chords(notes: Sequence[Note], key: Key | None) -> list[tuple[int, str]]:
    """(tick, symbol) at each onset of a chords/pad track where what sounds is a chord."""
    ordered = sorted(notes, key=lambda n: n.start)
    starts = [n.start for n in ordered]
    longest = max((n.duration for n in ordered), default=0)
    labelled: list[tuple[int, str]] = []
    for tick in sorted(set(starts)):
        first, last = bisect_left(starts, tick - longest), bisect_right(starts, tick)
        sounding = [n.pitch for n in ordered[first:last] if tick < n.start + n.duration]
        if len({p % 12 for p in sounding}) < 3:
            continue
        chord = recognize_chord(sounding, key)
        if chord is not None and (not labelled or labelled[-1][1] != chord.symbol):
            labelled.append((tick, chord.symbol))
    return labelled
