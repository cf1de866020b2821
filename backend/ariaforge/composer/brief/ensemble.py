"""The instruments: the ones a request or the text names, or the style's band, with
"no X" ruling out a family and "with X" adding to the band; then a role for each, one of
them carrying the melody."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ariaforge.composer.brief.model import MAX_INSTRUMENTS, BriefOverrides, Instrument
from ariaforge.composer.brief.notes import Notes, overridden
from ariaforge.composer.brief.scan import Found, of_kind
from ariaforge.composer.vocabulary import (
    GM_PROGRAM_NAMES,
    STYLE_PROFILES,
    InstrumentWord,
    SoloWord,
    Style,
    Voice,
    lookup_instrument,
)
from ariaforge.music.score import Role

__all__ = ["resolve_instruments"]

# "with strings" adds to the style's band; "for piano and strings" names the whole ensemble.
_ADDING: Final = frozenset({"with", "featuring", "plus", "including", "add", "adding", "also"})

_ROLE_ORDER: Final = (Role.MELODY, Role.CHORDS, Role.PAD, Role.BASS, Role.DRUMS, Role.OTHER)


def _family(voice: Voice, style: Style) -> int:
    """Which instruments "no X" removes: the General MIDI family, with the contrabass among
    the basses and the solo strings with the string ensembles."""
    if voice.is_drum:
        return -1
    program = voice.program_for(style)
    if program == 43:
        return 4
    return 5 if 40 <= program <= 51 else program // 8


def _melody_player(voices: Sequence[Voice], roles: Sequence[Role | None]) -> int | None:
    """Who plays the tune: a born soloist (flute), else a voice that can (piano), else a bass
    voice that can when nothing else can (a solo cello)."""
    free = [i for i, role in enumerate(roles) if role is None and Role.MELODY in voices[i].roles]
    tiers = ([i for i in free if voices[i].roles[0] is Role.MELODY],
             [i for i in free if voices[i].roles[0] is not Role.BASS], free)
    return next((tier[0] for tier in tiers if tier), None)


def _assign_roles(voices: Sequence[Voice]) -> list[Role]:
    """Ensemble parts keep their role; one voice must carry the melody; then the bass; then
    everyone else takes their first free preference (chords and pads may double)."""
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
            shared = [role for role in voice.roles if role in (Role.CHORDS, Role.PAD)]
            roles[index] = (untaken or shared or list(voice.roles))[0]
    return [role or Role.OTHER for role in roles]


def _instrument(voice: Voice, role: Role, style: Style) -> Instrument:
    program = voice.program_for(style)
    return Instrument(role=role, program=program, is_drum=voice.is_drum,
                      name=voice.name or GM_PROGRAM_NAMES[program])


def _ensemble(phrases: Sequence[str], style: Style) -> list[Voice]:
    words = (lookup_instrument(phrase) for phrase in phrases)
    return [voice for word in words if word for voice in word.voices]


def _add(voices: list[Voice], new: Sequence[Voice], style: Style) -> None:
    seen = {(v.name, v.program_for(style), v.is_drum) for v in voices}
    voices += [v for v in new if (v.name, v.program_for(style), v.is_drum) not in seen]


def _named_voices(found: Found, style: Style, notes: Notes) -> tuple[list[Voice], set[int]]:
    """The instruments the text asks for, in order, and the families it rules out; a later
    "with drums" undoes an earlier "no drums" and the other way round."""
    voices: list[Voice] = []
    excluded: set[int] = set()
    for hit in of_kind(found.phrases, InstrumentWord, negated=True):
        families = {_family(voice, style) for voice in hit.value.voices}
        if hit.negated:
            if any(_family(v, style) in families for v in voices):
                notes.warn(f"'{hit.words}' is both asked for and ruled out: the last wins")
            voices = [v for v in voices if _family(v, style) not in families]
            excluded |= families
        else:
            if families & excluded:
                notes.warn(f"'{hit.words}' is both asked for and ruled out: the last wins")
            excluded -= families
            _add(voices, hit.value.voices, style)
    return voices, excluded


def _complete(voices: list[Voice], excluded: set[int], style: Style, adding: bool,
              solo: bool, notes: Notes) -> list[Voice]:
    """The style's band where nothing is named; the band with the named instruments in
    place of its own of the same family (or of its soloist, for a named soloist) where they
    come "with"; and the band's melody and chord players where the named instruments alone
    have no one to play a tune."""
    defaults = [v for v in _ensemble(STYLE_PROFILES[style].ensemble, style)
                if _family(v, style) not in excluded]
    if not voices:
        if not defaults:
            notes.warn("every instrument of the style is ruled out: using a piano")
            return _ensemble(["piano"], style)
        return defaults
    named = {_family(v, style) for v in voices}
    if adding and not solo:
        soloist = any(v.roles[0] is Role.MELODY for v in voices)  # "blues with harmonica"
        kept = [v for v in defaults if _family(v, style) not in named
                and not (soloist and v.roles == (Role.MELODY,))]
        return [*voices, *kept]  # named first: they choose their roles first
    if solo or any(Role.MELODY in v.roles for v in voices):
        return voices
    extra = [v for v in defaults if v.roles[0] not in (Role.BASS, Role.DRUMS)
             and _family(v, style) not in named]
    if extra:
        names = ", ".join(v.name or GM_PROGRAM_NAMES[v.program_for(style)] for v in extra)
        notes.warn(f"no instrument named can play the melody: adding {names}")
    return [*extra, *voices]


def _requested_voices(items: Sequence[str | Instrument]) -> list[Voice]:
    voices: list[Voice] = []
    for item in items:
        if isinstance(item, Instrument):
            voices.append(Voice(item.program, (item.role,), item.name, is_drum=item.is_drum,
                                fixed=True))
        else:
            word = lookup_instrument(item)
            voices += word.voices if word else ()
    return voices


def resolve_instruments(found: Found, overrides: BriefOverrides, style: Style,
                        notes: Notes) -> list[Instrument]:
    hits = of_kind(found.phrases, InstrumentWord, negated=True)
    if overrides.instruments is not None:
        asked = ", ".join(i if isinstance(i, str) else i.name for i in overrides.instruments)
        overridden(notes, "instruments", asked, [h.words for h in hits])
        voices = _requested_voices(overrides.instruments)
    else:
        named, excluded = _named_voices(found, style, notes)
        solo = bool(of_kind(found.phrases, SoloWord))
        first = next((h for h in hits if not h.negated), None)
        adding = first is not None and first.lead in _ADDING
        voices = _complete(named, excluded, style, adding, solo, notes)
        if hits:
            notes.understood["instruments"] = ", ".join(
                dict.fromkeys(f"not {h.words}" if h.negated else h.words for h in hits))
    if len(voices) > MAX_INSTRUMENTS:
        notes.warn(f"a brief holds {MAX_INSTRUMENTS} instruments at most: the rest are left out")
        voices = voices[:MAX_INSTRUMENTS]
    roles = _assign_roles(voices)
    instruments = [_instrument(v, role, style) for v, role in zip(voices, roles, strict=True)]
    # Tune first and drums last, as a score reads; the sort keeps the order within a role.
    return sorted(instruments, key=lambda i: _ROLE_ORDER.index(i.role))

