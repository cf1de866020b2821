"""Chord parts: one voicing per chord, chosen for smooth voice leading (`voicing`: least
total motion, common tones kept, no crossing, no parallel fifths or octaves where another
voicing will do, the top voice under the melody), then played in the style's rhythm and
texture."""

from __future__ import annotations

import heapq
import operator
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from ariaforge.composer.arrange.timing import (
    BarInfo,
    Density,
    Harmony,
    Hit,
    bar_hits,
    bars_of,
    density,
    fit,
    groove_bar,
    velocity,
)
from ariaforge.composer.arrange.voicing import Chord, candidates, leading_cost, voicing_options
from ariaforge.composer.plan import ChordEvent, Plan, rng_for, seeded_choice
from ariaforge.composer.styles import (
    Beats,
    CompPart,
    Groove,
    Pulse,
    StyleKit,
    Texture,
    Voicing,
)
from ariaforge.music.score import Key, Note
from ariaforge.music.theory.chords import ChordQuality
from ariaforge.music.theory.scales import scale_pitch_classes

_TRIADS = (ChordQuality.MAJOR, ChordQuality.MINOR)
_BELOW_REGISTER = 1.5  # per semitone the lowest voice sinks under the role's register
_WEIGHED = 12  # candidate voicings costed in full for each chord


def _colour_seventh(event: ChordEvent, part: CompPart, key: Key) -> int | None:
    """The key's own seventh above a plain triad's root, for styles that colour triads."""
    chord = event.chord
    scale = scale_pitch_classes(key)
    if part.add_sevenths and chord.quality in _TRIADS and chord.root_pc in scale:
        return scale[(scale.index(chord.root_pc) + 6) % 7]
    return None


class MelodyFloor:
    """The melody notes sounding in a span of ticks, found by bisection (a long piece is
    asked once per chord), and the lowest of them."""

    def __init__(self, melody: Sequence[Note]) -> None:
        self.notes = sorted(melody, key=lambda n: n.start)
        self.starts = [n.start for n in self.notes]
        self.longest = max((n.duration for n in self.notes), default=0)

    def sounding(self, start: int, end: int) -> list[Note]:
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, end)
        return [n for n in self.notes[first:last] if n.end > start]

    def under(self, start: int, end: int) -> int | None:
        pitches = [n.pitch for n in self.sounding(start, end)]
        return min(pitches) if pitches else None


@dataclass(frozen=True)
class Comper:
    plan: Plan
    kit: StyleKit  # for its swing
    part: CompPart
    voicing: Voicing
    texture: Texture
    voices: int
    rootless: bool
    register: tuple[int, int]
    floor: int  # the lowest the voicing may go when the melody dips into the register

    def voicings(self, harmony: Harmony, melody: Sequence[Note]) -> list[Chord]:
        """One voicing per chord event, each led from the one before."""
        low, high = self.register
        centre = (low + high) / 2 - 2
        early = self.plan.beat_ticks // 2  # an anticipated chord sounds this much early
        previous: Chord | None = None
        chosen: list[Chord] = []
        tune = MelodyFloor(melody)
        for event in harmony.events:
            options = voicing_options(event.chord, self.voices, self.rootless,
                                      _colour_seventh(event, self.part, self.plan.key))
            melody_low = tune.under(event.start - early, event.end)
            cap = high if melody_low is None else min(high, melody_low - 1)
            pool: list[tuple[Chord, float]] = []
            # Under the melody, reaching up to an octave below the register at a price (a
            # squeezed window leaves only parallel shapes); else lower still; else in the
            # register regardless; else anything playable.
            reach = max(self.floor, low - 12)
            for window_low, window_high, shape in ((reach, cap, self.voicing),
                                                   (self.floor, cap, self.voicing),
                                                   (low, high, self.voicing),
                                                   (low, max(high, low + 24), Voicing.SPREAD)):
                # Stacked over the widest span once (cached), then cut to the window.
                pool = [(v, extra + _BELOW_REGISTER * max(0, low - v[0]))
                        for pcs, extra in options
                        for v in candidates(pcs, self.floor, max(high, low + 24), shape)
                        if window_low <= v[0] and v[-1] <= window_high]
                if pool:
                    break
            strum = self.texture is Texture.STRUM
            best = min(_nearest(pool, previous), key=lambda item: (
                leading_cost(previous, item[0], centre, melody_low, strum) + item[1],
                item[0]))[0]
            chosen.append(best)
            previous = best
        return chosen


def _nearest(pool: list[tuple[Chord, float]], previous: Chord | None
             ) -> list[tuple[Chord, float]]:
    """The candidates worth weighing in full: those that move least from the previous
    voicing (the full cost adds penalties to motion, so the best is almost always among
    them). Keeps composition fast with wide registers and open voicings."""
    if previous is None or len(pool) <= _WEIGHED:
        return pool
    size = len(previous)
    return heapq.nsmallest(_WEIGHED, pool, key=lambda item: (
        item[1] + (sum(map(abs, map(operator.sub, previous, item[0])))
                   if len(item[0]) == size else 0), item[0]))


