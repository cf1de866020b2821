"""One operational check per style trait, judged on the notes of a composed score. Each
returns True (obeyed), False (broken) or None (the piece gives the check nothing to judge,
e.g. a drum trait in a piece without drums). `STYLE_TRAITS` says which traits each style
must show; a share threshold of 60% of bars lets fills, intros and endings differ."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Final

from ariaforge.music.score import Role, Score
from ariaforge.music.theory.chords import ChordParseError, parse_chord_symbol
from ariaforge.music.theory.scales import tonic_pc
from arrangement.grid import (
    HATS,
    KICKS,
    PPQ,
    SNARES,
    accompaniment,
    bar_ticks,
    beat_ticks,
    beats_per_bar,
    by_bar,
    chord_tracks,
    drum_notes,
    melody_track,
    near,
    onset_groups,
    pitched,
    share,
    sounding,
)

Check = Callable[[Score], bool | None]
MOST: Final = 0.6


def _drum_bars(score: Score, keys: frozenset[int]) -> dict[int, list[int]]:
    bars = by_bar(score, drum_notes(score))
    hits = by_bar(score, drum_notes(score, keys))
    return {bar: hits.get(bar, []) for bar in bars}


def _bars_where(score: Score, keys: frozenset[int], test: Callable[[list[int]], bool]
                ) -> bool | None:
    bars = _drum_bars(score, keys)
    if not bars:
        return None
    found = share([test(onsets) for onsets in bars.values()])
    return found is not None and found >= MOST


def _on(onsets: list[int], *targets: int) -> bool:
    return all(any(near(o, t) for o in onsets) for t in targets)


def backbeat(score: Score) -> bool | None:
    """Snare, clap or rim on beats 2 and 4 (in 4/4)."""
    beat = beat_ticks(score)
    if beats_per_bar(score) != 4:
        return None
    return _bars_where(score, SNARES, lambda on: _on(on, beat, 3 * beat))


def four_on_the_floor(score: Score) -> bool | None:
    beat = beat_ticks(score)
    return _bars_where(score, KICKS, lambda on: _on(
        on, *(i * beat for i in range(beats_per_bar(score)))))


def half_time(score: Score) -> bool | None:
    """The snare on beat 3 of 4, not on 2 and 4: a half-time feel."""
    beat = beat_ticks(score)
    return _bars_where(score, SNARES, lambda on: _on(on, 2 * beat) and not _on(on, beat))


def one_drop(score: Score) -> bool | None:
    """Reggae's drop: the kick on 3 and not on 1 (one-drop), or on every beat (steppers)."""
    beat = beat_ticks(score)
    return _bars_where(score, KICKS, lambda on: (_on(on, 2 * beat) and not _on(on, 0))
                       or _on(on, 0, beat, 2 * beat, 3 * beat))


def hat_rolls(score: Score) -> bool | None:
    """Trap hats: bursts of three or more hats closer than a 16th in a quarter of bars."""
    bars = _drum_bars(score, HATS)
    if not bars:
        return None

    def rolls(onsets: list[int]) -> bool:
        ordered = sorted(set(onsets))
        gaps = [b - a for a, b in itertools.pairwise(ordered)]
        return any(g1 < PPQ // 4 and g2 < PPQ // 4 for g1, g2 in
                   itertools.pairwise(gaps))

    return share([rolls(on) for on in bars.values()]) >= 0.25  # type: ignore[operator]


def sixteenth_syncopation(score: Score) -> bool | None:
    """Funk and samba: at least 15% of the band's onsets fall on an off-beat 16th."""
    notes = [n for t in score.tracks if t.role is not Role.MELODY for n in t.notes]
    if not notes:
        return None
    sixteenth = PPQ // 4
    off = [n.start % (2 * sixteenth) == sixteenth for n in notes]
    found = share(off)
    return found is not None and found >= 0.15


def skank(score: Score) -> bool | None:
    """Reggae's skank: the chord parts play off the beat, never on it."""
    beat = beat_ticks(score)
    onsets = [n.start for t in chord_tracks(score) for n in t.notes]
    if not onsets:
        return False
    found = share([not near(o % beat, 0) and not near(o % beat, beat) for o in onsets])
    return found is not None and found >= 0.8


