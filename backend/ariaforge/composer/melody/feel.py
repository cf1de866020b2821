"""Swing for the melody, at exactly the ratio the band plays.

The comping and drums place a swung off-beat eighth with `arrange.timing.offset_in_beat`
and the style's `StyleKit.swing_ratio` (a triplet 2/3 in jazz, a lazier 3/5 in lo-fi). The
melody goes through the same arithmetic, so the soloist and the rhythm section agree on
where the "and" falls instead of the melody sitting straight against a swung band.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from fractions import Fraction

from ariaforge.composer.arrange.timing import Beat, beat_grid, offset_in_beat
from ariaforge.composer.plan import Plan
from ariaforge.composer.styles import style_kit
from ariaforge.music.score import PPQ, Note

__all__ = ["straight_notes", "swing_notes", "swung_offset"]

_OFF_BEAT = Fraction(1, 2)


def swung_offset(plan: Plan, tick: int) -> int | None:
    """Where a note starting at absolute `tick` moves when it is a straight off-beat eighth
    of a two-part beat in a swung plan; None when it stays."""
    if not plan.swing or tick < 0:
        return None
    within = tick % plan.bar_ticks
    beat = _beat_at(plan, within)
    if beat is None or beat.parts != 2 or 2 * (within - beat.offset) != beat.length:
        return None
    moved = offset_in_beat(beat, _OFF_BEAT, style_kit(plan.style).swing_ratio)
    straight = beat.length // 2
    return tick - straight + moved if moved != straight else None


def swing_notes(plan: Plan, notes: Sequence[Note]) -> list[Note]:
    """The notes with every straight off-beat eighth delayed to the style's swing ratio:
    the moved note keeps its end (it gets shorter) and a note that ran up to it is held on
    to its new start, so no overlap and no new gap appear. Compound beats (6/8, 12/8),
    beats split into sixteenths and unswung plans come back unchanged; applying it twice is
    the same as once."""
    if not plan.swing:
        return list(notes)
    moves: dict[int, int] = {}  # old start -> new start
    onsets = sorted({note.start for note in notes})
    for note in notes:
        target = swung_offset(plan, note.start)
        if target is None or note.end <= target:  # never move a note past its end
            continue
        # (only quarter beats swing, so the off-beat's half is an eighth long)
        if _split_in_sixteenths(onsets, note.start, note.start + PPQ // 2):
            continue
        moves[note.start] = target
    return _moved(notes, moves)


def straight_notes(plan: Plan, notes: Sequence[Note]) -> list[Note]:
    """The inverse of `swing_notes` for the same plan: off-beats sitting at the style's
    swing ratio go back to the middle of the beat (for a restyle that keeps a swung melody
    under a straight or differently swung band). Unswung plans come back unchanged."""
    if not plan.swing:
        return list(notes)
    moves: dict[int, int] = {}
    for note in notes:
        within = note.start % plan.bar_ticks
        beat = _beat_at(plan, within)
        if note.start < 0 or beat is None:
            continue
        straight = note.start - within + beat.offset + beat.length // 2
        if swung_offset(plan, straight) == note.start:
            moves[note.start] = straight
    return _moved(notes, moves)


def _moved(notes: Sequence[Note], moves: dict[int, int]) -> list[Note]:
    """Notes starting at a key of `moves` start at its value instead, keeping their end; a
    note that ended there (ran up to it) ends at the new start, so legato stays legato."""
    if not moves:
        return list(notes)
    result = []
    for note in notes:
        start, end = moves.get(note.start, note.start), note.end
        if note.end in moves and note.start < moves[note.end]:
            end = moves[note.end]
        if (start, end) == (note.start, note.end):
            result.append(note)
        else:
            result.append(note.model_copy(update={"start": start, "duration": end - start}))
    return result


def _split_in_sixteenths(onsets: Sequence[int], start: int, limit: int) -> bool:
    """Whether another note starts after `start` and before `limit`, the off-beat's
    second half: a beat played in sixteenths is not a pair of swung eighths and stays
    straight (swinging its third sixteenth alone would make a flam of it)."""
    index = bisect_right(onsets, start)
    return index < len(onsets) and onsets[index] < limit


def _beat_at(plan: Plan, within: int) -> Beat | None:
    for beat in beat_grid(plan.meter):
        if beat.offset <= within < beat.offset + beat.length:
            return beat
    return None
