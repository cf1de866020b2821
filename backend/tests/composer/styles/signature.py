"""Reading a style's signature off the notes: where each part strikes in every bar, in
quarter beats from the bar's start, and the operational check for each trait a musician
names a style by (one-drop, train beat, skank, habanera...)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ, Role, Score

KICK, SIDE_STICK, SNARE, CLAP, CLOSED_HAT = 36, 37, 38, 39, 42
LOW_TOM, RIDE = 45, 51
SNARES = frozenset({SIDE_STICK, SNARE, CLAP})
BAND = "for flute, piano, bass and drums"
BARS = 16


def compose_style(style: Style, seed: int = 0, bars: int = BARS) -> Score:
    """A short piece in `style` for a band that has a drummer, a bassist and a comper."""
    request = ComposeRequest(prompt=f"a piece {BAND}", style=style, seed=seed, bars=bars)
    return compose(request).score


@dataclass
class Bar:
    """One bar's onsets per part, in quarter beats from the bar's start."""

    number: int
    beats: int  # quarter beats in the bar
    drums: dict[int, list[tuple[Fraction, int]]] = field(  # key -> (onset, velocity)
        default_factory=lambda: defaultdict(list))
    bass: list[tuple[Fraction, int]] = field(default_factory=list)  # (onset, pitch)
    comp: dict[Fraction, list[int]] = field(  # onset -> pitches struck together
        default_factory=lambda: defaultdict(list))

    def hits(self, *keys: int) -> set[Fraction]:
        return {onset for key in keys for onset, _ in self.drums.get(key, [])}

    def loudest(self, key: int, onset: Fraction) -> int:
        return max((v for at, v in self.drums.get(key, []) if at == onset), default=0)


def groove_bars(score: Score) -> list[Bar]:
    """Every bar that plays the groove: not a section's last (the fill) nor the final bar,
    nor a section's first (the crash)."""
    skip = {score.sections[-1].end_bar - 1} if score.sections else set()
    for section in score.sections:
        skip |= {section.start_bar, section.end_bar - 1}
    bar_ticks = score.meter.ticks_per_bar
    total = max((n.start for t in score.tracks for n in t.notes), default=0) // bar_ticks + 1
    bars = {number: Bar(number, bar_ticks // PPQ) for number in range(1, total + 1)
            if number not in skip}

    def place(tick: int) -> tuple[Bar | None, Fraction]:
        return bars.get(tick // bar_ticks + 1), Fraction(tick % bar_ticks, PPQ)

    for track in score.tracks:
        for note in track.notes:
            found, onset = place(note.start)
            if found is None:
                continue
            if track.is_drum:
                found.drums[note.pitch].append((onset, note.velocity))
            elif track.role is Role.BASS:
                found.bass.append((onset, note.pitch))
            elif track.role is Role.CHORDS:
                found.comp[onset].append(note.pitch)
    return [bars[n] for n in sorted(bars)]


# --- the traits: each a test of one bar ------------------------------------------------

BarCheck = Callable[[Bar], bool]


def backbeat(bar: Bar) -> bool:
    """A snare (or cross-stick, or clap) on 2 and 4."""
    return {Fraction(1), Fraction(3)} <= bar.hits(*SNARES)


def four_on_the_floor(bar: Bar) -> bool:
    return {Fraction(b) for b in range(bar.beats)} <= bar.hits(KICK)


def kick_on_one(bar: Bar) -> bool:
    return Fraction(0) in bar.hits(KICK)


def drop_on_three(bar: Bar) -> bool:
    """Reggae: the kick and the rim (or snare) together on beat 3."""
    return Fraction(2) in bar.hits(KICK) & bar.hits(*SNARES)


def one_drop(bar: Bar) -> bool:
    return drop_on_three(bar) and not kick_on_one(bar)


def half_time_snare(bar: Bar) -> bool:
    """The snare on 3 and not on 2 or 4."""
    snares = bar.hits(SNARE, CLAP)
    return Fraction(2) in snares and not snares & {Fraction(1), Fraction(3)}


def hat_roll(bar: Bar) -> bool:
    """Three hi-hats in a row closer than a sixteenth apart: a 32nd or 16th-triplet roll."""
    hats = sorted(bar.hits(CLOSED_HAT))
    gaps = [b - a for a, b in itertools.pairwise(hats)]
    return any(g1 < Fraction(1, 4) and g2 < Fraction(1, 4)
               for g1, g2 in itertools.pairwise(gaps))


def train_beat(bar: Bar) -> bool:
    """Snare sixteenths through the bar, accented on 2 and 4."""
    snares = bar.hits(SNARE)
    return len(snares) >= 4 * bar.beats - 1 and backbeat(bar) and all(
        bar.loudest(SNARE, Fraction(b)) > bar.loudest(SNARE, Fraction(b) + Fraction(1, 4))
        for b in (1, 3))


def sixteenth_syncopation(bar: Bar) -> bool:
    """Funk: a kick or snare on the "e" or "a" of a beat."""
    return any((onset * 4).denominator == 1 and int(onset * 4) % 2 == 1
               for onset in bar.hits(KICK, SNARE))


def double_kick(bar: Bar) -> bool:
    return len(bar.hits(KICK)) >= 2 * bar.beats


def surdo_on_two(bar: Bar) -> bool:
    """Samba (2/4): the deep drum answers on 2, louder than on 1."""
    return bar.loudest(KICK, Fraction(1)) > bar.loudest(KICK, Fraction(0))


def gated_snare(bar: Bar) -> bool:
    """Synthwave: snare and clap together on 2 and 4."""
    return {Fraction(1), Fraction(3)} <= bar.hits(SNARE) & bar.hits(CLAP)


def ride_on_every_beat(bar: Bar) -> bool:
    return {Fraction(b) for b in range(bar.beats)} <= bar.hits(RIDE)


def bodhran(bar: Bar) -> bool:
    return {Fraction(b) for b in range(bar.beats)} <= bar.hits(LOW_TOM)


def snare_on_every_beat(bar: Bar) -> bool:
    return {Fraction(b) for b in range(bar.beats)} <= bar.hits(SNARE)


def _strong(bar: Bar) -> set[Fraction]:
    return {Fraction(0), Fraction(2)} if bar.beats == 4 else {Fraction(0)}


def skank(bar: Bar) -> bool:
    """Chords only off the strong beats (never on 1 or 3)."""
    return bool(bar.comp) and not set(bar.comp) & _strong(bar)


def boom_chick(bar: Bar) -> bool:
    """The bass on the strong beats, the chords on the weak ones in between (oom-pah-pah
    in 3/4)."""
    bass = {onset for onset, _ in bar.bass}
    weak = {Fraction(b) for b in range(bar.beats)} - _strong(bar)
    return _strong(bar) <= bass and weak <= set(bar.comp) and not set(bar.comp) & _strong(bar)


def habanera(bar: Bar) -> bool:
    """Dotted eighth, sixteenth, eighth: onsets on 1, its last sixteenth and 2."""
    figure = {Fraction(0), Fraction(3, 4), Fraction(1)}
    return figure <= {onset for onset, _ in bar.bass} or figure <= set(bar.comp)


def broken_chords(bar: Bar) -> bool:
    """An arpeggio: the chords sound one note at a time, at least four to the bar."""
    return len(bar.comp) >= 4 and all(len(pitches) == 1 for pitches in bar.comp.values())


def block_chords(bar: Bar) -> bool:
    return bool(bar.comp) and all(len(pitches) >= 3 for pitches in bar.comp.values())


def spread_chords(bar: Bar) -> bool:
    """Chords spread past an octave, as strings and pads voice them."""
    return bool(bar.comp) and all(max(p) - min(p) > 12 for p in bar.comp.values()
                                  if len(p) > 1)


def octave_bass(bar: Bar) -> bool:
    """The bass leaps an octave between neighbouring notes."""
    pitches = [pitch for _, pitch in sorted(bar.bass)]
    return any(abs(b - a) == 12 for a, b in itertools.pairwise(pitches))


def walking_bass(bar: Bar) -> bool:
    """A note on every beat."""
    return {Fraction(b) for b in range(bar.beats)} <= {onset for onset, _ in bar.bass}


def share(bars: list[Bar], check: BarCheck) -> float:
    return sum(check(bar) for bar in bars) / len(bars) if bars else 0.0


def cross_stick_clave(bar: Bar) -> bool:
    """Bossa nova: the rim clicks a clave figure, some of it off the beat."""
    return any(onset.denominator > 1 for onset in bar.hits(SIDE_STICK))


def alternating_bass(bar: Bar) -> bool:
    """Root and fifth (or another chord tone) in turn: not one pitch all bar."""
    return len({pitch for _, pitch in bar.bass}) >= 2
