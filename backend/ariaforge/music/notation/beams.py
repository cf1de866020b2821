"""Beams by meter: eighths and shorter in one beam group (a beat; three eighths in 6/8)
are joined; rests, longer values and group edges break the beam. Returned as MusicXML
<beam> values per level (1: the eighth beam, 2: the sixteenth beam...)."""

from __future__ import annotations

from collections.abc import Sequence

from ariaforge.music.notation.meter import MetricGrid
from ariaforge.music.notation.split import Piece

Beam = tuple[int, str]  # (number, begin | continue | end | forward hook | backward hook)


def _beamable(piece: Piece) -> bool:
    value = piece.value
    return value.beams > 0 and (value.actual == value.normal or value.is_triplet)


def beam_marks(pieces: Sequence[tuple[Piece, bool]], grid: MetricGrid) -> list[list[Beam]]:
    """Beams for each (piece, is_rest) of one voice of one measure, in order."""
    marks: list[list[Beam]] = [[] for _ in pieces]
    run: list[int] = []
    group = -1
    for index, (piece, rest) in enumerate(pieces):
        here = grid.beam_group(piece.start)
        if rest or not _beamable(piece) or here != group:
            _close(run, pieces, marks)
            run = []
        group = here
        if not rest and _beamable(piece):
            run.append(index)
    _close(run, pieces, marks)
    return marks


def _close(run: list[int], pieces: Sequence[tuple[Piece, bool]],
           marks: list[list[Beam]]) -> None:
    if len(run) < 2:
        return
    deepest = max(pieces[i][0].value.beams for i in run)
    for level in range(1, deepest + 1):
        has = [pieces[i][0].value.beams >= level for i in run]
        for position, index in enumerate(run):
            if not has[position]:
                continue
            before = position > 0 and has[position - 1]
            after = position + 1 < len(run) and has[position + 1]
            if before and after:
                kind = "continue"
            elif after:
                kind = "begin"
            elif before:
                kind = "end"
            else:
                kind = "forward hook" if position == 0 else "backward hook"
            marks[index].append((level, kind))
