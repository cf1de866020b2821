"""The canonical Score: every import, export, render, edit and validation reads and writes it.

Time is in integer ticks at PPQ = 480 per quarter note, never float beats, so edits and
round trips are exact. Bars and beats are 1-based, as musicians count.
"""

from __future__ import annotations

import re
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from ariaforge.music.bounds import MAX_SECONDS, MAX_TAIL_SECONDS, check_bounds

PPQ = 480
# Every reader (validator, MIDI and MusicXML export, engraving) walks each bar of each
# track. Measured (CPU seconds, one core): 10,000 bars took ~50 s to engrave and 100 MB of
# MusicXML; at 1,000 bars, 64 empty tracks export to MusicXML in 1.1 s (10 MB), and with a
# meter change in every bar plus the most tempo changes and chord symbols in 2.9 s
# (23 MB). 1,000 bars is 30 minutes of 4/4 at 133 bpm.
MAX_BARS = 1_000
MAX_TRACKS = 64
# Validating and exporting cost 20-40 microseconds of CPU per note: 200,000 notes took
# 8-14 s for each of validate, export.mid and export.musicxml; at 50,000 each takes at most
# about 2.5 s. Hostile files with a million notes are refused.
MAX_NOTES = 50_000
MIN_BPM, MAX_BPM = 10, 1000
# No event can lie later than the longest piece plus its tail at the fastest tempo; the
# schema says so, so clients learn the limit before they send (the validator then ties
# events to the piece's own length).
MAX_TICK = (MAX_SECONDS + MAX_TAIL_SECONDS) * MAX_BPM * PPQ // 60

TONIC_PATTERN = re.compile(r"^[A-G](#{1,2}|b{1,2})?$")
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
DENOMINATORS = (1, 2, 4, 8, 16, 32)


