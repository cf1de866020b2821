"""The issue-12 measures, each read from one `Piece`. Every function returns None where
the piece cannot be measured (too short, no harmony, no comping), and the bench leaves
such pieces out of that measure's median."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence

from musicality.parallels import parallel_count
from musicality.piece import MelodyNote, Piece

OPENING_BARS = 8
STEP = 2  # semitones: a step is a move of 1 or 2 semitones
NEAR = 1  # semitones each interval may differ by in a near-repeat


def opening_bars(piece: Piece) -> list[list[MelodyNote]] | None:
    """The melody's first 8 bars, each a list of its notes. Bar 0 counts as a pickup and is
    skipped when its first onset lies in the second half of the bar (or it is empty), the
    same for every source. None when the melody has fewer than 8 bars after that."""
    bars: dict[int, list[MelodyNote]] = {}
    for note in piece.melody:
        bars.setdefault(note.start // piece.bar, []).append(note)
    first = 0
    if not bars.get(0) or bars[0][0].start % piece.bar >= piece.bar // 2:
        first = 1
    last = max(bars, default=-1)
    if last - first + 1 < OPENING_BARS:
        return None
    return [bars.get(first + i, []) for i in range(OPENING_BARS)]


def _onsets(bar: Sequence[MelodyNote], length: int) -> tuple[int, ...]:
    return tuple(note.start % length for note in bar)


def _intervals(bar: Sequence[MelodyNote]) -> list[int]:
    return [b.pitch - a.pitch for a, b in itertools.pairwise(bar)]


def near_repeats(later: Sequence[MelodyNote], earlier: Sequence[MelodyNote],
                 bar: int) -> bool:
    """True when `later` restates `earlier` as a motif: both bars hold at least 2 notes,
    their onsets sit at exactly the same positions in the bar, and each interval between
    consecutive notes inside the bar differs by at most 1 semitone. This covers an exact
    repeat, a transposition (real or diatonic sequence) and a small interval variation;
    it misses rhythmic variation, displacement, augmentation and inversion."""
    if len(later) < 2 or _onsets(later, bar) != _onsets(earlier, bar):
        return False
    return all(abs(a - b) <= NEAR
               for a, b in zip(_intervals(later), _intervals(earlier), strict=True))


def motif_repeat_share(piece: Piece) -> float | None:
    """Of bars 2-8 of the opening (7 bars), the share that near-repeat (`near_repeats`)
    any earlier bar of the opening."""
    bars = opening_bars(piece)
    if bars is None:
        return None
    hits = sum(any(near_repeats(bars[i], bars[j], piece.bar) for j in range(i))
               for i in range(1, OPENING_BARS))
    return hits / (OPENING_BARS - 1)


def rhythm_reuse_share(piece: Piece) -> float | None:
    """Of bars 2-8 of the opening (7 bars), the share whose melody onset positions
    (exact ticks in the bar, pitches ignored) equal those of any earlier bar of the
    opening. A bar with no onset never counts."""
    bars = opening_bars(piece)
    if bars is None:
        return None
    patterns = [_onsets(b, piece.bar) for b in bars]
    hits = sum(bool(patterns[i]) and patterns[i] in patterns[:i]
               for i in range(1, OPENING_BARS))
    return hits / (OPENING_BARS - 1)


def step_share(piece: Piece) -> float | None:
    """Of the melody's moves between consecutive notes that change pitch (repeated notes
    are left out of both counts), the share of 1 or 2 semitones. Moves across bar lines
    and phrase ends count."""
    moves = [b.pitch - a.pitch for a, b in itertools.pairwise(piece.melody)
             if b.pitch != a.pitch]
    return sum(abs(m) <= STEP for m in moves) / len(moves) if moves else None


def span(piece: Piece) -> int | None:
    """Highest minus lowest melody pitch over the whole piece, in semitones."""
    return max(n.pitch for n in piece.melody) - min(n.pitch for n in piece.melody) \
        if piece.melody else None


def strong_positions(piece: Piece) -> tuple[int, ...]:
    """Strong beats, ticks from the bar line: the downbeat, and the middle of the bar when
    the bar has an even number of felt beats and is at least a dotted half long (4/4 beat
    3, 2/2 beat 2, 6/8 and 12/8 the second dotted quarter / third). 2/4, 3/4, 3/8, 9/8:
    the downbeat only."""
    beats = piece.bar // piece.beat
    if beats % 2 == 0 and piece.bar >= 3 * 480:
        return (0, piece.bar // 2)
    return (0,)


def strong_notes(piece: Piece) -> list[tuple[int, MelodyNote]]:
    """(index, note) of melody notes whose onset falls on a strong beat."""
    positions = strong_positions(piece)
    return [(i, n) for i, n in enumerate(piece.melody) if n.start % piece.bar in positions]


def chord_tone_share(piece: Piece) -> float | None:
    """Of melody notes starting on a strong beat with a known harmony under them, the
    share whose pitch class belongs to that harmony (`Piece.harmony`: chord symbols, every
    written tone incl. 7ths and extensions, or the lower voices sounding)."""
    judged = [(n.pitch % 12) in chord
              for _, n in strong_notes(piece) if (chord := piece.chord_at(n.start))]
    return sum(judged) / len(judged) if judged else None


def strong_nct_resolution(piece: Piece) -> tuple[int, int]:
    """(resolved, all) strong-beat non-chord tones (as in `chord_tone_share`). Resolved:
    the next melody note moves 1 or 2 semitones and is a chord tone of the harmony
    sounding at its own onset (where that harmony is unknown, the step alone counts). A
    last note of the piece counts as unresolved. Preparation is not checked."""
    resolved = total = 0
    for index, note in strong_notes(piece):
        chord = piece.chord_at(note.start)
        if not chord or note.pitch % 12 in chord:
            continue
        total += 1
        if index + 1 < len(piece.melody):
            following = piece.melody[index + 1]
            target = piece.chord_at(following.start)
            resolved += (0 < abs(following.pitch - note.pitch) <= STEP
                         and (not target or following.pitch % 12 in target))
    return resolved, total


def parallel_changes(piece: Piece) -> tuple[int, int]:
    """(parallel, all) chord changes of the comping. A chord is the set of comping pitches
    sounding at an onset where at least 2 distinct pitches sound. A change is two
    consecutive chords whose pitch-class sets differ with neither inside the other (so
    re-striking part of the same chord, as an after-beat or a broken figure does, is not
    a change). Its outer voices are the lowest and highest pitch. Parallel: both outer
    voices move in the same direction and the interval between them, modulo 12, is a
    unison/octave at both chords or a fifth at both (hidden/contrary fifths and octaves
    do not count)."""
    return parallel_count([pitches for _, pitches in piece.comping])


def swing_ratio(onsets: Sequence[int], beat: int = 480) -> float | None:
    """Median, over beats (quarters) holding an onset on the beat and exactly one more
    onset, between 0.4 and 0.8 of the beat, of that second onset's position / beat:
    0.50 straight eighths, 0.67 triplet swing. None when no beat qualifies."""
    per_beat: dict[int, list[int]] = {}
    for tick in sorted(set(onsets)):
        per_beat.setdefault(tick // beat, []).append(tick % beat)
    ratios = [inside[1] / beat for inside in per_beat.values()
              if len(inside) == 2 and inside[0] == 0 and 0.4 <= inside[1] / beat <= 0.8]
    return statistics.median(ratios) if ratios else None


def melody_swing(piece: Piece) -> float | None:
    """`swing_ratio` of the melody's onsets."""
    return swing_ratio([n.start for n in piece.melody])


def comping_swing(piece: Piece) -> tuple[float | None, str]:
    """`swing_ratio` of the comping tracks' onsets pooled, else of the drums' (the ride
    or hats), with which one was used."""
    ratios = [r for track in piece.comp_onsets if (r := swing_ratio(track)) is not None]
    if ratios:
        return statistics.median(ratios), "comping"
    return swing_ratio(piece.drum_onsets), "drums"
