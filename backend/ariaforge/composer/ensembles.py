"""Named ensembles: the parts a brass band, a big band, a string section or a choir is
made of. Each part is its own track with its own name (and where it can, its own General
MIDI program), so the arranger gives each a line of its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ariaforge.composer.vocabulary import Voice
from ariaforge.music.score import Role

__all__ = ["BASS_VOICE", "BIG_BAND", "BRASS_BAND", "DRUMS", "HORN_SECTION", "SATB",
           "STRING_QUARTET", "STRING_SECTION", "VOICE_PARTS", "WIND_QUINTET", "choir_section"]

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

# Voice parts named one by one ("for alto, tenor and organ"): a solo voice ("Voice Oohs")
# that can carry the tune or sing a harmony line; the bass voice sings the bass first.
# Highest first: `choir_section` reads their order as their register.
BASS_VOICE: Final = Voice(53, (_B, _M), "Bass")
VOICE_PARTS: Final = (Voice(53, (_M, _C), "Soprano"), Voice(53, (_M, _C), "Alto"),
                      Voice(53, (_M, _C), "Tenor"), Voice(53, (_M, _C, _B), "Baritone"),
                      BASS_VOICE)
_PART_NAMES: Final = [v.name for v in VOICE_PARTS]
_LOW_VOICES: Final = frozenset({"Baritone", "Bass"})


def choir_section(voices: Sequence[Voice]) -> list[Voice]:
    """Three or more voice parts named together are a choir section ("Choir Aahs"): the
    highest sings the tune, a baritone or bass at the bottom the bass line, the rest the
    harmony. Fewer are soloists and keep their own roles; other voices pass through."""
    parts = [v for v in voices if v in VOICE_PARTS]
    if len(parts) < 3:
        return list(voices)
    ordered = sorted((v.name or "" for v in parts), key=_PART_NAMES.index)
    roles = dict.fromkeys(ordered, _C)
    roles[ordered[0]] = _M
    if ordered[-1] in _LOW_VOICES:
        roles[ordered[-1]] = _B
    return [_part(52, roles[v.name or ""], v.name or "") if v in parts else v for v in voices]
