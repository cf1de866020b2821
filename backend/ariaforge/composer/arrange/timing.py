"""Bar arithmetic shared by the arrangement parts: felt beats in any metre, where a style's
pulses land in ticks (swing included), how busy a bar should be, and the harmony at a tick.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction
from functools import cache

from ariaforge.composer.plan import ChordEvent, Plan, SectionPlan
from ariaforge.composer.styles import Beats, Groove, Pulse, StyleKit
from ariaforge.music.score import PPQ, Meter, Note

EIGHTH = PPQ // 2


@dataclass(frozen=True)
class Beat:
    offset: int  # ticks from the bar's start
    length: int
    strong: bool

    @property
    def parts(self) -> int:
        """2 for a beat of two eighths (or a quarter), 3 for a dotted quarter."""
        return 3 if self.length == 3 * EIGHTH else 2


def beat_grid(meter: Meter) -> tuple[Beat, ...]:
    """The felt beats of a bar: quarters in x/4, dotted quarters in 6/8 and 12/8, and
    groups of two eighths closed by a group of three in 5/8 and 7/8 (2+2+3)."""
    return _beat_grid(meter.numerator, meter.denominator)


@cache
def _beat_grid(count: int, denominator: int) -> tuple[Beat, ...]:
    unit = PPQ * 4 // denominator
    if denominator == 8 and count % 3 == 0:
        lengths = [3 * unit] * (count // 3)
    elif denominator == 8 and count > 3:
        lengths = [2 * unit] * (count // 2 - 1) + [unit * (2 + count % 2)]
    else:
        lengths = [unit] * count
    strong = {0}
    if len(lengths) >= 4:  # a mid-bar accent: 3 in 4/4, 4 in 5/4 (3+2), 3 in 12/8
        strong.add((len(lengths) + 1) // 2)
    beats, offset = [], 0
    for index, length in enumerate(lengths):
        beats.append(Beat(offset, length, index in strong))
        offset += length
    return tuple(beats)


def _selected(beats: Sequence[Beat], which: Beats) -> list[int]:
    indices = range(len(beats))
    if which is Beats.FIRST:
        return [0]
    if which is Beats.STRONG:
        return [i for i in indices if beats[i].strong]
    if which is Beats.WEAK:
        return [i for i in indices if not beats[i].strong]
    if which is Beats.BACK:
        return [i for i in indices if i % 2 == 1]
    return list(indices)


@dataclass(frozen=True)
class Hit:
    tick: int  # absolute
    length: int  # ticks wanted; callers clip to the room they have
    velocity: int  # at full energy
    pulse: Pulse
    on_beat: bool
    strong: bool  # on a strong beat's onset


def offset_in_beat(beat: Beat, position: Fraction, swing: Fraction | None) -> int:
    """Ticks from the beat's start for a position within it. The off-beat eighth moves to
    the last triplet in a three-part beat, and to the swing ratio in a swung two-part one."""
    if position == Fraction(1, 2):
        if beat.parts == 3:
            position = Fraction(2, 3)
        elif swing is not None and beat.length == PPQ:
            position = swing
    return int(position * beat.length)


def bar_hits(plan: Plan, kit: StyleKit, bar: int, pulses: Sequence[Pulse]) -> list[Hit]:
    """Where each pulse plays in 1-based `bar`, in time order. `Beats.CHORD` pulses are left
    to the caller, who knows the chord changes."""
    beats = beat_grid(plan.meter)
    swing = kit.swing_ratio if plan.swing else None
    start = plan.bar_start(bar)
    hits: list[Hit] = []
    for pulse in pulses:
        if pulse.beats is Beats.CHORD:
            continue
        if pulse.beats is Beats.BAR:
            for at in pulse.offsets:
                index = int(at)
                if index < len(beats):
                    beat = beats[index]
                    tick = start + beat.offset + offset_in_beat(beat, at - index, swing)
                    hits.append(Hit(tick, int(pulse.length * beat.length), pulse.velocity,
                                    pulse, at == index, at == index and beat.strong))
            continue
        for index in _selected(beats, pulse.beats):
            beat = beats[index]
            if pulse.grid:
                grid = pulse.grid * 3 // 2 if beat.parts == 3 else pulse.grid
                positions = tuple(Fraction(k, grid) for k in range(grid))
            else:
                positions = pulse.offsets
            for position in positions:
                tick = start + beat.offset + offset_in_beat(beat, position, swing)
                hits.append(Hit(tick, max(1, int(pulse.length * beat.length)),
                                pulse.velocity, pulse, position == 0,
                                position == 0 and beat.strong))
    hits.sort(key=lambda hit: (hit.tick, -hit.velocity))
    return hits


def groove_bar(groove: Groove, bar_in_section: int) -> tuple[Pulse, ...]:
    return groove[bar_in_section % len(groove)]


class Density(IntEnum):
    SPARSE = 0
    MAIN = 1
    FULL = 2


def density(plan: Plan, bar: int) -> Density:
    """How busy `bar` is: its energy, mostly relative to the loudest bar of the piece (so
    every piece has its quiet and its full parts), partly absolute (a calm brief stays
    calmer than an energetic one)."""
    energy = plan.bar_energy[bar - 1]
    peak = max(plan.bar_energy) or 1.0
    level = 0.6 * energy / peak + 0.4 * energy
    if level < 0.5:
        return Density.SPARSE
    return Density.FULL if level >= 0.8 else Density.MAIN


def velocity(plan: Plan, bar: int, base: int, jitter: int = 0) -> int:
    """A velocity that follows the bar's energy, mostly relative to the loudest bar: all
    of `base` there, about 60 % in a section half as energetic (an intro or outro against
    a chorus: some 4-5 dB softer in the SoundFont, which scales level with velocity), and a
    calm brief a little softer throughout. The span is wide on purpose: the render
    balances each track's overall level, so only these contrasts make the dynamics."""
    energy = plan.bar_energy[bar - 1]
    peak = max(plan.bar_energy) or 1.0
    scale = (0.2 + 0.8 * energy / peak) * (0.8 + 0.2 * energy)
    return max(1, min(127, round(base * scale) + jitter))


