"""The line as it is written, bar by bar: the learned melody model chooses every note
inside the plan's frame (a motif's contour, a cadence's goal, a phrase's ceiling), and
`rules` keeps it singable: strong-beat non-chord tones resolve by step, leaps turn back by
step, steps are preferred, nothing quotes a training tune."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Final

from ariaforge.composer.melody.cadence import cadence_pitch, cadence_point
from ariaforge.composer.melody.contour import Cell, Degrees
from ariaforge.composer.melody.decode import Decoder, Tone, pick_pitch, steps_of
from ariaforge.composer.melody.quotes import quotes
from ariaforge.composer.melody.rules import LEAP, is_step, is_strong, leap_unrecovered, resolves
from ariaforge.composer.plan import Cadence
from ariaforge.music.theory.pitch import signed_semitones

Spans = list[tuple[int, int]]  # (absolute onset, length)

STEP_BIAS: Final = 1.9  # steps over leaps, beyond what the corpus model already prefers
SIMPLE_STEP: Final = 3.0  # the further preference for steps in a simple melody
WIDE: Final = 0.25  # a move wider than a fifth
UNRECOVERED: Final = 0.03  # a leap left hanging
APPOGGIATURA: Final = 1.6  # a resolvable non-chord tone on a strong beat
APPROACH: Final = 0.35  # pull towards a goal pitch
ABOVE_CEILING: Final = 0.02
MOTIF_REPEAT: Final = 0.2  # a repeated note inside a motif
MOMENTUM: Final = 1.6  # a step on in the same direction after a step: lines run in scales
COPY_RETRIES: Final = 4
SHIFTS: Final = range(-4, 5)  # scale steps a restatement may move from its plan
# A restatement that sings the mode's colour degree where the chord holds it (F over F/E
# in E phrygian): a motif copied by degree otherwise keeps to the notes it began on.
COLOUR_FIT: Final = 2.5
# A modal line that has not sung its colour for a while sings it at the next chord that
# holds it, within a third of where it is: 32 bars of E phrygian with three F chords
# otherwise leave the F to a 1-in-8 draw, and the mode unheard.
COLOUR_DUE_BARS: Final = 4
COLOUR_DUE: Final = 20.0


class Line:
    def __init__(self, decoder: Decoder, tones: Sequence[Tone] = ()) -> None:
        self.decoder = decoder
        self.plan = decoder.plan
        self.degrees = Degrees(self.plan.key)
        self.tones: list[Tone] = list(tones)

    # --- one note ---------------------------------------------------------------------

    def pending(self) -> bool:
        """Whether the last note is a strong-beat non-chord tone waiting to resolve."""
        if not self.tones:
            return False
        last = self.tones[-1]
        return is_strong(self.plan, last.start) and \
            last.pitch % 12 not in self.decoder.chord_pcs(last.start)

    def _resolvable(self, pitch: int, following: int | None, forced: int | None) -> bool:
        if following is None:
            return False
        chord = self.decoder.chord_pcs(following)
        if forced is not None:
            return is_step(pitch, forced) and forced % 12 in chord
        low, high = self.decoder.register
        return any(q % 12 in chord and low <= q <= high
                   for q in (pitch - 2, pitch - 1, pitch + 1, pitch + 2))

    def choose(self, rng: random.Random, onset: int, following: int | None,
               forced: int | None, aim: int | None, ceiling: int | None,
               shaped: bool = False) -> int:
        """A pitch at `onset`; `following` is the next note's onset (None: unknown),
        `forced` its pitch when already fixed (a cadence note). `shaped`: a motif, which
        needs a contour more than repeated notes."""
        decoder = self.decoder
        pitches = [t.pitch for t in self.tones]
        chord = decoder.chord_pcs(onset)
        if not pitches:
            opening = decoder.opening_pitch(rng, onset)
            return opening if opening % 12 in chord else decoder.nearest(0, opening, chord)
        previous = pitches[-1]
        weights = decoder.pitch_weights(previous, steps_of(pitches[-3:]), onset, pitches)
        strong = is_strong(self.plan, onset)
        pending = self.pending()
        leap = pitches[-1] - pitches[-2] if len(pitches) >= 2 else 0
        options: dict[int, float] = {}
        for pitch, weight in weights.items():
            move = pitch - previous
            if pending and not (is_step(previous, pitch) and pitch % 12 in chord):
                continue
            if abs(leap) > LEAP and not (is_step(previous, pitch) and move * leap < 0):
                weight *= UNRECOVERED
            weight *= STEP_BIAS if is_step(previous, pitch) else WIDE if abs(move) > 7 else 1.0
            if self.plan.simple:  # a learner's line moves by step and never wider than a 5th
                weight *= SIMPLE_STEP if is_step(previous, pitch) else \
                    WIDE if abs(move) > 7 else 1.0
            if is_step(previous, pitch) and 0 < abs(leap) <= 2 and move * leap > 0:
                weight *= MOMENTUM
            if shaped and move == 0:
                weight *= MOTIF_REPEAT
            if ceiling is not None and pitch > ceiling:
                weight *= ABOVE_CEILING
            if aim is not None:
                weight /= 1.0 + APPROACH * abs(pitch - aim)
            if strong and pitch % 12 not in chord:
                if not self._resolvable(pitch, following, forced):
                    continue
                weight *= APPOGGIATURA
            options[pitch] = weight
        if self._colour_due(onset, chord):
            for pitch in options:
                if pitch % 12 == decoder.colour and abs(pitch - previous) <= 4:
                    options[pitch] *= COLOUR_DUE
        if abs(leap) > LEAP:  # turn back by step wherever the chords allow it
            back = {p: w for p, w in options.items()
                    if is_step(previous, p) and (p - previous) * leap < 0}
            options = back if sum(back.values()) > 0 else options
        if not options or sum(options.values()) <= 0:
            return decoder.nearest(0, previous, chord)
        return pick_pitch(options, rng, previous)

    def _colour_due(self, onset: int, chord: frozenset[int]) -> bool:
        colour = self.decoder.colour
        if not self.decoder.chord_colour or colour is None or colour not in chord:
            return False
        since = onset - COLOUR_DUE_BARS * self.plan.bar_ticks
        return not any(t.pitch % 12 == colour and t.start >= since for t in self.tones)

    def sample(self, rng: random.Random, spans: Spans, *, aim_last: int | None = None,
               forced_last: int | None = None, ceiling: int | None = None,
               climax: int | None = None, shaped: bool = False) -> list[Tone]:
        """Notes on `spans`, appended to the line; the last one `forced_last` if given."""
        made: list[Tone] = []
        for index, (onset, length) in enumerate(spans):
            last = index == len(spans) - 1
            if last and forced_last is not None:
                pitch = forced_last
            else:
                following = None if last else spans[index + 1][0]
                forced = forced_last if index == len(spans) - 2 else None
                reached = climax is not None and any(t.pitch >= climax - 1 for t in made)
                aim = aim_last if last or forced is not None else \
                    (climax if climax is not None and not reached else None)
                pitch = self.choose(rng, onset, following, forced, aim, ceiling, shaped)
            tone = Tone(pitch, onset, length)
            self.tones.append(tone)
            made.append(tone)
        return made

    def drawn(self, rng: random.Random, bar: int, draw: Callable[[], list[Tone]]) -> list[Tone]:
        """`draw()` (which appends to the line) redrawn while it quotes a training tune."""
        mark = len(self.tones)
        made = draw()
        for _ in range(COPY_RETRIES):
            if not quotes(self.decoder, bar, self.tones[:mark], made):
                break
            del self.tones[mark:]
            made = draw()
        return made

    # --- a restatement ----------------------------------------------------------------

    def state(self, rng: random.Random, bar: int, cell: Cell, degree: int, *,
              ceiling: int | None = None, climax: int | None = None,
              target: int | None = None) -> list[Tone] | None:
        """`cell` in `bar` from scale degree `degree`, or a few degrees away where that
        fits the chords and the line better; None when nothing fits."""
        start = self.plan.bar_start(bar)
        begin = self.tones[-1].end if self.tones else 0
        spans = [(start + onset, length) for onset, length in cell.rhythm]
        dropped = sum(onset < begin for onset, _ in spans)
        spans, steps = spans[dropped:], cell.steps[dropped:]
        if not spans:
            return None
        low, high = self.decoder.register
        before = [t.pitch for t in self.tones]
        join = self.decoder.pitch_weights(before[-1], steps_of(before[-3:]), spans[0][0],
                                          before) if before else {}
        options = []
        for shift in SHIFTS:
            walk = self.degrees.walk(degree + shift, steps)
            pitches = [self._inflect(p, onset) for p, (onset, _) in zip(walk, spans, strict=True)]
            if min(pitches) < low or max(pitches) > high:
                continue
            score = self._fit(pitches, spans, join, ceiling, climax, target)
            score *= 3.0 if shift == 0 else 1.0 / (1.0 + 0.3 * abs(shift))
            options.append((score * (0.8 + 0.4 * rng.random()), shift, pitches))
        options.sort(reverse=True)
        for score, _, pitches in options[:3]:
            if score < 1e-4:
                break
            tones = [Tone(p, onset, length) for p, (onset, length)
                     in zip(pitches, spans, strict=True)]
            if not quotes(self.decoder, bar, self.tones, tones):
                self.tones += tones
                return tones
        return None

    def _inflect(self, pitch: int, onset: int) -> int:
        """A scale tone the chord alters takes the chord's version (the raised leading
        tone under V in minor, F# under a D7 in C)."""
        altered = self.decoder.altered(pitch % 12, onset)
        if altered is None:
            return pitch
        return pitch + signed_semitones(altered - pitch)

    def _fit(self, pitches: list[int], spans: Spans, join: dict[int, float],
             ceiling: int | None, climax: int | None, target: int | None) -> float:
        """How well a restatement's pitches sit: the join from the line before (and the
        learned model's weight for it, `join`), chords on strong beats, leaps, the
        phrase's ceiling and climax, the next kept note, the middle of the tessitura."""
        decoder = self.decoder
        before = [t.pitch for t in self.tones]
        score = 1.0
        if before:
            previous, move = before[-1], pitches[0] - before[-1]
            score *= 1.0 if abs(move) <= 2 else 0.7 if abs(move) <= LEAP else \
                0.3 if abs(move) <= 9 else 0.05
            total = sum(join.values()) or 1.0
            score *= math.sqrt(join.get(pitches[0], 0.0) / total + 0.02)
            if self.pending() and not (is_step(previous, pitches[0])
                                       and pitches[0] % 12 in decoder.chord_pcs(spans[0][0])):
                score *= 0.001
        line = before[-2:] + pitches
        score *= 0.01 ** sum(leap_unrecovered(line, i) for i in range(1, len(line)))
        for index, (pitch, (onset, _)) in enumerate(zip(pitches, spans, strict=True)):
            if is_strong(self.plan, onset) and pitch % 12 not in decoder.chord_pcs(onset):
                following = Tone(pitches[index + 1], spans[index + 1][0], 0) \
                    if index + 1 < len(pitches) else None
                score *= 0.5 if resolves(decoder, pitch, following) else 0.003
            if ceiling is not None and pitch > ceiling:
                score *= 0.1
        if decoder.chord_colour and any(
                p % 12 == decoder.colour and p % 12 in decoder.chord_pcs(onset)
                for p, (onset, _) in zip(pitches, spans, strict=True)):
            score *= COLOUR_FIT
        if climax is not None:
            peak = max(pitches)
            score *= 4.0 if peak == climax else 1.0 / (1.0 + 0.4 * abs(peak - climax))
        if target is not None:
            score /= 1.0 + 0.3 * abs(pitches[-1] - target)
        low, high = decoder.register
        mean, centre = sum(pitches) / len(pitches), (low + high) / 2
        return score * math.exp(-(((mean - centre) / max(3.0, (high - low) / 2)) ** 4))

    # --- cadences and pickups ---------------------------------------------------------

    def cadence(self, rng: random.Random, bar: int, cadence: Cadence, spans: Spans,
                final: bool) -> list[Tone]:
        """`spans` (the way in, ending where the long note starts) and the long note."""
        plan = self.plan
        start = plan.bar_start(bar)
        begin = max(start, self.tones[-1].end if self.tones else 0)
        hold = max(cadence_point(plan, bar, final), begin)
        spans = [s for s in spans if s[0] >= begin and s[0] + s[1] <= hold]
        low, high = self.decoder.register
        reference = self.tones[-1].pitch if self.tones else (low + high) // 2
        goal = cadence_pitch(self.decoder, cadence, hold, reference, final)
        return self.sample(rng, [*spans, (hold, start + plan.bar_ticks - hold)],
                           aim_last=goal, forced_last=goal)

    def pickup(self, rng: random.Random, downbeat: int, spans: Spans, aim: int | None) -> None:
        """An upbeat into the phrase at `downbeat`, cut from the end of the long note
        before it (which keeps at least a beat)."""
        if not spans or not self.tones:
            return
        last = self.tones[-1]
        first = downbeat + spans[0][0]
        if last.end != downbeat or first - last.start < self.plan.beat_ticks:
            return
        self.tones[-1] = Tone(last.pitch, last.start, first - last.start)
        self.sample(rng, [(downbeat + onset, length) for onset, length in spans], aim_last=aim)
