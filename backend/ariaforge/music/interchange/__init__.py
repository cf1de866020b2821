"""Reading and writing scores in interchange formats: MIDI, MusicXML (and .mxl), ABC.

A pure library (no web, database or queue imports). Every reader takes untrusted bytes,
checks their size before parsing, counts notes while converting and raises
`InterchangeError` (a ValueError with a message for people) for anything it cannot read.
"""

from ariaforge.music.interchange.abc import read_abc
from ariaforge.music.interchange.detect import Format, detect_format, read_any
from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.limits import (
    MAX_ABC_BYTES,
    MAX_MIDI_BYTES,
    MAX_MUSICXML_BYTES,
    MAX_MXL_MEMBERS,
)
from ariaforge.music.interchange.midi import read_midi, write_midi
from ariaforge.music.interchange.musicxml import read_musicxml, write_musicxml

__all__ = [
    "MAX_ABC_BYTES",
    "MAX_MIDI_BYTES",
    "MAX_MUSICXML_BYTES",
    "MAX_MXL_MEMBERS",
    "Format",
    "InterchangeError",
    "detect_format",
    "read_abc",
    "read_any",
    "read_midi",
    "read_musicxml",
    "write_midi",
    "write_musicxml",
]
