"""Sections: two or more chord parts of one family (a brass band's cornets, horns and
trombones; a big band's saxes, or its trumpets and trombones; a string section's divisi)
play one voicing together, one note each, top player first (`section_voicing`).

Horns and woodwinds voice close or drop-2 under the lead and play the style's comping
rhythm (stabs in funk or swing, afterbeats in reggae, held chords where the style's own
comping is an arpeggio); strings and voices spread their voicing and sustain it. Every
member computes the same voicing from the whole band, so the parts fit together without
talking to each other, and no two members ever play the same note.

Entry points (the arrangement dispatch calls them per track):
- `section_peers(ensemble)`: the section of the track at `ensemble.index`, top first;
- `section_voice(plan, harmony, melody, ensemble, register)`: that track's notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Final

from ariaforge.composer.arrange.comping import Comper, arrange_comping
from ariaforge.composer.arrange.ensemble import Ensemble
from ariaforge.composer.arrange.four_part import is_four_part
from ariaforge.composer.arrange.section_voicing import Shape, shared_voicings
from ariaforge.composer.arrange.timing import Harmony
from ariaforge.composer.plan import ChordEvent, Plan
from ariaforge.composer.styles import Beats, Pulse, Texture, Voicing, style_kit
from ariaforge.music.score import Note, Role
from ariaforge.music.validation.ranges import instrument_range

__all__ = ["section_family", "section_peers", "section_voice"]

# Families that play as sections (General MIDI programs). Keyboards, guitars and synths
# are left out: two of them split the work by idiom and register, not by voices.
_FAMILIES: Final = {
    "strings": frozenset((*range(40, 46), *range(48, 52))),
    "voices": frozenset(range(52, 55)),
    "brass": frozenset(range(56, 64)),
    "woodwinds": frozenset(range(64, 80)),
}
_SUSTAINED: Final = frozenset({"strings", "voices"})
_INSIDE: Final = (3, 5)  # semitones a player keeps inside the bottom and top of the range
_SECTION_SPAN: Final = (36, 86)  # where section voicings live, whatever the instruments
_HELD: Final = ((Pulse(Beats.CHORD, length=Fraction(64)),),)


def section_family(program: int) -> str | None:
    """The section family of a General MIDI program, or None if it does not play in
    sections."""
    return next((name for name, programs in _FAMILIES.items() if program in programs), None)


def _top(program: int) -> int:
    return instrument_range(program)[1]


def section_peers(ensemble: Ensemble) -> tuple[int, ...]:
    """The indices of the chord parts in the same section as the track at
    `ensemble.index` (the same family, two or more, not a four-part ensemble), the
    highest-reaching instrument (the top voice) first and the band's order breaking ties;
    empty when the track plays in no section."""
    me = ensemble.instrument
    family = section_family(me.program)
    if me.is_drum or me.role is not Role.CHORDS or family is None or is_four_part(ensemble):
        return ()
    members = [index for index, instrument in enumerate(ensemble.instruments)
               if not instrument.is_drum and instrument.role is Role.CHORDS
               and section_family(instrument.program) == family]
    if len(members) < 2:
        return ()
    return tuple(sorted(members, key=lambda i: (-_top(ensemble.instruments[i].program), i)))


def _sections(ensemble: Ensemble) -> list[tuple[int, ...]]:
    """Every section of the band, the one reaching highest first (trumpets over saxes)."""
    found = {section_peers(Ensemble(ensemble.instruments, index))
             for index in range(len(ensemble.instruments))}
    return sorted((s for s in found if s),
                  key=lambda s: (-_top(ensemble.instruments[s[0]].program), s))


def _ranges(ensemble: Ensemble, peers: Sequence[int]) -> list[tuple[int, int]]:
    """Where each player's note sits well: inside the instrument's range, within the span
    sections use."""
    ranges = []
    for index in peers:
        low, high, _ = instrument_range(ensemble.instruments[index].program)
        low, high = max(low + _INSIDE[0], _SECTION_SPAN[0]), min(high - _INSIDE[1],
                                                                 _SECTION_SPAN[1])
        ranges.append((low, max(low + 12, high)))
    return ranges


def section_voice(plan: Plan, harmony: Harmony | Sequence[ChordEvent],
                  melody: Sequence[Note], ensemble: Ensemble,
                  register: tuple[int, int]) -> list[Note]:
    """The notes of the track at `ensemble.index`: its voice of its section's shared
    voicing, in the section's rhythm. The voicing is read from every member's instrument
    (not from `register`), so all members agree; `register` places the track's line only
    when it plays in no section."""
    chords = harmony if isinstance(harmony, Harmony) else Harmony(harmony)
    if not chords.events:
        return []
    kit = style_kit(plan.style)
    peers = section_peers(ensemble)
    if not peers:  # alone in its family: the chord's third and seventh, held
        stacks = shared_voicings(chords, melody, [register], (Shape.CLOSE,))
        return _played(plan, chords, melody, stacks, (ensemble.index,), ensemble.index, True)
    # Sections in turn, the highest first: each keeps under the ones before and doubles
    # none of their notes, and where one already plays the style's rhythm the next holds
    # its chords under it (a big band's saxes padding under the brass hits).
    above: list[tuple[int, ...]] = []
    rhythm_taken = False
    for section in _sections(ensemble):
        family = section_family(ensemble.instruments[section[0]].program)
        holds = family in _SUSTAINED or kit.comp.texture is Texture.ARPEGGIO or rhythm_taken
        shapes = (Shape.SPREAD, Shape.CLOSE) if family in _SUSTAINED else (Shape.CLOSE,
                                                                          Shape.DROP_TWO)
        stacks = shared_voicings(chords, melody, _ranges(ensemble, section), shapes, above)
        if section == peers:
            return _played(plan, chords, melody, stacks, peers, ensemble.index, holds)
        rhythm_taken = rhythm_taken or not holds
        above = [(*upper, *stack) for upper, stack in
                 zip(above or [()] * len(stacks), stacks, strict=True)]
    raise AssertionError("a track's own section is one of the band's sections")


def _played(plan: Plan, chords: Harmony, melody: Sequence[Note],
            stacks: Sequence[tuple[int, ...]], peers: Sequence[int], index: int,
            sustained: bool) -> list[Note]:
    """The track's voice of `stacks` in the style's rhythm, or held chord to chord."""
    kit = style_kit(plan.style)
    part = kit.comp
    texture = Texture.AFTERBEAT if part.texture is Texture.AFTERBEAT else Texture.BLOCK
    if sustained:
        part = replace(part, main=(_HELD,), sparse=_HELD, full=None, legato=Fraction(1),
                       velocity=part.velocity - 6)
        texture = Texture.BLOCK
    count = len(peers)
    lowest = min(min(stack) for stack in stacks)
    comper = Comper(plan, kit, part, Voicing.CLOSE, texture, count, False,
                    (lowest, max(max(stack) for stack in stacks)), lowest)
    position = list(peers).index(index)
    voicings = [tuple(reversed(stack)) for stack in stacks]  # comping counts from the bottom
    return arrange_comping(comper, chords, melody, voice=count - 1 - position,
                           voicings=voicings)
