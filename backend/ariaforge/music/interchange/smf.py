"""A strict structural check of a Standard MIDI File before mido decodes it.

mido trusts the header's track count and each chunk's length, follows running status
across chunk ends and spends ~5 µs building every message, so a hostile file can make it
read garbage, raise assorted exceptions or grind through millions of events. This scan
walks the raw bytes once, cheaply: it validates the header and every chunk boundary,
checks each event's shape, counts note-ons against the note ceiling (failing as soon as it
is passed) and returns only the well-formed MTrk chunks, which mido then decodes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.limits import (
    MAX_MIDI_CHUNKS,
    MAX_MIDI_EVENTS,
    MAX_NOTES,
    NoteBudget,
)

HEADER = b"MThd"
TRACK = b"MTrk"
# Data bytes that follow each channel-message status nibble (0x8_ to 0xE_).
_DATA_BYTES = {0x8: 2, 0x9: 2, 0xA: 2, 0xB: 2, 0xC: 1, 0xD: 1, 0xE: 2}


@dataclass(frozen=True, slots=True)
class SmfLayout:
    format: int
    division: int
    tracks: tuple[bytes, ...]
    notes: int
    events: int

    def rebuilt(self) -> bytes:
        """A canonical file holding only the validated header and MTrk chunks."""
        header = struct.pack(">4sLhhh", HEADER, 6, self.format, len(self.tracks), self.division)
        chunks = b"".join(struct.pack(">4sL", TRACK, len(t)) + t for t in self.tracks)
        return header + chunks


def scan(data: bytes) -> SmfLayout:
    """Validate `data` as a Standard MIDI File; raise InterchangeError on anything wrong."""
    if not data.startswith(HEADER):
        raise InterchangeError("not a MIDI file (it does not start with 'MThd')")
    if len(data) < 14:
        raise InterchangeError("the MIDI file is truncated inside its header")
    header_length = struct.unpack_from(">L", data, 4)[0]
    if header_length < 6 or 8 + header_length > len(data):
        raise InterchangeError(f"the MIDI header claims an impossible length ({header_length})")
    fmt, declared, division = struct.unpack_from(">HHH", data, 8)
    _check_header(fmt, declared, division)
    chunks = _track_chunks(data, 8 + header_length, declared)
    budget = NoteBudget("MIDI")
    events = 0
    tracks: list[bytes] = []
    for index, chunk in enumerate(chunks):
        count, used = _scan_track(chunk, index + 1, budget, MAX_MIDI_EVENTS - events)
        events += count
        # Bytes after an end-of-track event are ignored, so mido never sees them.
        tracks.append(chunk[:used])
    return SmfLayout(fmt, division, tuple(tracks), budget.count, events)


def _check_header(fmt: int, declared: int, division: int) -> None:
    if fmt == 2:
        raise InterchangeError(
            "MIDI type 2 (independent sequences) is not supported; export as type 0 or 1"
        )
    if fmt > 2:
        raise InterchangeError(f"unknown MIDI file type {fmt}")
    if declared == 0:
        raise InterchangeError("the MIDI file declares no tracks")
    if declared > MAX_MIDI_CHUNKS:
        raise InterchangeError(
            f"the MIDI file declares {declared} tracks; at most {MAX_MIDI_CHUNKS} are accepted"
        )
    if fmt == 0 and declared != 1:
        raise InterchangeError(f"a type 0 MIDI file has one track, this one declares {declared}")
    if division & 0x8000:
        raise InterchangeError("SMPTE (frames per second) MIDI timing is not supported")
    if division == 0:
        raise InterchangeError("the MIDI header gives 0 ticks per quarter note")


def _track_chunks(data: bytes, position: int, declared: int) -> list[bytes]:
    """The payloads of the first `declared` MTrk chunks; unknown chunk types are skipped,
    as the standard asks."""
    chunks: list[bytes] = []
    while len(chunks) < declared:
        if position + 8 > len(data):
            raise InterchangeError(
                f"the MIDI file is truncated: it declares {declared} tracks but holds "
                f"{len(chunks)}"
            )
        kind, length = struct.unpack_from(">4sL", data, position)
        start = position + 8
        if start + length > len(data):
            raise InterchangeError(
                f"the MIDI file is truncated: chunk {len(chunks) + 1} claims {length} bytes, "
                f"only {len(data) - start} remain"
            )
        if kind == TRACK:
            if length == 0:
                raise InterchangeError(f"MIDI track {len(chunks) + 1} is empty (zero-length)")
            chunks.append(data[start:start + length])
        elif not all(32 <= b < 127 for b in kind):
            raise InterchangeError("the MIDI file holds garbage between its tracks")
        position = start + length
    return chunks


def _scan_track(
    chunk: bytes, number: int, budget: NoteBudget, event_room: int
) -> tuple[int, int]:
    """Walk one track's events; return how many there were and the bytes they use."""
    size = len(chunk)
    position = 0
    running = 0  # the running status byte; 0 = none yet
    events = 0
    notes = 0
    while position < size:
        events += 1
        if events > event_room:
            raise InterchangeError(f"the MIDI file has more than {MAX_MIDI_EVENTS} events")
        position = _skip_varlen(chunk, position, number)
        if position >= size:
            raise _bad(number, "ends inside an event")
        status = chunk[position]
        if status >= 0x80:
            position += 1
        elif running == 0:
            raise _bad(number, "uses running status before any status byte")
        else:
            status = running
        if status == 0xFF:
            if position >= size:
                raise _bad(number, "ends inside a meta event")
            meta_type = chunk[position]
            position = _skip_payload(chunk, position + 1, number)
            if meta_type == 0x2F:
                break  # end of track: anything after it is ignored
        elif status in (0xF0, 0xF7):
            # Sysex cancels running status (SMF 1.0), so data bytes after it are garbage.
            running = 0
            position = _skip_payload(chunk, position, number)
        elif status >= 0xF0:
            raise _bad(number, f"holds the status byte 0x{status:02X}, not allowed in a file")
        else:
            running = status
            count = _DATA_BYTES[status >> 4]
            if position + count > size:
                raise _bad(number, "ends inside a channel message")
            if chunk[position] >= 0x80 or (count == 2 and chunk[position + 1] >= 0x80):
                raise _bad(number, "has a channel message with a corrupt data byte")
            if status >> 4 == 0x9 and chunk[position + 1] > 0:
                notes += 1
                if notes > MAX_NOTES:
                    break  # budget.add below reports it
            position += count
    budget.add(notes)
    return events, position


def _skip_varlen(chunk: bytes, position: int, number: int) -> int:
    """Skip a variable-length quantity (at most four bytes)."""
    for offset in range(4):
        if position + offset >= len(chunk):
            raise _bad(number, "ends inside a variable-length number")
        if chunk[position + offset] < 0x80:
            return position + offset + 1
    raise _bad(number, "has a variable-length number longer than four bytes")


def _skip_payload(chunk: bytes, position: int, number: int) -> int:
    """Skip a length-prefixed payload (meta or sysex), checking it fits in the track."""
    length = 0
    end = _skip_varlen(chunk, position, number)
    for byte in chunk[position:end]:
        length = (length << 7) | (byte & 0x7F)
    if end + length > len(chunk):
        raise _bad(number, "has an event longer than the track")
    return end + length


def _bad(number: int, what: str) -> InterchangeError:
    return InterchangeError(f"MIDI track {number} is corrupt: it {what}")