def _low_and_high(score: Score) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The accompaniment's single low notes and its chords, as (bar, tick in bar)."""
    size = bar_ticks(score)
    notes = [n for t in accompaniment(score) for n in t.notes]
    groups = onset_groups(notes)
    lows, chords = [], []
    for tick, group in groups.items():
        where = (tick // size, tick % size)
        if len(group) >= 2:
            chords.append(where)
        if min(n.pitch for n in group) < 55:
            lows.append(where)
    return lows, chords


def oom_pah(score: Score) -> bool | None:
    """Oom-pah(-pah): a low note on the downbeat, chords on the other beats."""
    beat, size = beat_ticks(score), bar_ticks(score)
    lows, chords = _low_and_high(score)
    bars = range(score.bars)
    off_beats = [i * beat for i in range(1, size // beat)]
    flags = [any(b == bar and near(t, 0) for b, t in lows)
             and all(any(b == bar and near(t, off) for b, t in chords) for off in off_beats)
             for bar in bars]
    return (share(flags) or 0) >= 0.5


def boom_chick(score: Score) -> bool | None:
    """Country's two-beat: bass on 1 and 3, chords on 2 and 4; or the train beat (snare
    16ths)."""
    beat = beat_ticks(score)
    train = _bars_where(score, SNARES, lambda on: len(on) >= 3 * beats_per_bar(score))
    if train:
        return True
    lows, chords = _low_and_high(score)
    flags = [any(b == bar and near(t, 0) for b, t in lows)
             and any(b == bar and near(t, beat) for b, t in chords)
             for bar in range(score.bars)]
    return (share(flags) or 0) >= 0.5


def swing(score: Score) -> bool | None:
    """Off-beat eighths land late (from a light 0.55 to past the triplet's 2/3 of the
    beat), not halfway, in melody and comping."""
    beat = beat_ticks(score)
    offsets = [n.start % beat for t in pitched(score) for n in t.notes]
    late = sum(beat * 0.55 <= o <= beat * 0.72 for o in offsets)
    even = sum(abs(o - beat // 2) <= 15 for o in offsets)
    if late + even < 8:
        return None
    return late > 2 * even


def straight(score: Score) -> bool | None:
    result = swing(score)
    return None if result is None else not result


def walking_bass(score: Score) -> bool | None:
    """A note on every beat in most bars."""
    bass = [n for t in pitched(score) if t.role is Role.BASS for n in t.notes]
    if not bass:
        return None
    beat = beat_ticks(score)
    bars = by_bar(score, bass)
    flags = [all(any(near(o, i * beat) for o in bars.get(bar, []))
                 for i in range(beats_per_bar(score))) for bar in range(score.bars)]
    return (share(flags) or 0) >= MOST


def _chords(score: Score) -> list[tuple[int, int, frozenset[int]]]:
    found = []
    for symbol in sorted(score.chord_symbols, key=lambda s: s.tick):
        try:
            chord = parse_chord_symbol(symbol.symbol)
        except ChordParseError:
            continue
        found.append((symbol.tick, chord.root_pc, chord.pitch_classes))
    return found


def twelve_bar(score: Score) -> bool | None:
    """I at bar 1, IV at bar 5, V at bar 9 of each 12-bar chorus."""
    chords, size, tonic = _chords(score), bar_ticks(score), tonic_pc(score.key)
    if not chords or score.bars < 12:
        return None

    def root_at(bar: int) -> int:
        tick = bar * size
        return [root for start, root, _ in chords if start <= tick][-1]

    choruses = [s.start_bar - 1 for s in score.sections if s.bars == 12] or [0]
    return all(root_at(b) == tonic and root_at(b + 4) == (tonic + 5) % 12
               and root_at(b + 8) == (tonic + 7) % 12 for b in choruses)


def sevenths(score: Score) -> bool | None:
    chords = _chords(score)
    return None if not chords else (share([len(pcs) >= 4 for _, _, pcs in chords]) or 0) >= 0.5


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
    """Guitar chords of root and fifth (and octave), no third."""
    guitars = [t for t in chord_tracks(score) if 24 <= t.program <= 31]
    if not guitars:
        return None
    groups = [g for t in guitars for g in onset_groups(t.notes).values() if len(g) >= 2]
    if not groups:
        return False

    def power(group: list) -> bool:  # type: ignore[type-arg]
        low = min(n.pitch for n in group)
        return {(n.pitch - low) % 12 for n in group} <= {0, 7}

    return (share([power(g) for g in groups]) or 0) >= MOST


def habanera(score: Score) -> bool | None:
    """Tango: the habanera (dotted eighth, sixteenth, two eighths) or marcato quarters in
    the bass or the comping."""
    beat = beat_ticks(score)
    notes = [n for t in accompaniment(score) for n in t.notes]
    bars = by_bar(score, notes)
    hab = (0, beat * 3 // 4, beat, beat * 3 // 2)
    marcato = tuple(i * beat for i in range(beats_per_bar(score)))
    flags = [_on(bars.get(b, []), *hab) or _on(bars.get(b, []), *marcato)
             for b in range(score.bars)]
    return (share(flags) or 0) >= MOST


def arpeggiated_left_hand(score: Score) -> bool | None:
    """Nocturne: the accompaniment plays one note at a time, spanning past an octave a bar."""
    notes = [n for t in accompaniment(score) for n in t.notes]
    if not notes:
        return False
    single = share([len(g) == 1 for g in onset_groups(notes).values()]) or 0
    spans = [max(ps) - min(ps) for ps in _pitches_by_bar(score, notes).values()]
    return single >= 0.6 and (share([s > 12 for s in spans]) or 0) >= 0.5


def _pitches_by_bar(score: Score, notes: list) -> dict[int, list[int]]:  # type: ignore[type-arg]
    size = bar_ticks(score)
    bars: dict[int, list[int]] = {}
    for note in notes:
        bars.setdefault(note.start // size, []).append(note.pitch)
    return bars


def running_motion(score: Score) -> bool | None:
    """Baroque motor rhythm: some part strikes every eighth in most bars."""
    eighth = PPQ // 2
    size = bar_ticks(score)
    for track in pitched(score):
        onsets = {n.start // eighth for n in track.notes}
        flags = [all(bar * size // eighth + i in onsets for i in range(size // eighth))
                 for bar in range(score.bars)]
        if (share(flags) or 0) >= MOST:
            return True
    return False


def slow_harmony(score: Score) -> bool | None:
    """Chords last a bar or more on average."""
    chords = _chords(score)
    if not chords:
        return None
    return score.bars * bar_ticks(score) / len(chords) >= bar_ticks(score)


def wide_register(score: Score) -> bool | None:
    """An orchestral spread: three octaves or more between the lowest and highest notes."""
    pitches = [n.pitch for t in pitched(score) for n in t.notes]
    return bool(pitches) and max(pitches) - min(pitches) >= 36


def no_kit(score: Score) -> bool | None:
    return not drum_notes(score)


def slow(score: Score) -> bool | None:
    return score.tempo <= 90


def small_range(score: Score) -> bool | None:
    melody = melody_track(score)
    if melody is None:
        return False
    pitches = [n.pitch for n in melody.notes]
    return max(pitches) - min(pitches) <= 12


def compound_meter(score: Score) -> bool | None:
    return score.meter.denominator == 8 and score.meter.numerator % 3 == 0


def triple_meter(score: Score) -> bool | None:
    return score.meter.numerator == 3


def duple_meter(score: Score) -> bool | None:
    return score.meter.numerator in (2, 4) and score.meter.denominator in (2, 4)


def running_eighths(score: Score) -> bool | None:
    """A reel's tune moves mostly in eighths."""
    melody = melody_track(score)
    if melody is None:
        return False
    return (share([n.duration <= PPQ // 2 for n in melody.notes]) or 0) >= 0.5


def final_cadence(score: Score) -> bool | None:
    """The piece closes V(7) -> I (or IV -> I, the amen)."""
    chords, tonic = _chords(score), tonic_pc(score.key)
    if len(chords) < 2:
        return None
    last, before = chords[-1][1], chords[-2][1]
    return last == tonic and before in ((tonic + 7) % 12, (tonic + 5) % 12)


def plagal_colour(score: Score) -> bool | None:
    """Gospel: IV -> I moves (or iv -> I) somewhere in the piece."""
    roots, tonic = [root for _, root, _ in _chords(score)], tonic_pc(score.key)
    return any(a == (tonic + 5) % 12 and b == tonic
               for a, b in itertools.pairwise(roots))


def square_lead(score: Score) -> bool | None:
    melody = melody_track(score)
    return melody is not None and melody.program in (80, 81)


def synth_band(score: Score) -> bool | None:
    """Synthwave and EDM: synth programs (leads, pads, synth bass) carry the piece."""
    tracks = pitched(score)
    synths = [t for t in tracks if 80 <= t.program <= 103 or t.program in (38, 39)]
    return len(synths) * 2 >= len(tracks)


def backbeat_or_half_time(score: Score) -> bool | None:
    """Metal: the snare on 2 and 4, or on 3 in its half-time grooves."""
    return backbeat(score) or half_time(score)


def backbeat_or_four(score: Score) -> bool | None:
    """Synthwave: a gated backbeat, or a four-on-the-floor kick."""
    return backbeat(score) or four_on_the_floor(score)


STYLE_TRAITS: Final[Mapping[str, tuple[Check, ...]]] = {
    "pop": (backbeat,), "rock": (backbeat,), "metal": (backbeat_or_half_time, power_chords),
    "jazz": (swing, sevenths), "swing": (swing, sevenths), "blues": (swing, twelve_bar),
    "bossa-nova": (straight, sevenths), "samba": (sixteenth_syncopation, straight),
    "folk": (duple_meter,), "country": (boom_chick,), "celtic": (running_eighths,),
    "reel": (running_eighths,), "jig": (compound_meter,), "waltz": (triple_meter, oom_pah),
    "march": (duple_meter, final_cadence), "chorale": (four_part, final_cadence),
    "carol": (four_part,), "classical": (final_cadence,), "baroque": (running_motion,),
    "nocturne": (arpeggiated_left_hand, slow, no_kit), "ballad": (slow,),
    "lullaby": (slow, small_range, no_kit), "cinematic": (slow_harmony, wide_register),
    "ambient": (slow_harmony, no_kit), "lofi-hip-hop": (swing, sevenths),
    "hip-hop": (backbeat,), "trap": (half_time, hat_rolls), "funk": (sixteenth_syncopation,),
    "reggae": (skank, one_drop), "gospel": (plagal_colour, backbeat),
    "tango": (habanera,), "edm": (four_on_the_floor, synth_band),
    "house": (four_on_the_floor,), "synthwave": (backbeat_or_four, synth_band),
    "chiptune": (square_lead,),
}
