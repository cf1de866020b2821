"""Cross-field limits that keep every path that reads a score (render, engrave, validate,
export) bounded in time and memory.

The field limits in `score.py` bound each number on its own; a tempo change at the last
possible tick, or a 32/1 bar at 10 bpm, is valid field by field and still makes a read
path walk hours of music. These rules tie events to the piece's own length, cap that
length in seconds, and cap what the writers multiply (notes sounding together, notes
written once per bar they are held through), so the cost of every reader follows from the
score's size. Measured on the worst accepted scores: validate, export.mid and
export.musicxml each take a few seconds at most.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ariaforge.music.score import Note, Score

# Longer than nearly any song or movement, short enough that a render, an export and a
# preview stay well under a minute of work.
MAX_SECONDS = 30 * 60
# Notes may ring on past the last bar (a fermata, a tail), but only this long.
MAX_TAIL_SECONDS = 60
# Overlapping notes in one track become separate voices (MusicXML) or channels (MIDI), and
# the writers walk every voice in every bar (64 voices x 64 tracks x 2,000 bars took
# 6.6 s of MusicXML writing; one pitch stacked 200,000 times never finished the MIDI
# writer): more than a pianist with the pedal down, few enough to stay within seconds.
MAX_SOUNDING = 32
# A note held across bar lines is written (and engraved) once per bar, tied: a score may
# hold as many such written notes as it may hold notes (100,000 held notes with awkward
# lengths took 7.3 s and 53 MB of MusicXML).
MAX_WRITTEN_NOTES = 50_000


class ScoreBoundsError(ValueError):
    """A score whose events or length would make a read path unbounded."""


def check_bounds(score: Score) -> None:
    """Raise ScoreBoundsError when an event lies outside the piece, the piece is too long,
    or its notes would make a writer's work explode.

    Runs in the Score validator, so every write path (PUT, import, note batch, compose)
    refuses such a score; read paths re-check stored scores through the same validator.
    """
    _check_events(score)
    _check_length(score)
    for track in score.tracks:
        _check_sounding(track.name, track.notes)
    _check_written(score)


def _check_events(score: Score) -> None:
    end = score.end_tick
    for change in score.meter_changes:
        if change.bar > score.bars:
            raise ScoreBoundsError(
                f"a meter change at bar {change.bar} lies after the last bar ({score.bars})")
    for section in score.sections:
        if section.end_bar > score.bars + 1:
            raise ScoreBoundsError(
                f"section {section.name!r} ends after the last bar ({score.bars})")
    for tempo in score.tempo_changes:
        if tempo.tick >= end:
            raise ScoreBoundsError(
                f"a tempo change at tick {tempo.tick} lies after the end of the piece "
                f"(tick {end})")
    for chord in score.chord_symbols:
        if chord.tick >= end:
            raise ScoreBoundsError(
                f"chord symbol {chord.symbol!r} at tick {chord.tick} lies after the end of "
                f"the piece (tick {end})")


def _check_length(score: Score) -> None:
    end = score.end_tick
    length = score.seconds_at(end)
    if length > MAX_SECONDS:
        raise ScoreBoundsError(
            f"the piece lasts {length / 60:.0f} minutes; a score may last at most "
            f"{MAX_SECONDS // 60} minutes (fewer bars, a shorter meter or a faster tempo)")
    latest = max((note.end for _, note in score.all_notes()), default=0)
    if latest > end and score.seconds_at(latest) - length > MAX_TAIL_SECONDS:
        raise ScoreBoundsError(
            f"a note rings more than {MAX_TAIL_SECONDS} s past the last bar; lengthen the "
            "score (`bars`) first")


def _check_sounding(name: str, notes: Iterable[Note]) -> None:
    ends: list[int] = []  # a heap of the ends of the notes sounding now
    for note in sorted(notes, key=lambda n: n.start):
        while ends and ends[0] <= note.start:
            heapq.heappop(ends)
        heapq.heappush(ends, note.end)
        if len(ends) > MAX_SOUNDING:
            raise ScoreBoundsError(
                f"more than {MAX_SOUNDING} notes sound at once in track {name!r} (at tick "
                f"{note.start}); shorten or remove overlapping notes")


def _check_written(score: Score) -> None:
    written = sum(score.bar_of(note.end - 1) - score.bar_of(note.start) + 1
                  for _, note in score.all_notes())
    if written > MAX_WRITTEN_NOTES:
        raise ScoreBoundsError(
            f"the notes fill {written} note-bars (a note held across bar lines counts once "
            f"per bar); a score may hold at most {MAX_WRITTEN_NOTES}: shorten long notes "
            "or use fewer")
