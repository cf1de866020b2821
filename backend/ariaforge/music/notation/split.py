"""One voice of one measure → written note values, split where the meter says.

A voice is a run of spans (notes or rests, from bar start to bar end). Each span is cut
into tied values so the reader sees the beat:

* A value may stand whole when it starts on a position at least as strong as any it
  crosses (a dotted quarter on beat 1 of 4/4, a half on beat 2 of 3/4), when it fills the
  rest of its beat (sixteenth, dotted eighth), or, for notes, when it is a syncopation
  centred on a beat of a simple meter or on a point inside the beat (eighth, quarter,
  eighth); never across the half bar of 4/4 or the beat of 6/8 from an off-beat.
* Rests are stricter: no dotted rest across a beat in a simple meter, and a rest longer
  than a beat starts on the bar or half bar.
* Otherwise the span is cut at the strongest position inside it, and each half again.
* A beat holding positions at thirds of it (a triplet) is written as a tuplet: its values
  are played 3 in the time of 2, with a bracket from its first to its last value.
* Lengths off every grid (only where the input was exact and odd) fall back to
  `note_values`, which adds up exactly with tuplet ratios.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ariaforge.music.notation.meter import BEAT, MetricGrid
from ariaforge.music.notation.values import (
    PLAIN_UNIT,
    NoteValue,
    note_values,
    single_value,
    triplet_value,
)

# Positions at a third (sixth, twelfth) of a beat that no binary value reaches.
_TERNARY = 40


@dataclass(frozen=True, slots=True)
class Piece:
    """One written value inside a measure: its bar-relative start, its value and where a
    tuplet bracket starts or stops."""

    start: int
    value: NoteValue
    tuplet: str | None = None

    @property
    def end(self) -> int:
        return self.start + self.value.ticks


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    rest: bool


def split_voice(spans: list[Span], grid: MetricGrid) -> list[list[Piece]]:
    """The written pieces of each span of a voice that fills the bar, in order."""
    triplets = _triplet_beats(spans, grid)
    pieces = [_span_pieces(span, grid, triplets) for span in spans]
    _bracket(pieces, grid, triplets)
    return pieces


def _triplet_beats(spans: list[Span], grid: MetricGrid) -> set[int]:
    """Beats (by index) where some span starts or ends at a third of the beat."""
    if grid.compound or grid.beat % 3:
        return set()
    beats = set()
    for span in spans:
        for position in (span.start, span.end):
            inside = position % grid.beat
            if inside % PLAIN_UNIT and inside % _TERNARY == 0:
                beats.add(position // grid.beat)
    return beats


def _span_pieces(span: Span, grid: MetricGrid, triplets: set[int]) -> list[Piece]:
    cuts = sorted({span.start, span.end} | {
        edge for beat in triplets for edge in (beat * grid.beat, (beat + 1) * grid.beat)
        if span.start < edge < span.end})
    pieces: list[Piece] = []
    for start, end in pairwise(cuts):
        if start // grid.beat in triplets:
            pieces += _triplet(start, end, grid.beat)
        else:
            pieces += _binary(start, end, grid, span.rest)
    return pieces


def _binary(start: int, end: int, grid: MetricGrid, rest: bool) -> list[Piece]:
    value = single_value(end - start)
    inside = grid.strongest_inside(start, end)
    if value is not None and (inside is None or _stands_whole(start, end, inside, value,
                                                               grid, rest)):
        return [Piece(start, value)]
    if inside is None:
        return _fallback(start, end)
    middle = inside[0]
    return _binary(start, middle, grid, rest) + _binary(middle, end, grid, rest)


def _stands_whole(start: int, end: int, inside: tuple[int, int], value: NoteValue,
                  grid: MetricGrid, rest: bool) -> bool:
    middle, crossed = inside
    opening = grid.strength(start)
    if rest and not grid.compound and crossed >= BEAT and (value.dots or opening <= BEAT):
        return False
    if opening >= crossed:
        return True
    if crossed < BEAT and grid.strength(end) >= BEAT:
        return True  # fills the rest of its beat: sixteenth + dotted eighth
    centred = middle - start == end - middle
    beat_level = crossed < BEAT or (crossed == BEAT and not grid.compound)
    return not rest and not value.dots and centred and beat_level


def _triplet(start: int, end: int, beat: int) -> list[Piece]:
    """A stretch inside a triplet beat: values played 3 in the time of 2."""
    value = triplet_value(end - start)
    if value is not None:
        return [Piece(start, value)]
    base = start - start % beat
    for parts in (3, 6, 12, 24):
        if beat % parts:
            break
        unit = beat // parts
        cut = base + ((start - base) // unit + 1) * unit
        if cut < end:
            return _triplet(start, cut, beat) + _triplet(cut, end, beat)
    return _fallback(start, end)


def _fallback(start: int, end: int) -> list[Piece]:
    pieces = []
    for value in note_values(end - start):
        pieces.append(Piece(start, value))
        start += value.ticks
    return pieces


def _bracket(pieces: list[list[Piece]], grid: MetricGrid, triplets: set[int]) -> None:
    """Mark the first and last triplet value of each triplet beat (in place)."""
    if not triplets:
        return
    flat = [(i, j) for i, span in enumerate(pieces) for j in range(len(span))]
    by_beat: dict[int, list[tuple[int, int]]] = {}
    for i, j in flat:
        piece = pieces[i][j]
        beat = piece.start // grid.beat
        if beat in triplets and piece.value.is_triplet:
            by_beat.setdefault(beat, []).append((i, j))
    for members in by_beat.values():
        if len(members) < 2:
            continue
        (fi, fj), (li, lj) = members[0], members[-1]
        pieces[fi][fj] = _with_tuplet(pieces[fi][fj], "start")
        pieces[li][lj] = _with_tuplet(pieces[li][lj], "stop")


def _with_tuplet(piece: Piece, kind: str) -> Piece:
    return Piece(piece.start, piece.value, kind)
