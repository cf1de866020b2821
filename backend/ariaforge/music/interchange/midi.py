"""Standard MIDI Files ⇄ Score, through mido.

Reading (`read_midi`) accepts types 0 and 1 (type 2 is refused) at any PPQ:

* Time is rescaled to PPQ 480 from absolute ticks (never deltas, so nothing drifts). The
  rescale is exact when 480 is a multiple of the file's PPQ or the ticks fall on the
  480-grid; otherwise each tick is rounded to the nearest 480th of a quarter (halves up),
  and a note that rounds to nothing keeps one tick.
* `set_tempo` events from any track make `tempo` (120 when none is at tick 0) and
  `tempo_changes`. Tempi are clamped to 10-1000 bpm.
* `time_signature` events make `meter` and bar-numbered `meter_changes`; one in the middle
  of a bar takes effect at the next barline (a Score changes meter only at barlines).
* The earliest `key_signature` gives `key` (minor from the event's mode); later key
  changes are not kept, as a Score has one key.
* Tracks: a type 0 file is split into one Score track per channel. In a type 1 file each
  track chunk is one instrument: its channels that share drum-ness and program make one
  Score track (write_midi spreads overlapping notes of one pitch over such channels) and
  channels with another program are split off. A chunk with no notes is kept only as an
  empty track that sets a program on a single channel (as write_midi writes one).
  Channel 10 (index 9) is a drum track. Names come from `track_name` (UTF-8 when it
  decodes so, else Latin-1), the program from the first `program_change`, volume and pan
  from the first CC7 and CC10 (pan = CC10 - 64), falling back to those set for the
  channel in another chunk.
* Notes pair note_on with note_off (or note_on at velocity 0) per channel and pitch. A
  pitch struck again while it sounds opens a second note and offs close them first in,
  first out. Notes never closed end at the end of their track; zero-length notes are
  dropped.
* `bars` holds the last note and every complete bar before the end of the longest track.
* Roles are guessed (see `assembly.guess_roles`).

Writing (`write_midi`) makes a type 1 file at PPQ 480: a conductor track (tempo, meter
and key events, with their changes: a section with a key of its own gets a key signature
at its first bar, and the bar after it one back to the score's key), then one track per
Score track, muted ones included, with its name, program, CC7 volume, CC10 pan and notes.
Drum tracks play on channel 10; pitched tracks take channels 1-9 and 11-16 in order, so
from the 16th pitched track on, tracks share channels (and the program of whichever track
changed it last). MIDI cannot say which note-off ends which of two overlapping notes of
one pitch on one channel, so such notes go to a spare channel with the same settings
while spare channels last (drums stay on channel 10 and rely on first-in, first-out).
Church modes are written as the major or minor key with the same signature (the tonic is
not kept); keys past seven sharps or flats take the enharmonic signature. Sections, chord
symbols, roles, mute, solo and colours are not stored in MIDI.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import mido

from ariaforge.music.interchange import smf
from ariaforge.music.interchange.assembly import (
    MAX_BPM,
    DraftNote,
    ScoreDraft,
    TrackDraft,
    build_score,
    check_tick,
)
from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.limits import MAX_MIDI_BYTES, NoteBudget, check_size
from ariaforge.music.interchange.notation import MINOR_LIKE, key_fifths
from ariaforge.music.score import PPQ, Key, Mode, Note, Score, Track
from ariaforge.music.section_keys import key_changes

DRUM_CHANNEL = 9
PITCHED_CHANNELS = tuple(c for c in range(16) if c != DRUM_CHANNEL)
VOLUME_CC, PAN_CC = 7, 10

_MAJOR_KEYS = {
    -7: "Cb", -6: "Gb", -5: "Db", -4: "Ab", -3: "Eb", -2: "Bb", -1: "F", 0: "C",
    1: "G", 2: "D", 3: "A", 4: "E", 5: "B", 6: "F#", 7: "C#",
}
_MINOR_KEYS = {
    -7: "Ab", -6: "Eb", -5: "Bb", -4: "F", -3: "C", -2: "G", -1: "D", 0: "A",
    1: "E", 2: "B", 3: "F#", 4: "C#", 5: "G#", 6: "D#", 7: "A#",
}


# --- reading ----------------------------------------------------------------------


def read_midi(data: bytes) -> Score:
    """Parse a type 0 or type 1 Standard MIDI File into a Score (see the module notes).

    Raises InterchangeError for anything that is not a sound MIDI file or would not fit in
    a Score; the file's structure is checked before mido decodes it.
    """
    check_size(data, MAX_MIDI_BYTES, "MIDI")
    layout = smf.scan(data)
    midi = _decode(layout)
    return build_score(_draft(midi, layout.division), "MIDI")


def _decode(layout: smf.SmfLayout) -> mido.MidiFile:
    try:
        return mido.MidiFile(file=io.BytesIO(layout.rebuilt()))
    except Exception as exc:
        # The scan has checked the structure; what is left is a meta event whose contents
        # mido rejects (a key signature with 9 sharps, a 2-byte tempo...).
        raise InterchangeError(
            "the MIDI file holds a corrupt event (a key signature, tempo or other meta "
            "event with impossible contents)") from exc


class _Rescaler:
    """Absolute ticks at the file's PPQ → ticks at 480, rounded half up."""

    def __init__(self, ppq: int) -> None:
        self.ppq = ppq

    def __call__(self, tick: int) -> int:
        if self.ppq == PPQ:
            return tick
        return (tick * 2 * PPQ + self.ppq) // (2 * self.ppq)


