"""Bad and hostile input: every reader must answer InterchangeError with a message a person
can act on, never crash, hang or exhaust memory. Each case is small or built in memory
in well under a second (the 10^6-note MIDI file takes a few seconds for mido to write)."""

from __future__ import annotations

import contextlib
import io
import random
import struct
import warnings
import zipfile
from collections.abc import Callable

import mido
import pytest

from ariaforge.music.interchange import (
    InterchangeError,
    read_abc,
    read_any,
    read_midi,
    read_musicxml,
    write_midi,
    write_musicxml,
)
from ariaforge.music.interchange.limits import MAX_BARS, MAX_MIDI_EVENTS, MAX_NOTES
from ariaforge.music.score import ChordSymbol, Note, Score, Track

pytestmark = pytest.mark.timeout(120)

END_OF_TRACK = b"\x00\xff\x2f\x00"
ONE_NOTE = b"\x00\x90\x3c\x40\x83\x60\x80\x3c\x00" + END_OF_TRACK


def smf(*tracks: bytes, fmt: int = 1, declared: int | None = None, division: int = 480) -> bytes:
    """A Standard MIDI File from raw track payloads."""
    count = len(tracks) if declared is None else declared
    header = struct.pack(">4sLHHH", b"MThd", 6, fmt, count, division)
    return header + b"".join(struct.pack(">4sL", b"MTrk", len(t)) + t for t in tracks)


def refuse_midi(data: bytes, message: str) -> None:
    with pytest.raises(InterchangeError, match=message) as caught:
        read_midi(data)
    assert str(caught.value) == caught.value.message  # a plain sentence, no repr


# --- MIDI -------------------------------------------------------------------------


def test_the_helper_builds_readable_files() -> None:
    assert read_midi(smf(ONE_NOTE)).tracks[0].notes[0].duration == 480


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"RIFF\x00\x00\x00\x04RMID", "not a MIDI file"),
        (b"%PDF-1.7 garbage", "not a MIDI file"),
        (b"MThd\x00\x00", "truncated inside its header"),
        (b"MThd\xff\xff\xff\xff\x00\x01\x00\x01\x01\xe0", "impossible length"),
        (b"MThd\x00\x00\x00\x02\x00\x01\x00\x01\x01\xe0", "impossible length"),
        (smf(ONE_NOTE, declared=65535), "declares 65535 tracks"),
        (smf(ONE_NOTE, declared=0), "declares no tracks"),
        (smf(ONE_NOTE, declared=3), "truncated: it declares 3 tracks but holds 1"),
        (smf(ONE_NOTE, fmt=2), "type 2"),
        (smf(ONE_NOTE, fmt=7), "unknown MIDI file type 7"),
        (smf(ONE_NOTE, ONE_NOTE, fmt=0), "type 0 MIDI file has one track"),
        (smf(ONE_NOTE, division=0xE250), "SMPTE"),
        (smf(ONE_NOTE, division=0), "0 ticks per quarter"),
        (smf(b""), "zero-length"),
        (smf(ONE_NOTE, b""), "track 2 is empty"),
        # Running status with no status byte before it.
        (smf(b"\x00\x3c\x40\x00\x3c\x00" + END_OF_TRACK), "running status"),
        # Running status after a sysex (which cancels it).
        (smf(b"\x00\xf0\x02\x01\xf7\x00\x3c\x40" + END_OF_TRACK), "running status"),
        # A status byte where a data byte belongs.
        (smf(b"\x00\x90\x3c\x90" + END_OF_TRACK), "corrupt data byte"),
        (smf(b"\x00\xf4\x00" + END_OF_TRACK), "0xF4"),
        (smf(b"\xff\xff\xff\xff\x7f\x90\x3c\x40"), "longer than four bytes"),
        (smf(b"\x00\xff\x03\x64abc"), "longer than the track"),
        (smf(b"\x00\x90\x3c"), "ends inside a channel message"),
        (smf(b"\x00\x90\x3c\x40\x83"), "ends inside a variable-length number"),
        # Meta events whose contents mido cannot decode.
        (smf(b"\x00\xff\x59\x02\x09\x00" + ONE_NOTE), "corrupt event"),
        (smf(b"\x00\xff\x51\x01\x07" + ONE_NOTE), "corrupt event"),
        (smf(b"\x00\xff\x58\x04\x04\xff\x18\x08" + ONE_NOTE), "time signature"),
        # A note far past the longest score.
        (smf(b"\x00\x90\x3c\x40\x8f\xff\xff\x7f\x80\x3c\x00" + END_OF_TRACK),
         f"at most {MAX_BARS} bars"),
    ],
)
def test_broken_midi(data: bytes, message: str) -> None:
    refuse_midi(data, message)


