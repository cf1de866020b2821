"""Per-bar checks on the pitched parts: the bass's line, the comping's rhythm and voicing,
the accompaniment's figure. A check says None in a bar where the part it reads is silent,
else whether the bar plays the figure. Beats are felt beats, counted from 1."""

from __future__ import annotations

import itertools

from ariaforge.music.score import Role
from arrangement.bars import Bar, judged_if, on, on_any, struck_at
from arrangement.grid import KICKS, LOW, PPQ, SIXTEENTH, SNARES, near

with_bass = judged_if(lambda bar: bar.parts.get(Role.BASS))
comped = judged_if(lambda bar: bar.comping)
accompanied = judged_if(lambda bar: bar.accompaniment)


@comped
def skank(bar: Bar) -> bool | None:
    """Reggae's skank: the comping's chords fall only off the strong beats (on 2 and 4,
    or on every "and"), never on 1 or 3."""
    return not on_any(bar.comping, *bar.strong)


@accompanied
def oom_pah(bar: Bar) -> bool | None:
    """Oom-pah (country's boom-chick, the waltz's oom-pah-pah): a low note alone on the
    strong beats, a chord struck on every weak beat, in whichever parts accompany the
    tune (a bass and a guitar, or a pianist's left hand)."""
    parts = bar.accompaniment
    for tick in bar.strong:
        pitches = struck_at(parts, tick)
        if not any(p < LOW for p in pitches) or sum(p >= LOW for p in pitches) >= 2:
            return False
    return all(len(struck_at(parts, tick)) >= 2 for tick in bar.weak)


def habanera(bar: Bar) -> bool | None:
    """The habanera (tango's heartbeat): dotted eighth, sixteenth, eighth, that is onsets
    on 1, on the last sixteenth of beat 1 and on 2, in the bass or the comping."""
    if bar.beat != PPQ:
        return None
    parts = [list(bar.parts.get(Role.BASS, {})), list(bar.comping)]
    if not any(parts):
        return None
    return any(on(onsets, 0, 3 * SIXTEENTH, PPQ) for onsets in parts)


@comped
def broken_chords(bar: Bar) -> bool | None:
    """Broken chords (Alberti, arpeggios): the comping sounds one note at a time, four or
    more to the bar."""
    return len(bar.comping) >= 4 and all(len(p) == 1 for p in bar.comping.values())


def wide_arpeggio(bar: Bar) -> bool | None:
    """A nocturne's left hand: broken chords sweeping past an octave in the bar."""
    broken = broken_chords(bar)
    pitches = [p for group in bar.comping.values() for p in group]
    return broken and max(pitches) - min(pitches) > 12


@comped
def block_chords(bar: Bar) -> bool | None:
    """Block chords (a hymn's, a pad's): every stroke of the comping sounds three notes
    or more at once."""
    return all(len(p) >= 3 for p in bar.comping.values())


@comped
def spread_chords(bar: Bar) -> bool | None:
    """Open, spread voicings, as strings are scored: the comping strikes chords, each
    spanning more than an octave."""
    chords = [p for p in bar.comping.values() if len(p) > 1]
    return bool(chords) and all(max(p) - min(p) > 12 for p in chords)


@with_bass
def octave_bass(bar: Bar) -> bool | None:
    """An octave bass (disco, funk slap, chiptune): the bass leaps an octave between
    neighbouring notes."""
    line = [min(pitches) for pitches in bar.onsets(Role.BASS).values()]
    return any(abs(b - a) == 12 for a, b in itertools.pairwise(line))


@with_bass
def walking_bass(bar: Bar) -> bool | None:
    """A walking (or continuo) bass: a bass note on every beat."""
    return on(bar.parts[Role.BASS], *bar.every_beat)


@with_bass
def alternating_bass(bar: Bar) -> bool | None:
    """An alternating bass: root and fifth (or another chord tone) in turn, not one pitch
    all bar."""
    return len({p for pitches in bar.parts[Role.BASS].values() for p in pitches}) >= 2


def running_motion(bar: Bar) -> bool | None:
    """Baroque motor rhythm: one part (the tune, the bass, the comping or the strings'
    repeated chords) strikes every eighth of the bar."""
    parts = [bar.parts.get(role, {})
             for role in (Role.MELODY, Role.BASS, Role.CHORDS, Role.PAD)]
    if not any(parts):
        return None
    eighths = range(0, bar.size, PPQ // 2)
    return any(on(part, *eighths) for part in parts if part)


def sixteenth_syncopation(bar: Bar) -> bool | None:
    """Sixteenth-note syncopation (funk, samba): the rhythm section (kick, snare, bass or
    comping) strikes the "e" or the "a" of a beat, twice or more in the bar."""
    onsets = {*bar.hits(*KICKS, *SNARES), *bar.parts.get(Role.BASS, {}), *bar.comping}
    if not onsets:
        return None
    return sum(near(tick % (2 * SIXTEENTH), SIXTEENTH) for tick in onsets) >= 2
