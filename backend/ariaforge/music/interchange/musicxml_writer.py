"""Score → MusicXML 4.0 (partwise), written by hand with ElementTree, as notation.

The file is what a musician reads, not a performance log: `ariaforge.music.notation`
first turns the score's timing into written rhythm (`notate`: swing written as straight
eighths under a "Swing" marking, humanised starts and legato gaps snapped to the track's
grid, triplets where the music has them; a score already on the grid keeps its exact
ticks). MIDI export keeps the performance timing.

Why not music21's exporter: building a music21 stream and exporting it re-notates the
music in its own way, may add or drop elements, and takes ~0.2 s for a chorale. Writing
the XML directly keeps the output deterministic: `divisions` is 480, so every <duration>
is a tick count; every voice of every measure adds up to its bar (rests fill the gaps,
notes are cut at barlines and tied); values are split where the meter says
(`notation.split`), beamed by beat (`notation.beams`), and triplet beats carry
<time-modification> and <tuplet> brackets.

Layout: one part per track (a placeholder part when the score has none, to carry the
chord symbols). Keyboards (GM 0-7, 16-20) playing chords in both hands get a grand
staff, notes split by hand (`notation.keyboard`). Drum tracks are a percussion staff with
no key signature: <unpitched> notes at the drum-set legend's positions with its
noteheads, stems up, each drum an <instrument> of the part whose <midi-unpitched> keeps
the GM key (the reader turns them back into keys). In a staff, notes that start and end
together form a chord; notes that overlap otherwise go to further voices (separated by
<backup>). Key, time and clef
open the part, and a key or time change opens the measure where it starts; notes are
spelled in the key in force. Tempo marks, the swing marking and chord symbols
(<harmony>) are written in the first part, at their exact tick through <offset> when no
note starts there. Velocity travels in the note's `dynamics` attribute (a percentage of
90, as MusicXML defines it), volume and pan in <midi-instrument>.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from ariaforge.music.interchange.midi import allocate_channels
from ariaforge.music.interchange.notation import key_fifths, spell
from ariaforge.music.notation import (
    Piece,
    Span,
    beam_marks,
    drum_spot,
    grand_staff,
    metric_grid,
    notate,
    split_voice,
)
from ariaforge.music.notation.beams import Beam
from ariaforge.music.notation.values import NoteValue
from ariaforge.music.score import PPQ, ChordSymbol, Key, Meter, Note, Score, Track
from ariaforge.music.section_keys import key_changes

_DECLARATION = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
    '"http://www.musicxml.org/dtds/partwise.dtd">\n'
)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A velocity of 90 is MusicXML's 100 % ("forte").
_FORTE = 90
_CHORD = re.compile(
    r"^(?P<root>[A-G](?:##|bb|#|b)?)(?P<quality>.*?)(?:/(?P<bass>[A-G](?:##|bb|#|b)?))?$"
)
# Chord-symbol suffixes → MusicXML <kind> values; the suffix itself is kept as the kind's
# `text`, so the symbol reads back exactly as written.
_KINDS = {
    "": "major", "maj": "major", "M": "major",
    "m": "minor", "min": "minor", "-": "minor",
    "aug": "augmented", "+": "augmented", "dim": "diminished", "°": "diminished",
    "7": "dominant", "maj7": "major-seventh", "M7": "major-seventh", "Δ7": "major-seventh",
    "Δ": "major-seventh", "m7": "minor-seventh", "min7": "minor-seventh",
    "-7": "minor-seventh", "dim7": "diminished-seventh", "°7": "diminished-seventh",
    "aug7": "augmented-seventh", "+7": "augmented-seventh", "7#5": "augmented-seventh",
    "m7b5": "half-diminished", "ø": "half-diminished", "ø7": "half-diminished",
    "mMaj7": "major-minor", "m(maj7)": "major-minor", "mM7": "major-minor",
    "6": "major-sixth", "m6": "minor-sixth", "9": "dominant-ninth", "maj9": "major-ninth",
    "m9": "minor-ninth", "11": "dominant-11th", "maj11": "major-11th", "m11": "minor-11th",
    "13": "dominant-13th", "maj13": "major-13th", "m13": "minor-13th",
    "sus2": "suspended-second", "sus4": "suspended-fourth", "sus": "suspended-fourth",
    "5": "power",
}


def write_musicxml(score: Score, *, first_bar: int = 1, ends_piece: bool = True) -> bytes:
    """MusicXML 4.0 partwise text (UTF-8) for `score`, as notation; see the module notes.

    For a page of a longer piece (see `engraving`): `first_bar` numbers the measures as
    in the whole piece, and `ends_piece=False` leaves out the final barline.
    """
    notation = notate(score)
    written = notation.score
    measures = _measures(written, first_bar)
    fifths = key_fifths(measures[0].key or written.key)
    tracks = written.tracks or [Track(id="chords", name="Chords")]
    root = Element("score-partwise", version="4.0")
    encoding = SubElement(SubElement(root, "identification"), "encoding")
    SubElement(encoding, "software").text = "AriaForge"
    part_list = SubElement(root, "part-list")
    channels = allocate_channels(tracks)
    for number, (track, channel) in enumerate(zip(tracks, channels, strict=True), start=1):
        _score_part(part_list, f"P{number}", track, channel)
    for number, track in enumerate(tracks, start=1):
        markers = _markers(written, fifths, notation.swing_ratio) if number == 1 else []
        _part(root, f"P{number}", track, written, measures, markers, fifths, ends_piece)
    indent(root, space="  ")
    return (_DECLARATION + tostring(root, encoding="unicode") + "\n").encode("utf-8")


# --- layout -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Measure:
    number: int
    label: int  # the number printed: the bar's number in the whole piece
    start: int
    length: int
    meter: Meter
    new_meter: bool
    key: Key | None = None  # set where a key starts (bar 1, and a section in its own key)

    @property
    def end(self) -> int:
        return self.start + self.length


def _measures(score: Score, first_bar: int = 1) -> list[_Measure]:
    """Every bar of the score, and more if notes, chord symbols, tempo or meter changes
    run past `bars` (so nothing is lost)."""
    last_end = max(
        [0, *(note.end for _, note in score.all_notes()),
         *(chord.tick + 1 for chord in score.chord_symbols),
         *(change.tick + 1 for change in score.tempo_changes)]
    )
    count = max(score.bars, score.bar_of(last_end - 1) if last_end else 1,
                *(change.bar for change in score.meter_changes))
    changes = {change.bar: change.meter for change in score.meter_changes}
    keys = {1: score.key, **dict(key_changes(score))}
    measures, start, meter = [], 0, score.meter
    for number in range(1, count + 1):
        new_meter = number == 1 or (number in changes and changes[number] != meter)
        meter = changes.get(number, meter)
        measures.append(_Measure(number, first_bar + number - 1, start, meter.ticks_per_bar,
                                 meter, new_meter, keys.get(number)))
        start += meter.ticks_per_bar
    return measures


@dataclass(slots=True)
class _Group:
    """Notes sounding together from `start` to `end`: one note or a chord."""

    start: int
    end: int
    notes: list[Note] = field(default_factory=list)


def _voices(notes: Sequence[Note]) -> list[list[_Group]]:
    """Chords of notes sharing start and end, spread over as few voices as overlap needs
    (each voice is a sequence of groups that never overlap).

    Each group goes to the lowest-numbered voice that is free by its start. Heaps of
    busy voices (by end) and free ones (by number) keep this O(n log n): a scan of every
    voice per group was quadratic for a track of many overlapping notes.
    """
    groups: dict[tuple[int, int], _Group] = {}
    for note in sorted(notes, key=lambda n: (n.start, -n.end, n.pitch)):
        groups.setdefault((note.start, note.end), _Group(note.start, note.end)).notes.append(note)
    voices: list[list[_Group]] = []
    busy: list[tuple[int, int]] = []  # (end of the voice's last group, voice number)
    free: list[int] = []
    for group in groups.values():
        while busy and busy[0][0] <= group.start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            number = heapq.heappop(free)
            voices[number].append(group)
        else:
            number = len(voices)
            voices.append([group])
        heapq.heappush(busy, (group.end, number))
    return voices or [[]]


# --- part list --------------------------------------------------------------------


def _score_part(part_list: Element, part_id: str, track: Track, channel: int) -> None:
    score_part = SubElement(part_list, "score-part", id=part_id)
    name = xml_text(track.name)
    SubElement(score_part, "part-name").text = name
    # A drum part has one instrument per drum it plays: <midi-unpitched> keeps the key.
    keys = sorted({n.pitch for n in track.notes}) if track.is_drum else []
    instruments: list[tuple[str, str, int | None]] = [
        (_drum_instrument(part_id, key), drum_spot(key).name, key) for key in keys]
    instruments = instruments or [(f"{part_id}-I1", name, None)]
    for instrument_id, instrument_name, _ in instruments:
        score_instrument = SubElement(score_part, "score-instrument", id=instrument_id)
        SubElement(score_instrument, "instrument-name").text = instrument_name
    for instrument_id, _, key in instruments:
        midi = SubElement(score_part, "midi-instrument", id=instrument_id)
        SubElement(midi, "midi-channel").text = str(channel + 1)
        SubElement(midi, "midi-program").text = str(track.program + 1)
        if key is not None:
            SubElement(midi, "midi-unpitched").text = str(key + 1)  # MusicXML counts from 1
        # MusicXML volume is a percentage of MIDI's 127 and pan an angle (-90 hard left).
        SubElement(midi, "volume").text = _decimal(track.volume * 100 / 127)
        SubElement(midi, "pan").text = _decimal(track.pan * 90 / 64)


def _drum_instrument(part_id: str, key: int) -> str:
    return f"{part_id}-I{key + 1}"


def xml_text(text: str) -> str:
    """`text` without the control characters XML 1.0 cannot hold (ElementTree would write
    them and make the file unreadable)."""
    return _NOT_XML.sub(" ", text)


def _decimal(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


# --- markers (tempo, chord symbols) -----------------------------------------------


@dataclass(frozen=True, slots=True)
class _Marker:
    tick: int
    element: Element


def _markers(score: Score, fifths: int, swing: tuple[int, int] | None) -> list[_Marker]:
    markers = [_Marker(0, _tempo(score.tempo))]
    if swing is not None:
        markers.append(_Marker(0, _swing(*swing)))
    markers += [_Marker(change.tick, _tempo(change.bpm)) for change in score.tempo_changes]
    markers += [_Marker(chord.tick, _harmony(chord, fifths)) for chord in score.chord_symbols]
    return sorted(markers, key=lambda m: m.tick)


def _tempo(bpm: float) -> Element:
    direction = Element("direction", placement="above")
    metronome = SubElement(SubElement(direction, "direction-type"), "metronome")
    SubElement(metronome, "beat-unit").text = "quarter"
    SubElement(metronome, "per-minute").text = _decimal(bpm)
    SubElement(direction, "sound", tempo=_decimal(bpm))
    return direction


def _swing(first: int, second: int) -> Element:
    """"Swing" over the first bar, and MusicXML 4's <swing> so players swing the eighths
    written straight."""
    direction = Element("direction", placement="above")
    SubElement(SubElement(direction, "direction-type"), "words").text = "Swing"
    swing = SubElement(SubElement(direction, "sound"), "swing")
    SubElement(swing, "first").text = str(first)
    SubElement(swing, "second").text = str(second)
    SubElement(swing, "swing-type").text = "eighth"
    return direction


def _harmony(chord: ChordSymbol, fifths: int) -> Element:
    harmony = Element("harmony")
    match = _CHORD.match(chord.symbol)
    if match is None:
        # No readable root (N.C., a roman numeral...): "none" with the text to show.
        _step(SubElement(harmony, "root"), "root", "C")
        SubElement(harmony, "kind", text=xml_text(chord.symbol)).text = "none"
        return harmony
    quality = match["quality"]
    _step(SubElement(harmony, "root"), "root", match["root"])
    kind = SubElement(harmony, "kind")
    kind.text = _KINDS.get(quality, "other")
    if quality:
        kind.set("text", xml_text(quality))
    if match["bass"]:
        _step(SubElement(harmony, "bass"), "bass", match["bass"])
    return harmony


def _step(parent: Element, prefix: str, name: str) -> None:
    SubElement(parent, f"{prefix}-step").text = name[0]
    alter = name.count("#") - name.count("b")
    if alter:
        SubElement(parent, f"{prefix}-alter").text = str(alter)


# --- parts and staves -------------------------------------------------------------


class _VoiceCursor:
    """Walks one voice's groups measure by measure (groups never overlap in a voice)."""

    def __init__(self, groups: list[_Group]) -> None:
        self.groups = groups
        self.index = 0

    def take(self, measure: _Measure) -> list[_Group]:
        while self.index < len(self.groups) and self.groups[self.index].end <= measure.start:
            self.index += 1
        found = []
        for group in self.groups[self.index:]:
            if group.start >= measure.end:
                break
            found.append(group)
        return found


