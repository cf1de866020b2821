"""MIDI: write → read round trips, the raw messages write_midi produces, and reading files
made with mido directly (type 0, other PPQs, minor keys, note pairing rules)."""

from __future__ import annotations

import io

import mido
import pytest

from ariaforge.music.interchange import InterchangeError, read_midi, write_midi
from ariaforge.music.score import (
    Key,
    Meter,
    MeterChange,
    Mode,
    Note,
    Role,
    Score,
    TempoChange,
    Track,
)


def notes_of(track: Track) -> list[tuple[int, int, int, int]]:
    return sorted((n.pitch, n.start, n.duration, n.velocity) for n in track.notes)


def midi_bytes(tracks: list[list[mido.Message]], *, file_type: int = 1, ppq: int = 480) -> bytes:
    midi = mido.MidiFile(type=file_type, ticks_per_beat=ppq)
    for messages in tracks:
        midi.tracks.append(mido.MidiTrack(messages))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def on(note: int, time: int = 0, channel: int = 0, velocity: int = 90) -> mido.Message:
    return mido.Message("note_on", note=note, velocity=velocity, time=time, channel=channel)


def off(note: int, time: int = 0, channel: int = 0) -> mido.Message:
    return mido.Message("note_off", note=note, velocity=0, time=time, channel=channel)


@pytest.fixture
def band() -> Score:
    """A small arrangement touching every field MIDI can carry."""
    return Score(
        tempo=96,
        tempo_changes=[TempoChange(tick=3840, bpm=132.5), TempoChange(tick=7680, bpm=60)],
        key=Key(tonic="Eb", mode=Mode.MINOR),
        meter=Meter(numerator=3, denominator=4),
        meter_changes=[MeterChange(bar=3, meter=Meter(numerator=6, denominator=8)),
                       MeterChange(bar=5, meter=Meter(numerator=4, denominator=4))],
        bars=6,
        tracks=[
            Track(name="Lead Flöte", program=73, volume=101, pan=-30, notes=[
                Note(pitch=75, start=0, duration=720, velocity=110),
                Note(pitch=78, start=720, duration=160),
                Note(pitch=77, start=880, duration=1),
                Note(pitch=75, start=1440, duration=2880, velocity=64),  # across barlines
            ]),
            Track(name="Bass", program=33, volume=90, pan=10, notes=[
                Note(pitch=39, start=0, duration=1440), Note(pitch=39, start=1440, duration=1440),
            ]),
            Track(name="Kit", is_drum=True, program=25, volume=127, pan=63, notes=[
                Note(pitch=36, start=0, duration=120), Note(pitch=42, start=0, duration=60),
                Note(pitch=38, start=480, duration=120, velocity=127),
            ]),
            Track(name="Pads", program=89, volume=0, pan=-64, mute=True, notes=[
                Note(pitch=p, start=2880, duration=2880, velocity=50) for p in (63, 66, 70)
            ]),
        ],
    )


def test_round_trip_keeps_everything_midi_carries(band: Score) -> None:
    back = read_midi(write_midi(band))
    assert back.tempo == 96
    assert [(c.tick, c.bpm) for c in back.tempo_changes] == [(3840, 132.5), (7680, 60)]
    assert back.meter == band.meter
    assert back.meter_changes == band.meter_changes
    assert back.key == Key(tonic="Eb", mode=Mode.MINOR)
    assert back.bars == 6
    assert [t.name for t in back.tracks] == ["Lead Flöte", "Bass", "Kit", "Pads"]
    assert [t.program for t in back.tracks] == [73, 33, 25, 89]
    assert [t.is_drum for t in back.tracks] == [False, False, True, False]
    assert [t.volume for t in back.tracks] == [101, 90, 127, 0]
    assert [t.pan for t in back.tracks] == [-30, 10, 63, -64]
    for original, read in zip(band.tracks, back.tracks, strict=True):
        assert notes_of(read) == notes_of(original), original.name


