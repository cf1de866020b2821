"""The bass line: the style's rhythm with its pitch rule (roots, root-fifth, oom-pah,
pumping octaves, boogie, walking), always the chord's bass note where a chord begins.

The bass note is the chord's own (`Chord.bass_pc`): the root, the third of an inverted
chord (G/B), or a pedal under a slash chord (F/C in ambient), and a tritone substitute's
root (Db7 for G7). A walk aims at the next chord's bass note by step.
"""

from __future__ import annotations

import random
from dataclasses import replace

from ariaforge.composer.arrange.timing import (
    BarInfo,
    Density,
    Harmony,
    Hit,
    bar_hits,
    bars_of,
    beat_grid,
    density,
    fit,
    groove_bar,
    nearest_pitch,
    velocity,
)
from ariaforge.composer.plan import ChordEvent, Plan, rng_for
from ariaforge.composer.styles import BassRule, Beats, Groove, Pulse, StyleKit
from ariaforge.music.score import Note
from ariaforge.music.theory.scales import scale_pitch_classes

_LEGATO_GAP = 20  # ticks of air between detached bass notes
_BOOGIE = (0, 3, 7, 9, 10, 9, 7, 3)  # semitones above the root; 3 = "the chord's third"


class _BassLine:
    def __init__(self, plan: Plan, kit: StyleKit, harmony: Harmony,
                 register: tuple[int, int]) -> None:
        self.plan, self.kit, self.harmony = plan, kit, harmony
        self.low, self.high = register
        # Roots sit in the lower part of the register, where a bass sounds like a bass.
        self.root_high = min(self.high, self.low + 19)
        self.previous = self.low + 7
        self.scale = scale_pitch_classes(plan.key)
        self.count = 0  # hits since the current chord began
        self.chord_start = -1

    def root(self, event: ChordEvent) -> int:
        return nearest_pitch(event.chord.bass_pc, self.previous, self.low, self.root_high)

    def fifth(self, event: ChordEvent) -> int:
        chord = event.chord
        tones = chord.tone_pitch_classes
        if chord.bass_pc not in tones:
            return self.root(event)  # a pedal point: the bass holds it under the chord
        fifth = tones[2] if len(tones) > 2 else tones[0]
        return nearest_pitch(fifth, self.previous, self.low, self.high)

    def pitch(self, rule: BassRule, hit: Hit, event: ChordEvent, fresh: bool) -> int:
        if fresh or rule is BassRule.ROOT:
            return self.root(event)
        if rule is BassRule.ROOT_FIFTH:
            return self.fifth(event) if hit.strong else self.previous
        if rule is BassRule.ALTERNATE:
            return self.fifth(event) if self.count % 2 else self.root(event)
        if rule is BassRule.OCTAVES:
            root = nearest_pitch(event.chord.bass_pc, self.previous - 6, self.low,
                                 self.root_high)
            return root + 12 if self.count % 2 and root + 12 <= self.high else root
        return self._boogie(event)

    def _boogie(self, event: ChordEvent) -> int:
        tones = event.chord.tone_pitch_classes
        third = (tones[1] - tones[0]) % 12 if len(tones) > 1 else 4
        step = _BOOGIE[self.count % len(_BOOGIE)]
        interval = third if step == 3 else step
        base = nearest_pitch(event.chord.bass_pc, self.previous - interval, self.low,
                             self.high - 10)
        return base + interval


def arrange_bass(plan: Plan, kit: StyleKit, harmony: Harmony,
                 register: tuple[int, int]) -> list[Note]:
    line = _BassLine(plan, kit, harmony, register)
    notes: list[Note] = []
    for info in bars_of(plan):
        if info.final:
            notes += _ending(plan, line, info)
            continue
        level = density(plan, info.bar)
        rule = kit.bass.rule
        if level is Density.SPARSE and rule in (BassRule.WALK, BassRule.BOOGIE):
            rule = BassRule.ROOT_FIFTH  # a two-feel: the walk waits for the band to build
        hits = _hits(plan, kit, harmony, info, level)
        rng = rng_for(plan.seed, "bass", info.section.phrase, info.index)
        jitter = rng_for(plan.seed, "bass", info.section.phrase, info.section.occurrence,
                         info.index)
        for position, hit in enumerate(hits):
            event, anticipates = harmony.chord_for_hit(hit.tick, plan.beat_ticks)
            if event is None or (hit.on_beat and anticipates):
                event = harmony.at(hit.tick)
            if event is None:
                continue
            fresh = event.start != line.chord_start or hit.tick == event.start
            if event.start != line.chord_start:
                line.chord_start, line.count = event.start, 0
            # The next onset, looking into the next bar: a walk needs to see the change.
            following = hits[position + 1].tick if position + 1 < len(hits) else \
                plan.bar_start(info.bar + 1) if info.bar < plan.bars else None
            if rule is BassRule.WALK:
                pitch = _walk(line, hit, event, following, rng, fresh)
            else:
                pitch = line.pitch(rule, hit, event, fresh)
            end = min(hit.tick + hit.length, event.end, plan.total_ticks)
            if following is not None and following < end + _LEGATO_GAP:
                end = following - _LEGATO_GAP if following - hit.tick > 2 * _LEGATO_GAP \
                    else following
            if end <= hit.tick:
                continue
            base = kit.bass.velocity + (6 if hit.strong else 0)
            notes.append(Note(pitch=pitch, start=hit.tick, duration=end - hit.tick,
                              velocity=velocity(plan, info.bar, base, jitter.randint(-3, 3))))
            line.previous = pitch
            line.count += 1
    return fit(notes, plan.total_ticks)


