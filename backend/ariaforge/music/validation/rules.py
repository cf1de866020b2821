"""The rules. Each takes the analysis context and yields violations; each has a test with
a musical example that triggers it and one that must not."""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ariaforge.music.score import Mode, Note, Track
from ariaforge.music.validation.context import Context, block_chords, line
from ariaforge.music.validation.idioms import idiomatic_degrees, is_idiomatic
from ariaforge.music.validation.model import Severity, Violation
from ariaforge.music.validation.ranges import instrument_range

RuleCheck = Callable[[Context], Iterable[Violation]]
PERFECT = {0: "octaves", 7: "fifths"}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    description: str
    check: RuleCheck


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, description: str) -> Callable[[RuleCheck], RuleCheck]:
    def register(check: RuleCheck) -> RuleCheck:
        RULES[rule_id] = Rule(rule_id, severity, description, check)
        return check
    return register


def _at(ctx: Context, rule_id: str, message: str, tick: int, track: Track | None,
        notes: Iterable[Note], severity: Severity | None = None) -> Violation:
    bar, beat = ctx.location(tick)
    return Violation(rule=rule_id, severity=severity or RULES[rule_id].severity,
                     message=message, track_id=track.id if track else None, bar=bar,
                     beat=beat, tick=tick, note_ids=[n.id for n in notes])


# --- notes and lines ----------------------------------------------------------------


def _allowed_pitch_classes(ctx: Context, tick: int = 0) -> set[int]:
    """The pitch classes at home in the key in force at `tick` (a section may have its own)."""
    key, tonic = ctx.key_at(tick), ctx.tonic_at(tick)
    allowed = set(ctx.scale_at(tick))
    if key.mode in (Mode.MINOR, Mode.AEOLIAN):
        allowed |= {(tonic + 9) % 12, (tonic + 11) % 12}  # melodic/harmonic minor
    return allowed | idiomatic_degrees(ctx, tick)


def _is_step(a: int, b: int) -> bool:
    return 1 <= abs(a - b) <= 2


def _embellishes(previous: Note | None, note: Note, following: Note | None) -> bool:
    """A passing tone (step, step onward in one direction) or a neighbour (step away and
    back) is a normal non-chord, non-scale tone."""
    if previous is None or following is None:
        return False
    if not (_is_step(previous.pitch, note.pitch) and _is_step(note.pitch, following.pitch)):
        return False
    passing = (note.pitch - previous.pitch) * (following.pitch - note.pitch) > 0
    return passing or following.pitch == previous.pitch


def _neighbours(notes: list[Note], index: int) -> tuple[Note | None, Note | None]:
    return (notes[index - 1] if index > 0 else None,
            notes[index + 1] if index + 1 < len(notes) else None)


@rule("non-diatonic-note", Severity.WARNING,
      "A note outside the key that is neither a chord tone nor a passing or neighbour note "
      "(nor, where the style speaks it, a blue note, approach, enclosure, anticipation or "
      "altered tension).")
def non_diatonic(ctx: Context) -> Iterator[Violation]:
    allowed = _allowed_pitch_classes(ctx)
    keyed = ctx.keys.modulates
    for track in ctx.pitched_tracks:
        melodic = line(track, highest=True)
        positions = {note.id: index for index, note in enumerate(melodic)}
        for note in track.sorted_notes():
            if keyed:
                allowed = _allowed_pitch_classes(ctx, note.start)
            if note.pitch % 12 in allowed:
                continue
            chord = ctx.chord_at(note.start)
            if chord is not None and note.pitch % 12 in chord.pitch_classes:
                continue
            index = positions.get(note.id)
            if index is not None and _embellishes(*_around(melodic, index, note)):
                continue
            if is_idiomatic(ctx, note, melodic, index, allowed):
                continue
            key = ctx.key_at(note.start)
            yield _at(ctx, "non-diatonic-note",
                      f"{ctx.name_at(note.pitch, note.start)} is outside {key.tonic} "
                      f"{key.mode.value} and is not explained as a chord tone, "
                      "passing or neighbour note", note.start, track, [note])


def _around(notes: list[Note], index: int, note: Note) -> tuple[Note | None, Note, Note | None]:
    previous, following = _neighbours(notes, index)
    return previous, note, following


@rule("instrument-range", Severity.WARNING,
      "A note outside the comfortable range of the track's General MIDI instrument.")
def instrument_ranges(ctx: Context) -> Iterator[Violation]:
    for track in ctx.pitched_tracks:
        low, high, name = instrument_range(track.program)
        for note in track.sorted_notes():
            if not low <= note.pitch <= high:
                yield _at(ctx, "instrument-range",
                          f"{ctx.name_at(note.pitch, note.start)}{note.pitch // 12 - 1} is outside "
                          f"the range of the {name} (MIDI {low}-{high})", note.start, track, [note])


