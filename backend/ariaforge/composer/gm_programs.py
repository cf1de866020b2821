"""The 128 General MIDI programs: their names, and the parts each can play in a band, so
that every General MIDI name is an instrument a brief can ask for."""

from __future__ import annotations

from typing import Final

from ariaforge.music.score import Role

__all__ = ["EVERYDAY_WORD_PROGRAMS", "GM_PROGRAM_NAMES", "KEYBOARDS", "STRUMMED",
           "gm_roles"]

GM_PROGRAM_NAMES: Final = (
    "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
    "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet", "Celesta",
    "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone", "Tubular Bells",
    "Dulcimer", "Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ",
    "Reed Organ", "Accordion", "Harmonica", "Tango Accordion", "Nylon Guitar", "Steel Guitar",
    "Jazz Guitar", "Clean Electric Guitar", "Muted Electric Guitar", "Overdriven Guitar",
    "Distortion Guitar", "Guitar Harmonics", "Acoustic Bass", "Electric Bass (finger)",
    "Electric Bass (pick)", "Fretless Bass", "Slap Bass 1", "Slap Bass 2", "Synth Bass 1",
    "Synth Bass 2", "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings",
    "Pizzicato Strings", "Orchestral Harp", "Timpani", "String Ensemble 1",
    "String Ensemble 2", "Synth Strings 1", "Synth Strings 2", "Choir Aahs", "Voice Oohs",
    "Synth Voice", "Orchestra Hit", "Trumpet", "Trombone", "Tuba", "Muted Trumpet",
    "French Horn", "Brass Section", "Synth Brass 1", "Synth Brass 2", "Soprano Sax",
    "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn", "Bassoon", "Clarinet",
    "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle",
    "Ocarina", "Square Lead", "Sawtooth Lead", "Calliope Lead", "Chiff Lead", "Charang Lead",
    "Voice Lead", "Fifths Lead", "Bass + Lead", "New Age Pad", "Warm Pad", "Polysynth Pad",
    "Choir Pad", "Bowed Pad", "Metallic Pad", "Halo Pad", "Sweep Pad", "Rain", "Soundtrack",
    "Crystal", "Atmosphere", "Brightness", "Goblins", "Echoes", "Sci-fi", "Sitar", "Banjo",
    "Shamisen", "Koto", "Kalimba", "Bagpipe", "Fiddle", "Shanai", "Tinkle Bell", "Agogo",
    "Steel Drums", "Woodblock", "Taiko Drum", "Melodic Tom", "Synth Drum", "Reverse Cymbal",
    "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet", "Telephone Ring",
    "Helicopter", "Applause", "Gunshot",
)

# General MIDI names that are everyday words too ("a song about rain", "a film
# soundtrack"): a brief names these sounds as "rain fx" or "fx rain", never by the bare word.
EVERYDAY_WORD_PROGRAMS: Final = frozenset({
    96, 97, 98, 99, 100, 101, 102, 103, 122, 125, 126, 127})

# Instruments one player plays melody and accompaniment on at once (two hands, or four
# mallets): alone, they play both parts.
KEYBOARDS: Final = frozenset({*range(0, 9), 11, 12, 15, *range(16, 22), 23, 46})
# Guitars and their cousins: alone, a lead part over a rhythm part.
STRUMMED: Final = frozenset({*range(24, 31), 105})

_M, _C, _B, _P, _O = Role.MELODY, Role.CHORDS, Role.BASS, Role.PAD, Role.OTHER

# The parts a program can play, most natural first, for the programs that differ from the
# rest of their family of eight.
_OWN_ROLES: Final[dict[int, tuple[Role, ...]]] = {
    8: (_M, _C), 9: (_M,), 10: (_M,), 11: (_M, _C), 12: (_M, _C), 13: (_M,), 14: (_M,),
    15: (_M, _C), 21: (_M, _C), 22: (_M,), 23: (_M, _C), 28: (_C,), 31: (_M,),
    40: (_M, _C), 41: (_C, _M), 42: (_B, _M, _C), 43: (_B,), 44: (_P, _C), 45: (_C,),
    46: (_C, _M), 47: (_O,), 53: (_M, _P), 54: (_P, _M), 55: (_O,), 56: (_M,),
    57: (_M, _C, _B), 58: (_B,), 59: (_M,), 60: (_M, _P, _C), 67: (_B, _M), 70: (_B, _M),
    87: (_B, _M), 105: (_C, _M), 107: (_M, _C), 110: (_M, _C), 114: (_M, _C), 112: (_M,),
}
# Every family of eight programs (pianos, chromatic percussion, organs, ...), by default.
_FAMILY_ROLES: Final = (
    (_C, _M), (_M,), (_C, _P, _M), (_C, _M), (_B,), (_P, _C, _M), (_P, _C, _M), (_C, _P, _M),
    (_M,), (_M,), (_M,), (_P,), (_P,), (_M,), (_O,), (_O,))


def gm_roles(program: int) -> tuple[Role, ...]:
    """The parts a General MIDI program plays, most natural first."""
    return _OWN_ROLES.get(program, _FAMILY_ROLES[program // 8])