def arrange_comping(comper: Comper, harmony: Harmony, melody: Sequence[Note],
                    voice: int | None = None,
                    voicings: Sequence[Chord] | None = None) -> list[Note]:
    """The chord part; with `voice`, only that voice (0 = lowest) of every voicing, for
    one singer of a chorale's inner parts. `voicings` (one per chord) when the caller has
    already led them."""
    plan, part = comper.plan, comper.part
    if voicings is None:
        voicings = comper.voicings(harmony, melody)
    by_start = {event.start: chord for event, chord in zip(harmony.events, voicings,
                                                            strict=True)}
    notes: list[Note] = []
    # The seed picks the figure the first phrase plays; each contrasting phrase moves on
    # to the next figure, and a repeated phrase repeats its own.
    figures = len(part.main)
    option = seeded_choice(plan.seed, figures, "chords", "rhythm", plan.style)
    struck = (-1, 0)  # (start of the chord being played, hits on it so far)
    for info in bars_of(plan):
        jitter = rng_for(plan.seed, "chords", info.section.phrase, info.section.occurrence,
                         info.index)
        choice = (option + ord(info.section.phrase[:1] or "A") - ord("A")) % figures
        hits = _hits(comper, harmony, info, choice)
        for position, hit in enumerate(hits):
            event, anticipates = harmony.chord_for_hit(hit.tick, plan.beat_ticks)
            if event is None or (hit.on_beat and anticipates):
                event = harmony.at(hit.tick)
            if event is None:
                continue
            room = hits[position + 1].tick - hit.tick if position + 1 < len(hits) else None
            length = hit.length if room is None else min(hit.length, room)
            if not info.final:
                length = int(length * part.legato) if length > 60 else length
            end = min(hit.tick + max(1, length), event.end, plan.total_ticks)
            if info.final:
                end = plan.total_ticks
            struck = (event.start, struck[1] + 1 if struck[0] == event.start else 0)
            pitches = _sounding(comper.texture, by_start[event.start], hit, struck[1], voice,
                                part.arpeggio)
            base = part.velocity + (6 if hit.strong else 0) - (10 if not hit.on_beat
                                                               and comper.texture
                                                               is Texture.STRUM else 0)
            loud = velocity(plan, info.bar, base, jitter.randint(-3, 3))
            notes += [Note(pitch=p, start=hit.tick, duration=end - hit.tick, velocity=loud)
                      for p in pitches if end > hit.tick]
    return fit(notes, plan.total_ticks)


def _groove(part: CompPart, level: Density, choice: int) -> Groove:
    if level is Density.SPARSE:
        return part.sparse
    if level is Density.FULL and part.full is not None:
        return part.full
    return part.main[choice]


def _hits(comper: Comper, harmony: Harmony, info: BarInfo, choice: int) -> list[Hit]:
    plan = comper.plan
    start, end = plan.bar_start(info.bar), plan.bar_start(info.bar + 1)
    if info.final:  # the last bar: the final chord, struck once and held
        pulse = Pulse(Beats.FIRST)  # the hit's own length (the whole bar) is what counts
        return [Hit(start, end - start, comper.part.velocity, pulse, True, True)]
    groove = _groove(comper.part, density(plan, info.bar), choice)
    pulses = groove_bar(groove, info.index)
    hits = bar_hits(plan, comper.kit, info.bar, pulses)
    held = any(p.beats is Beats.CHORD for p in pulses)
    covered = {hit.tick for hit in hits}
    anticipated = {e.start for hit in hits if not hit.on_beat
                   for e, ahead in [harmony.chord_for_hit(hit.tick, plan.beat_ticks)]
                   if ahead and e is not None}
    for event in harmony.events:
        if not start <= event.start < end or event.start in covered | anticipated:
            continue
        # Afterbeat styles leave the downbeat to the bass, unless the groove is silent.
        if comper.texture is Texture.AFTERBEAT and hits and not held:
            continue
        length = event.duration if held else plan.beat_ticks
        hits.append(Hit(event.start, length, comper.part.velocity,
                        Pulse(Beats.CHORD), True, event.start == start))
    hits.sort(key=lambda hit: hit.tick)
    return hits


def _sounding(texture: Texture, chord: Chord, hit: Hit, nth: int, voice: int | None,
              arpeggio: tuple[int, ...]) -> Chord:
    """The pitches a hit plays; `nth` counts the hits since the chord began."""
    if voice is not None:
        return (chord[min(voice, len(chord) - 1)],)
    if texture is Texture.ARPEGGIO:
        return (chord[arpeggio[nth % len(arpeggio)] % len(chord)],)
    if texture is Texture.STRUM and not hit.on_beat:
        return chord[1:]  # an up-stroke catches the top strings only
    return chord
