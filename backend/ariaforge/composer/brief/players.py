"""Who plays what: a role for every voice of the band, one of them carrying the melody;
a string section or choir left alone with the tune divides into its parts; and a keyboard
or guitar that is the band's only harmony plays both the tune and its accompaniment, as
two tracks of one instrument (`part_names`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ariaforge.composer.brief.model import Instrument
from ariaforge.composer.ensembles import SATB, STRING_SECTION, choir_section
from ariaforge.composer.gm_programs import GM_PROGRAM_NAMES, KEYBOARDS, STRUMMED
from ariaforge.composer.instruments import CHOIR, STRINGS
from ariaforge.composer.part_names import LEAD, LEFT_HAND, RHYTHM, RIGHT_HAND, part_name
from ariaforge.composer.vocabulary import Style, Voice
from ariaforge.music.score import Role

__all__ = ["assign_roles", "players"]

_HARMONY: Final = (Role.CHORDS, Role.PAD)
# Styles whose choir sings in four parts: hymns, chorales, carols, gospel.
_FOUR_PART_STYLES: Final = frozenset({Style.CHORALE, Style.CAROL, Style.GOSPEL})
# A section that divides into parts when it would otherwise sing or play one line.
_SECTIONS: Final = ((STRINGS, STRING_SECTION), (CHOIR, SATB))


def _melody_player(voices: Sequence[Voice], roles: Sequence[Role | None]) -> int | None:
    """Who plays the tune: a born soloist (flute, voice), else a keyboard that leads
    (vibraphone, accordion), else a low singing voice (the cello of a cello sonata, which
    leaves the piano to accompany it), else a chord or pad instrument that can (piano)."""
    free = [i for i, role in enumerate(roles) if role is None and Role.MELODY in voices[i].roles]
    leads = [i for i in free if voices[i].roles[0] is Role.MELODY]
    tiers = ([i for i in leads if voices[i].program not in KEYBOARDS], leads,
             [i for i in free if voices[i].roles[0] is Role.BASS], free)
    return next((tier[0] for tier in tiers if tier), None)


def assign_roles(voices: Sequence[Voice]) -> list[Role]:
    """Ensemble parts keep their role; one voice must carry the melody (a born soloist
    before a chord instrument); then the bass; then everyone else takes their first free
    preference, chord and pad players sharing a role where they must (the arranger splits
    them by register and rhythm)."""
    roles: list[Role | None] = [v.roles[0] if v.fixed or v.is_drum else None for v in voices]
    if Role.MELODY not in roles and (lead := _melody_player(voices, roles)) is not None:
        roles[lead] = Role.MELODY
    bass = next((i for i, v in enumerate(voices) if roles[i] is None and v.roles[0] is Role.BASS),
                None)
    if bass is not None and Role.BASS not in roles:
        roles[bass] = Role.BASS
    for index, voice in enumerate(voices):
        if roles[index] is None:
            untaken = [role for role in voice.roles if role not in roles]
            shared = [role for role in voice.roles if role in _HARMONY]
            roles[index] = (untaken or shared or list(voice.roles))[0]
    return [role or Role.OTHER for role in roles]


def _alone_with_the_tune(roles: Sequence[Role], index: int) -> bool:
    """The voice at `index` carries the melody and nobody else plays harmony."""
    return roles[index] is Role.MELODY and not any(
        role in _HARMONY for i, role in enumerate(roles) if i != index)


def _divided(voices: Sequence[Voice], style: Style) -> list[Voice]:
    """A choir in a hymn sings SATB; a choir or string section that would carry the tune
    with no one to harmonise it divides into its parts."""
    roles = assign_roles(voices)
    divided: list[Voice] = []
    for index, voice in enumerate(voices):
        section = next((parts for whole, parts in _SECTIONS if whole == voice), None)
        if section is not None and (_alone_with_the_tune(roles, index)
                                    or (voice == CHOIR and style in _FOUR_PART_STYLES)):
            divided += section
        else:
            divided.append(voice)
    return divided


def _name(voice: Voice, style: Style) -> str:
    return voice.name or GM_PROGRAM_NAMES[voice.program_for(style)]


def _instrument(voice: Voice, role: Role, style: Style, name: str | None = None
                ) -> Instrument:
    return Instrument(role=role, program=voice.program_for(style), is_drum=voice.is_drum,
                      name=name or _name(voice, style))


def _two_parts(voice: Voice, style: Style) -> tuple[str, str] | None:
    """The parts one player plays when alone with the tune: two hands, or lead and rhythm."""
    if voice.fixed or voice.is_drum:
        return None
    program = voice.program_for(style)
    if program in KEYBOARDS:
        return RIGHT_HAND, LEFT_HAND
    return (LEAD, RHYTHM) if program in STRUMMED else None


def players(voices: Sequence[Voice], style: Style) -> list[Instrument]:
    """The band's instruments with their roles, in the order the voices came."""
    voices = _divided(choir_section(voices), style)
    roles = assign_roles(voices)
    instruments: list[Instrument] = []
    for index, (voice, role) in enumerate(zip(voices, roles, strict=True)):
        parts = _two_parts(voice, style) if _alone_with_the_tune(roles, index) else None
        if parts is None:
            instruments.append(_instrument(voice, role, style))
            continue
        tune, accompaniment = parts
        name = _name(voice, style)
        instruments += [_instrument(voice, Role.MELODY, style, part_name(name, tune)),
                        _instrument(voice, Role.CHORDS, style, part_name(name, accompaniment))]
    return instruments
