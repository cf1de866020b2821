"""What the arrangement tests arrange over: plans in any style and metre, a progression
spread over the bars, a simple melody, the instruments; and views of the result."""

from __future__ import annotations

from dataclasses import replace

from ariaforge.composer.arrange import arrange_track
from ariaforge.composer.brief import Instrument, parse_brief
from ariaforge.composer.plan import ChordEvent, Plan, plan_form
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Meter, Note, Role
from ariaforge.music.theory.roman import chord_from_roman

METERS = ("2/4", "3/4", "4/4", "6/8", "5/4", "7/8", "12/8")
POP = ("I", "vi", "IV", "V")
JAZZ = ("ii7", "V7", "Imaj7", "vi7")
PIANO = Instrument(role=Role.CHORDS, program=0, name="Piano")
PAD = Instrument(role=Role.PAD, program=89, name="Warm Pad")
BASS = Instrument(role=Role.BASS, program=33, name="Bass")
DRUMS = Instrument(role=Role.DRUMS, program=0, name="Drums", is_drum=True)
COUNTER = Instrument(role=Role.OTHER, program=41, name="Viola")
ACCOMPANIMENT = (PIANO, PAD, BASS, DRUMS, COUNTER)


def make_plan(style: Style, meter: str | None = None, seed: int = 7) -> Plan:
    plan = plan_form(parse_brief(f"a {style.value} piece, seed {seed}"))
    return replace(plan, meter=Meter.parse(meter)) if meter else plan


def make_harmony(plan: Plan, progression: tuple[str, ...] = POP,
                 per_bar: int = 1) -> list[ChordEvent]:
    """The progression spread over the bars, `per_bar` chords a bar, ending on I."""
    events = []
    step = plan.bar_ticks // per_bar
    for index in range(plan.bars * per_bar):
        numeral = progression[index % len(progression)]
        if index >= (plan.bars - 1) * per_bar:
            numeral = "I"
        chord = chord_from_roman(numeral, plan.key)
        events.append(ChordEvent(index * step, step, chord, numeral))
    return events


def make_melody(plan: Plan, harmony: list[ChordEvent]) -> list[Note]:
    """Chord tones a beat apart, in a register above any accompaniment."""
    notes = []
    for event in harmony:
        tones = event.chord.tone_pitch_classes
        tick, index = event.start, 0
        while tick < event.end:
            length = min(plan.beat_ticks, event.end - tick)
            pitch = 77 + (tones[index % len(tones)] - 77) % 12
            notes.append(Note(pitch=pitch, start=tick, duration=length))
            tick, index = tick + length, index + 1
    return notes


def arrange(plan: Plan, harmony: list[ChordEvent], instrument: Instrument,
            melody: list[Note] | None = None) -> list[Note]:
    return arrange_track(plan, harmony, make_melody(plan, harmony) if melody is None
                         else melody, instrument)


def blocks(notes: list[Note]) -> list[tuple[int, list[int]]]:
    by_start: dict[int, list[int]] = {}
    for note in notes:
        by_start.setdefault(note.start, []).append(note.pitch)
    return [(tick, sorted(by_start[tick])) for tick in sorted(by_start)]


def bar_of(plan: Plan, tick: int) -> int:
    return tick // plan.bar_ticks + 1