def test_garbage_between_chunks() -> None:
    data = smf(ONE_NOTE, declared=2) + b"\x00\x01\x02\x03\xff\xff\xff\x00"
    refuse_midi(data, "truncated")
    alien = struct.pack(">4sL", b"\x00\x01\x02\x03", 2) + b"xx"
    refuse_midi(smf(ONE_NOTE, declared=2) + alien + b"MTrk", "garbage between its tracks")


def test_unknown_chunks_are_skipped() -> None:
    alien = struct.pack(">4sL", b"XFIH", 4) + b"junk"
    data = smf(ONE_NOTE, declared=2) + alien + struct.pack(">4sL", b"MTrk", 13) + ONE_NOTE
    assert len(read_midi(data).tracks) == 2


@pytest.mark.parametrize("cut", [14, 21, 30, -1])
def test_truncated_midi(cut: int) -> None:
    score = Score(tracks=[Track(notes=[Note(pitch=60 + i, start=i * 120, duration=240)
                                       for i in range(20)])])
    data = write_midi(score)
    with pytest.raises(InterchangeError, match=r"truncated|corrupt"):
        read_midi(data[:cut])


def test_oversized_midi_is_refused_before_parsing() -> None:
    refuse_midi(b"MThd" + bytes(4 * 1024 * 1024), "limit is 4 MiB")


def test_a_million_notes_built_with_mido() -> None:
    on = mido.Message("note_on", note=60, velocity=64, time=0)
    off = mido.Message("note_off", note=60, velocity=0, time=1)
    midi = mido.MidiFile(type=1)
    midi.tracks.append(mido.MidiTrack([on, off] * 1_000_000))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    # Eight bytes a note: far over the 4 MiB limit, refused before any parsing.
    refuse_midi(buffer.getvalue(), "limit is 4 MiB")


def test_too_many_notes_under_the_size_limit() -> None:
    # 250,000 notes in 1.5 MB, running status: the scan stops counting at the ceiling.
    notes = MAX_NOTES + 50_000
    track = b"\x00\x90\x3c\x40" + b"\x01\x3c\x00\x00\x3c\x40" * notes + END_OF_TRACK
    refuse_midi(smf(track), f"more than {MAX_NOTES} notes")


def test_too_many_events() -> None:
    track = b"\x00\xb0\x07\x64" + b"\x00\x07\x64" * MAX_MIDI_EVENTS + END_OF_TRACK
    refuse_midi(smf(track), f"more than {MAX_MIDI_EVENTS} events")


def test_too_many_tracks() -> None:
    refuse_midi(smf(*[ONE_NOTE] * 65), "at most 64")


def test_tempo_of_zero_is_clamped() -> None:
    assert read_midi(smf(b"\x00\xff\x51\x03\x00\x00\x00" + ONE_NOTE)).tempo == 1000


# --- MusicXML ---------------------------------------------------------------------

PARTWISE = (
    '<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>A</part-name>'
    '</score-part></part-list><part id="P1"><measure number="1"><attributes>'
    "<divisions>1</divisions></attributes>{notes}</measure></part></score-partwise>"
)
NOTE = "<note><pitch><step>C</step><octave>4</octave></pitch><duration>1</duration></note>"


def refuse_xml(data: bytes, message: str) -> None:
    with pytest.raises(InterchangeError, match=message):
        read_musicxml(data)