def _melodic_tracks(ctx: Context) -> list[Track]:
    chordal = {t.id for t in ctx.chord_tracks}
    return [t for t in ctx.pitched_tracks if t.id not in chordal]


@rule("large-leap", Severity.WARNING, "A melodic leap larger than an octave.")
def large_leaps(ctx: Context) -> Iterator[Violation]:
    for track in _melodic_tracks(ctx):
        notes = line(track, highest=track is not ctx.bass_track)
        for before, after in itertools.pairwise(notes):
            if abs(after.pitch - before.pitch) > 12:
                yield _at(ctx, "large-leap",
                          f"leap of {abs(after.pitch - before.pitch)} semitones, more than an "
                          "octave", after.start, track, [before, after])


@rule("augmented-second", Severity.WARNING,
      "A melodic augmented second (the lowered sixth to the raised seventh degree).")
def augmented_seconds(ctx: Context) -> Iterator[Violation]:
    for track in _melodic_tracks(ctx):
        notes = line(track, highest=track is not ctx.bass_track)
        for before, after in itertools.pairwise(notes):
            tonic = ctx.tonic_at(after.start)
            sixth, seventh = (tonic + 8) % 12, (tonic + 11) % 12
            if abs(after.pitch - before.pitch) == 3 and {before.pitch % 12,
                                                          after.pitch % 12} == {sixth, seventh}:
                yield _at(ctx, "augmented-second",
                          f"augmented second {ctx.name_at(before.pitch, after.start)}-"
                          f"{ctx.name_at(after.pitch, after.start)}", after.start, track,
                          [before, after])


# --- voices -------------------------------------------------------------------------