class Mode(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    IONIAN = "ionian"
    DORIAN = "dorian"
    PHRYGIAN = "phrygian"
    LYDIAN = "lydian"
    MIXOLYDIAN = "mixolydian"
    AEOLIAN = "aeolian"
    LOCRIAN = "locrian"


class Role(StrEnum):
    MELODY = "melody"
    CHORDS = "chords"
    BASS = "bass"
    DRUMS = "drums"
    PAD = "pad"
    OTHER = "other"
    AUDIO = "audio"  # recorded samples placed in time (`Track.clips`), no notes


def new_id() -> str:
    return uuid.uuid4().hex[:12]


Identifier = Annotated[str, Field(pattern=ID_PATTERN)]
# Names people read: no control characters (PostgreSQL cannot even store NUL in JSON).
Label = Annotated[str, Field(pattern=r"^[^\x00-\x1f\x7f]*$")]
MAX_EVENTS = 10_000  # tempo changes, meter changes, chord symbols
MAX_SECTIONS = 1_000
# The composer re-composes the whole piece once per section key other than the home key
# (regenerate, restyle and reharmonize carry a score's section keys). Measured for 32
# bars: one key 0.75 s, 16 keys 3.1 s, 32 keys 7.8 s, and it grows with the bars; twelve
# keys (every tonic once) keeps the worst case bounded and is more than any real piece uses.
MAX_SECTION_KEYS = 12
# Notes may ring past the last bar (the validator says so), but not absurdly far.
MAX_OVERRUN_BARS = 16
Tick = Annotated[int, Field(ge=0, le=MAX_TICK)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Key(Model):
    # A pattern rather than a validator, so that the schema states it.
    tonic: str = Field(default="C", pattern=TONIC_PATTERN.pattern,
                       description="a letter A-G with up to two # or b, e.g. F#, Bb")
    mode: Mode = Mode.MAJOR


class Meter(Model):
    numerator: int = Field(default=4, ge=1, le=32)
    denominator: Literal[1, 2, 4, 8, 16, 32] = 4

    @property
    def ticks_per_bar(self) -> int:
        return self.numerator * self.ticks_per_beat

    @property
    def ticks_per_beat(self) -> int:
        """Ticks of one denominator unit (an eighth in 6/8)."""
        return PPQ * 4 // self.denominator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    @classmethod
    def parse(cls, text: str) -> Meter:
        numerator, _, denominator = text.partition("/")
        return cls.model_validate({"numerator": int(numerator), "denominator": int(denominator)})


class TempoChange(Model):
    tick: Tick
    bpm: float = Field(ge=MIN_BPM, le=MAX_BPM)


class MeterChange(Model):
    bar: int = Field(ge=1, le=MAX_BARS, description="first bar (1-based) in the new meter")
    meter: Meter


class Section(Model):
    name: Label = Field(min_length=1, max_length=64)
    start_bar: int = Field(ge=1, le=MAX_BARS)
    bars: int = Field(ge=1, le=MAX_BARS)
    key: Key | None = Field(default=None, description="the section's own key where it "
                            "modulates; absent: the score's key")

    @property
    def end_bar(self) -> int:
        """The first bar after the section."""
        return self.start_bar + self.bars


class ChordSymbol(Model):
    """A chord symbol over the music (lead-sheet style), e.g. `Dm7` at bar 3."""

    tick: Tick
    symbol: Label = Field(min_length=1, max_length=32)


class Note(Model):
    id: Identifier = Field(default_factory=new_id)
    pitch: int = Field(ge=0, le=127)
    start: Tick
    duration: int = Field(gt=0, le=MAX_TICK)
    velocity: int = Field(default=90, ge=1, le=127)

    @property
    def end(self) -> int:
        return self.start + self.duration


# Each clip is a decoded sample mixed into the render: enough for a loop per bar of a long
# song, few enough that decoding them all stays bounded (the renderer decodes each distinct
# sample once).
MAX_CLIPS = 256
# Library ids as `str(uuid.UUID)` writes them (lower case, hyphens): one spelling per id.
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
LibraryId = Annotated[str, Field(pattern=UUID_PATTERN)]


class AudioClip(Model):
    """A library sample placed on an audio track: it starts sounding at `start` and plays
    to its end (time-stretched to the score's tempo when `stretch` and the sample has a
    tempo)."""

    id: Identifier = Field(default_factory=new_id)
    sample_id: LibraryId = Field(description="id (uuid) of a library sample the project "
                                 "may use")
    start: Tick
    gain_db: float = Field(default=0.0, ge=-36.0, le=12.0, allow_inf_nan=False)
    stretch: bool = Field(default=False, description="follow the score's tempo: the sample "
                          "is time-stretched by score bpm / sample bpm")


class Track(Model):
    id: Identifier = Field(default_factory=new_id)
    name: Label = Field(default="Track", min_length=1, max_length=100)
    role: Role = Role.OTHER
    program: int = Field(default=0, ge=0, le=127, description="General MIDI program")
    is_drum: bool = False
    volume: int = Field(default=100, ge=0, le=127)
    pan: int = Field(default=0, ge=-64, le=63)
    mute: bool = False
    solo: bool = False
    colour: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    preset_id: LibraryId | None = Field(
        default=None, description="id (uuid) of a library preset (not on audio tracks); "
        "a SoundFont preset replaces the General MIDI program in renders")
    notes: list[Note] = Field(default_factory=list)
    clips: list[AudioClip] = Field(default_factory=list, max_length=MAX_CLIPS,
                                   description="samples placed in time; only on tracks "
                                   "with role `audio`, which hold no notes")

    @model_validator(mode="after")
    def _audio(self) -> Track:
        if self.role == Role.AUDIO:
            if self.notes:
                raise ValueError("an audio track holds clips, not notes")
            if self.is_drum:
                raise ValueError("an audio track cannot be a drum track")
            if self.preset_id is not None:
                raise ValueError("an audio track has no instrument preset")
        elif self.clips:
            raise ValueError("clips belong on tracks with role `audio`")
        clip_ids = [clip.id for clip in self.clips]
        if len(set(clip_ids)) != len(clip_ids):
            raise ValueError("clip ids must be unique within a track")
        return self

    @property
    def is_audio(self) -> bool:
        return self.role == Role.AUDIO

    def sorted_notes(self) -> list[Note]:
        return sorted(self.notes, key=lambda n: (n.start, n.pitch, n.id))


class Score(Model):
    ppq: Literal[480] = 480
    tempo: float = Field(default=120.0, ge=MIN_BPM, le=MAX_BPM, description="bpm at tick 0")
    tempo_changes: list[TempoChange] = Field(default_factory=list, max_length=MAX_EVENTS)
    key: Key = Field(default_factory=Key)
    meter: Meter = Field(default_factory=Meter)
    meter_changes: list[MeterChange] = Field(default_factory=list, max_length=MAX_EVENTS)
    bars: int = Field(default=8, ge=1, le=MAX_BARS, description="length of the piece in bars")
    sections: list[Section] = Field(default_factory=list, max_length=MAX_SECTIONS)
    chord_symbols: list[ChordSymbol] = Field(default_factory=list, max_length=MAX_EVENTS)
    tracks: list[Track] = Field(default_factory=list, max_length=MAX_TRACKS)
    # Lookup tables for bar and time arithmetic, built on first use (see the end of
    # this module).
    _meters: _MeterMap | None = PrivateAttr(default=None)
    _tempi: _TempoMap | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> Score:
        track_ids = [track.id for track in self.tracks]
        if len(set(track_ids)) != len(track_ids):
            raise ValueError("track ids must be unique")
        total = sum(len(track.notes) for track in self.tracks)
        if total > MAX_NOTES:
            raise ValueError(f"a score holds at most {MAX_NOTES} notes (got {total})")
        note_ids = [note.id for track in self.tracks for note in track.notes]
        if len(set(note_ids)) != len(note_ids):
            raise ValueError("note ids must be unique within the score")
        bars = [change.bar for change in self.meter_changes]
        if bars != sorted(set(bars)) or any(bar == 1 for bar in bars):
            raise ValueError("meter changes must be in increasing bar order, after bar 1 "
                             "(set `meter` for the first bar)")
        section_keys = {(s.key.tonic, s.key.mode) for s in self.sections
                        if s.key is not None and s.key != self.key}
        if len(section_keys) > MAX_SECTION_KEYS:
            raise ValueError(f"the sections use at most {MAX_SECTION_KEYS} keys besides the "
                             f"score's own (got {len(section_keys)})")
        ticks = [change.tick for change in self.tempo_changes]
        if ticks != sorted(set(ticks)):
            raise ValueError("tempo changes must be in increasing tick order")
        limit = self.bar_start(self.bars + 1 + MAX_OVERRUN_BARS)
        latest = max((note.end for track in self.tracks for note in track.notes), default=0)
        if latest > limit:
            raise ValueError(f"a note ends more than {MAX_OVERRUN_BARS} bars after the last "
                             f"bar ({self.bars}); lengthen the score (`bars`) first")
        if any(clip.start >= self.end_tick for track in self.tracks for clip in track.clips):
            raise ValueError(f"a clip starts after the last bar ({self.bars}); lengthen the "
                             "score (`bars`) first")
        check_bounds(self)
        return self

    # --- time -----------------------------------------------------------------------

    # Read through __pydantic_private__: attribute access to a private goes through
    # BaseModel.__getattr__, which cost more than the lookup itself.
    def _meter_map(self) -> _MeterMap:
        cached: _MeterMap | None = (self.__pydantic_private__ or {}).get("_meters")
        if cached is None or not cached.describes(self.meter, self.meter_changes):
            cached = self._meters = _MeterMap.of(self.meter, self.meter_changes)
        return cached

    def _tempo_map(self) -> _TempoMap:
        cached: _TempoMap | None = (self.__pydantic_private__ or {}).get("_tempi")
        if cached is None or not cached.describes(self.tempo, self.tempo_changes):
            cached = self._tempi = _TempoMap.of(self.tempo, self.tempo_changes)
        return cached

    def meter_at_bar(self, bar: int) -> Meter:
        meters = self._meter_map()
        return meters.meters[max(bisect_right(meters.bars, bar) - 1, 0)]

    def bar_start(self, bar: int) -> int:
        """The tick at which `bar` (1-based) starts; bars past the end extend the last meter."""
        if bar < 1:
            raise ValueError("bars count from 1")
        meters = self._meter_map()
        index = max(bisect_left(meters.bars, bar) - 1, 0)
        bar_ticks = meters.meters[index].ticks_per_bar
        return meters.ticks[index] + (bar - meters.bars[index]) * bar_ticks

    @property
    def end_tick(self) -> int:
        return self.bar_start(self.bars + 1)

    def bar_of(self, tick: int) -> int:
        """The 1-based bar containing `tick`."""
        if tick < 0:
            raise ValueError("ticks are never negative")
        meters = self._meter_map()
        index = bisect_right(meters.ticks, tick) - 1
        bar_ticks = meters.meters[index].ticks_per_bar
        return meters.bars[index] + (tick - meters.ticks[index]) // bar_ticks

    def tick_to_bar_beat(self, tick: int) -> tuple[int, Fraction]:
        """(bar, beat) with beat 1-based in the meter's denominator unit: 2.5 = halfway
        through beat 2."""
        if tick < 0:
            raise ValueError("ticks are never negative")
        meters = self._meter_map()
        index = bisect_right(meters.ticks, tick) - 1
        meter = meters.meters[index]
        bars, offset = divmod(tick - meters.ticks[index], meter.ticks_per_bar)
        return meters.bars[index] + bars, 1 + Fraction(offset, meter.ticks_per_beat)

    def bar_beat_to_tick(self, bar: int, beat: Fraction | int | float = 1) -> int:
        meter = self.meter_at_bar(bar)
        beat = Fraction(beat).limit_denominator(PPQ)
        if not 1 <= beat < meter.numerator + 1:
            raise ValueError(f"beat {beat} is outside a bar of {meter}")
        offset = (beat - 1) * meter.ticks_per_beat
        if offset.denominator != 1:
            raise ValueError("that beat does not fall on a tick")
        return self.bar_start(bar) + int(offset)

    def tempo_at(self, tick: int) -> float:
        tempi = self._tempo_map()
        index = bisect_right(tempi.ticks, tick) - 1
        return tempi.bpms[index] if index >= 0 else self.tempo

    def seconds_at(self, tick: int) -> float:
        """Wall-clock time of `tick`, following tempo changes."""
        tempi = self._tempo_map()
        index = bisect_left(tempi.ticks, tick) - 1  # the last change strictly before `tick`
        if index < 0:
            return tick * 60.0 / (self.tempo * PPQ)
        return tempi.seconds[index] + (tick - tempi.ticks[index]) * 60.0 / (
            tempi.bpms[index] * PPQ)

    # --- lookup ---------------------------------------------------------------------

    def track(self, track_id: str) -> Track:
        for track in self.tracks:
            if track.id == track_id:
                return track
        raise KeyError(track_id)

    def all_notes(self) -> Iterator[tuple[Track, Note]]:
        for track in self.tracks:
            for note in track.notes:
                yield track, note

    def pitched_notes(self) -> list[Note]:
        """Every note of every non-drum track, in time order."""
        notes = [note for track in self.tracks if not track.is_drum for note in track.notes]
        return sorted(notes, key=lambda n: (n.start, n.pitch))

    def section(self, name: str) -> Section:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(name)

    def chord_symbols_between(self, start: int, end: int) -> list[ChordSymbol]:
        return [c for c in self.chord_symbols if start <= c.tick < end]


def split_audio(score: Score) -> tuple[Score, list[tuple[int, Track]]]:
    """The score without its audio tracks, and those tracks with their places: for code
    that writes notes track by track (the composer) and must leave recorded audio alone."""
    audio = [(index, track) for index, track in enumerate(score.tracks) if track.is_audio]
    if not audio:
        return score, []
    return score.model_copy(update={"tracks": [t for t in score.tracks if not t.is_audio]}), audio


def restore_audio(score: Score, audio: list[tuple[int, Track]]) -> Score:
    """`score` with the audio tracks `split_audio` took out put back in their places. A
    clip that now starts past the piece's end (a shorter piece) is dropped; a track whose
    id the new score took meanwhile is not put back."""
    if not audio:
        return score
    tracks = list(score.tracks)
    taken = {track.id for track in tracks}
    end = score.end_tick
    for index, track in audio:
        if track.id in taken:
            continue
        clips = [clip for clip in track.clips if clip.start < end]
        tracks.insert(min(index, len(tracks)), track.model_copy(update={"clips": clips}))
    return Score.model_validate({**score.model_dump(), "tracks": [
        t.model_dump() for t in tracks][:MAX_TRACKS]})


def notes_in(notes: Iterable[Note], start: int, end: int) -> list[Note]:
    """Notes sounding at any moment in [start, end)."""
    return [note for note in notes if note.start < end and note.end > start]


# --- lookup tables ------------------------------------------------------------------
# Bar and time arithmetic runs per note and per event in validators, exporters and
# renderers; walking thousands of meter or tempo changes each time made them quadratic.
# The tables are derived from the score's fields and rebuilt when those fields are
# replaced (model_copy(update=...) gives new objects); they compare equal to anything so
# that they never make two scores unequal.


class _Derived:
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = None  # type: ignore[assignment]


@dataclass(eq=False)
class _MeterMap(_Derived):
    """For each meter in force: its first bar, the tick where it starts, the meter."""

    source: tuple[Meter, list[MeterChange], int]
    bars: list[int]
    ticks: list[int]
    meters: list[Meter]

    @classmethod
    def of(cls, meter: Meter, changes: list[MeterChange]) -> _MeterMap:
        bars, ticks, meters = [1], [0], [meter]
        for change in changes:
            if change.bar <= bars[-1]:
                continue  # out of order: the validator refuses it; ignore it meanwhile
            ticks.append(ticks[-1] + (change.bar - bars[-1]) * meters[-1].ticks_per_bar)
            bars.append(change.bar)
            meters.append(change.meter)
        return cls((meter, changes, len(changes)), bars, ticks, meters)

    def describes(self, meter: Meter, changes: list[MeterChange]) -> bool:
        known_meter, known_changes, count = self.source
        return known_meter is meter and known_changes is changes and count == len(changes)


@dataclass(eq=False)
class _TempoMap(_Derived):
    """For each tempo change: its tick, its bpm and the seconds elapsed when it starts."""

    source: tuple[float, list[TempoChange], int]
    ticks: list[int]
    bpms: list[float]
    seconds: list[float]

    @classmethod
    def of(cls, tempo: float, changes: list[TempoChange]) -> _TempoMap:
        ticks: list[int] = []
        bpms: list[float] = []
        seconds: list[float] = []
        elapsed, last_tick, bpm = 0.0, 0, tempo
        for change in changes:
            if ticks and change.tick < ticks[-1]:
                continue  # out of order: the validator refuses it; ignore it meanwhile
            elapsed += (change.tick - last_tick) * 60.0 / (bpm * PPQ)
            last_tick, bpm = change.tick, change.bpm
            ticks.append(change.tick)
            bpms.append(change.bpm)
            seconds.append(elapsed)
        return cls((tempo, changes, len(changes)), ticks, bpms, seconds)

    def describes(self, tempo: float, changes: list[TempoChange]) -> bool:
        known_tempo, known_changes, count = self.source
        return known_tempo == tempo and known_changes is changes and count == len(changes)
