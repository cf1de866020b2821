"""The bar-by-bar decoder behind `composer.melody`: rhythms from the learned rhythm model,
pitches from the learned melody model, both under hard constraints (bar lines, register)
and soft ones (scale, chord tones on strong beats, density from the plan's energy)."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from ariaforge.composer.model.store import Models
from ariaforge.composer.model.tokens import (
    chord_token,
    clip_interval,
    melody_chord,
    melody_context,
    mode_family,
    strength,
)
from ariaforge.composer.plan import ChordEvent, Plan, weighted_choice
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Mode
from ariaforge.music.theory.chords import ChordQuality
from ariaforge.music.theory.modes import has_minor_third
from ariaforge.music.theory.scales import (
    functional_pitch_classes,
    scale_names,
    scale_pitch_classes,
    tonic_pc,
)

CHROMATIC: Final = 0.02  # weight of a note outside the scale (a rare passing tone)
STRONG_CHORD_TONE: Final = {"2": 3.0, "1": 1.6, "0": 1.0}
REPEAT_LIMIT: Final = 3  # at most this many equal pitches in a row
CLASH: Final = 0.1  # a scale tone a semitone from a chord tone it is not (F over D7 in C)
# The degree that makes a mode audible (semitones above the tonic), and how much more the
# line leans on it: the models group modes into major/minor families, where it is rare.
MODE_COLOUR: Final = {Mode.DORIAN: 9, Mode.PHRYGIAN: 1, Mode.LYDIAN: 6, Mode.MIXOLYDIAN: 10}
COLOUR_WEIGHT: Final = 3.0
# Where the chord holds the colour degree (F over F/E in E phrygian, D over D/E in E
# mixolydian) it is a consonance, and the mode's own chord is the place to sing it.
# Not dorian: its colour chord is IV (G major in D dorian), and a line that dwells on that
# chord's third is heard in G major; the i-IV vamp already sounds dorian's sixth.
COLOUR_CHORD_WEIGHT: Final = 2.5
CHORD_COLOUR_MODES: Final = frozenset({Mode.PHRYGIAN, Mode.LYDIAN, Mode.MIXOLYDIAN})
# Over power chords (root and fifth, no third) and riffs that leave the tonic for bII, bVI
# and bVII, the lead is the only part that says which tonic and whether major or minor: in
# these styles it leans on the tonic triad, its third most (a root-and-fifth band on E, C
# and D is as much A minor as E minor until someone plays the G).
TRIAD_LEAD_STYLES: Final = frozenset({Style.ROCK, Style.METAL})
TRIAD_WEIGHT: Final = {0: 1.5, 3: 2.0, 4: 2.0, 7: 1.3}  # semitones above the tonic
# A church mode's line leans on its tonic triad too (its fifth a little less): its colour
# degree (the dorian 6th) is the parent major's third, and a line that sounds it without
# dwelling on the tonic and its third is heard in the parent key (D dorian as G major).
MODAL_TRIAD_WEIGHT: Final = {0: 1.5, 3: 2.0, 4: 2.0, 7: 1.2}
# Where in the range a tune starts (percent from the bottom): low enough to rise to a climax.
OPENING_HEIGHT: Final = 38
_MINOR_QUALITIES: Final = {ChordQuality.MINOR, ChordQuality.MINOR_7, ChordQuality.MINOR_6,
                           ChordQuality.MINOR_9, ChordQuality.MINOR_MAJOR_7}
_DIMINISHED: Final = {ChordQuality.DIMINISHED, ChordQuality.HALF_DIMINISHED_7,
                      ChordQuality.DIMINISHED_7}


@dataclass(frozen=True)
class Tone:
    pitch: int
    start: int
    duration: int

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass
class Decoder:
    """Everything fixed for one plan: key, metre, harmony lookup, register."""

    plan: Plan
    harmony: Sequence[ChordEvent]
    register: tuple[int, int]
    models: Models
    tonic: int = field(init=False)
    scale: frozenset[int] = field(init=False)
    family: str = field(init=False)
    colour: int | None = field(init=False)
    chord_colour: bool = field(init=False)  # sing the colour where the chord holds it
    triad: dict[int, float] = field(init=False)  # tonic-triad pitch class -> weight
    letters: dict[int, str] = field(init=False)  # the mode's 7 pitch classes -> letter
    _starts: list[int] = field(init=False)
    _alterations: dict[int, dict[str, int]] = field(init=False)
    _pcs: dict[int, frozenset[int]] = field(init=False)

    def __post_init__(self) -> None:
        key = self.plan.key
        self.tonic = tonic_pc(key)
        pcs = set(functional_pitch_classes(key))
        if key.mode in (Mode.MINOR, Mode.AEOLIAN):
            pcs.add((self.tonic + 9) % 12)  # melodic minor's raised sixth
        if self.plan.style is Style.BLUES:
            pcs |= {(self.tonic + step) % 12 for step in (3, 10)}
        self.scale = frozenset(pcs)
        self.family = mode_family(key.mode)
        colour = MODE_COLOUR.get(key.mode)
        self.colour = None if colour is None else (self.tonic + colour) % 12
        self.chord_colour = key.mode in CHORD_COLOUR_MODES
        third = 3 if has_minor_third(key.mode) else 4
        leaning = TRIAD_WEIGHT if self.plan.style in TRIAD_LEAD_STYLES else \
            MODAL_TRIAD_WEIGHT if colour is not None else {}
        self.triad = {(self.tonic + step) % 12: weight for step, weight in leaning.items()
                      if step in (0, third, 7)}
        self._starts = [event.start for event in self.harmony]
        letters = [name[0] for name in scale_names(key)]
        self.letters = dict(zip(scale_pitch_classes(key), letters, strict=True))
        self._alterations: dict[int, dict[str, int]] = {}
        self._pcs: dict[int, frozenset[int]] = {}

    # --- lookups --------------------------------------------------------------------

    def chord_at(self, tick: int) -> ChordEvent | None:
        index = bisect.bisect_right(self._starts, tick) - 1
        if index < 0:
            return self.harmony[0] if self.harmony else None
        return self.harmony[index]

    def chord_pcs(self, tick: int) -> frozenset[int]:
        event = self.chord_at(tick)
        if event is None:
            return frozenset({self.tonic, (self.tonic + 4) % 12, (self.tonic + 7) % 12})
        pcs = self._pcs.get(event.start)
        if pcs is None:  # Chord rebuilds its pitch classes on every call
            pcs = self._pcs[event.start] = event.chord.pitch_classes
        return pcs

    def altered(self, pitch_class: int, tick: int) -> int | None:
        """The chord's own version of this scale tone when the chord at `tick` alters it
        (the same letter, another accidental): B -> Bb under C7 in C major, G -> G# under
        E7 in A minor. None when the chord leaves the tone alone."""
        event = self.chord_at(tick)
        letter = self.letters.get(pitch_class % 12)
        if event is None or letter is None:
            return None
        table = self._alterations.get(event.start)
        if table is None:
            table = {name[0]: pc for name, pc in _spelled(event)
                     if pc not in self.letters}
            self._alterations[event.start] = table
        return table.get(letter)

    def chord_feature(self, tick: int) -> str:
        event = self.chord_at(tick)
        if event is None:
            return chord_token(0, "maj")
        quality = event.chord.quality
        name = "min" if quality in _MINOR_QUALITIES else "dim" if quality in _DIMINISHED \
            else "aug" if quality is ChordQuality.AUGMENTED else "maj"
        return melody_chord(chord_token((event.chord.root_pc - self.tonic) % 12, name))

    def beat(self, tick: int) -> str:
        meter = self.plan.meter
        return strength(tick % self.plan.bar_ticks, meter.numerator, meter.denominator)

    # --- pitch ----------------------------------------------------------------------

    def pitch_weights(self, previous: int, steps: Sequence[int], onset: int,
                      recent: Sequence[int]) -> dict[int, float]:
        """Candidate pitch -> weight for a note at `onset` after `previous`."""
        low, high = self.register
        beat = self.beat(onset)
        context = melody_context(self.family, beat, previous - self.tonic,
                                 self.chord_feature(onset), steps)
        chord = self.chord_pcs(onset)
        centre, span = (low + high) / 2, max(6.0, (high - low) / 2)
        repeated = len(recent) >= REPEAT_LIMIT and len(set(recent[-REPEAT_LIMIT:])) == 1
        weights: dict[int, float] = {}
        for token, p in zip(self.models.melody.vocab,
                            self.models.melody.distribution(context), strict=True):
            pitch = previous + int(token)
            if not low <= pitch <= high:
                continue
            pc = pitch % 12
            weight = p if pc in self.scale or pc in chord else p * CHROMATIC
            if pc in chord:
                weight *= STRONG_CHORD_TONE[beat]
            elif self.altered(pc, onset) is not None:
                weight *= CLASH
            elif beat == "2":
                weight *= 0.5
            if pc == self.colour:
                weight *= COLOUR_WEIGHT * \
                    (COLOUR_CHORD_WEIGHT if self.chord_colour and pc in chord else 1.0)
            weight *= self.triad.get(pc, 1.0)
            if repeated and pitch == recent[-1]:
                weight *= 0.1
            weight *= math.exp(-0.5 * ((pitch - centre) / span) ** 4)
            weights[pitch] = weight
        return weights

    def opening_pitch(self, rng: random.Random, onset: int) -> int:
        model = self.models.opening
        dist = model.distribution((self.family, self.chord_feature(onset)))
        chord = self.chord_pcs(onset)
        weights = [p * (3.0 if (int(t) + self.tonic) % 12 in chord else 0.3)
                   for t, p in zip(model.vocab, dist, strict=True)]
        pc = (int(weighted_choice(model.vocab, weights, rng) or "0") + self.tonic) % 12
        low, high = self.register
        return self.nearest(pc, low + (high - low) * OPENING_HEIGHT // 100)

    def nearest(self, pitch_class: int, target: int, pool: frozenset[int] | None = None
                ) -> int:
        """The pitch of `pitch_class` (or of any class in `pool`) nearest `target` inside
        the register."""
        classes = pool if pool is not None else frozenset({pitch_class % 12})
        low, high = self.register
        candidates = [p for p in range(low, high + 1) if p % 12 in classes]
        if not candidates:
            return max(low, min(high, target))
        return min(candidates, key=lambda p: (abs(p - target), p))


def _spelled(event: ChordEvent) -> list[tuple[str, int]]:
    """(name, pitch class) of each tone the chord spells."""
    chord = event.chord
    tones = [*((chord.bass_pc,) if chord.inversion is None else ()), *chord.tone_pitch_classes]
    return list(zip(chord.spell(), tones, strict=True))


def pick_pitch(weights: dict[int, float], rng: random.Random, fallback: int) -> int:
    pitches = sorted(weights)
    choice = weighted_choice(pitches, [weights[p] for p in pitches], rng)
    return choice if choice is not None else fallback


def steps_of(pitches: Sequence[int]) -> list[int]:
    return [clip_interval(b - a) for a, b in itertools.pairwise(pitches)]
