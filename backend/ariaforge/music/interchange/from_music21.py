"""music21 stream → Score: the one conversion the MusicXML and ABC readers share.

* Parts become tracks (the staves of one part, a piano's grand staff, are one track;
  name, GM program from the part's instrument unless the reader knows better, drums
  from percussion instruments, unpitched notes, a percussion clef or MIDI channel 10).
* Notes keep exact integer ticks: offset x 480. A tuplet whose notes do not fall on the
  480-per-quarter grid (a septuplet sixteenth is 480/7 ticks) is rounded to the nearest
  tick; ends are rounded separately from starts, so neighbouring notes stay touching, and
  a note never shrinks below one tick.
* Tied notes are merged (the same merge music21's `stripTies` makes, done in the same pass
  that reads the notes): a note whose tie stops or continues extends the open note of the
  same pitch and voice that ends exactly where it starts. Ties never join two voices, so
  one pitch overlapping itself in separate voices stays separate notes. Chords become one
  note per pitch. Grace notes (no duration) and rests are skipped.
* An anacrusis is moved to the end of bar 1, so barlines (and beats) stay where the meter
  puts them: the first bar of the Score then opens with silence.
* Time signatures come from the first part, tempo marks and chord symbols from every part,
  the key from the first key signature of the first part (major when it has no mode).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, TypeVar

from music21 import base, chord, clef, harmony, instrument, key, meter, note, stream, tempo

from ariaforge.music.interchange.assembly import (
    DEFAULT_VELOCITY,
    DraftNote,
    PartHints,
    ScoreDraft,
    TrackDraft,
    build_score,
    check_tick,
)
from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.limits import MAX_TRACKS, NoteBudget
from ariaforge.music.score import PPQ, Key, Mode, Score

_T = TypeVar("_T")
_CONTINUING_TIES = ("stop", "continue")
_OPENING_TIES = ("start", "continue")
_FLAT_ROOT = re.compile(r"(^|/)([A-G])(-+)")


def guarded(what: str, action: Callable[[], _T]) -> _T:
    """Run a music21 step, turning its many exception types into InterchangeError."""
    try:
        return action()
    except InterchangeError:
        raise
    except RecursionError as exc:
        raise InterchangeError(f"the {what} file is nested too deeply to read") from exc
    except Exception as exc:
        # The parser's own text ("float division by zero") means nothing to the person
        # who uploaded the file, and describes our internals: say what we know instead.
        raise InterchangeError(unreadable(what)) from exc


def unreadable(what: str) -> str:
    """The message for a file a parser failed on in an unexpected way."""
    return (f"the file could not be read as {what}: it is damaged, or uses notation "
            "AriaForge cannot import")


def score_from_music21(
    parsed: stream.Stream[Any], what: str, hints: Mapping[str, PartHints] | None = None
) -> Score:
    """Convert a parsed music21 Score (or the first Score of an Opus, or a lone Part)."""
    top = _first_score(parsed, what)
    parts: list[stream.Stream[Any]] = list(top.getElementsByClass(stream.Part)) or [top]
    if len(parts) > MAX_TRACKS:
        raise InterchangeError(
            f"the {what} file has {len(parts)} parts; a score holds at most {MAX_TRACKS}"
        )
    budget = NoteBudget(what)
    shift = _pickup_shift(parts[0])
    draft = ScoreDraft(length_rounding="up")
    # A lone unnamed part (an ABC tune) is best named after the piece.
    fallback = _title(top) if len(parts) == 1 else None
    for index, staves in enumerate(_tracks_of(parts)):
        readers = [_PartReader(staff, shift, budget, first=index == 0 and number == 0,
                               what=what) for number, staff in enumerate(staves)]
        track = readers[0].track(index, hints or {}, fallback)
        track.notes = [note for reader in readers for note in reader.notes]
        track.is_drum = track.is_drum or any(reader.percussion for reader in readers)
        draft.tracks.append(track)
        for reader in readers:
            draft.meters.extend(reader.meters)
            draft.tempi.extend(reader.tempi)
            draft.chord_symbols.extend(reader.chord_symbols)
            draft.length_tick = max(draft.length_tick, reader.end)
        if readers[0].key is not None and index == 0:
            draft.key = readers[0].key
    return build_score(draft, what)


def _tracks_of(parts: list[stream.Stream[Any]]) -> list[list[stream.Stream[Any]]]:
    """Parts grouped into tracks: the staves music21 makes of one multi-staff part (a
    piano's grand staff) are one track."""
    tracks: list[list[stream.Stream[Any]]] = []
    previous: str | None = None
    for part in parts:
        found = part.getInstrument(returnDefault=False) if isinstance(
            part, stream.PartStaff) else None
        owner = str(found.partId) if found is not None and found.partId else None
        if owner is not None and owner == previous:
            tracks[-1].append(part)
        else:
            tracks.append([part])
        previous = owner
    return tracks


def _first_score(parsed: stream.Stream[Any], what: str) -> stream.Stream[Any]:
    if isinstance(parsed, stream.Opus):
        scores = list(parsed.scores)
        if not scores:
            raise InterchangeError(f"the {what} file holds no tune")
        first: stream.Stream[Any] = scores[0]
        return first
    return parsed


def _title(top: stream.Stream[Any]) -> str | None:
    metadata = top.metadata
    title = metadata.title if metadata is not None else None
    return str(title) if title else None


def _pickup_shift(part: stream.Stream[Any]) -> int:
    """Ticks of silence that put an anacrusis at the end of a full first bar."""
    first = part.getElementsByClass(stream.Measure).first()
    if first is None or not first.paddingLeft:
        return 0
    return ticks(first.paddingLeft)


def ticks(quarter_length: float | Fraction) -> int:
    """Quarter lengths (music21 floats or Fractions) → ticks, exact when representable."""
    return round(Fraction(quarter_length) * PPQ)


class _PartReader:
    """One pass over a part's elements (measure by measure, voice by voice), collecting
    notes and markings."""

    def __init__(
        self, part: stream.Stream[Any], shift: int, budget: NoteBudget, *, first: bool, what: str
    ) -> None:
        self.part, self.shift, self.budget, self.first, self.what = (
            part, shift, budget, first, what)
        self.notes: list[DraftNote] = []
        self.meters: list[tuple[int, int, int]] = []
        self.tempi: list[tuple[int, float]] = []
        self.chord_symbols: list[tuple[int, str]] = []
        self.key: Key | None = None
        self.percussion = False
        self.voice: str | None = None
        # Tied notes still waiting for a continuation, by (pitch, end tick) and voice.
        # Keyed by the exact end, never pruned by time: music21 walks a measure voice by
        # voice, so time goes back at every <backup>, and a later voice's ties must still
        # find the notes an earlier voice left open.
        self.open_ties: dict[tuple[int, int], dict[str | None, list[DraftNote]]] = {}
        self.drum_pitch = _drum_pitch(part.getInstrument(returnDefault=False))
        walker = part.recurse()
        for element in walker:
            offset: float | Fraction | None = (
                walker.currentHierarchyOffset())  # type: ignore[no-untyped-call]
            if offset is not None:
                self.voice = _voice_of(element)
                self._element(element, Fraction(offset))
        self.end = shift + ticks(part.highestTime)

    def _element(self, element: base.Music21Object, offset: Fraction) -> None:
        if isinstance(element, harmony.ChordSymbol):
            if text := chord_symbol_text(element):
                self.chord_symbols.append((self._tick(offset), text))
        elif isinstance(element, chord.Chord):
            # Ties belong to chord members; a chord-level tie counts only when no member
            # has one of its own.
            members = element.notes
            own = any(member.tie is not None for member in members)
            for member in members:
                tie = member.tie if own else element.tie
                self._sound(member, offset, element, tie.type if tie else None)
        elif isinstance(element, note.NotRest):
            tie = element.tie
            self._sound(element, offset, element, tie.type if tie else None)
        elif isinstance(element, meter.TimeSignature) and self.first:
            self.meters.append((self._mark_tick(offset), element.numerator, element.denominator))
        elif isinstance(element, key.KeySignature) and self.first and self.key is None:
            self.key = key_of(element)
        elif isinstance(element, tempo.MetronomeMark):
            bpm = element.getQuarterBPM()
            if bpm is not None and bpm > 0:
                self.tempi.append((self._mark_tick(offset), float(bpm)))
        elif isinstance(element, clef.PercussionClef):
            self.percussion = True

    def _tick(self, offset: Fraction) -> int:
        return check_tick(self.shift + ticks(offset), self.what)

    def _mark_tick(self, offset: Fraction) -> int:
        """Meter and tempo at the very start (an anacrusis's first beat) rule from tick 0."""
        return 0 if offset == 0 else self._tick(offset)

    def _sound(
        self, sound: note.NotRest, offset: Fraction, carrier: note.NotRest, tie: str | None
    ) -> None:
        length = Fraction(carrier.duration.quarterLength)
        if length <= 0:
            return  # a grace note
        pitch = self._pitch(sound)
        start, end = self._tick(offset), self._tick(offset + length)
        end = max(end, start + 1)
        held = self._continued(pitch, start) if tie in _CONTINUING_TIES else None
        if held is not None:
            held.end = end
            current = held
        else:
            self.budget.add()
            current = DraftNote(pitch, start, end, _velocity(sound, carrier))
            self.notes.append(current)
        if tie in _OPENING_TIES:
            by_voice = self.open_ties.setdefault((pitch, current.end), {})
            by_voice.setdefault(self.voice, []).append(current)

    def _continued(self, pitch: int, start: int) -> DraftNote | None:
        """The open tied note this one continues: same pitch, ending exactly where this
        starts, in the same voice. A note outside any voice (music21 makes no voices in a
        measure written with one) pairs with any voice; two different voices never join,
        so same-pitch notes that overlap in separate voices stay separate notes."""
        by_voice = self.open_ties.get((pitch, start))
        if not by_voice:
            return None
        if self.voice in by_voice:
            voice: str | None = self.voice
        elif self.voice is None:
            voice = next(iter(by_voice))
        elif None in by_voice:
            voice = None
        else:
            return None
        waiting = by_voice[voice]
        held = waiting.pop()
        if not waiting:
            del by_voice[voice]
            if not by_voice:
                del self.open_ties[(pitch, start)]
        return held

    def _pitch(self, sound: note.NotRest) -> int:
        # Pitch space, not `.midi`: music21 folds pitches outside 0-127 back into range.
        if isinstance(sound, note.Unpitched):
            self.percussion = True
            midi = self.drum_pitch
            if midi is None:
                midi = round(sound.displayPitch().ps)
        elif isinstance(sound, note.Note):
            midi = round(sound.pitch.ps)
        else:
            raise InterchangeError(f"the {self.what} file has a note without a pitch")
        if not 0 <= midi <= 127:
            raise InterchangeError(f"the {self.what} file has a note outside the MIDI range")
        return midi

    def track(
        self, index: int, hints: Mapping[str, PartHints], fallback: str | None
    ) -> TrackDraft:
        found = self.part.getInstrument(returnDefault=False)
        hint = hints.get(str(found.partId), PartHints()) if found is not None else PartHints()
        name = getattr(self.part, "partName", None) or (found.partName if found else None)
        if not name and found is not None:
            name = found.instrumentName
        drum = (
            hint.drum or self.percussion or isinstance(found, instrument.UnpitchedPercussion)
            or (found is not None and found.midiChannel == 9)
        )
        program = hint.program
        if program is None and found is not None and found.midiProgram is not None:
            program = found.midiProgram
        return TrackDraft(
            name=name or fallback or f"Part {index + 1}",
            program=program or 0,
            is_drum=drum,
            volume=hint.volume if hint.volume is not None else 100,
            pan=hint.pan or 0,
            notes=self.notes,
        )


def _voice_of(element: base.Music21Object) -> str | None:
    site = element.activeSite
    return str(site.id) if isinstance(site, stream.Voice) else None


def _drum_pitch(found: instrument.Instrument | None) -> int | None:
    """A one-sound percussion part's GM drum key: unpitched notes say only where they are
    drawn on the staff, so a part for one instrument (a snare) tells the sound."""
    if isinstance(found, instrument.UnpitchedPercussion):
        pitch = getattr(found, "percMapPitch", None)
        if isinstance(pitch, int) and 0 <= pitch <= 127:
            return pitch
    return None


def _velocity(*sources: note.NotRest) -> int:
    """The first velocity given: a chord member's own, then the chord's."""
    for source in sources:
        if source.hasVolumeInformation():
            velocity = source.volume.velocity
            if velocity is not None:
                return int(min(max(velocity, 1), 127))
    return DEFAULT_VELOCITY


def key_of(signature: key.KeySignature) -> Key:
    """A music21 key or bare key signature (read as major) → Key."""
    found = signature if isinstance(signature, key.Key) else signature.asKey("major")
    mode = found.mode if found.mode in Mode._value2member_map_ else Mode.MAJOR
    return Key(tonic=spelled(found.tonic.name), mode=Mode(mode))


def spelled(name: str) -> str:
    """music21's pitch name (B-, F#, E--) in Score spelling (Bb, F#, Ebb)."""
    return name.replace("-", "b")


def chord_symbol_text(symbol: harmony.ChordSymbol) -> str:
    """The chord symbol as written: root, the kind's own text, /bass; music21's figure
    (with flats respelled) when the kind has no text."""
    if isinstance(symbol, harmony.NoChord):
        return str(symbol.chordKindStr or "N.C.")
    root = symbol.root() if symbol.pitches else None
    kind_text = str(symbol.chordKindStr or "")
    if kind_text and root is not None:
        text = spelled(root.name) + kind_text
        bass = symbol.bass()
        if bass is not None and bass.name != root.name:
            text += "/" + spelled(bass.name)
        return text
    figure = str(symbol.figure or "")
    return _FLAT_ROOT.sub(lambda m: m[1] + m[2] + "b" * len(m[3]), figure)
