"""Texture failures and unrequested tracks, judged on the score and the brief's warnings.

- No harmony: the brief named a chord-capable instrument (keyboard, guitar, harp, organ,
  accordion, choir, strings, brass section, pad) and, at most chords, the parts other than
  the tune neither sound three pitch classes over the chord nor strike two notes at once.
- Shared voicing: two chord-role tracks sound the same pitches (two or more) at 20% or
  more of the chord changes where both sound.
- Unrequested: a track whose General MIDI program no named instrument plays, with no
  warning that says something was added."""

from __future__ import annotations

from itertools import combinations

from ariaforge.music.score import Role, Score
from arrangement.grid import accompaniment, bar_ticks, chord_tracks, onset_groups, sounding

_CHORD_FAMILIES = (range(0, 8), range(16, 24), range(24, 32), range(46, 47), range(48, 56),
                   range(61, 64), range(88, 96), range(104, 108))
SHARED_LIMIT = 0.2


def chord_capable(program: int) -> bool:
    return any(program in family for family in _CHORD_FAMILIES)


def has_harmony(score: Score) -> bool:
    """At most chord changes the accompaniment sounds the chord: three or more pitch
    classes over the chord's span (an oom-pah or an arpeggio counts), or a part striking
    two or more notes at once (a power chord over the bass)."""
    tracks = accompaniment(score)
    ticks = sorted(s.tick for s in score.chord_symbols)
    if not ticks:
        return False
    ends = [*ticks[1:], score.bars * bar_ticks(score)]
    full = []
    for start, end in zip(ticks, ends, strict=True):
        notes = [n for t in tracks for n in t.notes if n.start < end and n.end > start]
        struck = [g for t in tracks if t.role is not Role.BASS
                  for tick, g in onset_groups(t.notes).items() if start <= tick < end]
        full.append(len({n.pitch % 12 for n in notes}) >= 3 or any(len(g) >= 2 for g in struck))
    return sum(full) >= 0.6 * len(full)


def shared_voicings(score: Score) -> list[tuple[str, str, float]]:
    """(track, track, share of chord changes with identical voicings) over the limit."""
    found = []
    ticks = [s.tick + 1 for s in score.chord_symbols]
    for one, two in combinations(chord_tracks(score), 2):
        both = [(sounding(one.notes, t), sounding(two.notes, t)) for t in ticks]
        both = [(a, b) for a, b in both if len(a) >= 2 and len(b) >= 2]
        same = sum(a == b for a, b in both)
        if both and same / len(both) >= SHARED_LIMIT:
            found.append((one.name, two.name, same / len(both)))
    return found


def unrequested(score: Score, named_programs: set[int], named_drums: bool,
                warnings: list[str]) -> list[str]:
    """Tracks nobody asked for, when no warning owns up to adding them."""
    if not named_programs and not named_drums:
        return []
    extra = [t.name for t in score.tracks
             if (t.is_drum and not named_drums)
             or (not t.is_drum and t.program not in named_programs)]
    explained = any("add" in w.lower() for w in warnings)
    return [] if explained else extra
