"""The voice-leading rules every melody bar is held to, and the range it lives in.

- Strong beats (the downbeat, and the middle of a bar of an even number of beats at least
  a dotted half long) carry a chord tone, or a non-chord tone that resolves by step (1-2
  semitones) to a chord tone on the next note: an appoggiatura, a suspension, an accented
  passing tone.
- A leap larger than a fourth is followed by a step the other way.
- A line keeps to a tessitura: 10-17 semitones by style, placed inside the instrument's
  comfortable register (a singer's octave and a bit; a lullaby or a trap hook less; fiddle
  tunes, jazz heads, tangos, nocturnes and film themes roam wider).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Final

from ariaforge.composer.melody.decode import Decoder, Tone
from ariaforge.composer.plan import Plan, rng_for
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ

LEAP: Final = 5  # semitones: larger than a fourth is a leap to recover
SIMPLE_WIDTH: Final = 9  # a major sixth: what a beginner's hand or voice covers without strain
STEP: Final = 2
_WIDTH: Final = {
    Style.CHORALE: 14, Style.AMBIENT: 12, Style.LOFI_HIP_HOP: 12, Style.POP: 13,
    Style.ROCK: 13, Style.BLUES: 13, Style.BOSSA_NOVA: 13, Style.HOUSE: 12, Style.EDM: 13,
    Style.FOLK: 17, Style.WALTZ: 15, Style.MARCH: 15, Style.CLASSICAL: 15, Style.JAZZ: 15,
    Style.SWING: 15, Style.REEL: 17, Style.JIG: 17,
    # A lullaby stays within a ninth; tango, film themes, nocturnes and celtic tunes
    # leap and roam widest; trap and hip-hop hooks sit in a narrow band.
    Style.FUNK: 13, Style.REGGAE: 12, Style.TRAP: 10, Style.HIP_HOP: 11, Style.TANGO: 17,
    Style.GOSPEL: 15, Style.COUNTRY: 14, Style.SAMBA: 14, Style.METAL: 14,
    Style.SYNTHWAVE: 14, Style.BALLAD: 14, Style.LULLABY: 10, Style.CAROL: 13,
    Style.CINEMATIC: 17, Style.CHIPTUNE: 15, Style.NOCTURNE: 17, Style.BAROQUE: 16,
    Style.CELTIC: 16,
}


def is_strong(plan: Plan, tick: int) -> bool:
    position = tick % plan.bar_ticks
    if position == 0:
        return True
    beats = plan.bar_ticks // plan.beat_ticks
    return beats % 2 == 0 and plan.bar_ticks >= 3 * PPQ and 2 * position == plan.bar_ticks


def is_step(first: int, second: int) -> bool:
    return 0 < abs(second - first) <= STEP


def resolves(decoder: Decoder, pitch: int, following: Tone | None) -> bool:
    """Whether a non-chord tone `pitch` is resolved by `following`: a step to a chord tone."""
    return following is not None and is_step(pitch, following.pitch) \
        and following.pitch % 12 in decoder.chord_pcs(following.start)


def strong_nct_ok(decoder: Decoder, tone: Tone, following: Tone | None) -> bool:
    """True unless `tone` is an unresolved non-chord tone on a strong beat."""
    if not is_strong(decoder.plan, tone.start) or tone.pitch % 12 in decoder.chord_pcs(tone.start):
        return True
    return resolves(decoder, tone.pitch, following)


def tessitura(plan: Plan, register: tuple[int, int]) -> tuple[int, int]:
    """The part of `register` this melody uses: a style's width (the seed moves it by a
    semitone and places it a little higher or lower), centred in the register."""
    low, high = register
    rng = rng_for(plan.seed, "tessitura")
    width = SIMPLE_WIDTH if plan.simple else _WIDTH.get(plan.style, 14) + rng.choice((-1, 0, 0, 1))
    if width >= high - low:
        return low, high
    centre = (low + high) // 2 + rng.choice((-2, -1, 0, 1, 2))
    bottom = max(low, min(high - width, centre - width // 2))
    return bottom, bottom + width


def enforce_resolution(decoder: Decoder, tones: list[Tone], fixed: int = 0) -> list[Tone]:
    """The safety net behind the generator: a strong-beat non-chord tone that does not
    resolve becomes the nearest chord tone (tones before index `fixed` stay as given)."""
    result = list(tones)
    for index in range(max(0, fixed), len(result)):
        tone = result[index]
        following = result[index + 1] if index + 1 < len(result) else None
        if strong_nct_ok(decoder, tone, following):
            continue
        previous = result[index - 1].pitch if index else tone.pitch
        pitch = decoder.nearest(0, tone.pitch, decoder.chord_pcs(tone.start))
        if abs(pitch - previous) > abs(tone.pitch - previous) + 4:
            pitch = decoder.nearest(0, previous, decoder.chord_pcs(tone.start))
        result[index] = Tone(pitch, tone.start, tone.duration)
    return result


def leap_unrecovered(pitches: Sequence[int], index: int) -> bool:
    """Whether the move into pitches[index] is a leap that pitches[index + 1] does not
    recover (by a step the other way)."""
    if index < 1 or index + 1 >= len(pitches):
        return False
    leap = pitches[index] - pitches[index - 1]
    after = pitches[index + 1] - pitches[index]
    return abs(leap) > LEAP and not (0 < abs(after) <= STEP and after * leap < 0)


def recover_leaps(decoder: Decoder, tones: list[Tone], fixed: int = 0) -> list[Tone]:
    """Where a leap is left hanging (a restatement that must start where its motif
    starts), the note after the leap turns back by step when that breaks no other rule:
    a scale tone, a chord tone on a strong beat, no new hanging leap after it."""
    result = list(tones)
    for index in range(max(1, fixed), len(result) - 2):
        pitches = [t.pitch for t in result[index - 1:index + 3]]
        if not leap_unrecovered(pitches, 1):
            continue
        before, leap_to, after = result[index - 1], result[index], result[index + 1]
        if after.start - leap_to.end >= decoder.plan.beat_ticks:
            continue  # a rest between: the leap ends a gesture
        direction = -1 if leap_to.pitch > before.pitch else 1
        for size in (1, 2):
            pitch = leap_to.pitch + direction * size
            if not _fits(decoder, pitch, after, result[index + 2], leap_to):
                continue
            result[index + 1] = Tone(pitch, after.start, after.duration)
            break
    return result


def _fits(decoder: Decoder, pitch: int, tone: Tone, following: Tone, previous: Tone) -> bool:
    low, high = decoder.register
    chord = decoder.chord_pcs(tone.start)
    if not low <= pitch <= high or (pitch % 12 not in decoder.scale and pitch % 12 not in chord):
        return False
    if is_strong(decoder.plan, tone.start) and pitch % 12 not in chord \
            and not resolves(decoder, pitch, following):
        return False
    if not strong_nct_ok(decoder, previous, Tone(pitch, tone.start, tone.duration)):
        return False
    return abs(following.pitch - pitch) <= LEAP  # no new leap to recover


OPENING_BARS: Final = 8


def states_motif(plan: Plan, tones: Sequence[Tone]) -> bool:
    """Whether a bar of the first eight restates an earlier one: at least two notes at the
    same places in the bar, each interval within a semitone of the earlier bar's (an exact
    repeat, a sequence, a small variation)."""
    bars: dict[int, list[Tone]] = {}
    for tone in tones:
        bar = tone.start // plan.bar_ticks
        if bar < OPENING_BARS:
            bars.setdefault(bar, []).append(tone)
    shapes = [(tuple(t.start % plan.bar_ticks for t in notes),
               [b.pitch - a.pitch for a, b in itertools.pairwise(notes)])
              for _, notes in sorted(bars.items()) if len(notes) >= 2]
    return any(onsets == earlier_onsets and all(
        abs(a - b) <= 1 for a, b in zip(moves, earlier_moves, strict=True))
        for index, (onsets, moves) in enumerate(shapes)
        for earlier_onsets, earlier_moves in shapes[:index])
