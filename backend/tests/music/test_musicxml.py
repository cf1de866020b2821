"""MusicXML: write → read round trips (ties across barlines, tuplets, chords, voices,
chord symbols), the shape of the written XML, .mxl archives and foreign files.

The export is notation: what reads back is the written rhythm (`notate`), which is the
score itself wherever the score already sits on a written grid."""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring
from music21 import converter, note, stream

from ariaforge.music.interchange import (
    InterchangeError,
    detect_format,
    read_any,
    read_musicxml,
    write_musicxml,
)
from ariaforge.music.notation import notate
from ariaforge.music.score import (
    ChordSymbol,
    Key,
    Meter,
    MeterChange,
    Mode,
    Note,
    Score,
    TempoChange,
    Track,
)

CHORDS = ["Bbm7", "F7/A", "C", "Ebmaj7", "G7sus4", "C6/9", "N.C.", "F#m7b5", "Abdim7"]


def notes_of(track: Track) -> list[tuple[int, int, int, int]]:
    return sorted((n.pitch, n.start, n.duration, n.velocity) for n in track.notes)


@pytest.fixture
def song() -> Score:
    return Score(
        tempo=84,
        tempo_changes=[TempoChange(tick=2000, bpm=100.5)],  # not on a note: needs <offset>
        key=Key(tonic="Bb", mode=Mode.MINOR),
        meter=Meter(numerator=3, denominator=4),
        meter_changes=[MeterChange(bar=3, meter=Meter(numerator=6, denominator=8))],
        bars=4,
        chord_symbols=[ChordSymbol(tick=i * 480, symbol=s) for i, s in enumerate(CHORDS)],
        tracks=[
            Track(name="Melody", program=65, volume=100, pan=-20, notes=[
                Note(pitch=70, start=0, duration=2400, velocity=100),  # tied over the barline
                Note(pitch=73, start=2400, duration=160), Note(pitch=72, start=2560, duration=160),
                Note(pitch=70, start=2720, duration=160),  # a triplet
                Note(pitch=68, start=2880, duration=1440 + 1440 + 5),  # two barlines and a bit
            ]),
            Track(name="Piano", program=0, notes=[
                *(Note(pitch=p, start=0, duration=1440, velocity=70) for p in (46, 53, 61)),
                Note(pitch=49, start=480, duration=480),  # overlaps the chord: second voice
                Note(pitch=53, start=1440, duration=960),
                Note(pitch=53, start=1920, duration=960),  # same pitch overlapping itself
            ]),
            Track(name="Drums", is_drum=True, program=0, notes=[
                Note(pitch=36, start=0, duration=240), Note(pitch=42, start=0, duration=240),
                Note(pitch=38, start=480, duration=240, velocity=120),
            ]),
        ],
    )


def test_round_trip_keeps_notes_ties_and_chord_symbols(song: Score) -> None:
    back = read_musicxml(write_musicxml(song))
    written = notate(song).score
    for original, read in zip(written.tracks, back.tracks, strict=True):
        assert notes_of(read) == notes_of(original), original.name
    # The piano sits on the grid: exactly its own notes. The melody's last note ran 5
    # ticks past a barline (a played, not a written, length): written to the barline.
    assert notes_of(back.tracks[1]) == notes_of(song.tracks[1])
    assert notes_of(back.tracks[0])[0] == (68, 2880, 2880, 90)
    # The triplet is kept as played.
    assert [(n.start, n.duration) for n in back.tracks[0].sorted_notes()][1:4] == [
        (2400, 160), (2560, 160), (2720, 160)]
    assert [(c.tick, c.symbol) for c in back.chord_symbols] == [
        (c.tick, c.symbol) for c in song.chord_symbols]