class Harmony:
    """The chord sounding at any tick, and where the next change is."""

    def __init__(self, events: Sequence[ChordEvent]) -> None:
        self.events = sorted(events, key=lambda event: event.start)
        self.starts = [event.start for event in self.events]

    def index_at(self, tick: int) -> int | None:
        index = bisect_right(self.starts, tick) - 1
        if index >= 0 and tick < self.events[index].end:
            return index
        return None

    def at(self, tick: int) -> ChordEvent | None:
        index = self.index_at(tick)
        return None if index is None else self.events[index]

    def following(self, tick: int) -> ChordEvent | None:
        """The first chord that starts after `tick`."""
        index = bisect_right(self.starts, tick)
        return self.events[index] if index < len(self.events) else None

    def chord_for_hit(self, tick: int, beat_length: int) -> tuple[ChordEvent | None, bool]:
        """The chord a hit plays, and whether it anticipates it: an off-beat hit within half
        a beat of a change already plays the next chord, as bossa and jazz players do."""
        upcoming = self.following(tick)
        if upcoming is not None and 0 < upcoming.start - tick <= beat_length // 2:
            return upcoming, True
        return self.at(tick), False


@dataclass(frozen=True)
class BarInfo:
    bar: int
    section: SectionPlan
    index: int  # 0-based bar within its section
    final: bool  # the piece's last bar

    @property
    def last_of_section(self) -> bool:
        return self.index == self.section.bars - 1


def bars_of(plan: Plan) -> list[BarInfo]:
    return [BarInfo(bar, section, bar - section.start_bar, bar == plan.bars)
            for section in plan.sections for bar in range(section.start_bar, section.end_bar)]


def nearest_pitch(pitch_class: int, target: int, low: int, high: int) -> int:
    """The pitch of `pitch_class` nearest `target` within [low, high] (or nearest to that
    range if none fits)."""
    below = target - (target - pitch_class) % 12
    candidates = [p for p in (below - 12, below, below + 12, below + 24) if low <= p <= high]
    if not candidates:
        candidates = [low + (pitch_class - low) % 12]
    return min(candidates, key=lambda p: (abs(p - target), p))


def fit(notes: list[Note], total: int) -> list[Note]:
    """Drop anything outside the piece and cut a note short where the next of the same
    pitch begins: a guard behind the parts' own clipping, so bar arithmetic never leaks."""
    notes.sort(key=lambda n: (n.start, n.pitch))
    last: dict[int, int] = {}  # pitch -> index in `kept` of its latest note
    kept: list[Note] = []
    for note in notes:
        if note.start >= total or note.start < 0:
            continue
        if note.end > total:
            note = note.model_copy(update={"duration": total - note.start})
        previous = last.get(note.pitch)
        if previous is not None and kept[previous].end > note.start:
            if kept[previous].start == note.start:
                continue  # the same note struck twice at once: keep one
            kept[previous] = kept[previous].model_copy(
                update={"duration": note.start - kept[previous].start})
        last[note.pitch] = len(kept)
        kept.append(note)
    return kept