@dataclass(slots=True)
class _Staff:
    number: int  # within the part, from 1
    clef: tuple[str, int]
    voices: list[_VoiceCursor]
    first_voice: int  # the MusicXML number of its first voice


def _staves(track: Track) -> list[_Staff]:
    """One staff, or a grand staff for a keyboard's chords in both hands (its voices
    from 5, as is customary)."""
    hands = grand_staff(track)
    if hands is None:
        return [_Staff(1, _clef(track), _cursors(track.notes), 1)]
    right, left = hands
    upper = _cursors(right)
    return [_Staff(1, ("G", 2), upper, 1),
            _Staff(2, ("F", 4), _cursors(left), max(5, len(upper) + 1))]


def _cursors(notes: Sequence[Note]) -> list[_VoiceCursor]:
    return [_VoiceCursor(groups) for groups in _voices(notes)]


def _part(
    root: Element, part_id: str, track: Track, score: Score, measures: list[_Measure],
    markers: list[_Marker], fifths: int, ends_piece: bool = True,
) -> None:
    part = SubElement(root, "part", id=part_id)
    staves = _staves(track)
    pending = iter(markers)
    writer = _MeasureWriter(fifths, _next(pending), pending, part_id, track.is_drum,
                            len(staves) > 1)
    for measure in measures:
        element = SubElement(part, "measure", number=str(measure.label))
        if measure.key is not None:  # notes are spelled in the key in force
            writer.fifths = key_fifths(measure.key)
        shows_key = measure.key is not None and not track.is_drum
        if measure.new_meter or shows_key:
            _attributes(element, measure, staves, writer.fifths, track.is_drum)
        first = True
        for staff in staves:
            for offset, cursor in enumerate(staff.voices):
                groups = cursor.take(measure)
                if offset > 0 and not groups:
                    continue
                if not first:
                    SubElement(SubElement(element, "backup"), "duration").text = str(
                        measure.length)
                first = False
                lead = staff.number == 1 and offset == 0
                writer.voice(element, measure, staff.number, staff.first_voice + offset,
                             groups, lead)
    if ends_piece:
        barline = SubElement(part[-1], "barline", location="right")
        SubElement(barline, "bar-style").text = "light-heavy"