def test_round_trip_keeps_the_frame(song: Score) -> None:
    back = read_musicxml(write_musicxml(song))
    assert back.key == song.key
    assert back.meter == song.meter
    assert back.meter_changes == song.meter_changes
    assert back.tempo == 84
    assert [(c.tick, c.bpm) for c in back.tempo_changes] == [(2000, 100.5)]
    assert back.bars == 4  # the last note's 5 ticks into bar 5 are written away
    assert [(t.name, t.program, t.is_drum) for t in back.tracks] == [
        ("Melody", 65, False), ("Piano", 0, False), ("Drums", 0, True)]
    assert [(t.volume, t.pan) for t in back.tracks] == [(100, -20), (100, 0), (100, 0)]


def test_written_xml_is_musicxml_4_with_ties_and_harmony(song: Score) -> None:
    root = fromstring(write_musicxml(song))
    assert root.tag == "score-partwise" and root.get("version") == "4.0"
    parts = root.findall("part")
    assert len(parts) == 3
    assert all(len(part.findall("measure")) == 4 for part in parts)
    melody = parts[0]
    first_note = melody.find("measure/note")
    assert first_note is not None
    assert [t.get("type") for t in first_note.findall("tie")] == ["start"]
    assert len(melody.findall(".//harmony")) == len(CHORDS)
    assert melody.find(".//harmony/kind[@text='m7']") is not None
    triplets = melody.findall(".//time-modification")
    assert {(t.findtext("actual-notes"), t.findtext("normal-notes")) for t in triplets} == {
        ("3", "2")}  # the triplet, bracketed
    assert [t.get("type") for t in melody.findall(".//tuplet")] == ["start", "stop"]
    assert parts[1].find(".//backup") is not None  # the piano needed a second voice
    # Chords in the left hand's range only: one bass staff, not a grand staff.
    assert parts[1].find("measure/attributes/staves") is None
    assert parts[1].findtext("measure/attributes/clef/sign") == "F"
    assert parts[2].findtext("measure/attributes/clef/sign") == "percussion"
    assert root.findtext(".//score-part[@id='P3']/midi-instrument/midi-channel") == "10"
    assert root.findtext("part/measure/attributes/divisions") == "480"
    # Every measure of every voice adds up to its bar.
    for part in parts:
        for measure in part.findall("measure"):
            _check_measure_lengths(measure)


def _check_measure_lengths(measure: Element) -> None:
    totals: dict[str, int] = {}
    for written in measure.findall("note"):
        if written.find("chord") is None:
            voice = written.findtext("voice", "1")
            totals[voice] = totals.get(voice, 0) + int(written.findtext("duration", "0"))
    assert len(set(totals.values())) == 1, (measure.get("number"), totals)


def test_music21_reads_the_output(song: Score) -> None:
    parsed = converter.parseData(write_musicxml(song), format="musicxml")
    assert isinstance(parsed, stream.Score)
    assert [p.partName for p in parsed.parts] == ["Melody", "Piano", "Drums"]
    melody = parsed.parts[0].stripTies()
    found = [(n.pitch.midi, n.getOffsetInHierarchy(melody) * 480, n.quarterLength * 480)
             for n in melody.recurse().getElementsByClass(note.Note)]
    assert found == [(70, 0, 2400), (73, 2400, 160), (72, 2560, 160), (70, 2720, 160),
                     (68, 2880, 2880)]


def test_tie_read_after_a_later_tie_in_an_earlier_voice() -> None:
    # Regression: music21 walks a measure voice by voice, so after <backup> time goes
    # back. Voice 1 of bar 2 ends a tie at tick 1470 before voice 2 continues, at the
    # barline (960), the C3 it tied over from bar 1; the reader used to drop open ties
    # that ended before the latest tie it had seen and split the C3 in two. (Ticks on the
    # 64th grid, so the notation is exactly the score.)
    notes = [
        Note(pitch=72, start=0, duration=690),  # voice 1, pushes the C3 to voice 2
        Note(pitch=48, start=600, duration=510),  # voice 2, tied over the barline
        Note(pitch=48, start=990, duration=480),  # voice 1: tied within bar 2
    ]
    score = Score(meter=Meter(numerator=2, denominator=4), bars=2,
                  tracks=[Track(program=48, notes=notes)])
    root = fromstring(write_musicxml(score))
    second = root.findall("part/measure")[1]
    voices = [n.findtext("voice") for n in second.findall("note")
              if n.find("pitch") is not None and n.findtext("pitch/octave") == "3"]
    assert voices[0] == "1" and "2" in voices and voices.index("2") > voices.index("1")
    back = read_musicxml(write_musicxml(score))
    assert notes_of(back.tracks[0]) == notes_of(score.tracks[0])


