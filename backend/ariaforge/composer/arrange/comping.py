"""Chord parts: one voicing per chord, chosen for smooth voice leading (least total motion,
common tones kept, no crossing, no parallel fifths or octaves where another voicing will
do, the top voice under the melody), then played in the style's rhythm and texture."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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
from ariaforge.composer.plan import ChordEvent, Plan, rng_for
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

Chord = tuple[int, ...]  # a voicing: MIDI pitches, low to high

_SPAN = {Voicing.CLOSE: 12, Voicing.SHELL: 14, Voicing.SPREAD: 26}
_FOUR_VOICE_SLACK = 4  # four close voices may spread a little past the octave
_TRIADS = (ChordQuality.MAJOR, ChordQuality.MINOR)


def voicing_pitch_classes(event: ChordEvent, part: CompPart, key: Key, voices: int,
                          rootless: bool) -> tuple[tuple[int, ...], ...]:
    """The pitch classes to voice, `voices` of them: the third and seventh first (they
    say what the chord is), then the root (unless the bass alone has it), the fifth and
    any extension. With too few tones one is doubled: the root or the fifth, whichever
    leads better, so each option is returned."""
    chord = event.chord
    tones = list(chord.tone_pitch_classes)
    scale = scale_pitch_classes(key)
    if part.add_sevenths and chord.quality in _TRIADS and chord.root_pc in scale:
        degree = scale.index(chord.root_pc)
        tones.append(scale[(degree + 6) % 7])  # the key's own seventh above the root
    root, rest = tones[0], tones[1:]
    third, fifth, seventh, extensions = rest[:1], rest[1:2], rest[2:3], rest[3:]
    order = [*third, *seventh, *([] if rootless else [root]), *fifth, *extensions]
    if rootless and len(order) < voices:
        order.append(root)
    chosen = order[:voices]
    if len(chosen) == voices:
        return (tuple(sorted(chosen)),)
    options = []
    for double in dict.fromkeys([root, *fifth, *third]):
        filled = chosen + [double] * (voices - len(chosen))
        options.append(tuple(sorted(filled)))
    return tuple(options[:2])


@lru_cache(maxsize=4096)
def candidates(pitch_classes: tuple[int, ...], low: int, high: int,
               voicing: Voicing) -> tuple[Chord, ...]:
    """Every voicing of the pitch classes within [low, high] whose span suits the style:
    each ordering of the tones stacked upward (open voicings may skip an octave)."""
    span = _SPAN[voicing] + (_FOUR_VOICE_SLACK if len(pitch_classes) > 3 else 0)
    found: set[Chord] = set()
    skips = (0, 12) if voicing is Voicing.SPREAD else (0,)
    for order in set(itertools.permutations(pitch_classes)):
        for extra in itertools.product(skips, repeat=len(order) - 1):
            shape = [order[0]]
            for pc, skip in zip(order[1:], extra, strict=True):
                step = (pc - shape[-1]) % 12 or 12  # a doubled tone goes up an octave
                shape.append(shape[-1] + step + skip)
            if shape[-1] - shape[0] > span:
                continue
            bottom = low + (order[0] - low) % 12
            while bottom + shape[-1] - shape[0] <= high:
                found.add(tuple(bottom + p - shape[0] for p in shape))
                bottom += 12
    return tuple(sorted(found))


def _cost(previous: Chord | None, voicing: Chord, centre: float) -> float:
    mean = sum(voicing) / len(voicing)
    drift = abs(mean - centre) * 0.4  # keep near the register's middle over a long piece
    if previous is None or len(previous) != len(voicing):
        return drift * 2
    motion = sum(abs(a - b) for a, b in zip(previous, voicing, strict=True))
    penalty = 0.0
    count = len(voicing)
    for voice in range(count):
        if voice + 1 < count and voicing[voice] > previous[voice + 1]:
            penalty += 100  # crossing past where the voice above just was
        if voice > 0 and voicing[voice] < previous[voice - 1]:
            penalty += 100
    for low, high in itertools.combinations(range(count), 2):
        moved_low = voicing[low] - previous[low]
        moved_high = voicing[high] - previous[high]
        if moved_low == 0 or moved_high == 0 or (moved_low > 0) != (moved_high > 0):
            continue
        before = (previous[high] - previous[low]) % 12
        after = (voicing[high] - voicing[low]) % 12
        if before == after and after in (0, 7):
            outer = low == 0 and high == count - 1
            penalty += 14 if outer else 8
    return motion + penalty + drift


def _melody_floor(melody: Sequence[Note], start: int, end: int) -> int | None:
    pitches = [n.pitch for n in melody if n.start < end and n.end > start]
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
        previous: Chord | None = None
        chosen: list[Chord] = []
        for event in harmony.events:
            options = voicing_pitch_classes(event, self.part, self.plan.key, self.voices,
                                            self.rootless)
            melody_low = _melody_floor(melody, event.start, event.end)
            cap = high if melody_low is None else min(high, melody_low - 1)
            pool: tuple[Chord, ...] = ()
            # Under the melody in the register; else under the melody reaching lower;
            # else in the register regardless; else anything playable.
            for window_low, window_high, shape in ((low, cap, self.voicing),
                                                   (self.floor, cap, self.voicing),
                                                   (low, high, self.voicing),
                                                   (low, max(high, low + 24), Voicing.SPREAD)):
                pool = tuple(v for pcs in options
                             for v in candidates(pcs, window_low, window_high, shape))
                if pool:
                    break
            best = min(pool, key=lambda v: (_cost(previous, v, centre), v))
            chosen.append(best)
            previous = best
        return chosen


def arrange_comping(comper: Comper, harmony: Harmony, melody: Sequence[Note],
                    voice: int | None = None) -> list[Note]:
    """The chord part; with `voice`, only that voice (0 = lowest) of every voicing, for
    one singer of a chorale's inner parts."""
    plan, part = comper.plan, comper.part
    voicings = comper.voicings(harmony, melody)
    by_start = {event.start: chord for event, chord in zip(harmony.events, voicings,
                                                            strict=True)}
    notes: list[Note] = []
    option = rng_for(plan.seed, "chords", "rhythm").randrange(len(part.main))
    struck = (-1, 0)  # (start of the chord being played, hits on it so far)
    for info in bars_of(plan):
        jitter = rng_for(plan.seed, "chords", info.section.phrase, info.section.occurrence,
                         info.index)
        pattern_rng = rng_for(plan.seed, "chords", info.section.phrase)
        choice = (option + pattern_rng.randrange(len(part.main))) % len(part.main)
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
