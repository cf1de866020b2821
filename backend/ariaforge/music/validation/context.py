"""What every rule needs, computed once per score: key, lines, and the harmony over time."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

from ariaforge.music.score import Key, Mode, Note, Role, Score, Track
from ariaforge.music.section_keys import KeyMap
from ariaforge.music.theory.chords import (
    Chord,
    ChordParseError,
    parse_chord_symbol,
    recognize_chord,
)
from ariaforge.music.theory.pitch import pitch_class_name
from ariaforge.music.theory.scales import scale_pitch_classes


@dataclass(frozen=True)
class HarmonySpan:
    start: int
    end: int
    chord: Chord | None
    notes: tuple[Note, ...]


@dataclass
class Context:
    score: Score
    options: dict[str, object] = field(default_factory=dict)

    @cached_property
    def scale(self) -> frozenset[int]:
        return frozenset(scale_pitch_classes(self.score.key))

    @cached_property
    def pitch_names(self) -> list[str]:
        """The name of each pitch class as spelled in the score's key."""
        return [pitch_class_name(pitch_class, self.score.key) for pitch_class in range(12)]

    @cached_property
    def tonic(self) -> int:
        return scale_pitch_classes(self.score.key)[0]

    # A section may have a key of its own (a modulated chorus): notes there are judged in
    # that key. `scale`, `tonic` and `pitch_names` above are the score's (home) key.

    @cached_property
    def keys(self) -> KeyMap:
        return KeyMap.of(self.score)

    def key_at(self, tick: int) -> Key:
        return self.keys.at(tick)

    def tonic_at(self, tick: int) -> int:
        return _key_facts(self.keys.at(tick))[0]

    def scale_at(self, tick: int) -> frozenset[int]:
        return _key_facts(self.keys.at(tick))[1]

    def name_at(self, pitch: int, tick: int) -> str:
        """The pitch's name as spelled in the key in force at `tick`."""
        return pitch_class_name(pitch % 12, self.keys.at(tick))

    @cached_property
    def pitched_tracks(self) -> list[Track]:
        return [t for t in self.score.tracks if not t.is_drum and t.notes]

    def _average_pitch(self, track: Track) -> float:
        return sum(n.pitch for n in track.notes) / len(track.notes)

    @cached_property
    def melody_track(self) -> Track | None:
        """The track marked melody, else the highest pitched track."""
        marked = [t for t in self.pitched_tracks if t.role is Role.MELODY]
        pool = marked or self.pitched_tracks
        return max(pool, key=self._average_pitch, default=None)

    @cached_property
    def bass_track(self) -> Track | None:
        """The track marked bass, else the lowest pitched track (when it is not the melody)."""
        marked = [t for t in self.pitched_tracks if t.role is Role.BASS]
        pool = marked or [t for t in self.pitched_tracks if t is not self.melody_track]
        return min(pool, key=self._average_pitch, default=None)

    @cached_property
    def chord_tracks(self) -> list[Track]:
        return [t for t in self.pitched_tracks if t.role in (Role.CHORDS, Role.PAD)]

    def location(self, tick: int) -> tuple[int, float]:
        bar, beat = self.score.tick_to_bar_beat(tick)
        return bar, float(beat)

    @cached_property
    def _pitched_by_start(self) -> list[Note]:
        return sorted((n for t in self.pitched_tracks for n in t.notes), key=lambda n: n.start)

    @cached_property
    def harmony(self) -> list[HarmonySpan]:
        """Chords over time: from chord symbols when the score has them, else recognised
        at each onset from everything sounding, merging repeats."""
        if self.score.chord_symbols:
            return self._harmony_from_symbols()
        return self._harmony_from_notes()

    def _harmony_from_symbols(self) -> list[HarmonySpan]:
        symbols = sorted(self.score.chord_symbols, key=lambda c: c.tick)
        sounding = sounding_at(self._pitched_by_start, [s.tick for s in symbols])
        spans = []
        for index, symbol in enumerate(symbols):
            end = symbols[index + 1].tick if index + 1 < len(symbols) else self.score.end_tick
            try:
                chord: Chord | None = parse_chord_symbol(symbol.symbol)
            except ChordParseError:
                chord = None
            spans.append(HarmonySpan(symbol.tick, max(end, symbol.tick + 1), chord,
                                     sounding[index]))
        return spans

    def _harmony_from_notes(self) -> list[HarmonySpan]:
        onsets = sorted({n.start for n in self._pitched_by_start})
        sounding = sounding_at(self._pitched_by_start, onsets)
        spans: list[HarmonySpan] = []
        for index, start in enumerate(onsets):
            end = onsets[index + 1] if index + 1 < len(onsets) else self.score.end_tick
            chord = recognize_chord([n.pitch for n in sounding[index]], self.key_at(start))
            if spans and chord is not None and spans[-1].chord == chord:
                spans[-1] = HarmonySpan(spans[-1].start, end, chord, spans[-1].notes)
            else:
                spans.append(HarmonySpan(start, max(end, start + 1), chord, sounding[index]))
        return spans

    @cached_property
    def _span_starts(self) -> list[int]:
        return [span.start for span in self.harmony]

    def next_harmony(self, tick: int) -> HarmonySpan | None:
        """The first harmony span that begins after `tick`."""
        index = bisect_right(self._span_starts, tick)
        return self.harmony[index] if index < len(self.harmony) else None

    def chord_at(self, tick: int) -> Chord | None:
        index = bisect_right(self._span_starts, tick) - 1
        if index >= 0 and tick < self.harmony[index].end:
            return self.harmony[index].chord
        return None


def _key_facts(key: Key) -> tuple[int, frozenset[int]]:
    """(tonic, scale) pitch classes; cached by name, as a `Key` is not hashable."""
    return _facts(key.tonic, key.mode)


@cache
def _facts(tonic: str, mode: Mode) -> tuple[int, frozenset[int]]:
    scale = scale_pitch_classes(Key(tonic=tonic, mode=mode))
    return scale[0], frozenset(scale)


def sounding_at(notes_by_start: Sequence[Note], ticks: Sequence[int]) -> list[tuple[Note, ...]]:
    """For each of the (ascending) ticks, the notes sounding then: one sweep, so the cost
    grows with notes x polyphony, not notes x ticks."""
    result: list[tuple[Note, ...]] = []
    active: list[Note] = []
    position = 0
    for tick in ticks:
        while position < len(notes_by_start) and notes_by_start[position].start <= tick:
            active.append(notes_by_start[position])
            position += 1
        active = [note for note in active if note.end > tick]
        result.append(tuple(active))
    return result


def line(track: Track, highest: bool) -> list[Note]:
    """A monophonic line from a track: at each onset its highest (or lowest) note."""
    by_onset: dict[int, Note] = {}
    for note in track.notes:
        kept = by_onset.get(note.start)
        if kept is None or (note.pitch > kept.pitch) == highest:
            by_onset[note.start] = note
    return [by_onset[tick] for tick in sorted(by_onset)]


def block_chords(track: Track) -> list[tuple[int, list[Note]]]:
    """A chord track as (onset, notes sorted low to high) for each onset."""
    groups: dict[int, list[Note]] = {}
    for note in track.notes:
        groups.setdefault(note.start, []).append(note)
    return [(tick, sorted(groups[tick], key=lambda n: n.pitch)) for tick in sorted(groups)]