def test_same_pitch_overlaps_in_one_track_round_trip() -> None:
    # Notes of one pitch overlapping in one track go to separate voices; each voice's ties
    # (over barlines, a meter change and odd tuplet lengths) join only within that voice,
    # never with the overlapping note of the same pitch.
    notes = [
        Note(pitch=54, start=601, duration=1079),  # to the end of the piece
        Note(pitch=54, start=1317, duration=363),  # inside it, to the end too
        Note(pitch=54, start=1347, duration=30),
        Note(pitch=54, start=454, duration=120),  # ends inside the long one
        Note(pitch=54, start=454, duration=120, velocity=50),  # an exact duplicate
        Note(pitch=54, start=960, duration=480),  # starts on a barline the others cross
        Note(pitch=54, start=0, duration=601),  # ends where the long one starts
    ]
    score = Score(meter=Meter(numerator=2, denominator=8), bars=4,
                  meter_changes=[MeterChange(bar=3, meter=Meter(numerator=3, denominator=16))],
                  tracks=[Track(program=48, notes=notes)])
    assert score.end_tick == 1680
    back = read_musicxml(write_musicxml(score))
    written = notate(score).score
    assert notes_of(back.tracks[0]) == notes_of(written.tracks[0])
    assert len(back.tracks[0].notes) == len(notes)
    assert back.bars == 4


TWO_VOICES = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="4.0">
  <part-list><score-part id="P1"><part-name>Piano</part-name></score-part></part-list>
  <part id="P1">
    <measure number="1">
      <attributes><divisions>1</divisions>
        <time><beats>2</beats><beat-type>4</beat-type></time></attributes>
      <note><pitch><step>C</step><octave>4</octave></pitch><duration>2</duration>
        <tie type="start"/><voice>1</voice><type>half</type></note>
      <backup><duration>2</duration></backup>
      <note><rest/><duration>1</duration><voice>2</voice><type>quarter</type></note>
      <note><pitch><step>C</step><octave>4</octave></pitch><duration>1</duration>
        <voice>2</voice><type>quarter</type></note>
    </measure>
    <measure number="2">
      <note><rest/><duration>2</duration><voice>1</voice><type>half</type></note>
      <backup><duration>2</duration></backup>
      <note><pitch><step>C</step><octave>4</octave></pitch><duration>1</duration>
        <tie type="stop"/><voice>2</voice><type>quarter</type></note>
      <note><rest/><duration>1</duration><voice>2</voice><type>quarter</type></note>
    </measure>
  </part>