@dataclass
class _Channel:
    """What one channel of one track chunk has said so far (`sounding` holds raw ticks)."""

    program: int | None = None
    volume: int | None = None
    pan: int | None = None
    sounding: dict[int, deque[tuple[int, int]]] = field(default_factory=dict)
    notes: list[DraftNote] = field(default_factory=list)


@dataclass
class _Chunk:
    name: str | None = None
    channels: dict[int, _Channel] = field(default_factory=dict)
    end: int = 0


class _Reader:
    """Collects a mido file's events into a ScoreDraft."""

    def __init__(self, ppq: int) -> None:
        self.scale = _Rescaler(ppq)
        self.budget = NoteBudget("MIDI")
        self.draft = ScoreDraft(length_rounding="down")
        self.keys: list[tuple[int, Key]] = []

    def chunk(self, track: Iterable[Any]) -> _Chunk:
        chunk = _Chunk()
        raw = 0
        for message in track:
            raw += message.time
            if message.is_meta:
                self._meta(message, self.scale(raw), chunk)
            elif hasattr(message, "channel"):
                state = chunk.channels.setdefault(message.channel, _Channel())
                self._channel(message, raw, state)
        chunk.end = self.scale(raw)
        for state in chunk.channels.values():
            self._close_sounding(state, raw)
        return chunk

    def _meta(self, message: Any, tick: int, chunk: _Chunk) -> None:
        if message.type == "set_tempo":
            # A tempo of 0 µs per beat would be infinitely fast: clamp it like any other.
            bpm = 60_000_000 / message.tempo if message.tempo > 0 else MAX_BPM
            self.draft.tempi.append((tick, bpm))
        elif message.type == "time_signature":
            self.draft.meters.append((tick, message.numerator, message.denominator))
        elif message.type == "key_signature":
            self.keys.append((tick, _key_from_mido(message.key)))
        elif message.type == "track_name" and chunk.name is None:
            chunk.name = _text(message.name)

    def _channel(self, message: Any, raw: int, state: _Channel) -> None:
        kind = message.type
        if kind == "note_on" and message.velocity > 0:
            state.sounding.setdefault(message.note, deque()).append((raw, message.velocity))
        elif kind in ("note_off", "note_on"):
            queue = state.sounding.get(message.note)
            if queue:
                start, velocity = queue.popleft()
                self._note(state, message.note, start, raw, velocity)
        elif kind == "program_change" and state.program is None:
            state.program = message.program
        elif kind == "control_change" and message.control == VOLUME_CC and state.volume is None:
            state.volume = message.value
        elif kind == "control_change" and message.control == PAN_CC and state.pan is None:
            state.pan = message.value - 64

    def _note(self, state: _Channel, pitch: int, raw_start: int, raw_end: int,
              velocity: int) -> None:
        """Keep a note that had length in the file; one that rescaling shrinks to nothing
        keeps a single tick."""
        if raw_end <= raw_start:
            return
        self.budget.add()
        start = self.scale(raw_start)
        end = check_tick(max(self.scale(raw_end), start + 1), "MIDI")
        state.notes.append(DraftNote(pitch, start, end, velocity))

    def _close_sounding(self, state: _Channel, raw_end: int) -> None:
        for pitch, queue in state.sounding.items():
            for start, velocity in queue:
                self._note(state, pitch, start, raw_end, velocity)
        state.sounding.clear()