def test_roles_are_guessed(band: Score) -> None:
    back = read_midi(write_midi(band))
    assert [t.role for t in back.tracks] == [Role.MELODY, Role.BASS, Role.DRUMS, Role.PAD]


def test_raw_messages(band: Score) -> None:
    midi = mido.MidiFile(file=io.BytesIO(write_midi(band)))
    assert midi.type == 1
    assert midi.ticks_per_beat == 480
    assert len(midi.tracks) == 5  # conductor + four tracks, the muted one included

    conductor = list(_absolute(midi.tracks[0]))
    tempi = [(t, round(mido.tempo2bpm(m.tempo), 3)) for t, m in conductor if m.type == "set_tempo"]
    assert tempi == [(0, 96), (3840, 132.5), (7680, 60)]
    meters = [(t, m.numerator, m.denominator) for t, m in conductor
              if m.type == "time_signature"]
    assert meters == [(0, 3, 4), (2880, 6, 8), (5760, 4, 4)]
    assert [m.key for _, m in conductor if m.type == "key_signature"] == ["Ebm"]
    assert not any(hasattr(m, "channel") for _, m in conductor)

    lead, bass, kit, pads = (list(_absolute(track)) for track in midi.tracks[1:])
    assert lead[0][1].type == "track_name"
    assert _channels(kit) == {9}
    assert _channels(lead) == {0} and _channels(bass) == {1} and _channels(pads) == {2}
    assert _setting(lead, "program_change") == [73]
    assert _controller(lead, 7) == [101] and _controller(lead, 10) == [34]
    assert _controller(kit, 10) == [127] and _controller(pads, 10) == [0]
    kit_notes = [(t, m.note) for t, m in kit if m.type == "note_on"]
    assert kit_notes == [(0, 36), (0, 42), (480, 38)]
    assert all(m.type != "end_of_track" for _, m in lead[:-1])
    assert lead[-1][1].type == "end_of_track"
    assert lead[-1][0] == band.end_tick


def _absolute(track: mido.MidiTrack) -> list[tuple[int, mido.Message]]:
    now, found = 0, []
    for message in track:
        now += message.time
        found.append((now, message))
    return found


def _channels(events: list[tuple[int, mido.Message]]) -> set[int]:
    return {m.channel for _, m in events if hasattr(m, "channel")}


def _setting(events: list[tuple[int, mido.Message]], kind: str) -> list[int]:
    return [m.program for _, m in events if m.type == kind]


def _controller(events: list[tuple[int, mido.Message]], number: int) -> list[int]:
    return [m.value for _, m in events if m.type == "control_change" and m.control == number]


def test_sixteen_pitched_tracks_share_channels_and_drums_keep_ten() -> None:
    tracks = [Track(name=f"T{i}", notes=[Note(pitch=60 + i, start=0, duration=480)])
              for i in range(17)]
    tracks.insert(3, Track(name="Drums", is_drum=True,
                           notes=[Note(pitch=36, start=0, duration=480)]))
    score = Score(tracks=tracks)
    midi = mido.MidiFile(file=io.BytesIO(write_midi(score)))
    channels = [_channels(list(_absolute(track))) for track in midi.tracks[1:]]
    assert channels[3] == {9}
    pitched = [c for i, c in enumerate(channels) if i != 3]
    assert pitched[:15] == [{c} for c in (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15)]
    assert pitched[15] == {0} and pitched[16] == {1}
    back = read_midi(write_midi(score))
    assert [notes_of(t) for t in back.tracks] == [notes_of(t) for t in score.tracks]


def test_overlapping_notes_of_one_pitch_survive_exactly() -> None:
    # Two voices on one pitch: MIDI alone cannot say which note-off ends which note.
    notes = [Note(pitch=64, start=0, duration=1920), Note(pitch=64, start=480, duration=480),
             Note(pitch=64, start=960, duration=1920), Note(pitch=60, start=0, duration=480)]
    score = Score(tracks=[Track(name="Divisi", program=68, notes=notes)])
    back = read_midi(write_midi(score))
    assert len(back.tracks) == 1
    assert notes_of(back.tracks[0]) == notes_of(score.tracks[0])
    assert back.tracks[0].program == 68


