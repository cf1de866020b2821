"""Style traits judged on the whole piece rather than bar by bar: its feel (swing), its
harmony and form (sevenths, the 12-bar blues, cadences), its texture (four voices, power
chords, register), its metre, tempo and band. Each returns True (obeyed), False (broken)
or None (the piece gives the check nothing to judge)."""

from __future__ import annotations

import itertools

from ariaforge.music.score import Note, Score
from ariaforge.music.theory.chords import ChordParseError, parse_chord_symbol
from ariaforge.music.theory.scales import tonic_pc
from arrangement.grid import (
    PPQ,
    bar_ticks,
    beat_ticks,
    chord_tracks,
    drum_notes,
    melody_track,
    onset_groups,
    pitched,
    share,
    sounding,
)

MOST = 0.6


def swing(score: Score) -> bool | None:
    """Swing: the off-beat eighths land late (from a light 0.55 to past the triplet's 2/3
    of the beat), not halfway, in the tune and the comping."""
    beat = beat_ticks(score)
    offsets = [n.start % beat for t in pitched(score) for n in t.notes]
    late = sum(beat * 0.55 <= o <= beat * 0.72 for o in offsets)
    even = sum(abs(o - beat // 2) <= 15 for o in offsets)
    if late + even < 8:
        return None
    return late > 2 * even


def straight(score: Score) -> bool | None:
    """Straight eighths: the off-beats fall halfway through the beat (bossa nova, samba)."""
    result = swing(score)
    return None if result is None else not result


def _chords(score: Score) -> list[tuple[int, int, frozenset[int]]]:
    """The chord symbols as (tick, root pitch class, pitch classes), in time order."""
    found = []
    for symbol in sorted(score.chord_symbols, key=lambda s: s.tick):
        try:
            chord = parse_chord_symbol(symbol.symbol)
        except ChordParseError:
            continue
        found.append((symbol.tick, chord.root_pc, chord.pitch_classes))
    return found


def twelve_bar(score: Score) -> bool | None:
    """The 12-bar blues: I at bar 1, IV at bar 5, V at bar 9 of each 12-bar chorus (or,
    in a jazz blues, ii at bar 9 going to V at bar 10)."""
    chords, size, tonic = _chords(score), bar_ticks(score), tonic_pc(score.key)
    if not chords or score.bars < 12:
        return None

    def root_at(bar: int) -> int:
        tick = bar * size
        return [root for start, root, _ in chords if start <= tick][-1]

    choruses = [s.start_bar - 1 for s in score.sections if s.bars == 12] or [0]
    five, two = (tonic + 7) % 12, (tonic + 2) % 12

    def dominant_at(bar: int) -> bool:
        return root_at(bar) == five or (root_at(bar) == two and root_at(bar + 1) == five)

    return all(root_at(b) == tonic and root_at(b + 4) == (tonic + 5) % 12
               and dominant_at(b + 8) for b in choruses)


def sevenths(score: Score) -> bool | None:
    """Seventh chords (or richer) are the rule: half the chord symbols or more have four
    notes or more."""
    chords = _chords(score)
    return None if not chords else (share([len(pcs) >= 4 for _, _, pcs in chords]) or 0) >= 0.5


def slow_harmony(score: Score) -> bool | None:
    """Chords last a bar or more on average."""
    chords = _chords(score)
    if not chords:
        return None
    return score.bars * bar_ticks(score) / len(chords) >= bar_ticks(score)


def final_cadence(score: Score) -> bool | None:
    """The piece closes V(7) -> I (or IV -> I, the amen)."""
    chords, tonic = _chords(score), tonic_pc(score.key)
    if len(chords) < 2:
        return None
    last, before = chords[-1][1], chords[-2][1]
    return last == tonic and before in ((tonic + 7) % 12, (tonic + 5) % 12)


def plagal_colour(score: Score) -> bool | None:
    """Gospel's amen colour: a IV -> I (or iv -> I) move somewhere in the piece."""
    roots, tonic = [root for _, root, _ in _chords(score)], tonic_pc(score.key)
    return any(a == (tonic + 5) % 12 and b == tonic
               for a, b in itertools.pairwise(roots))


def four_part(score: Score) -> bool | None:
    """Four voices: at most of the tune's onsets, four or more pitches sound (four singers,
    four string players, or an organist's two hands)."""
    melody = melody_track(score)
    if melody is None:
        return False
    notes = [n for t in pitched(score) for n in t.notes]
    flags = [len(sounding(notes, n.start)) >= 4 for n in melody.notes]
    return (share(flags) or 0) >= 0.8


def power_chords(score: Score) -> bool | None:
    """Rock and metal guitars: the chords are root and fifth (and octave), no third."""
    guitars = [t for t in chord_tracks(score) if 24 <= t.program <= 31]
    if not guitars:
        return None
    groups = [g for t in guitars for g in onset_groups(t.notes).values() if len(g) >= 2]
    if not groups:
        return False

    def power(group: list[Note]) -> bool:
        low = min(n.pitch for n in group)
        return {(n.pitch - low) % 12 for n in group} <= {0, 7}

    return (share([power(g) for g in groups]) or 0) >= MOST


def wide_register(score: Score) -> bool | None:
    """An orchestral spread: three octaves or more between the lowest and highest notes."""
    pitches = [n.pitch for t in pitched(score) for n in t.notes]
    return bool(pitches) and max(pitches) - min(pitches) >= 36


def small_range(score: Score) -> bool | None:
    """A tune a child can sing: the melody stays within an octave."""
    melody = melody_track(score)
    if melody is None:
        return False
    pitches = [n.pitch for n in melody.notes]
    return max(pitches) - min(pitches) <= 12


def running_eighths(score: Score) -> bool | None:
    """A reel's tune moves mostly in eighths (half its notes or more an eighth or less)."""
    melody = melody_track(score)
    if melody is None:
        return False
    return (share([n.duration <= PPQ // 2 for n in melody.notes]) or 0) >= 0.5


def no_kit(score: Score) -> bool | None:
    """No drum kit plays."""
    return not drum_notes(score)


def slow(score: Score) -> bool | None:
    """A slow tempo: 90 quarter-note beats a minute or fewer."""
    return score.tempo <= 90


def compound_meter(score: Score) -> bool | None:
    """A compound metre (6/8, 9/8, 12/8): beats that divide in three."""
    return score.meter.denominator == 8 and score.meter.numerator % 3 == 0


def triple_meter(score: Score) -> bool | None:
    """Three beats to the bar."""
    return score.meter.numerator == 3


def duple_meter(score: Score) -> bool | None:
    """Two or four beats to the bar (2/4, 4/4, 2/2)."""
    return score.meter.numerator in (2, 4) and score.meter.denominator in (2, 4)


def square_lead(score: Score) -> bool | None:
    """Chiptune: the tune is on a square (or saw) lead, as a game console's pulse channel."""
    melody = melody_track(score)
    return melody is not None and melody.program in (80, 81)


def synth_band(score: Score) -> bool | None:
    """Synthwave and EDM: synth programs (leads, pads, synth bass) carry half the parts
    or more."""
    tracks = pitched(score)
    synths = [t for t in tracks if 80 <= t.program <= 103 or t.program in (38, 39)]
    return len(synths) * 2 >= len(tracks)
