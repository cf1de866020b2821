"""Bands for the idiom tests: a melody, some chord instruments, with or without a bassist,
each chord part arranged in its place in the band; and views of a part's notes."""

from __future__ import annotations

from dataclasses import dataclass

from ariaforge.composer.arrange import Ensemble, arrange_track
from ariaforge.composer.brief import Instrument
from ariaforge.composer.plan import ChordEvent, Plan
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note, Role
from tests.composer.arrange.material import BASS, POP, make_harmony, make_melody, make_plan


def chords(program: int, name: str) -> Instrument:
    return Instrument(role=Role.CHORDS, program=program, name=name)


RIGHT_HAND = Instrument(role=Role.MELODY, program=0, name="Piano (right hand)")
LEFT_HAND = chords(0, "Piano (left hand)")
PIANO = chords(0, "Piano")
RHODES = chords(4, "Electric Piano")
HARPSICHORD = chords(6, "Harpsichord")
CLAVINET = chords(7, "Clavinet")
ORGAN = chords(19, "Church Organ")
ACCORDION = chords(21, "Accordion")
NYLON = chords(24, "Nylon Guitar")
ACOUSTIC = chords(25, "Acoustic Guitar")
ELECTRIC = chords(27, "Electric Guitar")
DISTORTED = chords(30, "Distortion Guitar")
FLUTE = Instrument(role=Role.MELODY, program=73, name="Flute")


@dataclass(frozen=True)
class Band:
    plan: Plan
    harmony: list[ChordEvent]
    parts: dict[str, list[Note]]  # every chord part by name
    programs: tuple[int, ...]  # theirs, in the same order

    def chord_at(self, tick: int) -> ChordEvent:
        return next(e for e in self.harmony if e.start <= tick < e.end)

    def body(self, name: str) -> list[Note]:
        """A part's notes before the final bar (which holds one chord)."""
        last = self.plan.bar_start(self.plan.bars)
        return [n for n in self.parts[name] if n.start < last]


def play(style: Style, *players: Instrument, bassist: bool = False, meter: str | None = None,
         progression: tuple[str, ...] = POP, seed: int = 7, lead: Instrument = RIGHT_HAND
         ) -> Band:
    plan = make_plan(style, meter, seed)
    harmony = make_harmony(plan, progression)
    melody = make_melody(plan, harmony)
    band = (lead, *players, *((BASS,) if bassist else ()))
    chord_players = [(index, inst) for index, inst in enumerate(band)
                if inst.role in (Role.CHORDS, Role.PAD)]
    parts = {inst.name: arrange_track(plan, harmony, melody, inst, Ensemble(band, index))
             for index, inst in chord_players}
    return Band(plan, harmony, parts, tuple(inst.program for _, inst in chord_players))


def onsets(notes: list[Note]) -> dict[int, list[int]]:
    """The pitches struck at each tick, low to high."""
    struck: dict[int, list[int]] = {}
    for note in notes:
        struck.setdefault(note.start, []).append(note.pitch)
    return {tick: sorted(struck[tick]) for tick in sorted(struck)}