def _next(markers: Iterator[_Marker]) -> _Marker | None:
    return next(markers, None)


def _attributes(
    measure_element: Element, measure: _Measure, staves: list[_Staff], fifths: int,
    drum: bool,
) -> None:
    attributes = SubElement(measure_element, "attributes")
    if measure.number == 1:
        SubElement(attributes, "divisions").text = str(PPQ)
    if measure.key is not None and not drum:  # a percussion staff has no key signature
        key = SubElement(attributes, "key")
        SubElement(key, "fifths").text = str(fifths)
        SubElement(key, "mode").text = measure.key.mode.value
    if measure.new_meter:
        time = SubElement(attributes, "time")
        SubElement(time, "beats").text = str(measure.meter.numerator)
        SubElement(time, "beat-type").text = str(measure.meter.denominator)
    if measure.number == 1:
        if len(staves) > 1:
            SubElement(attributes, "staves").text = str(len(staves))
        for staff in staves:
            clef = SubElement(attributes, "clef")
            if len(staves) > 1:
                clef.set("number", str(staff.number))
            sign, line = staff.clef
            SubElement(clef, "sign").text = sign
            if line:
                SubElement(clef, "line").text = str(line)


def _clef(track: Track) -> tuple[str, int]:
    if track.is_drum:
        return "percussion", 0
    if track.notes and sum(n.pitch for n in track.notes) / len(track.notes) < 55:
        return "F", 4
    return "G", 2


