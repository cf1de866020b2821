"""Named ensembles: the parts a brass band, a big band, a string section or a choir is
made of. Each part is its own track with its own name (and where it can, its own General
MIDI program), so the arranger gives each a line of its own."""

from __future__ import annotations

from typing import Final

from ariaforge.composer.vocabulary import Voice
from ariaforge.music.score import Role

__all__ = ["BIG_BAND", "BRASS_BAND", "DRUMS", "HORN_SECTION", "SATB", "STRING_QUARTET",
           "STRING_SECTION", "WIND_QUINTET"]

_M, _C, _B, _D = Role.MELODY, Role.CHORDS, Role.BASS, Role.DRUMS
_P, _O = Role.PAD, Role.OTHER


def _part(program: int, role: Role, name: str) -> Voice:
    """A part of a named ensemble: it always plays its own role."""
    return Voice(program, (role,), name, fixed=True)


DRUMS: Final = Voice(0, (_D,), "Drums", is_drum=True)

STRING_QUARTET: Final = (_part(40, _M, "Violin I"), _part(40, _C, "Violin II"),
                         _part(41, _C, "Viola"), _part(42, _B, "Cello"))

# A string section divides: the first violins lead when nobody else carries the tune (they
# are not `fixed`, and pads where a soloist is named); the rest hold the harmony.
STRING_SECTION: Final = (Voice(40, (_P, _M), "Violins I"), _part(40, _C, "Violins II"),
                         _part(41, _C, "Violas"), _part(42, _C, "Cellos"),
                         _part(43, _B, "Basses"))

SATB: Final = (_part(52, _M, "Soprano"), _part(52, _C, "Alto"), _part(52, _C, "Tenor"),
               _part(52, _B, "Bass"))

# General MIDI has no cornet, flugelhorn or euphonium: the trumpet, French horn and
# trombone are their nearest sounds, and the track names say which part each plays. The
# euphonium answers the tune with a countermelody, as in a brass-band march.
BRASS_BAND: Final = (_part(56, _M, "Cornet 1"), _part(56, _C, "Cornet 2"),
                     _part(60, _C, "Flugelhorn"), _part(57, _C, "Trombone"),
                     _part(57, _O, "Euphonium"), _part(58, _B, "Tuba"))

# Saxes, trumpets and trombone voice the harmony as sections; the lead alto has the tune.
BIG_BAND: Final = (_part(65, _M, "Alto Sax 1"), _part(65, _C, "Alto Sax 2"),
                   _part(66, _C, "Tenor Sax"),
                   _part(56, _C, "Trumpet 1"), _part(59, _C, "Trumpet 2"),
                   _part(57, _C, "Trombone"), _part(0, _C, "Piano"),
                   _part(32, _B, "Acoustic Bass"), DRUMS)

# Horns back a band; alone, the trumpet takes the tune.
HORN_SECTION: Final = (Voice(56, (_C, _M), "Trumpet"), _part(65, _C, "Alto Sax"),
                       _part(66, _C, "Tenor Sax"), _part(57, _C, "Trombone"))

WIND_QUINTET: Final = (_part(73, _M, "Flute"), _part(68, _O, "Oboe"),
                       _part(71, _C, "Clarinet"), _part(60, _C, "Horn"),
                       _part(70, _B, "Bassoon"))
