"""Variation of written bars: the rhythm and the overall contour stay, about `amount` of
the pitches move to a neighbouring scale tone or another chord tone. A note that resolves
a strong-beat non-chord tone, and a cadence's last note, stay where they are."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from ariaforge.composer.melody.cadence import cadence_of
from ariaforge.composer.melody.decode import Decoder, Tone
from ariaforge.composer.melody.rules import is_strong, strong_nct_ok
from ariaforge.composer.model.store import load_models
from ariaforge.composer.plan import ChordEvent, Plan, rng_for
from ariaforge.music.score import Note


def vary_melody(plan: Plan, harmony: Sequence[ChordEvent], notes: Sequence[Note],
                bars: Collection[int], register: tuple[int, int],
                amount: float = 0.3) -> list[Note]:
    """A variation of `bars`: same rhythm and overall contour, about `amount` of the
    pitches moved to a neighbouring scale tone or another chord tone."""
    low, high = sorted(register)
    decoder = Decoder(plan, harmony, (low, high), load_models())
    chosen = set(bars)
    rng = rng_for(plan.seed, "vary", *sorted(chosen), round(amount, 3))
    ordered = sorted(notes, key=lambda n: (n.start, n.pitch))
    candidates = [i for i, n in enumerate(ordered) if plan.bar_of(n.start) in chosen
                  and not _is_cadence_note(plan, ordered, i)
                  and not _resolves_previous(decoder, ordered, i)]
    count = round(amount * len(candidates))
    if amount > 0 and candidates:
        count = max(1, count)
    changed = set(rng.sample(candidates, min(count, len(candidates))))
    result: list[Note] = []
    for index, note in enumerate(ordered):
        if index not in changed:
            result.append(note)
            continue
        previous = result[index - 1].pitch if index else note.pitch
        following = ordered[index + 1].pitch if index + 1 < len(ordered) else note.pitch
        pitch = _neighbour(decoder, rng, note, previous, following)
        result.append(note.model_copy(update={"pitch": pitch}))
    return result


def _resolves_previous(decoder: Decoder, notes: Sequence[Note], index: int) -> bool:
    """Whether notes[index] is what a strong-beat non-chord tone before it resolves to."""
    if index == 0:
        return False
    before = notes[index - 1]
    tone = Tone(before.pitch, before.start, before.duration)
    if not is_strong(decoder.plan, tone.start) or \
            tone.pitch % 12 in decoder.chord_pcs(tone.start):
        return False
    here = notes[index]
    return strong_nct_ok(decoder, tone, Tone(here.pitch, here.start, here.duration))


def _neighbour(decoder: Decoder, rng: random.Random, note: Note, previous: int,
               following: int) -> int:
    """A different pitch for `note`: another chord tone on a beat, else a scale
    neighbour, never further than a fourth from its neighbours' span."""
    chord = decoder.chord_pcs(note.start)
    strong = decoder.beat(note.start) != "0"
    low, high = decoder.register
    span_low, span_high = min(previous, following) - 5, max(previous, following) + 5
    options = [p for p in range(max(low, note.pitch - 4), min(high, note.pitch + 4) + 1)
               if p != note.pitch and span_low <= p <= span_high
               and (p % 12 in chord if strong else p % 12 in decoder.scale)]
    if not strong:
        options = [p for p in options if abs(p - note.pitch) <= 2] or options
    return rng.choice(options) if options else note.pitch


def _is_cadence_note(plan: Plan, notes: Sequence[Note], index: int) -> bool:
    note = notes[index]
    bar = plan.bar_of(note.start)
    last_in_bar = index + 1 >= len(notes) or plan.bar_of(notes[index + 1].start) != bar
    return last_in_bar and cadence_of(plan, bar) is not None


