"""Musical analyses the musicality tests assert on, each read from a composed `Score`.

Every check returns a list of findings (plain sentences naming bar and beat) that is empty
when the music has the property, so a failing test can say where the music goes wrong.
The definitions follow issue 12 and bench/musicality/features.py (the same pickup rule,
strong beats and near-repeat), written here against the `Score` itself so that the tests
do not depend on the bench's code.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ariaforge.music.score import PPQ, Mode, Note, Role, Score, Track
from ariaforge.music.theory.chords import ChordParseError, parse_chord_symbol
from ariaforge.music.theory.pitch import pitch_class_name, pitch_class_of_name

OPENING_BARS = 8
STEP = (1, 2)  # semitones a step may move
NEAR = 1  # semitones each interval of a near-repeat may differ by
SWING_TOLERANCE = 0.03  # of a beat
OFFBEAT_WINDOW = (0.4, 0.72)  # where an off-beat eighth lies in its quarter (0.75: a 16th)
ANTICIPATION = PPQ  # a comping chord struck up to a beat early belongs to the next chord
OVERHANG = PPQ // 2  # a chord held this far into the next chord's span is heard there

# Semitones above the tonic: the degree that makes each mode itself, and the degree of the
# nearest major or minor scale it replaces (D dorian's B against D minor's Bb).
CHARACTERISTIC = {Mode.DORIAN: (9, 8), Mode.PHRYGIAN: (1, 2), Mode.LYDIAN: (6, 5),
                  Mode.MIXOLYDIAN: (10, 11)}


@dataclass(frozen=True)
class LineNote:
    """One note of the melody as heard: the top pitch of notes starting together."""

    pitch: int
    start: int


def where(score: Score, tick: int) -> str:
    bar, beat = score.tick_to_bar_beat(tick)
    return f"bar {bar} beat {float(beat):g}"


def melody_track(score: Score) -> Track | None:
    return next((t for t in score.tracks if t.role is Role.MELODY and t.notes), None)


def melody_line(score: Score) -> list[LineNote]:
    track = melody_track(score)
    top: dict[int, int] = {}
    for note in track.notes if track else []:
        top[note.start] = max(note.pitch, top.get(note.start, -1))
    return [LineNote(top[start], start) for start in sorted(top)]


def comping_notes(score: Score) -> list[Note]:
    """Notes of the chordal accompaniment: every chords-role track."""
    return sorted((n for t in score.tracks if t.role is Role.CHORDS and not t.is_drum
                   for n in t.notes), key=lambda n: (n.start, n.pitch))


# --- harmony -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChordSpan:
    start: int
    end: int
    symbol: str
    tones: frozenset[int] | None  # None: a symbol the music core cannot read


def chord_spans(score: Score) -> list[ChordSpan]:
    """The score's chord symbols, each lasting to the next one (the last to the end)."""
    symbols = sorted(score.chord_symbols, key=lambda s: s.tick)
    ends = [s.tick for s in symbols[1:]] + [score.end_tick]
    spans = []
    for symbol, end in zip(symbols, ends, strict=True):
        try:
            tones: frozenset[int] | None = parse_chord_symbol(symbol.symbol).pitch_classes
        except ChordParseError:
            tones = None
        spans.append(ChordSpan(symbol.tick, end, symbol.symbol, tones))
    return spans


def chord_at(spans: Sequence[ChordSpan], tick: int) -> ChordSpan | None:
    index = bisect.bisect_right([s.start for s in spans], tick) - 1
    return spans[index] if index >= 0 else None


def _struck_under(spans: Sequence[ChordSpan], onset: int) -> list[ChordSpan]:
    """The chords a chord struck at `onset` may belong to: the one sounding, and the next
    one when it begins at most a beat later (a push, as comping anticipates a change)."""
    index = bisect.bisect_right([s.start for s in spans], onset) - 1
    chords = [spans[index]] if index >= 0 else []
    if index + 1 < len(spans) and spans[index + 1].start - onset <= ANTICIPATION:
        chords.append(spans[index + 1])
    return chords


def comping_off_the_symbols(score: Score) -> list[str]:
    """Comping that is not made of the tones of the chord symbol it is heard under. The
    notes struck together are judged as one chord, against the symbol sounding or the one
    they anticipate; a note held more than half a beat into a later symbol's span is
    judged against that symbol too."""
    spans = chord_spans(score)
    findings = [f"{where(score, s.start)}: symbol {s.symbol!r} cannot be read"
                for s in spans if s.tones is None]
    notes = comping_notes(score)
    if not spans:
        return ["the score has no chord symbols"] if notes else []
    for onset, struck in itertools.groupby(notes, key=lambda n: n.start):
        chord = list(struck)
        pcs = {n.pitch % 12 for n in chord}
        candidates = [s for s in _struck_under(spans, onset) if s.tones is not None]
        if candidates and not any(pcs <= s.tones for s in candidates if s.tones):
            off = sorted(pcs - (candidates[0].tones or frozenset()))
            findings.append(f"{where(score, onset)}: comping "
                            f"{' '.join(pitch_class_name(pc) for pc in off)} "
                            f"under {candidates[0].symbol}")
        for note in chord:
            for later in spans:
                if later.start <= note.start or later.tones is None:
                    continue
                if later.start >= note.end:
                    break
                if note.end - later.start > OVERHANG and note.pitch % 12 not in later.tones:
                    findings.append(f"{where(score, later.start)}: comping "
                                    f"{pitch_class_name(note.pitch % 12)} held from "
                                    f"{where(score, note.start)} into {later.symbol}")
    return findings