def test_the_xml_helper_builds_readable_files() -> None:
    assert len(read_musicxml(PARTWISE.format(notes=NOTE).encode()).tracks[0].notes) == 1


def test_billion_laughs() -> None:
    entities = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE score-partwise [<!ENTITY lol0 "lol">{entities}]>'
        "<score-partwise>&lol9;</score-partwise>"
    )
    refuse_xml(data.encode(), "entities")


def test_external_entity() -> None:
    data = (
        '<?xml version="1.0"?><!DOCTYPE score-partwise ['
        '<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        "<score-partwise>&secret;</score-partwise>"
    )
    refuse_xml(data.encode(), "external references")


def test_parameter_entity_and_external_dtd_subset() -> None:
    data = (
        '<?xml version="1.0"?><!DOCTYPE score-partwise ['
        '<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]>'
        "<score-partwise/>"
    )
    refuse_xml(data.encode(), "entities|external")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<score-partwise><part", "not well-formed"),
        (b"\x00\x01\x02 not xml at all", "not well-formed"),
        (b"<html><body>hello</body></html>", "root element is <html>"),
        (b'<score-timewise version="4.0"/>', "timewise"),
        (b'<score-partwise version="4.0"/>', "no parts"),
        (PARTWISE.format(notes="<note><pitch><step>Q</step><octave>4</octave></pitch>"
                               "<duration>1</duration></note>").encode(), "could not be read"),
        (PARTWISE.format(notes="<note><pitch><step>C</step><octave>99</octave></pitch>"
                               "<duration>1</duration></note>").encode(), "MIDI range"),
        (PARTWISE.format(notes="<note><pitch><step>C</step><octave>4</octave></pitch>"
                               "<duration>x</duration></note>").encode(), "could not be read"),
    ],
)
def test_broken_musicxml(data: bytes, message: str) -> None:
    refuse_xml(data, message)


@pytest.mark.parametrize("notes", [
    "<note><pitch><step>Q</step><octave>4</octave></pitch><duration>1</duration></note>",
    "<note><pitch><step>C</step><octave>4</octave></pitch><duration>x</duration></note>",
])
def test_parser_failures_do_not_echo_python_text(notes: str) -> None:
    # music21 fails with its own exception text; the user sees what we know, not that.
    with pytest.raises(InterchangeError) as caught:
        read_musicxml(PARTWISE.format(notes=notes).encode())
    cause = caught.value.__cause__
    assert cause is not None and str(cause)
    assert str(cause) not in str(caught.value)
    assert "could not be read as MusicXML" in str(caught.value)


def test_too_many_notes_fail_before_music21() -> None:
    refuse_xml(PARTWISE.format(notes="<note/>" * (MAX_NOTES + 1)).encode(),
               f"more than {MAX_NOTES} notes")


def test_too_many_parts() -> None:
    parts = "".join(f'<score-part id="P{i}"><part-name>A</part-name></score-part>'
                    for i in range(65))
    body = "".join(f'<part id="P{i}"><measure number="1"/></part>' for i in range(65))
    data = f"<score-partwise><part-list>{parts}</part-list>{body}</score-partwise>"
    refuse_xml(data.encode(), "65 parts")


def test_oversized_musicxml() -> None:
    refuse_xml(b"<" + bytes(16 * 1024 * 1024), "limit is 16 MiB")