def _draft(midi: mido.MidiFile, ppq: int) -> ScoreDraft:
    reader = _Reader(ppq)
    chunks = [reader.chunk(track) for track in midi.tracks]
    draft = reader.draft
    if reader.keys:
        draft.key = min(reader.keys, key=lambda item: item[0])[1]
    draft.length_tick = max((chunk.end for chunk in chunks), default=0)
    fallback = _first_settings(chunks)
    sounding = {number for chunk in chunks for number, state in chunk.channels.items()
                if state.notes}
    for chunk in chunks:
        groups = _channel_groups(chunk, fallback, sounding, split=midi.type == 0)
        draft.tracks.extend(_group_track(chunk, group, fallback, len(draft.tracks), len(groups))
                            for group in groups)
    return draft


def _first_settings(chunks: list[_Chunk]) -> dict[int, _Channel]:
    """Per channel, the first program/volume/pan set anywhere in the file: a conductor
    track often sets them for channels whose notes live in other chunks."""
    first: dict[int, _Channel] = {}
    for chunk in chunks:
        for number, state in chunk.channels.items():
            seen = first.setdefault(number, _Channel())
            seen.program = seen.program if seen.program is not None else state.program
            seen.volume = seen.volume if seen.volume is not None else state.volume
            seen.pan = seen.pan if seen.pan is not None else state.pan
    return first


def _channel_groups(
    chunk: _Chunk, fallback: dict[int, _Channel], sounding: set[int], *, split: bool
) -> list[list[int]]:
    """The channels of a chunk that make one Score track each.

    Type 0: one track per channel. Type 1: a chunk is one instrument, so its channels that
    share drum-ness and program are one track (write_midi spreads a track's overlapping
    notes of one pitch over such channels); channels with other programs are split off.
    A group with no notes is kept only when it is the chunk's only group, sets a program
    and its channel plays no notes anywhere else: an empty track, as write_midi writes
    one (not a conductor track setting up channels for the other chunks).
    """
    groups: dict[tuple[int, ...], list[int]] = {}
    for number in sorted(chunk.channels):
        if split:
            identity: tuple[int, ...] = (number,)
        else:
            program = _first(chunk.channels[number].program, fallback[number].program, 0)
            identity = (number == DRUM_CHANNEL, program)
        groups.setdefault(identity, []).append(number)
    found = list(groups.values())
    with_notes = [g for g in found if any(chunk.channels[c].notes for c in g)]
    lone_program = (
        len(found) == 1
        and any(chunk.channels[c].program is not None for c in found[0])
        and not sounding.intersection(found[0])
    )
    return found if not with_notes and lone_program else with_notes


def _group_track(
    chunk: _Chunk, group: list[int], fallback: dict[int, _Channel], count: int, groups: int
) -> TrackDraft:
    first = group[0]
    state, default = chunk.channels[first], fallback[first]
    drum = first == DRUM_CHANNEL
    name = chunk.name or ("Drums" if drum else f"Track {count + 1}")
    if groups > 1:
        name = f"{name} (channel {first + 1})"
    return TrackDraft(
        name=name,
        program=_first(state.program, default.program, 0),
        is_drum=drum,
        volume=_first(state.volume, default.volume, 100),
        pan=_first(state.pan, default.pan, 0),
        notes=[note for number in group for note in chunk.channels[number].notes],
    )


def _first(*values: int | None) -> int:
    return next(v for v in values if v is not None)