def test_empty_track_and_empty_score_round_trip() -> None:
    score = Score(bars=2, tracks=[Track(name="Later", program=40)])
    back = read_midi(write_midi(score))
    assert [(t.name, t.program, t.notes) for t in back.tracks] == [("Later", 40, [])]
    assert back.bars == 2
    assert read_midi(write_midi(Score(bars=3))).tracks == []


def test_type_0_file_is_split_per_channel() -> None:
    data = midi_bytes([[
        mido.MetaMessage("track_name", name="Song"),
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(90)),
        mido.MetaMessage("time_signature", numerator=2, denominator=4),
        mido.MetaMessage("key_signature", key="A"),
        mido.Message("program_change", channel=0, program=0),
        mido.Message("program_change", channel=1, program=32),
        mido.Message("control_change", channel=1, control=7, value=80),
        on(72, channel=0), on(40, channel=1), on(36, channel=9),
        off(36, 120, channel=9), off(72, 360, channel=0), off(40, 0, channel=1),
        on(74, 0, channel=0), off(74, 480, channel=0),
    ]], file_type=0)
    score = read_midi(data)
    assert score.tempo == 90
    assert score.meter == Meter(numerator=2, denominator=4)
    assert score.key == Key(tonic="A", mode=Mode.MAJOR)
    assert [t.name for t in score.tracks] == [
        "Song (channel 1)", "Song (channel 2)", "Song (channel 10)"]
    piano, bass, drums = score.tracks
    assert notes_of(piano) == [(72, 0, 480, 90), (74, 480, 480, 90)]
    assert (bass.program, bass.volume, bass.role) == (32, 80, Role.BASS)
    assert drums.is_drum and drums.role == Role.DRUMS
    assert notes_of(drums) == [(36, 0, 120, 90)]
    assert score.bars == 1  # 960 ticks fill one 2/4 bar exactly


@pytest.mark.parametrize(
    ("ppq", "lengths", "expected"),
    [
        # 480 / 96 = 5: every tick maps exactly.
        (96, [96, 48, 24, 1], [(0, 480), (480, 240), (720, 120), (840, 5)]),
        # Halving: exact on even ticks; one raw tick (half a tick) still keeps one tick.
        (960, [960, 480, 2, 1], [(0, 480), (480, 240), (720, 1), (721, 1)]),
        # Not a divisor: each absolute tick goes to the nearest 480th (halves up).
        (100, [100, 33, 1], [(0, 480), (480, 158), (638, 5)]),
    ],
)
def test_ppq_is_rescaled_to_480(
    ppq: int, lengths: list[int], expected: list[tuple[int, int]]
) -> None:
    messages: list[mido.Message] = []
    for length in lengths:  # back to back, so starts and durations both rescale
        messages += [on(60), off(60, length)]
    score = read_midi(midi_bytes([messages], ppq=ppq))
    assert [(n.start, n.duration) for n in score.tracks[0].sorted_notes()] == expected


@pytest.mark.parametrize(
    ("mido_key", "tonic"),
    [("Am", "A"), ("Em", "E"), ("Dm", "D"), ("F#m", "F#"), ("C#m", "C#"), ("G#m", "G#"),
     ("D#m", "D#"), ("A#m", "A#"), ("Bbm", "Bb"), ("Ebm", "Eb"), ("Abm", "Ab"), ("Cm", "C")],
)
def test_minor_key_signatures(mido_key: str, tonic: str) -> None:
    data = midi_bytes([[mido.MetaMessage("key_signature", key=mido_key), on(60), off(60, 480)]])
    score = read_midi(data)
    assert score.key == Key(tonic=tonic, mode=Mode.MINOR)
    assert read_midi(write_midi(score)).key == score.key


