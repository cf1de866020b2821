"""Which reader a file needs: magic bytes first, the file name's extension second."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal

from ariaforge.music.interchange.abc import read_abc
from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.midi import read_midi
from ariaforge.music.interchange.musicxml import ZIP_MAGIC, read_musicxml
from ariaforge.music.score import Score

Format = Literal["midi", "musicxml", "mxl", "abc"]

_EXTENSIONS: dict[str, Format] = {
    ".mid": "midi", ".midi": "midi", ".smf": "midi", ".kar": "midi",
    ".musicxml": "musicxml", ".xml": "musicxml", ".mxl": "mxl", ".abc": "abc",
}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SNIFF = 4096
# An ABC file opens with %abc or X:, or at least has header fields ending in K:.
_ABC_START = re.compile(rb"\A\s*(%abc|X:)")
_ABC_KEY = re.compile(rb"^K:", re.MULTILINE)
_ABC_FIELD = re.compile(rb"^[A-Za-z]:", re.MULTILINE)


def detect_format(filename: str | None, data: bytes) -> Format:
    """The format of `data`, from its first bytes or, failing that, `filename`."""
    found = _by_magic(data)
    if found is not None:
        return found
    if filename:
        suffix = PurePath(filename).suffix.lower()
        if suffix in _EXTENSIONS:
            return _EXTENSIONS[suffix]
    raise InterchangeError(
        "unrecognised file: expected MIDI (.mid), MusicXML (.musicxml, .xml, .mxl) or ABC (.abc)"
    )


def _by_magic(data: bytes) -> Format | None:
    if data.startswith(b"MThd"):
        return "midi"
    if data.startswith(ZIP_MAGIC):
        return "mxl"
    head = data[:_SNIFF]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if b"score-partwise" in head or b"score-timewise" in head:
        return "musicxml"
    if head.lstrip().startswith(b"<"):
        return "musicxml"
    if _ABC_START.match(head) or (_ABC_KEY.search(head) and _ABC_FIELD.search(head)):
        return "abc"
    return None


def read_any(filename: str | None, data: bytes) -> Score:
    """Read a MIDI, MusicXML (plain or .mxl) or ABC file into a Score."""
    found = detect_format(filename, data)
    if found == "midi":
        return read_midi(data)
    if found == "abc":
        return read_abc(data)
    return read_musicxml(data)
