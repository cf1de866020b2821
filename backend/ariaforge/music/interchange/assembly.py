"""Format-neutral drafts → a validated Score (shared by the MIDI and music21 readers).

Readers first collect what they find into plain drafts (ticks already at PPQ 480); this
module turns time-signature events into `meter` + `meter_changes` by bar, tempo events into
`tempo` + `tempo_changes`, sizes `bars`, guesses track roles and builds the pydantic Score,
so every format gets the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import ValidationError

from ariaforge.music.bounds import MAX_SECONDS
from ariaforge.music.interchange.errors import InterchangeError
from ariaforge.music.interchange.limits import MAX_BARS, MAX_TICK, MAX_TRACKS
from ariaforge.music.score import (
    DENOMINATORS,
    ChordSymbol,
    Key,
    Meter,
    MeterChange,
    Note,
    Role,
    Score,
    TempoChange,
    Track,
)

MIN_BPM, MAX_BPM = 10.0, 1000.0
DEFAULT_VELOCITY = 90
# General MIDI program families that name a role outright.
GM_BASSES = range(32, 40)
GM_PADS = range(88, 96)


@dataclass(slots=True)
class DraftNote:
    pitch: int
    start: int
    end: int
    velocity: int = DEFAULT_VELOCITY


@dataclass(slots=True)
class TrackDraft:
    name: str
    program: int = 0
    is_drum: bool = False
    volume: int = 100
    pan: int = 0
    notes: list[DraftNote] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PartHints:
    """What a reader knows about a part beyond what its parser keeps (MusicXML's
    <midi-instrument> settings, which music21 drops)."""

    program: int | None = None
    volume: int | None = None
    pan: int | None = None
    drum: bool = False


@dataclass(slots=True)
class ScoreDraft:
    tracks: list[TrackDraft] = field(default_factory=list)
    # (tick, numerator, denominator); need not be sorted.
    meters: list[tuple[int, int, int]] = field(default_factory=list)
    tempi: list[tuple[int, float]] = field(default_factory=list)
    key: Key = field(default_factory=Key)
    chord_symbols: list[tuple[int, str]] = field(default_factory=list)
    # The container's own length (the end of the last measure, MIDI's end of track):
    # "up" makes `bars` hold it whole, "down" counts only the complete bars before it,
    # so a sloppy end-of-track a few ticks past a barline adds no empty bar.
    length_tick: int = 0
    length_rounding: Literal["up", "down"] = "up"


def build_score(draft: ScoreDraft, what: str) -> Score:
    """The validated Score for `draft`; `what` names the format in error messages."""
    if len(draft.tracks) > MAX_TRACKS:
        raise InterchangeError(
            f"the {what} file has {len(draft.tracks)} tracks; a score holds at most {MAX_TRACKS}"
        )
    meter, meter_changes = meter_map(draft.meters)
    tempo, tempo_changes = tempo_map(draft.tempi)
    bars = count_bars(meter, meter_changes, draft, tempo, tempo_changes)
    # A Score holds tempo changes and chord symbols only inside the piece (music.bounds);
    # a file's markings past its last note and measure are dropped.
    end = _timeline(meter, meter_changes, bars).end_tick
    roles = guess_roles(draft.tracks)
    try:
        return Score(
            tempo=tempo,
            tempo_changes=[change for change in tempo_changes if change.tick < end],
            key=draft.key,
            meter=meter,
            meter_changes=meter_changes,
            bars=bars,
            chord_symbols=[c for c in chord_symbols(draft.chord_symbols) if c.tick < end],
            tracks=[_track(t, role) for t, role in zip(draft.tracks, roles, strict=True)],
        )
    except ValidationError as exc:
        # Readers check ranges as they go; this is the backstop for anything they missed,
        # and where a piece too long to play in full (music.bounds) is refused.
        raise InterchangeError(f"the {what} file does not make a valid score: "
                               f"{_first_problem(exc)}") from exc


def _timeline(meter: Meter, changes: Sequence[MeterChange], bars: int) -> Score:
    """A score used only for its bar arithmetic. Not validated: the cross-field bounds
    (a meter change after bar `bars`, the length in minutes) are checked on the real one."""
    return Score.model_construct(meter=meter, meter_changes=list(changes), bars=bars)


def _first_problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _track(draft: TrackDraft, role: Role) -> Track:
    notes = sorted(draft.notes, key=lambda n: (n.start, n.pitch, n.end))
    return Track(
        name=clean_name(draft.name, "Track"),
        role=role,
        program=min(max(draft.program, 0), 127),
        is_drum=draft.is_drum,
        volume=min(max(draft.volume, 0), 127),
        pan=min(max(draft.pan, -64), 63),
        notes=[
            Note(
                pitch=n.pitch,
                start=n.start,
                duration=n.end - n.start,
                velocity=min(max(n.velocity, 1), 127),
            )
            for n in notes
        ],
    )


def clean_name(name: str | None, fallback: str) -> str:
    """A track name the Score accepts: printable, trimmed, 1-100 characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in (name or "")).strip()
    return text[:100].strip() or fallback