class _Line:
    """A track's monophonic line with a fast "what sounds at tick" lookup."""

    def __init__(self, track: Track, highest: bool) -> None:
        self.notes = line(track, highest)
        self.starts = [note.start for note in self.notes]

    def at(self, tick: int) -> Note | None:
        index = bisect_right(self.starts, tick) - 1
        if index >= 0 and self.notes[index].end > tick:
            return self.notes[index]
        return None

    def between(self, start: int, end: int) -> list[Note]:
        return self.notes[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def _parallel(upper: tuple[Note, Note], lower: tuple[Note, Note]) -> str | None:
    (u1, u2), (l1, l2) = upper, lower
    if u1.pitch == u2.pitch or l1.pitch == l2.pitch:
        return None
    if (u2.pitch - u1.pitch) * (l2.pitch - l1.pitch) <= 0:
        return None  # contrary or oblique motion is fine
    first, second = (u1.pitch - l1.pitch) % 12, (u2.pitch - l2.pitch) % 12
    if first == second and first in PERFECT and u1.pitch > l1.pitch and u2.pitch > l2.pitch:
        return PERFECT[first]
    return None


@rule("parallel-perfect-intervals", Severity.WARNING,
      "Parallel fifths or octaves between the outer voices or within a chord track.")
def parallels(ctx: Context) -> Iterator[Violation]:
    yield from _outer_voice_parallels(ctx)
    for track in ctx.chord_tracks:
        blocks = block_chords(track)
        for (_, first), (tick, second) in itertools.pairwise(blocks):
            if len(first) != len(second):
                continue
            for low in range(len(first)):
                for high in range(low + 1, len(first)):
                    kind = _parallel((first[high], second[high]), (first[low], second[low]))
                    if kind:
                        yield _at(ctx, "parallel-perfect-intervals",
                                  f"parallel {kind} within the chords of {track.name}", tick,
                                  track, [first[high], second[high], first[low], second[low]])


def _outer_voice_parallels(ctx: Context) -> Iterator[Violation]:
    melody, bass = ctx.melody_track, ctx.bass_track
    if melody is None or bass is None or melody is bass:
        return
    top_line, bottom_line = _Line(melody, highest=True), _Line(bass, highest=False)
    onsets = sorted(set(top_line.starts) | set(bottom_line.starts))
    previous: tuple[Note, Note] | None = None
    for tick in onsets:
        top, bottom = top_line.at(tick), bottom_line.at(tick)
        if top is None or bottom is None:
            previous = None
            continue
        if previous is not None:
            kind = _parallel((previous[0], top), (previous[1], bottom))
            if kind:
                yield _at(ctx, "parallel-perfect-intervals",
                          f"parallel {kind} between melody and bass", tick, melody,
                          [previous[0], top, previous[1], bottom])
        previous = (top, bottom)


@rule("voice-crossing", Severity.WARNING,
      "In a chord track, a voice moves past where the next voice just was.")
def voice_crossing(ctx: Context) -> Iterator[Violation]:
    for track in ctx.chord_tracks:
        blocks = block_chords(track)
        for (_, first), (tick, second) in itertools.pairwise(blocks):
            if len(first) != len(second):
                continue
            for voice in range(len(second)):
                above = voice + 1 < len(first) and second[voice].pitch > first[voice + 1].pitch
                below = voice > 0 and second[voice].pitch < first[voice - 1].pitch
                if above or below:
                    yield _at(ctx, "voice-crossing",
                              f"voice {voice + 1} crosses past a neighbouring voice in "
                              f"{track.name}", tick, track, [second[voice]])


@rule("unresolved-leading-tone", Severity.WARNING,
      "At a dominant-to-tonic cadence the melody's leading tone does not rise to the tonic.")
def unresolved_leading_tone(ctx: Context) -> Iterator[Violation]:
    melody = ctx.melody_track
    if melody is None:
        return
    notes = _Line(melody, highest=True)
    for current, following in zip(ctx.harmony, ctx.harmony[1:], strict=False):
        tonic = ctx.tonic_at(current.start)
        leading = (tonic + 11) % 12
        if not (_is_dominant(tonic, current.chord) and _root(following.chord) == tonic):
            continue
        last = notes.between(current.start, current.end)
        after = notes.between(following.start, following.end)
        if last and last[-1].pitch % 12 == leading and (
                not after or after[0].pitch != last[-1].pitch + 1):
            yield _at(ctx, "unresolved-leading-tone",
                      f"the leading tone {ctx.name_at(last[-1].pitch, current.start)} does "
                      f"not resolve up to {ctx.name_at(tonic, current.start)} at the cadence",
                      last[-1].start, melody, last[-1:])


def _root(chord: object) -> int | None:
    return getattr(chord, "root_pc", None)


def _is_dominant(tonic: int, chord: object) -> bool:
    pitch_classes: frozenset[int] = getattr(chord, "pitch_classes", frozenset())
    return _root(chord) == (tonic + 7) % 12 and (tonic + 11) % 12 in pitch_classes


# --- harmony ------------------------------------------------------------------------

_RETROGRESSIONS = {(7, 5): "V→IV", (7, 2): "V→ii"}


@rule("weak-progression", Severity.WARNING,
      "A retrogression such as V→IV, weak in common-practice harmony.")
def weak_progressions(ctx: Context) -> Iterator[Violation]:
    for current, following in zip(ctx.harmony, ctx.harmony[1:], strict=False):
        first, second = _root(current.chord), _root(following.chord)
        if first is None or second is None:
            continue
        tonic = ctx.tonic_at(current.start)
        name = _RETROGRESSIONS.get(((first - tonic) % 12, (second - tonic) % 12))
        if name and _is_dominant(tonic, current.chord):
            yield _at(ctx, "weak-progression", f"{name} is a weak progression (retrogression)",
                      following.start, None, following.notes[:4])


# --- structure ----------------------------------------------------------------------


@rule("overlapping-notes", Severity.ERROR,
      "Two notes of the same pitch overlap in one track (they cannot both sound).")
def overlapping_notes(ctx: Context) -> Iterator[Violation]:
    for track in ctx.score.tracks:
        ordered = sorted(track.notes, key=lambda n: (n.pitch, n.start))
        for before, after in itertools.pairwise(ordered):
            if before.pitch == after.pitch and after.start < before.end:
                yield _at(ctx, "overlapping-notes",
                          f"two {ctx.name_at(after.pitch, after.start)} notes overlap",
                          after.start, track, [before, after])


@rule("note-past-end", Severity.ERROR, "A note sounds past the last bar of the score.")
def notes_past_end(ctx: Context) -> Iterator[Violation]:
    end = ctx.score.end_tick
    for track in ctx.score.tracks:
        for note in track.sorted_notes():
            if note.end > end:
                yield _at(ctx, "note-past-end", f"note ends after bar {ctx.score.bars}",
                          min(note.start, end - 1), track, [note])


@rule("empty-section", Severity.WARNING, "A section in which no note sounds.")
def empty_sections(ctx: Context) -> Iterator[Violation]:
    notes = sorted((n for _, n in ctx.score.all_notes()), key=lambda n: n.start)
    starts = [n.start for n in notes]
    latest_end = list(itertools.accumulate((n.end for n in notes), max))
    for section in ctx.score.sections:
        start, end = ctx.score.bar_start(section.start_bar), ctx.score.bar_start(section.end_bar)
        begun = bisect_left(starts, end)  # notes starting before the section ends
        if begun == 0 or latest_end[begun - 1] <= start:
            yield _at(ctx, "empty-section", f"section {section.name!r} has no notes", start,
                      None, [])
