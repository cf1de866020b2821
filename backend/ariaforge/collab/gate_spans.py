"""A track's notes ordered by start, for the gate's check of notes sounding together."""

from __future__ import annotations

from bisect import bisect_left, insort

from ariaforge.music.score import Note


class Spans:
    """A track's notes by start, to find the notes overlapping a span without a scan."""

    def __init__(self, notes: dict[str, Note]) -> None:
        self.starts = sorted((note.start, note_id) for note_id, note in notes.items())
        self.longest = max((note.duration for note in notes.values()), default=0)

    def overlapping(self, notes: dict[str, Note], low: int, high: int) -> list[str]:
        first = bisect_left(self.starts, (low - self.longest, ""))
        last = bisect_left(self.starts, (high, ""))
        return [note_id for start, note_id in self.starts[first:last]
                if note_id in notes and start + notes[note_id].duration > low]

    def remove(self, note_id: str, note: Note) -> None:
        index = bisect_left(self.starts, (note.start, note_id))
        if index < len(self.starts) and self.starts[index] == (note.start, note_id):
            del self.starts[index]

    def add(self, note_id: str, note: Note) -> None:
        insort(self.starts, (note.start, note_id))
        self.longest = max(self.longest, note.duration)
