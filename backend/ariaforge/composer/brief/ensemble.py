"""The instruments: the ones a request or the text names, or the style's band, with
"no X" ruling out a family and "with X" adding to the band; then who plays what
(`players`). Nothing the brief did not ask for is added, except an instrument to carry the
melody where none named can, and the warnings say what was added and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from ariaforge.composer.brief.model import MAX_INSTRUMENTS, BriefOverrides, Instrument
from ariaforge.composer.brief.notes import Notes, overridden
from ariaforge.composer.brief.players import players
from ariaforge.composer.brief.scan import Found, of_kind
from ariaforge.composer.brief.text import Hit, Text
from ariaforge.composer.brief.unknown_instruments import (
    unknown_instrument_warnings,
    unplayable_spans,
)
from ariaforge.composer.ensembles import BASS_VOICE, VOICE_PARTS
from ariaforge.composer.gm_programs import GM_PROGRAM_NAMES
from ariaforge.composer.instruments import STYLE_WORD_ENSEMBLES, stand_in_warning
from ariaforge.composer.phrases import lookup_instrument
from ariaforge.composer.vocabulary import (
    STYLE_PROFILES,
    InstrumentWord,
    SoloWord,
    Style,
    StyleWord,
    Voice,
    phrase_key,
)
from ariaforge.music.score import Role

__all__ = ["resolve_instruments"]

# "with strings" adds to the style's band; "for piano and strings" names the whole ensemble.
_ADDING: Final = frozenset({"with", "featuring", "plus", "including", "add", "adding", "also"})
_ROLE_ORDER: Final = (Role.MELODY, Role.CHORDS, Role.PAD, Role.BASS, Role.DRUMS, Role.OTHER)
_HARMONY: Final = (Role.CHORDS, Role.PAD)
_PLAIN_BASS: Final = frozenset({"bass", "basses"})


def _family(voice: Voice, style: Style) -> int:
    """Which instruments "no X" removes: the General MIDI family, with the contrabass among
    the basses and the solo strings with the string ensembles."""
    if voice.is_drum:
        return -1
    program = voice.program_for(style)
    if program == 43:
        return 4
    return 5 if 40 <= program <= 51 else program // 8


def _melodic(voice: Voice) -> bool:
    return Role.MELODY in voice.roles


def _chordal(voice: Voice) -> bool:
    return any(role in _HARMONY for role in voice.roles)


def _name(voice: Voice, style: Style) -> str:
    return voice.name or GM_PROGRAM_NAMES[voice.program_for(style)]


def _a(name: str) -> str:
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def _ensemble(phrases: Sequence[str]) -> list[Voice]:
    words = (lookup_instrument(phrase) for phrase in phrases)
    return [voice for word in words if word for voice in word.voices]


def _add(voices: list[Voice], new: Sequence[Voice], style: Style) -> None:
    seen = {(v.name, v.program_for(style), v.is_drum) for v in voices}
    voices += [v for v in new if (v.name, v.program_for(style), v.is_drum) not in seen]


def _band(found: Found, style: Style) -> list[Voice]:
    """The style's band, or the ensemble a style word names ("big band")."""
    for hit in of_kind(found.phrases, StyleWord):
        if (ensemble := STYLE_WORD_ENSEMBLES.get(phrase_key(hit.words))) is not None:
            return list(ensemble)
    return _ensemble(STYLE_PROFILES[style].ensemble)


def _named_voices(hits: Sequence[Hit[InstrumentWord]], style: Style, notes: Notes
                  ) -> tuple[list[Voice], set[int]]:
    """The instruments the text asks for, in order, and the families it rules out; a later
    "with drums" undoes an earlier "no drums" and the other way round."""
    voices: list[Voice] = []
    excluded: set[int] = set()
    after_a_voice = False
    for hit in hits:
        if after_a_voice and not hit.negated and phrase_key(hit.words) in _PLAIN_BASS:
            # "soprano, alto, tenor and bass": the bass of a list of voices is a singer
            hit = replace(hit, value=InstrumentWord((BASS_VOICE,)))
        after_a_voice = not hit.negated and all(v in VOICE_PARTS for v in hit.value.voices)
        families = {_family(voice, style) for voice in hit.value.voices}
        if hit.negated:
            if any(_family(v, style) in families for v in voices):
                notes.warn(f"'{hit.words}' is both asked for and ruled out: the last wins")
            voices = [v for v in voices if _family(v, style) not in families]
            excluded |= families
        else:
            if families & excluded:
                notes.warn(f"'{hit.words}' is both asked for and ruled out: the last wins")
            if (stand_in := stand_in_warning(hit.words)) is not None:
                notes.warn(stand_in)
            excluded -= families
            _add(voices, hit.value.voices, style)
    return voices, excluded