</score-partwise>
"""


def test_ties_join_only_within_their_voice() -> None:
    # Voice 2's tie stop at the barline lines up with voice 1's tied C4, but a tie never
    # joins two voices: joining would stretch voice 1's C4 over voice 2's own C4 on beat
    # 2 (one pitch overlapping itself). The reader used to take any voice's open tie.
    score = read_musicxml(TWO_VOICES.encode())
    assert sorted((n.pitch, n.start, n.duration) for n in score.tracks[0].notes) == [
        (60, 0, 960), (60, 480, 480), (60, 960, 480)]


@pytest.mark.parametrize(
    "key",
    [Key(tonic="D", mode=Mode.DORIAN), Key(tonic="F#", mode=Mode.MAJOR),
     Key(tonic="Eb", mode=Mode.MINOR), Key(tonic="E", mode=Mode.PHRYGIAN),
     Key(tonic="G", mode=Mode.MIXOLYDIAN)],
)
def test_keys_and_modes_round_trip(key: Key) -> None:
    score = Score(key=key, tracks=[Track(notes=[Note(pitch=62, start=0, duration=480)])])
    assert read_musicxml(write_musicxml(score)).key == key


def test_score_without_tracks_keeps_its_chord_symbols() -> None:
    score = Score(bars=2, chord_symbols=[ChordSymbol(tick=1920, symbol="Am")])
    back = read_musicxml(write_musicxml(score))
    assert [(c.tick, c.symbol) for c in back.chord_symbols] == [(1920, "Am")]
    assert back.bars == 2


def test_mxl_archive_is_read(song: Score) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/container.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><container><rootfiles>'
            '<rootfile full-path="music/song.musicxml"/></rootfiles></container>'))
        archive.writestr("music/song.musicxml", write_musicxml(song))
    data = buffer.getvalue()
    assert detect_format("whatever.bin", data) == "mxl"
    back = read_any("song.mxl", data)
    assert [notes_of(t) for t in back.tracks] == [notes_of(t) for t in notate(song).score.tracks]


def test_detect_format_prefers_magic_bytes(song: Score) -> None:
    xml = write_musicxml(song)
    assert detect_format("song.mid", xml) == "musicxml"
    assert detect_format(None, b"\xef\xbb\xbf" + xml) == "musicxml"
    assert detect_format("song.musicxml", b"garbage") == "musicxml"
    with pytest.raises(InterchangeError, match="unrecognised"):
        detect_format("song.txt", b"garbage")


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="3.1">
  <part-list>
    <score-part id="P1"><part-name>Violin</part-name></score-part>
    <score-part id="P2"><part-name>Snare</part-name>
      <score-instrument id="P2-I1"><instrument-name>Snare Drum</instrument-name>
      </score-instrument>
      <midi-instrument id="P2-I1"><midi-channel>10</midi-channel>
        <midi-unpitched>39</midi-unpitched></midi-instrument>
    </score-part>
  </part-list>
  <part id="P1">
    <measure number="0" implicit="yes">
      <attributes><divisions>7</divisions><key><fifths>2</fifths></key>
        <time><beats>2</beats><beat-type>4</beat-type></time></attributes>
      <note><pitch><step>A</step><octave>4</octave></pitch><duration>7</duration>
        <type>quarter</type></note>
    </measure>
    <measure number="1">
      <note><pitch><step>D</step><octave>5</octave></pitch><duration>1</duration>
        <type>16th</type><time-modification><actual-notes>7</actual-notes>
        <normal-notes>4</normal-notes></time-modification></note>
      <note><pitch><step>E</step><octave>5</octave></pitch><duration>6</duration>
        <type>eighth</type></note>
      <note><grace/><pitch><step>G</step><octave>5</octave></pitch><type>16th</type></note>
      <note><pitch><step>F</step><alter>1</alter><octave>5</octave></pitch>
        <duration>7</duration><type>quarter</type></note>
    </measure>
  </part>
  <part id="P2">
    <measure number="0" implicit="yes">
      <attributes><divisions>7</divisions><clef><sign>percussion</sign></clef></attributes>
      <note><unpitched><display-step>C</display-step><display-octave>5</display-octave>
        </unpitched><duration>7</duration><type>quarter</type></note>
    </measure>
    <measure number="1"><note><rest/><duration>14</duration></note></measure>
  </part>
</score-partwise>
"""


def test_foreign_file_with_pickup_septuplet_grace_and_unpitched_notes() -> None:
    score = read_musicxml(FOREIGN.encode())
    assert score.key == Key(tonic="D", mode=Mode.MAJOR)
    assert score.meter == Meter(numerator=2, denominator=4)
    violin, snare = score.tracks
    # The one-beat pickup is moved to the end of a full bar 1.
    # 480/7 is no whole tick: the septuplet is rounded, neighbours still touch.
    assert [(n.pitch, n.start, n.duration) for n in violin.sorted_notes()] == [
        (69, 480, 480), (74, 960, 69), (76, 1029, 411), (78, 1440, 480)]
    assert snare.is_drum and snare.name == "Snare"
    assert [(n.pitch, n.start) for n in snare.notes] == [(38, 480)]  # GM key of midi-unpitched
    assert score.bars == 2