def test_church_modes_are_written_with_their_signature() -> None:
    # D dorian has no sharps or flats: MIDI can only call it A minor (documented).
    score = Score(key=Key(tonic="D", mode=Mode.DORIAN))
    midi = mido.MidiFile(file=io.BytesIO(write_midi(score)))
    assert [m.key for m in midi.tracks[0] if m.type == "key_signature"] == ["Am"]
    lydian = Score(key=Key(tonic="F", mode=Mode.LYDIAN))
    assert read_midi(write_midi(lydian)).key == Key(tonic="C", mode=Mode.MAJOR)


def test_note_pairing_rules() -> None:
    data = midi_bytes([[
        on(60), on(60, 240),                 # struck again while sounding
        off(60, 240), off(60, 240),          # first in, first out: 0-480 then 240-720
        on(62, 0), on(62, 0, velocity=0),    # velocity-0 note_on ends it: zero length, dropped
        on(64, 0), off(64, 0),               # zero-length note: dropped
        off(65, 10),                         # an off with nothing sounding: ignored
        on(67, 0, velocity=70),              # never closed: ends with the track
        mido.MetaMessage("end_of_track", time=470),
    ]])
    notes = notes_of(read_midi(data).tracks[0])
    assert notes == [(60, 0, 480, 90), (60, 240, 480, 90), (67, 730, 470, 70)]


def test_time_signature_inside_a_bar_moves_to_the_next_barline() -> None:
    data = midi_bytes([[
        mido.MetaMessage("time_signature", numerator=4, denominator=4),
        mido.MetaMessage("time_signature", numerator=3, denominator=4, time=2000),
        on(60, 0), off(60, 480 * 8),
    ]])
    score = read_midi(data)
    assert score.meter == Meter()
    # Tick 2000 is inside bar 2 (1920-3840), so 3/4 starts at bar 3.
    assert score.meter_changes == [MeterChange(bar=3, meter=Meter(numerator=3, denominator=4))]


def test_bars_hold_the_last_note() -> None:
    data = midi_bytes([[on(60, 0), off(60, 1920 * 2 + 1)]])
    assert read_midi(data).bars == 3


def test_tempo_is_clamped_into_the_scores_range() -> None:
    data = midi_bytes([[mido.MetaMessage("set_tempo", tempo=16_000_000), on(60), off(60, 480)]])
    assert read_midi(data).tempo == 10


def test_unsupported_meter_is_refused() -> None:
    data = midi_bytes([[mido.MetaMessage("time_signature", numerator=3, denominator=64),
                        on(60), off(60, 480)]])
    with pytest.raises(InterchangeError, match="3/64"):
        read_midi(data)


def test_latin1_track_names_still_read() -> None:
    data = midi_bytes([[mido.MetaMessage("track_name", name="Café"), on(60), off(60, 480)]])
    assert read_midi(data).tracks[0].name == "Café"


def test_conductor_track_settings_apply_to_other_chunks() -> None:
    # Programs and volume set in the conductor track, notes in their own chunk.
    data = midi_bytes([
        [mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100)),
         mido.Message("program_change", channel=0, program=40),
         mido.Message("control_change", channel=0, control=7, value=70)],
        [mido.MetaMessage("track_name", name="Violin"), on(76), off(76, 480)],
    ])
    score = read_midi(data)
    assert [(t.name, t.program, t.volume) for t in score.tracks] == [("Violin", 40, 70)]


def test_type_1_chunk_with_two_programs_is_split() -> None:
    data = midi_bytes([[
        mido.MetaMessage("track_name", name="Mixed"),
        mido.Message("program_change", channel=0, program=0),
        mido.Message("program_change", channel=1, program=40),
        on(60, channel=0), on(72, channel=1), off(60, 480, channel=0), off(72, 0, channel=1),
    ]])
    score = read_midi(data)
    assert [(t.name, t.program) for t in score.tracks] == [
        ("Mixed (channel 1)", 0), ("Mixed (channel 2)", 40)]