def mxl(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb() -> None:
    bomb = mxl({"score.musicxml": b"<" + b" " * (17 * 1024 * 1024)})
    assert len(bomb) < 100_000
    refuse_xml(bomb, "unpacks to more than 16 MiB")


def test_zip_member_that_lies_about_its_size() -> None:
    content = b"<" + b" " * (17 * 1024 * 1024)
    data = bytearray(mxl({"score.musicxml": content}))
    # Claim 1 KiB uncompressed in both the local header and the central directory.
    real = struct.pack("<L", len(content))
    for at in (i for i in range(len(data) - 3) if data[i:i + 4] == real):
        data[at:at + 4] = struct.pack("<L", 1024)
    refuse_xml(bytes(data), "damaged|unpacks to more than|well-formed")


def test_zip_with_too_many_members() -> None:
    data = mxl({f"image{i}.png": b"x" for i in range(65)})
    refuse_xml(data, "65 files")


def test_zip_without_a_score_and_damaged_zip() -> None:
    refuse_xml(mxl({"cover.png": b"\x89PNG"}), "no MusicXML score")
    refuse_xml(b"PK\x03\x04" + b"\x00" * 100, "damaged")


def test_zip_container_with_an_entity_bomb() -> None:
    container = (
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaa">]><container>&a;</container>')
    data = mxl({"META-INF/container.xml": container,
                "score.musicxml": PARTWISE.format(notes=NOTE).encode()})
    refuse_xml(data, "entities")


# --- ABC and detection ------------------------------------------------------------


def test_oversized_abc() -> None:
    with pytest.raises(InterchangeError, match="limit is 1 MiB"):
        read_abc("X:1\nK:C\n" + "C" * (1024 * 1024))


def test_abc_with_too_many_notes_fails_before_parsing() -> None:
    with pytest.raises(InterchangeError, match=f"more than {MAX_NOTES} notes"):
        read_abc("X:1\nL:1/16\nK:C\n" + "C" * (MAX_NOTES + 1))


def test_unrecognised_file() -> None:
    with pytest.raises(InterchangeError, match="unrecognised"):
        read_any("notes.txt", b"\x00\x01 just bytes")
    with pytest.raises(InterchangeError, match="unrecognised"):
        read_any(None, b"")


# --- mutation fuzzing -------------------------------------------------------------


def mutations(data: bytes, seed: int, count: int) -> list[bytes]:
    """`count` deterministic corruptions of `data`: flipped, cut, inserted bytes."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(mutated) or 1)
            choice = rng.random()
            if choice < 0.5 and mutated:
                mutated[at] = rng.randrange(256)
            elif choice < 0.75:
                del mutated[at:at + rng.randint(1, 16)]
            else:
                mutated[at:at] = rng.randbytes(rng.randint(1, 6))
        found.append(bytes(mutated))
    return found


def fuzz_score() -> Score:
    return Score(
        tracks=[Track(name="Lead", program=73,
                      notes=[Note(pitch=60 + i % 7, start=i * 160, duration=200)
                             for i in range(24)]),
                Track(name="Drums", is_drum=True,
                      notes=[Note(pitch=36, start=i * 240, duration=120) for i in range(16)])],
        chord_symbols=[ChordSymbol(tick=0, symbol="Cm7")],
    )


@pytest.mark.parametrize(
    ("reader", "count"),
    [(read_midi, 600), (read_musicxml, 60)],
    ids=["midi", "musicxml"],
)
def test_corrupted_files_only_raise_interchange_error(
    reader: Callable[[bytes], Score], count: int
) -> None:
    score = fuzz_score()
    data = write_midi(score) if reader is read_midi else write_musicxml(score)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # music21 warns about every oddity it skips
        for mutated in mutations(data, seed=20240601, count=count):
            # Refused with a message, or read despite the damage: both fine. Anything
            # else escapes and fails the test.
            with contextlib.suppress(InterchangeError):
                reader(mutated)


def test_a_far_end_of_track_pads_the_score_only_as_long_as_a_score_may_last() -> None:
    # One note, then an end-of-track ~1,000 bars later: at 120 bpm that would last 33
    # minutes, more than a score may (music.bounds). The padding stops at 30 minutes.
    track = mido.MidiTrack([
        mido.Message("note_on", note=60, velocity=80, time=0),
        mido.Message("note_off", note=60, velocity=0, time=480),
        mido.MetaMessage("end_of_track", time=999 * 1920)])
    buffer = io.BytesIO()
    mido.MidiFile(type=1, ticks_per_beat=480, tracks=[track]).save(file=buffer)
    score = read_midi(buffer.getvalue())
    assert score.bars == 30 * 60 * 2 // 4  # 900 bars of 4/4 at 120 bpm
    assert score.seconds_at(score.end_tick) <= 30 * 60