def _groove(kit: StyleKit, level: Density) -> Groove:
    if level is Density.SPARSE:
        return kit.bass.sparse
    if level is Density.FULL and kit.bass.full is not None:
        return kit.bass.full
    return kit.bass.main


def _hits(plan: Plan, kit: StyleKit, harmony: Harmony, info: BarInfo,
          level: Density) -> list[Hit]:
    """The groove's hits plus one at every chord change the groove does not already
    cover (nor anticipate), so every chord gets its root."""
    pulses = groove_bar(_groove(kit, level), info.index)
    hits = bar_hits(plan, kit, info.bar, pulses)
    start, end = plan.bar_start(info.bar), plan.bar_start(info.bar + 1)
    held = next((p for p in pulses if p.beats is Beats.CHORD), None)
    covered = {hit.tick for hit in hits}
    anticipated = {harmony.following(hit.tick).start  # type: ignore[union-attr]
                   for hit in hits if not hit.on_beat
                   and harmony.chord_for_hit(hit.tick, plan.beat_ticks)[1]}
    changes = [event for event in harmony.events if start <= event.start < end]
    current = harmony.at(start)
    if current is not None and current.start < start and held is None and not hits:
        changes.insert(0, current)  # a groove with nothing in this bar still gets a root
    for event in changes:
        tick = max(event.start, start)
        if tick in covered or tick in anticipated:
            continue
        pulse = held or Pulse(Beats.CHORD)  # the hit's length below is what counts
        beat = _strong_at(plan, tick - start)
        hits.append(Hit(tick, event.end - tick, pulse.velocity, pulse, True, beat))
    hits.sort(key=lambda hit: hit.tick)
    return [replace(hit, length=max(hit.length, 1)) for hit in hits]


def _strong_at(plan: Plan, offset: int) -> bool:
    return any(beat.strong and beat.offset == offset for beat in beat_grid(plan.meter))


def _walk(line: _BassLine, hit: Hit, event: ChordEvent, following: int | None,
          rng: random.Random, fresh: bool) -> int:
    """A walking bass: the root where the chord begins, an approach tone (a semitone or a
    scale step away) on the beat before the next chord, chord tones in between, heading
    for the next root."""
    if fresh:
        return line.root(event)
    upcoming = line.harmony.at(following) if following is not None else None
    if upcoming is not None and upcoming.start != event.start:
        target = nearest_pitch(upcoming.chord.bass_pc, line.previous, line.low + 1,
                               line.root_high)
        return _approach(line, target, rng)
    # A middle beat: the chord tone nearest a step or two on from the last note, heading
    # up from low roots and down from high ones so the line stays in the register.
    direction = 1 if line.previous < (line.low + line.root_high) // 2 else -1
    aim = line.previous + direction * 4
    tones = event.chord.tone_pitch_classes
    candidates = [nearest_pitch(pc, aim, line.low, line.high) for pc in tones]
    candidates = [p for p in candidates if p != line.previous] or candidates
    return min(candidates, key=lambda p: (abs(p - aim), p))


def _approach(line: _BassLine, target: int, rng: random.Random) -> int:
    options: list[int] = []
    for offset in (-1, 1):  # chromatic from below or above
        options.append(target + offset)
    for offset in (-2, 2):  # a scale step away, when that is in the key
        if (target + offset) % 12 in line.scale:
            options.append(target + offset)
    options = [p for p in options if line.low <= p <= line.high and p != line.previous]
    if not options:
        return target
    return options[rng.randrange(len(options))]


def _ending(plan: Plan, line: _BassLine, info: BarInfo) -> list[Note]:
    """The last bar: the final chord's bass note, held to the end."""
    start = plan.bar_start(info.bar)
    event = line.harmony.at(start)
    if event is None:
        return []
    return [Note(pitch=line.root(event), start=start, duration=plan.total_ticks - start,
                 velocity=velocity(plan, info.bar, line.kit.bass.velocity))]