def _text(value: str) -> str:
    """mido decodes text as Latin-1; most modern files are UTF-8, so try that first."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _key_from_mido(name: str) -> Key:
    if name.endswith("m"):
        return Key(tonic=name[:-1], mode=Mode.MINOR)
    return Key(tonic=name, mode=Mode.MAJOR)


# --- writing ----------------------------------------------------------------------


def write_midi(score: Score) -> bytes:
    """A type 1 Standard MIDI File at PPQ 480 for `score` (see the module notes)."""
    end = max([score.end_tick, *(n.end for _, n in score.all_notes())])
    midi = mido.MidiFile(type=1, ticks_per_beat=PPQ)
    midi.tracks.append(_conductor(score, end))
    # Audio tracks (samples) have no MIDI: left out.
    written = [track for track in score.tracks if not track.is_audio]
    main = allocate_channels(written)
    spare = [c for c in PITCHED_CHANNELS if c not in main]
    for track, channel in zip(written, main, strict=True):
        notes = track.sorted_notes()
        # Drums stay on channel 10 whatever overlaps: another channel would make them pitched.
        layers = [0] * len(notes) if track.is_drum else _layers(notes)
        # One channel per layer: spare channels while they last, then the track's own.
        extra = [spare.pop(0) if spare else channel for _ in range(max(layers, default=0))]
        channels = [channel, *extra]
        midi.tracks.append(_track(
            track, notes, [channels[layer] for layer in layers], sorted(set(channels)), end))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def allocate_channels(tracks: Iterable[Track]) -> list[int]:
    """Channel 10 (index 9) for drums; the other fifteen in turn for pitched tracks."""
    channels: list[int] = []
    pitched = 0
    for track in tracks:
        if track.is_drum:
            channels.append(DRUM_CHANNEL)
        else:
            channels.append(PITCHED_CHANNELS[pitched % len(PITCHED_CHANNELS)])
            pitched += 1
    return channels


def _layers(notes: list[Note]) -> list[int]:
    """For each note (in start order), the first layer where no earlier note of the same
    pitch still sounds. MIDI cannot tell which note-off ends which of two overlapping
    notes of one pitch on one channel, so each layer gets a channel of its own."""
    lanes: dict[int, list[int]] = {}  # pitch -> end of the last note in each layer
    layers: list[int] = []
    for note in notes:
        ends = lanes.setdefault(note.pitch, [])
        layer = next((i for i, end in enumerate(ends) if end <= note.start), len(ends))
        if layer == len(ends):
            ends.append(note.end)
        else:
            ends[layer] = note.end
        layers.append(layer)
    return layers


# Events at one tick: settings first, then note-offs before note-ons, so a note repeated
# right after itself is closed before it is struck again.
_SETTING, _OFF, _ON = 0, 1, 2


def _conductor(score: Score, end: int) -> mido.MidiTrack:
    events: list[tuple[int, int, Any]] = [
        (0, _SETTING, _time_signature(score.meter.numerator, score.meter.denominator)),
        (0, _SETTING, mido.MetaMessage("key_signature", key=_mido_key(score.key))),
        (0, _SETTING, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(score.tempo))),
    ]
    for bar, key in key_changes(score):  # sections with a key of their own
        tick = score.bar_start(bar)
        if tick == 0:
            events[1] = (0, _SETTING, mido.MetaMessage("key_signature", key=_mido_key(key)))
        else:
            events.append((tick, _SETTING, mido.MetaMessage("key_signature",
                                                           key=_mido_key(key))))
    for change in score.meter_changes:
        events.append((score.bar_start(change.bar), _SETTING, _time_signature(
            change.meter.numerator, change.meter.denominator)))
    for tempo in score.tempo_changes:
        events.append((tempo.tick, _SETTING, mido.MetaMessage(
            "set_tempo", tempo=mido.bpm2tempo(tempo.bpm))))
    return _sequence(events, end)


def _time_signature(numerator: int, denominator: int) -> Any:
    return mido.MetaMessage("time_signature", numerator=numerator, denominator=denominator)


def _mido_key(key: Key) -> str:
    fifths = key_fifths(key)
    if key.mode in MINOR_LIKE:
        return _MINOR_KEYS[fifths] + "m"
    return _MAJOR_KEYS[fifths]


def _track(
    track: Track, notes: list[Note], note_channels: list[int], channels: list[int], end: int
) -> mido.MidiTrack:
    # mido writes text as Latin-1; passing UTF-8 bytes through it stores UTF-8, which
    # read_midi (and most modern software) decodes.
    name = track.name.encode("utf-8").decode("latin-1")
    events: list[tuple[int, int, Any]] = [(0, _SETTING, mido.MetaMessage("track_name", name=name))]
    for channel in channels:
        events += [
            (0, _SETTING, mido.Message("program_change", channel=channel, program=track.program)),
            (0, _SETTING, mido.Message(
                "control_change", channel=channel, control=VOLUME_CC, value=track.volume)),
            (0, _SETTING, mido.Message(
                "control_change", channel=channel, control=PAN_CC, value=track.pan + 64)),
        ]
    for note, channel in zip(notes, note_channels, strict=True):
        events.append((note.start, _ON, mido.Message(
            "note_on", channel=channel, note=note.pitch, velocity=note.velocity)))
        events.append((note.end, _OFF, mido.Message(
            "note_off", channel=channel, note=note.pitch, velocity=0)))
    return _sequence(events, end)


def _sequence(events: list[tuple[int, int, Any]], end: int) -> mido.MidiTrack:
    """Absolute-tick events → a track of delta times, closed by end_of_track at `end`."""
    track = mido.MidiTrack()
    now = 0
    for tick, _, message in sorted(events, key=lambda e: (e[0], e[1])):
        message.time = tick - now
        track.append(message)
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=max(end - now, 0)))
    return track
