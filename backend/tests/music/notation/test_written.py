"""The written MusicXML: values split by the meter, ties over barlines, beams, tuplets, a
grand staff for keyboards and a percussion staff for drums, checked in the XML and by
music21 parsing it."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring
from music21 import note, stream

from ariaforge.music.interchange import read_musicxml, write_musicxml
from ariaforge.music.notation import metric_grid, split_voice
from ariaforge.music.notation.split import Span
from ariaforge.music.score import Key, Meter, Mode, Note, Score, Track
from tests.music.notation.measures import measures_add_up, parse


def values(measure: Element) -> list[str]:
    """Each note or rest of the measure as type (+ '.' per dot, 'r' for a rest, '~' when
    a tie starts)."""
    found = []
    for written in measure.findall("note"):
        if written.find("chord") is not None:
            continue
        text = (written.findtext("type") or "measure") + "." * len(written.findall("dot"))
        if written.find("rest") is not None:
            text += "r"
        if written.find("tie[@type='start']") is not None:
            text += "~"
        found.append(text)
    return found


def score_of(notes: list[Note], meter: str = "4/4", bars: int = 1, program: int = 40,
             drum: bool = False) -> Score:
    return Score(meter=Meter.parse(meter), bars=bars, key=Key(tonic="D", mode=Mode.MAJOR),
                 tracks=[Track(id="t", name="T", program=program, is_drum=drum,
                               notes=notes)])


def measures(score: Score) -> list[Element]:
    root: Element = fromstring(write_musicxml(score))
    return root.findall("part/measure")


def split(meter: str, spans: list[tuple[int, int, bool]]) -> list[list[str]]:
    grid = metric_grid(Meter.parse(meter))
    pieces = split_voice([Span(*span) for span in spans], grid)
    return [[p.value.type + "." * p.value.dots for p in found] for found in pieces]


def test_values_respect_beats_and_the_half_bar_in_4_4() -> None:
    # A dotted quarter on the beat stands; eighth-quarter-eighth is a syncopation read as
    # written; a half from beat 2 is tied over the middle of the bar.
    assert split("4/4", [(0, 720, False), (720, 960, False), (960, 1920, False)]) == [
        ["quarter."], ["eighth"], ["half"]]
    assert split("4/4", [(0, 240, False), (240, 720, False), (720, 1920, False)]) == [
        ["eighth"], ["quarter"], ["eighth", "half"]]
    assert split("4/4", [(0, 480, False), (480, 1440, False), (1440, 1920, False)]) == [
        ["quarter"], ["quarter", "quarter"], ["quarter"]]
    # Sixteenth + dotted eighth fills its beat; rests never dot across a beat.
    assert split("4/4", [(0, 120, False), (120, 480, False), (480, 1920, True)]) == [
        ["16th"], ["eighth."], ["quarter", "half"]]


def test_values_in_6_8_show_the_dotted_quarter_beats() -> None:
    assert split("6/8", [(0, 480, False), (480, 960, False), (960, 1440, False)]) == [
        ["quarter"], ["eighth", "eighth"], ["quarter"]]
    assert split("6/8", [(0, 720, False), (720, 1440, True)]) == [["quarter."], ["quarter."]]


def test_a_note_over_the_barline_is_tied_and_every_bar_adds_up() -> None:
    score = score_of([Note(pitch=62, start=1440, duration=960)], bars=2)
    first, second = measures(score)
    # Rests never dot across a beat: half + quarter rest, then the tied quarter.
    assert values(first) == ["halfr", "quarterr", "quarter~"]
    assert values(second) == ["quarter", "quarterr", "halfr"]
    back = read_musicxml(write_musicxml(score))
    assert [(n.start, n.duration) for n in back.tracks[0].notes] == [(1440, 960)]
    tally = measures_add_up(parse(write_musicxml(score)))
    assert tally.bad == [] and tally.good == 2


def test_eighths_are_beamed_by_beat_in_4_4_and_in_threes_in_6_8() -> None:
    eighths = [Note(pitch=60 + i, start=i * 240, duration=240) for i in range(8)]
    beams = [b.text for b in measures(score_of(eighths))[0].iter("beam")]
    assert beams == ["begin", "end"] * 4
    jig = [Note(pitch=60 + i, start=i * 240, duration=240) for i in range(6)]
    beams = [b.text for b in measures(score_of(jig, meter="6/8"))[0].iter("beam")]
    assert beams == ["begin", "continue", "end"] * 2


def test_sixteenths_get_a_second_beam() -> None:
    notes = [Note(pitch=60, start=0, duration=240), Note(pitch=62, start=240, duration=120),
             Note(pitch=64, start=360, duration=120), Note(pitch=65, start=480, duration=1440)]
    bar = measures(score_of(notes))[0]
    marks = [[(b.get("number"), b.text) for b in n.findall("beam")]
             for n in bar.findall("note")]
    assert marks[:3] == [[("1", "begin")], [("1", "continue"), ("2", "begin")],
                         [("1", "end"), ("2", "end")]]
    assert marks[3] == []


def test_triplets_carry_time_modification_and_a_bracket() -> None:
    notes = [Note(pitch=60 + i, start=i * 160, duration=160) for i in range(3)]
    notes.append(Note(pitch=67, start=480, duration=1440))
    bar = measures(score_of(notes))[0]
    triplet = bar.findall("note")[:3]
    assert all(n.findtext("time-modification/actual-notes") == "3" for n in triplet)
    assert [t.get("type") for t in bar.iter("tuplet")] == ["start", "stop"]
    parsed = parse(write_musicxml(score_of(notes)))
    lengths = [n.quarterLength for n in parsed.parts[0].recurse().getElementsByClass(
        note.Note)]
    assert [round(float(q) * 3) for q in lengths[:3]] == [1, 1, 1]


def test_a_piano_gets_a_grand_staff_split_by_hand() -> None:
    notes = [Note(pitch=p, start=0, duration=1920) for p in (36, 48, 55)]  # left hand
    notes += [Note(pitch=p, start=i * 480, duration=480)
              for i, p in enumerate((72, 74, 76, 59))]  # a line dipping below middle C
    score = score_of(notes, program=0)
    root = fromstring(write_musicxml(score))
    assert root.findtext("part/measure/attributes/staves") == "2"
    clefs = [(c.get("number"), c.findtext("sign")) for c in root.iter("clef")]
    assert clefs == [("1", "G"), ("2", "F")]
    staff_of = {(n.findtext("pitch/step"), n.findtext("pitch/octave")): n.findtext("staff")
                for n in root.iter("note") if n.find("pitch") is not None}
    assert staff_of[("C", "2")] == staff_of[("C", "3")] == staff_of[("G", "3")] == "2"
    assert staff_of[("C", "5")] == "1" and staff_of[("B", "3")] == "1"  # stays in the hand
    parsed = parse(write_musicxml(score))
    assert len(parsed.parts) == 2 and all(isinstance(p, stream.PartStaff)
                                          for p in parsed.parts)
    assert measures_add_up(parsed).bad == []
    back = read_musicxml(write_musicxml(score))
    assert len(back.tracks) == 1
    assert sorted((n.pitch, n.start, n.duration) for n in back.tracks[0].notes) == sorted(
        (n.pitch, n.start, n.duration) for n in notes)


def test_an_organ_gets_a_grand_staff_and_single_lines_do_not() -> None:
    chords = [Note(pitch=p, start=0, duration=1920) for p in (43, 55, 64, 72)]
    line = [Note(pitch=60 + i, start=i * 480, duration=480) for i in range(4)]
    organ = fromstring(write_musicxml(score_of(chords, program=19)))
    strings = fromstring(write_musicxml(score_of(chords, program=48)))
    piano_line = fromstring(write_musicxml(score_of(line, program=0)))
    assert organ.findtext(".//staves") == "2"
    assert strings.find(".//staves") is None
    # A piano melody (or a chorale voice, read as GM 0) is one staff.
    assert piano_line.find(".//staves") is None


def test_drums_sit_on_a_percussion_staff_with_no_key_and_standard_noteheads() -> None:
    hits = []
    for beat in range(4):
        hits.append(Note(pitch=42, start=beat * 480, duration=60))
        hits.append(Note(pitch=42, start=beat * 480 + 240, duration=60))
        hits.append(Note(pitch=36 if beat % 2 == 0 else 38, start=beat * 480, duration=60))
    hits.append(Note(pitch=49, start=0, duration=60))
    hits.append(Note(pitch=51, start=1920, duration=60))
    score = score_of(hits, bars=2, program=0, drum=True)
    root = fromstring(write_musicxml(score))
    attributes = root.find("part/measure/attributes")
    assert attributes is not None and attributes.find("key") is None
    assert attributes.findtext("clef/sign") == "percussion"
    assert root.find(".//note/pitch") is None
    spots: dict[str, tuple[str | None, str | None, str | None]] = {}
    for written in root.iter("note"):
        if written.find("unpitched") is None:
            continue
        instrument = written.find("instrument")
        assert instrument is not None and written.findtext("stem") == "up"
        spots[instrument.get("id", "")] = (written.findtext("unpitched/display-step")
                                           + written.findtext("unpitched/display-octave", ""),
                                           written.findtext("notehead"), written.findtext(
                                               "type"))
    # Each hit lasts to the next one (the hi-hat's eighths): kick, snare as eighths.
    assert spots["P1-I37"] == ("F4", None, "eighth")  # kick
    assert spots["P1-I39"] == ("C5", None, "eighth")  # snare
    assert spots["P1-I43"] == ("G5", "x", "eighth")  # closed hi-hat
    assert spots["P1-I50"][:2] == ("A5", "x")  # crash
    assert spots["P1-I52"][:2] == ("F5", "x")  # ride
    unpitched = {m.get("id"): m.findtext("midi-unpitched")
                 for m in root.iter("midi-instrument")}
    assert unpitched["P1-I37"] == "37" and unpitched["P1-I43"] == "43"
    # Read back: the GM keys and hits survive, the part is drums.
    back = read_musicxml(write_musicxml(score))
    assert back.tracks[0].is_drum
    assert sorted((n.pitch, n.start) for n in back.tracks[0].notes) == sorted(
        (n.pitch, n.start) for n in hits)
    assert measures_add_up(parse(write_musicxml(score))).bad == []


def test_a_swung_score_says_swing() -> None:
    notes = [Note(pitch=60, start=beat * 480 + off, duration=150)
             for beat in range(8) for off in (0, 320)]
    root = fromstring(write_musicxml(score_of(notes, bars=2, program=65)))
    assert root.findtext(".//direction/direction-type/words") == "Swing"
    swing = root.find(".//sound/swing")
    assert swing is not None
    assert (swing.findtext("first"), swing.findtext("second"),
            swing.findtext("swing-type")) == ("2", "1", "eighth")
    durations = {n.findtext("type") for n in root.iter("note") if n.find("pitch") is not None}
    assert durations == {"eighth"}


def test_a_460_tick_bass_line_is_written_as_plain_quarters() -> None:
    bass = [Note(pitch=38 + i % 5, start=i * 480, duration=460) for i in range(8)]
    bars = measures(score_of(bass, bars=2, program=33))
    assert [values(bar) for bar in bars] == [["quarter"] * 4, ["quarter"] * 4]