def strong_positions(score: Score) -> tuple[int, ...]:
    """Ticks from the bar line of the strong beats: the downbeat, and the middle of the
    bar when it has an even number of felt beats and is at least a dotted half long (4/4
    beat 3, 6/8 and 12/8 the second half). 2/4, 3/4, 5/4, 9/8: the downbeat only."""
    meter = score.meter
    bar = meter.ticks_per_bar
    compound = meter.denominator == 8 and meter.numerator % 3 == 0 and meter.numerator > 3
    beats = meter.numerator // 3 if compound else meter.numerator
    return (0, bar // 2) if beats % 2 == 0 and bar >= 3 * PPQ else (0,)


def unresolved_strong_ncts(score: Score, start: int = 0, end: int | None = None) -> list[str]:
    """Melody notes on a strong beat (in [start, end)) that are not tones of the chord
    symbol sounding then and are not followed by a note a step (1-2 semitones) away."""
    spans, line = chord_spans(score), melody_line(score)
    bar, strong = score.meter.ticks_per_bar, strong_positions(score)
    stop = score.end_tick if end is None else end
    findings = []
    for index, note in enumerate(line):
        if not start <= note.start < stop or note.start % bar not in strong:
            continue
        span = chord_at(spans, note.start)
        if span is None or span.tones is None or note.pitch % 12 in span.tones:
            continue
        following = line[index + 1] if index + 1 < len(line) else None
        if following is None or abs(following.pitch - note.pitch) not in STEP:
            moved = "the piece ends" if following is None else \
                f"moves {following.pitch - note.pitch:+d}"
            findings.append(f"{where(score, note.start)}: "
                            f"{pitch_class_name(note.pitch % 12)} over {span.symbol}, {moved}")
    return findings


# --- motif ---------------------------------------------------------------------------


def opening_bars(score: Score) -> list[list[LineNote]] | None:
    """The melody's first 8 bars. Bar 1 counts as a pickup, and is skipped, when it is
    empty or its first onset lies in the second half of the bar."""
    bar = score.meter.ticks_per_bar
    bars: dict[int, list[LineNote]] = {}
    for note in melody_line(score):
        bars.setdefault(note.start // bar, []).append(note)
    first = 0 if bars.get(0) and bars[0][0].start < bar // 2 else 1
    if max(bars, default=-1) - first + 1 < OPENING_BARS:
        return None
    return [bars.get(first + i, []) for i in range(OPENING_BARS)]


def near_repeats(later: Sequence[LineNote], earlier: Sequence[LineNote], bar: int) -> bool:
    """`later` restates `earlier`: at least 2 notes, onsets at the same places in the bar,
    each interval within a semitone of the earlier one (a repeat, a real or diatonic
    sequence, a small interval variation)."""
    if len(later) < 2 or [n.start % bar for n in later] != [n.start % bar for n in earlier]:
        return False
    return all(abs((b.pitch - a.pitch) - (d.pitch - c.pitch)) <= NEAR
               for (a, b), (c, d) in zip(itertools.pairwise(later),
                                         itertools.pairwise(earlier), strict=True))


def motif_restatements(score: Score) -> list[tuple[int, int]] | None:
    """(later, earlier) bar numbers (1-based within the opening) where a bar of the first
    eight restates an earlier one; None when the melody is shorter than eight bars."""
    bars = opening_bars(score)
    if bars is None:
        return None
    bar = score.meter.ticks_per_bar
    return [(i + 1, j + 1) for i in range(1, OPENING_BARS) for j in range(i)
            if near_repeats(bars[i], bars[j], bar)]


# --- modes ---------------------------------------------------------------------------


def degree_weight(notes: Iterable[Note], tonic: str, semitones: int) -> int:
    """Ticks of sound, over `notes`, of the pitch class `semitones` above `tonic`."""
    target = (pitch_class_of_name(tonic) + semitones) % 12
    return sum(n.duration for n in notes if n.pitch % 12 == target)


# --- swing ---------------------------------------------------------------------------


def offbeat_eighths(onsets: Iterable[int], beat: int = PPQ) -> list[tuple[int, float]]:
    """(tick, place in its beat) of every off-beat eighth: the only onset of its quarter
    besides one on the beat, lying between 0.4 and 0.72 of the beat."""
    per_beat: dict[int, list[int]] = {}
    for tick in sorted(set(onsets)):
        per_beat.setdefault(tick // beat, []).append(tick)
    found = []
    for index, ticks in per_beat.items():
        off = [t for t in ticks if t != index * beat]
        if len(off) == 1:
            place = (off[0] - index * beat) / beat
            if OFFBEAT_WINDOW[0] <= place <= OFFBEAT_WINDOW[1]:
                found.append((off[0], place))
    return found


def swing_ratio(onsets: Iterable[int]) -> float | None:
    """Median place of the off-beat eighths in their beat: 0.5 straight, 0.67 triplet."""
    places = [place for _, place in offbeat_eighths(onsets)]
    return statistics.median(places) if places else None


def comping_swing(score: Score) -> float | None:
    """The swing of the comping's off-beats, else of the drums' (the ride or hats)."""
    ratio = swing_ratio(n.start for n in comping_notes(score))
    if ratio is not None:
        return ratio
    return swing_ratio(n.start for t in score.tracks if t.is_drum for n in t.notes)


def melody_off_the_swing(score: Score, ratio: float) -> list[str]:
    """Off-beat eighths of the melody more than `SWING_TOLERANCE` from `ratio`."""
    line = melody_line(score)
    return [f"{where(score, tick)}: off-beat at {place:.2f} of the beat"
            for tick, place in offbeat_eighths(n.start for n in line)
            if abs(place - ratio) > SWING_TOLERANCE]
