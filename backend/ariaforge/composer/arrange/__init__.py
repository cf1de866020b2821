"""The arrangement step: given the plan, the harmony and the melody, write each
accompanying track (bass, drums, chords or pad, a secondary line) in the plan's style.

Everything is deterministic: the only randomness comes from `rng_for(plan.seed, role,
phrase, ...)`, so a repeated phrase repeats its accompaniment and a seed its notes. The
parts live in `bass`, `drums`, `comping` and `lines`, on the shared bar arithmetic of
`timing`; the style knowledge they follow lives in `composer.styles`. In a band, a chord
instrument plays its family's idiom in the style (`idioms`, `figures`, `idiomatic`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Final

from ariaforge.composer.arrange.bass import arrange_bass
from ariaforge.composer.arrange.comping import Comper, arrange_comping
from ariaforge.composer.arrange.drums import arrange_drums
from ariaforge.composer.arrange.ensemble import Ensemble
from ariaforge.composer.arrange.four_part import four_part_layout, four_part_voice
from ariaforge.composer.arrange.idiomatic import arrange_idiom, style_comper
from ariaforge.composer.arrange.lines import arrange_counterline
from ariaforge.composer.arrange.sections import section_peers, section_voice
from ariaforge.composer.arrange.timing import Harmony
from ariaforge.composer.brief import Instrument
from ariaforge.composer.plan import ChordEvent, Plan, seeded_choice
from ariaforge.composer.styles import Beats, Pulse, Texture, Voicing, style_kit
from ariaforge.music.score import Note, Role
from ariaforge.music.validation.ranges import instrument_range

__all__ = ["Ensemble", "arrange_track", "register_for"]

# Where each role is comfortable on a typical instrument; narrowed to the instrument's own
# range (validation.ranges), or slid into it when the two barely overlap.
_ROLE_WINDOWS: Final = {
    Role.MELODY: (60, 84), Role.CHORDS: (48, 76), Role.PAD: (48, 79), Role.BASS: (28, 55),
    Role.OTHER: (55, 79),
}
_DRUM_KEYS: Final = (35, 81)  # the General MIDI percussion map
_MIN_WIDTH: Final = 12
# Alto and tenor singers outside a full four-part band (no soprano or bass part of their
# own) sing the two inner voices of one shared voicing, which both tracks compute alike,
# so they never cross or double each other.
_INNER_VOICES: Final = {"tenor": 0, "alto": 1}
_INNER_REGISTER: Final = (48, 74)
_PAD = (Pulse(Beats.CHORD, length=Fraction(64)),),
_REGISTER_SHIFTS: Final = (-4, 0, 4)  # semitones a seed moves the voicings' centre
_BASSES_FLOOR: Final = 31  # a string section's basses: the low G and up
_BASSES_GAP: Final = 7  # at least a fifth under the section's voicing


def register_for(instrument: Instrument, role: Role) -> tuple[int, int]:
    """A comfortable MIDI range (inclusive) for this General MIDI program in this role."""
    if instrument.is_drum or role is Role.DRUMS:
        return _DRUM_KEYS
    low, high, _ = instrument_range(instrument.program)
    want_low, want_high = _ROLE_WINDOWS[role]
    lo, hi = max(low, want_low), min(high, want_high)
    if hi - lo >= _MIN_WIDTH:
        return lo, hi
    width = want_high - want_low
    if want_low < low:  # the instrument sits above the role's usual place
        return low, min(high, low + width)
    return max(low, high - width), high


def arrange_track(plan: Plan, harmony: Sequence[ChordEvent], melody: Sequence[Note],
                  instrument: Instrument, ensemble: Ensemble | None = None) -> list[Note]:
    """The notes of one accompanying track. Drums use GM percussion keys; every other
    role follows the harmony (and keeps under the melody where it can). `ensemble` is the
    whole band and this track's place in it: a chord instrument in a band plays its
    family's idiom in the style (`idioms`); without one it plays the style's own comping."""
    given = ensemble is not None
    ensemble = ensemble or Ensemble.alone(instrument)
    kit = style_kit(plan.style)
    if instrument.is_drum or instrument.role is Role.DRUMS:
        return arrange_drums(plan, kit)
    if instrument.role is Role.MELODY:
        raise ValueError("the melody is composed, not arranged")
    chords = Harmony(harmony)
    if not chords.events:
        return []
    register = register_for(instrument, instrument.role)
    # Four-part writing (SATB, string quartet): the lower three voices are written together
    # under the tune, the bass among them.
    if ensemble.index in (four_part_layout(ensemble) or ()):
        return four_part_voice(plan, chords, melody, ensemble)
    if instrument.role is Role.BASS:
        return arrange_bass(plan, kit, chords, register)
    if instrument.role is Role.OTHER:
        return arrange_counterline(plan, chords, melody, register)
    floor = instrument_range(instrument.program)[0]
    # A section (brass, saxes, strings divisi) shares one voicing, a note for each player.
    if instrument.role is Role.CHORDS and section_peers(ensemble):
        return section_voice(plan, chords, melody, ensemble, register)
    inner = _INNER_VOICES.get(instrument.name.lower())
    if inner is not None:
        low, high = _INNER_REGISTER
        comper = Comper(plan, kit, kit.comp, Voicing.CLOSE, kit.comp.texture, 2, True,
                        (max(low, floor), high), floor)
        return arrange_comping(comper, chords, melody, voice=inner)
    # A seed's own colour: the voicings sit a little higher or lower, and where the style
    # allows, spread past the octave instead of close.
    shift = _REGISTER_SHIFTS[seeded_choice(plan.seed, len(_REGISTER_SHIFTS), "chords",
                                           "register", plan.style, instrument.role)]
    top = instrument_range(instrument.program)[1]
    low, high = register
    register = (max(floor, low + shift), min(top, high + shift))
    if instrument.role is Role.PAD:
        # A pad holds its chords, unless the style's strings keep a motor rhythm (baroque).
        moving = kit.comp.pad
        part = replace(kit.comp, main=(moving or _PAD,), sparse=_PAD, full=None,
                       legato=Fraction(4, 5) if moving else Fraction(1),
                       velocity=kit.comp.velocity - 8)
        shared = ensemble.shared_window()
        if shared is not None:  # above the comping of the other chord parts
            floor = shared[0]
            register = (floor, max(floor + 12, min(top, shared[1])))
        comper = Comper(plan, kit, part, Voicing.SPREAD, Texture.BLOCK, 4, False, register,
                        floor)
        notes = arrange_comping(comper, chords, melody)
        if kit.comp.voicing is Voicing.SPREAD and not ensemble.has_bass \
                and ensemble.chord_rank == 0:
            notes = _with_basses(notes, chords, instrument_range(instrument.program)[0])
        return notes
    if given:  # in a band: the instrument's own idiom, in its place among the chord parts
        return arrange_idiom(plan, chords, melody, instrument, ensemble, register)
    return arrange_comping(style_comper(plan, kit, kit.comp, register, floor), chords, melody)


def _with_basses(notes: list[Note], harmony: Harmony, bottom: int) -> list[Note]:
    """A string section spread as an orchestra scores it (cinematic): with nobody else on
    the bass, the basses sound each chord's bass note well under the cellos' voicing."""
    lowest: dict[int, Note] = {}
    for note in notes:
        if note.start not in lowest or note.pitch < lowest[note.start].pitch:
            lowest[note.start] = note
    added: list[Note] = []
    for start, top in lowest.items():
        event = harmony.at(start)
        if event is None:
            continue
        under = [p for p in range(max(bottom, _BASSES_FLOOR), top.pitch - _BASSES_GAP + 1)
                 if p % 12 == event.chord.bass_pc]
        if under:
            added.append(Note(pitch=under[-1], start=start, duration=top.duration,
                              velocity=top.velocity))
    return sorted(notes + added, key=lambda n: (n.start, n.pitch))
