"""Ceilings that keep hostile or absurd files from exhausting memory or time.

Every reader checks the byte size before parsing anything and counts notes while it
converts, so an oversized file fails fast with a clear message.
"""

from __future__ import annotations

from ariaforge.music import score
from ariaforge.music.interchange.errors import InterchangeError

MIB = 1024 * 1024
MAX_MIDI_BYTES = 4 * MIB
# Applies to plain MusicXML and to the *uncompressed* contents of a .mxl archive.
MAX_MUSICXML_BYTES = 16 * MIB
# A real .mxl holds the score, META-INF/container.xml and perhaps a few images.
MAX_MXL_MEMBERS = 64
MAX_ABC_BYTES = 1 * MIB

MAX_NOTES = score.MAX_NOTES
MAX_TRACKS = score.MAX_TRACKS
MAX_BARS = score.MAX_BARS
MAX_TICK = score.MAX_TICK

# MIDI files carry more than notes (controllers, pitch bends); this caps the work the
# decoder does on a file made of nothing but events.
MAX_MIDI_EVENTS = 1_000_000
# Chunks in a Standard MIDI File: a conductor track plus one per Score track, with room
# for files that keep every channel in its own chunk.
MAX_MIDI_CHUNKS = 4 * MAX_TRACKS


def check_size(data: bytes | str, limit: int, what: str) -> None:
    """Refuse empty input and input over `limit` bytes before any parsing starts."""
    size = len(data)
    if isinstance(data, str) and size <= limit:
        # Characters can take several bytes; a text already over the limit in characters
        # is refused without encoding it.
        size = len(data.encode("utf-8", errors="replace"))
    if size == 0:
        raise InterchangeError(f"the {what} file is empty")
    if size > limit:
        raise InterchangeError(
            f"the {what} file is {size / MIB:.1f} MiB; the limit is {limit / MIB:.0f} MiB"
        )


class NoteBudget:
    """Counts notes as a reader converts them and stops at the score's ceiling."""

    def __init__(self, what: str, limit: int = MAX_NOTES) -> None:
        self.what = what
        self.limit = limit
        self.count = 0

    def add(self, notes: int = 1) -> None:
        self.count += notes
        if self.count > self.limit:
            raise InterchangeError(
                f"the {self.what} file has more than {self.limit} notes, the most a score "
                "may hold"
            )
