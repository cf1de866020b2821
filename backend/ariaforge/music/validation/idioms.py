"""The chromatic notes a style treats as its own language, not as mistakes.

A style switches each of these on by name in its options (`engine.STYLES`); common
practice switches none, so its judgement of a chromatic note stays the classical one
(a chord tone, or a passing or neighbour note by step). Each check answers one question
about one note a rule would otherwise flag: "would a player of this style call this
note idiomatic?".

- `blue_notes`: the flat third, fifth and seventh over major harmony (blues, jazz, rock).
- `flat_seven`: the mixolydian flat seventh (the bVII of rock, pop and folk tunes).
- `chromatic_approach`: a chromatic note that moves by a semitone into a chord tone or a
  note of the key, however it was reached (a leap into it is the point: the walking
  bass's approach note, a bebop line's "leading" note).
- `enclosure`: a chromatic note a step beside a target that the line reaches two notes
  later, from the other side (F, D#, E onto E).
- `anticipation`: a tone of the next chord, sounded within a beat before that chord
  begins (a pushed comping chord, a syncopated melody note).
- `altered_tensions`: the flat and sharp ninth, sharp eleventh and flat thirteenth over a
  dominant seventh chord (jazz's altered dominant).
"""

from __future__ import annotations

from typing import Final

from ariaforge.music.score import Mode, Note
from ariaforge.music.theory.chords import Chord, ChordQuality
from ariaforge.music.validation.context import Context

IDIOMS: Final = ("blue_notes", "flat_seven", "chromatic_approach", "enclosure",
                 "anticipation", "altered_tensions")
BLUE_DEGREES: Final = (3, 6, 10)
FLAT_SEVEN: Final = 10
ALTERED_TENSIONS: Final = (1, 3, 6, 8)  # b9, #9, #11, b13 above the root
DOMINANTS: Final = frozenset({ChordQuality.DOMINANT_7, ChordQuality.DOMINANT_9,
                              ChordQuality.DOMINANT_11, ChordQuality.DOMINANT_13})


def idiomatic_degrees(ctx: Context, tick: int) -> set[int]:
    """Pitch classes a style hears as part of the key at `tick` (blue notes, the
    mixolydian seventh), beyond the key's own scale."""
    tonic = ctx.tonic_at(tick)
    degrees: set[int] = set()
    if ctx.options.get("blue_notes"):
        degrees |= {(tonic + step) % 12 for step in BLUE_DEGREES}
    if ctx.options.get("flat_seven") and ctx.key_at(tick).mode is Mode.MAJOR:
        degrees.add((tonic + FLAT_SEVEN) % 12)
    return degrees


def is_idiomatic(ctx: Context, note: Note, line: list[Note], index: int | None,
                 allowed: set[int]) -> bool:
    """Whether the style's options explain `note`, a chromatic note that is no chord tone
    of its own chord. `line` is the track's melodic line and `index` the note's place in
    it (None for an inner voice of a chord, which only anticipation and tensions explain)."""
    options = ctx.options
    if options.get("altered_tensions") and _altered_tension(ctx.chord_at(note.start), note):
        return True
    if options.get("anticipation") and _anticipates(ctx, note):
        return True
    if index is None:
        return False
    following = line[index + 1] if index + 1 < len(line) else None
    if options.get("chromatic_approach") and following is not None and _approaches(
            ctx, note, following, allowed):
        return True
    after_next = line[index + 2] if index + 2 < len(line) else None
    return bool(options.get("enclosure") and following is not None and after_next is not None
                and _encloses(note, following, after_next))


def _at_home(ctx: Context, pitch: int, tick: int, allowed: set[int]) -> bool:
    chord = ctx.chord_at(tick)
    return pitch % 12 in allowed or (chord is not None and pitch % 12 in chord.pitch_classes)


def _approaches(ctx: Context, note: Note, target: Note, allowed: set[int]) -> bool:
    """A semitone into a note that belongs (to the key or to its own chord)."""
    return abs(target.pitch - note.pitch) == 1 and _at_home(ctx, target.pitch, target.start,
                                                             allowed)


def _encloses(note: Note, middle: Note, target: Note) -> bool:
    """`note` and `middle` sit on opposite sides of `target`, each within a whole step."""
    above, below = note.pitch - target.pitch, middle.pitch - target.pitch
    return above * below < 0 and 1 <= abs(above) <= 2 and 1 <= abs(below) <= 2


def _anticipates(ctx: Context, note: Note) -> bool:
    """A tone of the chord that begins within a beat after the note does."""
    span = ctx.next_harmony(note.start)
    return (span is not None and span.start <= note.start + ctx.score.ppq
            and span.chord is not None and note.pitch % 12 in span.chord.pitch_classes)


def _altered_tension(chord: Chord | None, note: Note) -> bool:
    if chord is None or chord.quality not in DOMINANTS:
        return False
    return (note.pitch - chord.root_pc) % 12 in ALTERED_TENSIONS