# --- measures ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Written:
    """One written value of a group (or a rest when `group` is None)."""

    piece: Piece
    group: _Group | None
    tie_stop: bool
    tie_start: bool
    beams: list[Beam]


class _MeasureWriter:
    """Writes one voice of one measure, weaving in the pending markers (lead voice only)."""

    def __init__(self, fifths: int, marker: _Marker | None, markers: Iterator[_Marker],
                 part_id: str, drum: bool, grand: bool) -> None:
        self.fifths = fifths
        self.marker, self.markers = marker, markers
        self.part_id, self.drum, self.grand = part_id, drum, grand

    def voice(self, element: Element, measure: _Measure, staff: int, number: int,
              groups: list[_Group], lead: bool) -> None:
        if not groups:
            if lead:
                self._markers(element, measure.start, measure.end)
            self._measure_rest(element, measure, staff, number)
            return
        for written in _layout(measure, groups):
            start = measure.start + written.piece.start
            if lead:
                self._markers(element, start, start + written.piece.value.ticks)
            if written.group is None:
                self._rest(element, written, staff, number)
                continue
            for index, note in enumerate(written.group.notes):
                self._note(element, note, written, staff, number, chord=index > 0)

    def _markers(self, element: Element, start: int, end: int) -> None:
        """Markers from `start` up to `end`, placed before the note at `start`."""
        while self.marker is not None and self.marker.tick < end:
            marker = self.marker.element
            if self.marker.tick > start:
                _set_offset(marker, self.marker.tick - start)
            element.append(marker)
            self.marker = _next(self.markers)

    def _staff(self, note: Element, staff: int) -> None:
        if self.grand:
            SubElement(note, "staff").text = str(staff)

    def _measure_rest(self, element: Element, measure: _Measure, staff: int,
                      number: int) -> None:
        note = SubElement(element, "note")
        SubElement(note, "rest", measure="yes")
        SubElement(note, "duration").text = str(measure.length)
        SubElement(note, "voice").text = str(number)
        self._staff(note, staff)

    def _rest(self, element: Element, written: _Written, staff: int, number: int) -> None:
        note = SubElement(element, "note")
        SubElement(note, "rest")
        SubElement(note, "duration").text = str(written.piece.value.ticks)
        SubElement(note, "voice").text = str(number)
        _value(note, written.piece.value)
        self._staff(note, staff)
        _notations(note, [], written.piece.tuplet)

    def _note(self, element: Element, note: Note, written: _Written, staff: int,
              number: int, chord: bool) -> None:
        piece = written.piece
        out = SubElement(element, "note", dynamics=_decimal(note.velocity * 100 / _FORTE))
        if chord:
            SubElement(out, "chord")
        if self.drum:
            spot = drum_spot(note.pitch)
            unpitched = SubElement(out, "unpitched")
            SubElement(unpitched, "display-step").text = spot.step
            SubElement(unpitched, "display-octave").text = str(spot.octave)
        else:
            pitch = SubElement(out, "pitch")
            step, alter, octave = spell(note.pitch, self.fifths)
            SubElement(pitch, "step").text = step
            if alter:
                SubElement(pitch, "alter").text = str(alter)
            SubElement(pitch, "octave").text = str(octave)
        SubElement(out, "duration").text = str(piece.value.ticks)
        ties = [kind for kind, on in (("stop", written.tie_stop),
                                      ("start", written.tie_start)) if on]
        for kind in ties:
            SubElement(out, "tie", type=kind)
        if self.drum:
            SubElement(out, "instrument", id=_drum_instrument(self.part_id, note.pitch))
        SubElement(out, "voice").text = str(number)
        _value(out, piece.value)
        if self.drum:
            SubElement(out, "stem").text = "up"
            if spot.notehead != "normal":
                SubElement(out, "notehead").text = spot.notehead
        self._staff(out, staff)
        if not chord:  # a chord's beams hang on its first note
            for level, kind in written.beams:
                SubElement(out, "beam", number=str(level)).text = kind
        _notations(out, ties, piece.tuplet if not chord else None)


