"""General MIDI drum keys as a percussion staff shows them.

Positions follow the common drum-set legend (Weinberg / Percussive Arts Society, as
Sibelius, MuseScore and Dorico default to): feet below the middle line (kick F4, pedal
hi-hat D4 with an x), snare on C5, toms stepping down from E5 to G4, cymbals above the
staff with x noteheads (hi-hat G5, ride F5, crash A5), latin and effects on free lines.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DrumSpot:
    step: str
    octave: int
    notehead: str  # MusicXML notehead value
    name: str


_MAP: dict[int, DrumSpot] = {
    35: DrumSpot("E", 4, "normal", "Acoustic Bass Drum"),
    36: DrumSpot("F", 4, "normal", "Bass Drum 1"),
    37: DrumSpot("C", 5, "circle-x", "Side Stick"),
    38: DrumSpot("C", 5, "normal", "Acoustic Snare"),
    39: DrumSpot("D", 5, "x", "Hand Clap"),
    40: DrumSpot("C", 5, "normal", "Electric Snare"),
    41: DrumSpot("G", 4, "normal", "Low Floor Tom"),
    42: DrumSpot("G", 5, "x", "Closed Hi-Hat"),
    43: DrumSpot("A", 4, "normal", "High Floor Tom"),
    44: DrumSpot("D", 4, "x", "Pedal Hi-Hat"),
    45: DrumSpot("B", 4, "normal", "Low Tom"),
    46: DrumSpot("G", 5, "circle-x", "Open Hi-Hat"),
    47: DrumSpot("D", 5, "normal", "Low-Mid Tom"),
    48: DrumSpot("E", 5, "normal", "Hi-Mid Tom"),
    49: DrumSpot("A", 5, "x", "Crash Cymbal 1"),
    50: DrumSpot("F", 5, "normal", "High Tom"),
    51: DrumSpot("F", 5, "x", "Ride Cymbal 1"),
    52: DrumSpot("C", 6, "x", "Chinese Cymbal"),
    53: DrumSpot("F", 5, "diamond", "Ride Bell"),
    54: DrumSpot("E", 5, "triangle", "Tambourine"),
    55: DrumSpot("B", 5, "x", "Splash Cymbal"),
    56: DrumSpot("E", 5, "triangle", "Cowbell"),
    57: DrumSpot("B", 5, "x", "Crash Cymbal 2"),
    59: DrumSpot("E", 5, "x", "Ride Cymbal 2"),
}


def drum_spot(key: int) -> DrumSpot:
    """Where and how GM drum `key` is drawn; keys off the drum-set legend (latin
    percussion, effects) sit on the middle line with a triangle notehead."""
    return _MAP.get(key, DrumSpot("B", 4, "triangle", f"Percussion {key}"))