def _melody_for(voices: list[Voice], band: list[Voice], style: Style, notes: Notes
                ) -> list[Voice]:
    """Where no named instrument can carry the tune: the band's melody player (and, where
    none named can play chords either, its chord player), with a warning."""
    tune = next((v for v in band if v.roles[0] is Role.MELODY),
                next((v for v in band if _melodic(v) and not v.is_drum
                      and v.roles[0] is not Role.BASS), None))
    if tune is None:
        return voices
    added = [tune]
    said = f"added {_a(_name(tune, style))} to carry the melody"
    if not any(_chordal(v) for v in voices):
        harmony = next((v for v in band if v is not tune and v.roles[0] in _HARMONY), None)
        if harmony is not None:
            added.append(harmony)
            said += f" and {_a(_name(harmony, style))} for the chords"
    notes.warn(f"{said}: the brief named no melody instrument")
    return [*added, *voices]


def _complete(voices: list[Voice], band: list[Voice], adding: bool, solo: bool,
              style: Style, notes: Notes) -> list[Voice]:
    """The style's band where nothing is named. "With X": the band, with X in place of its
    own instruments of X's family and of X's job (a named soloist replaces the band's
    soloist, a named chord instrument its chord players). "For X": X alone, plus a melody
    player only where none named can carry the tune."""
    if not voices:
        if not band:
            notes.warn("every instrument of the style is ruled out: using a piano")
            return _ensemble(["piano"])
        return band
    if solo and not adding:  # "with a trumpet solo" still has a band
        return voices
    melodic = any(_melodic(v) for v in voices)
    if adding:
        named = {_family(v, style) for v in voices}
        # Strings, a choir or a pad "with" a band colour it: they replace no one's job.
        leaders = [v for v in voices if v.roles[0] is not Role.PAD]
        melodic = any(_melodic(v) for v in leaders)
        chordal = any(_chordal(v) for v in leaders)
        soloist = any(v.roles[0] is Role.MELODY for v in leaders)

        def keeps(v: Voice) -> bool:
            if v.fixed:  # a named ensemble's parts (a big band's) stay, but for its soloist
                return not (soloist and v.roles[0] is Role.MELODY)
            return (_family(v, style) not in named and not (chordal and _chordal(v))
                    and not (melodic and v.roles == (Role.MELODY,)))

        kept = [v for v in band if keeps(v)]
        if kept:  # "with" asks for the band too; still, say who came with it
            names = ", ".join(dict.fromkeys(_name(v, style) for v in kept))
            why = ("the brief named no melody instrument" if not melodic
                   else "name every instrument to leave the band out")
            notes.warn(f"added the {style.value} band's {names}: {why}")
        return [*voices, *kept]  # named first: they choose their roles first
    return voices if melodic else _melody_for(voices, band, style, notes)


def _requested_voices(items: Sequence[str | Instrument], band: list[Voice], notes: Notes
                      ) -> list[Voice]:
    voices: list[Voice] = []
    for item in items:
        if isinstance(item, Instrument):
            voices.append(Voice(item.program, (item.role,), item.name, is_drum=item.is_drum,
                                fixed=True))
        elif (word := lookup_instrument(item)) is not None:
            if (stand_in := stand_in_warning(item)) is not None:
                notes.warn(stand_in)
            voices += word.voices or band  # "band": the style's own
        elif (ensemble := STYLE_WORD_ENSEMBLES.get(phrase_key(item))) is not None:
            voices += ensemble  # "big band": a style word that is also a whole band
    return voices


def resolve_instruments(found: Found, overrides: BriefOverrides, style: Style,
                        notes: Notes, *, text: str = "") -> list[Instrument]:
    """The brief's instruments, melody first. `text` (the brief as written) lets the
    warnings name instrument words that cannot be played."""
    lower = Text(text).lower
    spans = unplayable_spans(lower)
    hits = [hit for hit in of_kind(found.phrases, InstrumentWord, negated=True)
            if not any(start <= hit.start < end for start, end, _ in spans)]
    excluded: set[int] = set()
    if overrides.instruments is None:
        named, excluded = _named_voices(hits, style, notes)
    band = [v for v in _band(found, style) if _family(v, style) not in excluded]
    if overrides.instruments is not None:
        asked = ", ".join(i if isinstance(i, str) else i.name for i in overrides.instruments)
        overridden(notes, "instruments", asked, [h.words for h in hits])
        voices = _requested_voices(overrides.instruments, band, notes)
    else:
        unplayable = unknown_instrument_warnings(lower, found.phrases)
        for warning in unplayable:
            notes.warn(warning)
        if unplayable and not named:
            notes.warn(f"no instrument named can be played: the {style.value} band plays")
        solo = bool(of_kind(found.phrases, SoloWord))
        first = next((h for h in hits if not h.negated), None)
        adding = first is not None and first.lead in _ADDING
        voices = _complete(named, band, adding, solo, style, notes)
        if hits:
            notes.understood["instruments"] = ", ".join(
                dict.fromkeys(f"not {h.words}" if h.negated else h.words for h in hits))
    instruments = players(voices, style)
    if len(instruments) > MAX_INSTRUMENTS:
        notes.warn(f"a brief holds {MAX_INSTRUMENTS} instruments at most: the rest are left out")
        instruments = instruments[:MAX_INSTRUMENTS]
    # Tune first and drums last, as a score reads; the sort keeps the order within a role.
    return sorted(instruments, key=lambda i: _ROLE_ORDER.index(i.role))