def check_tick(tick: int, what: str) -> int:
    if tick > MAX_TICK:
        raise InterchangeError(
            f"the {what} file is too long: a score holds at most {MAX_BARS} bars"
        )
    return tick


# --- meters -----------------------------------------------------------------------


def meter_of(numerator: int, denominator: int) -> Meter:
    if not 1 <= numerator <= 32 or denominator not in DENOMINATORS:
        # A MIDI file stores the denominator as a power of two: garbage makes huge numbers.
        shown = f"{numerator}/{denominator}" if denominator < 10_000 else "with that denominator"
        raise InterchangeError(
            f"the time signature {shown} is not supported "
            f"(numerators 1-32, denominators {', '.join(map(str, DENOMINATORS))})"
        )
    return Meter(numerator=numerator, denominator=denominator)


def meter_map(events: Iterable[tuple[int, int, int]]) -> tuple[Meter, list[MeterChange]]:
    """`meter` and bar-numbered `meter_changes` from (tick, numerator, denominator) events.

    A Score changes meter only at barlines, so an event in the middle of a bar (which a
    MIDI file may contain) takes effect at the next barline: the documented best effort.
    Several events for one bar: the last wins. Changes to the meter already in force are
    dropped.
    """
    first = Meter()
    changes: list[MeterChange] = []
    bar, bar_tick, current = 1, 0, first
    for tick, numerator, denominator in sorted(events, key=lambda e: e[0]):
        meter = meter_of(numerator, denominator)
        # Whole bars from the last barline to the event, rounded up to the next barline.
        elapsed = -(-(tick - bar_tick) // current.ticks_per_bar) if tick > bar_tick else 0
        bar, bar_tick = bar + elapsed, bar_tick + elapsed * current.ticks_per_bar
        if bar > MAX_BARS:
            break  # past the longest score; count_bars reports it if notes go there too
        if bar == 1:
            first = meter
        elif changes and changes[-1].bar == bar:
            changes[-1] = MeterChange(bar=bar, meter=meter)
        else:
            changes.append(MeterChange(bar=bar, meter=meter))
        current = meter
    return first, _drop_repeated_meters(first, changes)


def _drop_repeated_meters(first: Meter, changes: list[MeterChange]) -> list[MeterChange]:
    kept: list[MeterChange] = []
    previous = first
    for change in changes:
        if change.meter != previous:
            kept.append(change)
        previous = change.meter
    return kept


# --- tempi ------------------------------------------------------------------------


def clamp_bpm(bpm: float) -> float:
    """Round to 1/1000 bpm (hides MIDI's microsecond rounding) inside the Score's range."""
    return round(min(max(bpm, MIN_BPM), MAX_BPM), 3)


def tempo_map(events: Iterable[tuple[int, float]]) -> tuple[float, list[TempoChange]]:
    """`tempo` at tick 0 (120 if none) and the later changes; the last event at a tick wins
    and changes to the tempo already in force are dropped."""
    by_tick: dict[int, float] = {}
    for tick, bpm in sorted(events, key=lambda e: e[0]):
        by_tick[tick] = clamp_bpm(bpm)
    tempo = by_tick.pop(0, 120.0)
    changes: list[TempoChange] = []
    previous = tempo
    for tick, bpm in sorted(by_tick.items()):
        if bpm != previous and tick <= MAX_TICK:
            changes.append(TempoChange(tick=tick, bpm=bpm))
        previous = bpm
    return tempo, changes


# --- length -----------------------------------------------------------------------


def count_bars(meter: Meter, changes: Sequence[MeterChange], draft: ScoreDraft,
               tempo: float = 120.0, tempo_changes: Sequence[TempoChange] = ()) -> int:
    """Enough bars to hold the last note (and the container's own length)."""
    probe = _timeline(meter, changes, 1)
    last_end = max((n.end for t in draft.tracks for n in t.notes), default=0)
    bars = probe.bar_of(last_end - 1) if last_end > 0 else 1
    if changes:
        bars = max(bars, changes[-1].bar)
    if draft.length_tick > 0:
        # The container's length only pads the score; a silly end-of-track far away must
        # not make the file unreadable, so it is capped where notes would be refused, and
        # where the piece would last longer than a score may (music.bounds).
        if draft.length_rounding == "up":
            padded = probe.bar_of(draft.length_tick - 1)
        else:
            padded = probe.bar_of(draft.length_tick) - 1
        padded = min(padded, MAX_BARS)
        if padded > bars:
            bars = _longest_playable(probe, tempo, tempo_changes, bars, padded)
    if bars > MAX_BARS:
        raise InterchangeError(f"the piece is {bars} bars long; a score holds at most {MAX_BARS}")
    return max(bars, 1)


def _longest_playable(probe: Score, tempo: float, tempo_changes: Sequence[TempoChange],
                      low: int, high: int) -> int:
    """The most bars in low..high (low always) that last at most MAX_SECONDS."""
    timed = probe.model_copy(update={"tempo": tempo, "tempo_changes": list(tempo_changes)})
    while low < high:
        middle = (low + high + 1) // 2
        if timed.seconds_at(timed.bar_start(middle + 1)) <= MAX_SECONDS:
            low = middle
        else:
            high = middle - 1
    return low


# --- chord symbols ----------------------------------------------------------------


def chord_symbols(found: Iterable[tuple[int, str]]) -> list[ChordSymbol]:
    """Sorted, de-duplicated chord symbols (parts often repeat the same symbols)."""
    seen: dict[tuple[int, str], None] = {}
    for tick, text in found:
        symbol = " ".join(text.split())[:32]
        if symbol and 0 <= tick <= MAX_TICK:
            seen[(tick, symbol)] = None
    return [ChordSymbol(tick=tick, symbol=symbol) for tick, symbol in sorted(seen)]


# --- roles ------------------------------------------------------------------------


def guess_roles(tracks: Sequence[TrackDraft]) -> list[Role]:
    """Best guesses: drums, GM bass and pad programs, then the lowest pitched track is the
    bass, the highest mostly-monophonic one the melody and chordal tracks play chords."""
    roles = [_role_from_program(track) for track in tracks]
    pitched = [i for i, t in enumerate(tracks) if roles[i] is Role.OTHER and t.notes]
    averages = {i: sum(n.pitch for n in tracks[i].notes) / len(tracks[i].notes) for i in pitched}
    chordal = {i for i in pitched if _is_chordal(tracks[i].notes)}
    has_bass = Role.BASS in roles
    if not has_bass and len(pitched) >= 2:
        lowest = min(pitched, key=lambda i: averages[i])
        if averages[lowest] < 60:
            roles[lowest] = Role.BASS
    singles = [i for i in pitched if roles[i] is Role.OTHER and i not in chordal]
    if singles and Role.MELODY not in roles:
        roles[max(singles, key=lambda i: averages[i])] = Role.MELODY
    for i in chordal:
        if roles[i] is Role.OTHER:
            roles[i] = Role.CHORDS
    return roles


def _role_from_program(track: TrackDraft) -> Role:
    if track.is_drum:
        return Role.DRUMS
    if track.program in GM_BASSES:
        return Role.BASS
    if track.program in GM_PADS:
        return Role.PAD
    return Role.OTHER


def _is_chordal(notes: Sequence[DraftNote]) -> bool:
    """True when most notes start together with another note (block chords)."""
    starts: dict[int, int] = {}
    for note in notes:
        starts[note.start] = starts.get(note.start, 0) + 1
    together = sum(count for count in starts.values() if count > 1)
    return together * 2 > len(notes)
