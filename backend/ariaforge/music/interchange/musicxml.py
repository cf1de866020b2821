"""MusicXML (.musicxml/.xml text and compressed .mxl) ⇄ Score.

Reading goes through music21's MusicXML importer (a well-kept, widely used parser) and
the shared music21 → Score conversion (`from_music21`). Before music21 sees anything:

* the input and, for .mxl, the archive's uncompressed contents are held to 16 MiB, with a
  member-count ceiling and a streaming read that stops at the limit, whatever sizes the
  archive claims (zip bombs);
* the XML is parsed with defusedxml, which refuses entity declarations (billion laughs)
  and external entities, and the tree (not the text) is handed to music21;
* parts, notes and measures are counted on the tree, so an oversized score fails fast.

MusicXML settings music21 drops are read from the tree: each part's <midi-instrument>
program, channel (10 = drums), volume and pan. music21 keeps only a part's first
instrument, so a drum part with one <instrument> per drum (as `write_musicxml` writes
it) would lose which drum each note is: an <unpitched> note naming an instrument with a
<midi-unpitched> key is turned into a pitched note on that key before music21 reads it.

Writing is `musicxml_writer.write_musicxml` (see there for why it is hand-written).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, ParseError, SubElement

import defusedxml
import defusedxml.ElementTree

from ariaforge.music.interchange.assembly import PartHints
from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.limits import (
    MAX_BARS,
    MAX_MUSICXML_BYTES,
    MAX_MXL_MEMBERS,
    MAX_NOTES,
    MAX_TRACKS,
    check_size,
)
from ariaforge.music.interchange.musicxml_writer import write_musicxml
from ariaforge.music.score import Score

if TYPE_CHECKING:
    from music21 import stream

__all__ = ["read_musicxml", "unpack_mxl", "write_musicxml"]

ZIP_MAGIC = b"PK\x03\x04"
_CONTAINER = "META-INF/container.xml"
_CONTAINER_LIMIT = 64 * 1024
_WHAT = "MusicXML"


def read_musicxml(data: bytes) -> Score:
    """Parse MusicXML text or a compressed .mxl archive into a Score (see module notes)."""
    check_size(data, MAX_MUSICXML_BYTES, _WHAT)
    xml = unpack_mxl(data) if data.startswith(ZIP_MAGIC) else data
    root = parse_xml(xml)
    _check_tree(root)
    hints = _part_hints(root)
    _sound_drum_keys(root)
    # Imported here: music21 takes a noticeable time to import and only readers need it.
    from ariaforge.music.interchange.from_music21 import guarded, score_from_music21

    parsed = guarded(_WHAT, lambda: _music21_score(root))
    return guarded(_WHAT, lambda: score_from_music21(parsed, _WHAT, hints))


# --- safe XML ---------------------------------------------------------------------


def parse_xml(xml: bytes) -> Element:
    """Parse untrusted XML: no entity declarations, no external entities or DTD fetches."""
    try:
        root: Element = defusedxml.ElementTree.fromstring(
            xml, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise InterchangeError(
            "the MusicXML file declares XML entities or external references, which are "
            "refused for safety"
        ) from exc
    except ParseError as exc:
        raise InterchangeError(f"the MusicXML file is not well-formed XML: {exc}") from exc
    return root


def _check_tree(root: Element) -> None:
    if root.tag == "score-timewise":
        raise InterchangeError("timewise MusicXML is not supported; export it as partwise")
    if root.tag != "score-partwise":
        raise InterchangeError(f"not a MusicXML score (the root element is <{root.tag}>)")
    parts = root.findall("part")
    if not parts:
        raise InterchangeError("the MusicXML file has no parts")
    if len(parts) > MAX_TRACKS:
        raise InterchangeError(
            f"the MusicXML file has {len(parts)} parts; a score holds at most {MAX_TRACKS}"
        )
    sounding = 0
    for part in parts:
        measures = part.findall("measure")
        if len(measures) > MAX_BARS:
            raise InterchangeError(
                f"the MusicXML file has {len(measures)} measures; a score holds at most "
                f"{MAX_BARS} bars"
            )
        for measure in measures:
            sounding += sum(1 for note in measure.iter("note") if note.find("rest") is None)
        if sounding > MAX_NOTES:
            raise InterchangeError(
                f"the MusicXML file has more than {MAX_NOTES} notes, the most a score may hold"
            )


def _music21_score(root: Element) -> stream.Score:
    from music21.musicxml.xmlToM21 import MusicXMLImporter

    importer = MusicXMLImporter()  # type: ignore[no-untyped-call]
    importer.xmlRootToScore(root, importer.stream)  # type: ignore[no-untyped-call]
    parsed: stream.Score = importer.stream
    return parsed


# --- <midi-instrument> ------------------------------------------------------------


def _part_hints(root: Element) -> dict[str, PartHints]:
    hints: dict[str, PartHints] = {}
    for score_part in root.iter("score-part"):
        midi = score_part.find("midi-instrument")
        part_id = score_part.get("id")
        if midi is None or part_id is None:
            continue
        program = _number(midi.findtext("midi-program"))
        volume = _number(midi.findtext("volume"))
        pan = _number(midi.findtext("pan"))
        hints[part_id] = PartHints(
            program=None if program is None else int(min(max(program - 1, 0), 127)),
            volume=None if volume is None else round(min(max(volume, 0), 100) * 127 / 100),
            pan=None if pan is None else round(min(max(pan, -90), 90) * 64 / 90),
            drum=_number(midi.findtext("midi-channel")) == 10
            or midi.find("midi-unpitched") is not None,
        )
    return {part_id: _fit_pan(hint) for part_id, hint in hints.items()}


def _sound_drum_keys(root: Element) -> None:
    """Give each unpitched note that names a drum instrument that drum's GM key as its
    pitch (in place), so the reader keeps the drum rather than where it is drawn."""
    keys: dict[str, int] = {}
    for midi in root.iter("midi-instrument"):
        number = _number(midi.findtext("midi-unpitched"))
        instrument_id = midi.get("id")
        if number is not None and instrument_id and 1 <= number <= 128:
            keys[instrument_id] = int(number) - 1  # MusicXML counts keys from 1
    if not keys:
        return
    for note in root.iter("note"):
        unpitched = note.find("unpitched")
        instrument = note.find("instrument")
        key = keys.get(instrument.get("id", "")) if instrument is not None else None
        if unpitched is None or key is None:
            continue
        pitch = Element("pitch")
        step, alter, octave = _SHARPS[key % 12], 0, key // 12 - 1
        if len(step) > 1:
            step, alter = step[0], 1
        SubElement(pitch, "step").text = step
        if alter:
            SubElement(pitch, "alter").text = str(alter)
        SubElement(pitch, "octave").text = str(octave)
        index = list(note).index(unpitched)
        note.remove(unpitched)
        note.insert(index, pitch)


_SHARPS = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def _fit_pan(hint: PartHints) -> PartHints:
    if hint.pan is not None and hint.pan > 63:
        return PartHints(hint.program, hint.volume, 63, hint.drum)
    return hint


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


# --- .mxl -------------------------------------------------------------------------


def unpack_mxl(data: bytes) -> bytes:
    """The score inside a compressed MusicXML archive, read with zip-bomb guards."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MXL_MEMBERS:
                raise InterchangeError(
                    f"the .mxl archive has {len(members)} files; at most {MAX_MXL_MEMBERS} "
                    "are accepted"
                )
            if sum(member.file_size for member in members) > MAX_MUSICXML_BYTES:
                raise InterchangeError(_too_big())
            return _read_member(archive, _root_file(archive), MAX_MUSICXML_BYTES)
    except InterchangeError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError, KeyError, ValueError) as exc:
        raise InterchangeError("the .mxl archive is damaged or uses an unsupported "
                               "compression") from exc


def _root_file(archive: zipfile.ZipFile) -> str:
    """The score's name: from META-INF/container.xml, else the first XML file."""
    names = archive.namelist()
    if _CONTAINER in names:
        container = parse_xml(_read_member(archive, _CONTAINER, _CONTAINER_LIMIT))
        for element in container.iter():
            path = element.get("full-path")
            if element.tag.endswith("rootfile") and path in names:
                return path
    for name in names:
        if not name.startswith("META-INF/") and name.lower().endswith((".xml", ".musicxml")):
            return name
    raise InterchangeError("the .mxl archive holds no MusicXML score")


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Decompress at most `limit` bytes: the sizes an archive declares may lie."""
    with archive.open(name) as member:
        content = member.read(limit + 1)
    if len(content) > limit:
        raise InterchangeError(_too_big())
    return content


def _too_big() -> str:
    return f"the .mxl archive unpacks to more than {MAX_MUSICXML_BYTES // (1024 * 1024)} MiB"
