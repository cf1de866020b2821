"""A harmony line: the melody doubled a third (or a sixth) below in the key's scale, note
for note, as twin fiddles in country, duet singers in folk and pop, or a second trumpet
in a mariachi play it. On a strong beat the harmony note must be a chord tone, so there it
takes whichever of the third, the sixth or another chord tone a third to a sixth under
the melody fits; it never crosses the melody, and it moves to the other interval (or an
octave) to stay in the instrument's register. An instrument whose register sits above the
tune sings the harmony a third or sixth above instead (the high harmony of a country duet).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ariaforge.composer.arrange.countermelody import Tune, side_of
from ariaforge.composer.arrange.timing import Harmony, beat_grid, velocity
from ariaforge.composer.plan import Plan, rng_for, seeded_choice
from ariaforge.music.score import Note
from ariaforge.music.theory.scales import scale_pitch_classes

__all__ = ["harmony_line"]

_THIRD, _SIXTH = 2, 5  # scale steps away from the melody
_CONSONANT: Final = (3, 4, 8, 9)  # semitones from the melody a chord tone may sit
_VELOCITY: Final = 72


def _diatonic(pitch: int, steps: int, scale: Sequence[int]) -> int:
    """`steps` scale degrees from `pitch`, down when negative (a chromatic pitch counts
    from the scale tone under it)."""
    degree = pitch
    while degree % 12 not in scale:
        degree -= 1
    index = scale.index(degree % 12)
    target = scale[(index + steps) % len(scale)]
    if steps < 0:
        return degree - ((degree - target) % 12 or 12)
    return degree + ((target - degree) % 12 or 12)


def _strong_ticks(plan: Plan) -> set[int]:
    return {b.offset for b in beat_grid(plan.meter) if b.strong}


def harmony_line(plan: Plan, chords: Harmony, tune: Tune,
                 register: tuple[int, int]) -> list[Note]:
    low, high = register
    scale = scale_pitch_classes(plan.key)
    strong = _strong_ticks(plan)
    side = side_of(tune, register)
    notes: list[Note] = []
    for note in tune.notes:
        if notes and note.start < notes[-1].end and note.start == notes[-1].start:
            continue  # two melody notes at once: harmonise the top one
        event = chords.at(note.start)
        section = plan.section_at(plan.bar_of(note.start))
        # Each phrase keeps one interval (a seed's choice), as a duet would.
        first, second = (_THIRD, _SIXTH) if seeded_choice(
            plan.seed, 3, "harmony-line", section.phrase) else (_SIXTH, _THIRD)
        options = [_diatonic(note.pitch, side * steps, scale) for steps in (first, second)]
        on_strong = (note.start - plan.bar_start(plan.bar_of(note.start))) in strong
        if event is not None and on_strong:
            tones = event.chord.pitch_classes
            fitting = [p for p in options if p % 12 in tones]
            others = [note.pitch + side * gap for gap in _CONSONANT
                      if (note.pitch + side * gap) % 12 in tones]
            options = fitting + others or options
        pitch = next((p for p in options if low <= p <= high), None)
        if pitch is None:  # out of the register: an octave nearer, on the same side
            shifted = [p + 12 * ((low - p + 11) // 12) if p < low else p - 12 * (
                (p - high + 11) // 12) for p in options]
            pitch = next((p for p in shifted if (p - note.pitch) * side > 0), None)
        if pitch is None:
            continue
        rng = rng_for(plan.seed, "harmony-line", note.start)
        notes.append(Note(pitch=pitch, start=note.start, duration=note.duration,
                          velocity=velocity(plan, plan.bar_of(note.start), _VELOCITY,
                                            rng.randint(-3, 3))))
    return notes