def _layout(measure: _Measure, groups: list[_Group]) -> list[_Written]:
    """The voice's groups in this measure, with rests between, as written values."""
    spans: list[Span] = []
    owners: list[_Group | None] = []
    now = 0
    for group in groups:
        start = max(group.start, measure.start) - measure.start
        end = min(group.end, measure.end) - measure.start
        if start > now:
            spans.append(Span(now, start, rest=True))
            owners.append(None)
        spans.append(Span(start, end, rest=False))
        owners.append(group)
        now = end
    if now < measure.length:
        spans.append(Span(now, measure.length, rest=True))
        owners.append(None)
    grid = metric_grid(measure.meter)
    pieces = split_voice(spans, grid)
    flat = [(piece, span.rest) for span, found in zip(spans, pieces, strict=True)
            for piece in found]
    beams = iter(beam_marks(flat, grid))
    written: list[_Written] = []
    for span, owner, found in zip(spans, owners, pieces, strict=True):
        for index, piece in enumerate(found):
            first, last = index == 0, index == len(found) - 1
            continued = owner is not None and owner.start < measure.start + span.start
            continues = owner is not None and owner.end > measure.start + span.end
            tie_stop = owner is not None and (continued or not first)
            tie_start = owner is not None and (continues or not last)
            written.append(_Written(piece, owner, tie_stop, tie_start, next(beams)))
    return written


def _value(note: Element, value: NoteValue) -> None:
    SubElement(note, "type").text = value.type
    for _ in range(value.dots):
        SubElement(note, "dot")
    if value.actual != value.normal:
        modification = SubElement(note, "time-modification")
        SubElement(modification, "actual-notes").text = str(value.actual)
        SubElement(modification, "normal-notes").text = str(value.normal)


def _notations(note: Element, ties: list[str], tuplet: str | None) -> None:
    if not ties and tuplet is None:
        return
    notations = SubElement(note, "notations")
    for kind in ties:
        SubElement(notations, "tied", type=kind)
    if tuplet is not None:
        attributes = {"type": tuplet, "bracket": "yes"} if tuplet == "start" else {
            "type": tuplet}
        SubElement(notations, "tuplet", attributes)


def _set_offset(marker: Element, ticks: int) -> None:
    """Insert <offset> where the schema wants it: after the content, before <sound>."""
    offset = Element("offset")
    offset.text = str(ticks)
    sound = marker.find("sound")
    if sound is None:
        marker.append(offset)
    else:
        marker.insert(list(marker).index(sound), offset)
