"""Read a free-text brief into a validated `Brief`, the composer's first step.

"a melancholic waltz in D minor for piano and strings, 90 bpm" becomes style waltz, mood
melancholic, D minor, 90 bpm, 3/4, a form and an ensemble with General MIDI programs.

The reader is deterministic and rule-based: regular expressions take the structured bits
(tempi, meters, keys, bar counts, durations), blanking each span they read so nothing is read
twice, then the remaining words are looked up in the tables of `vocabulary`, longest phrase
first. Unknown words are ignored. Where the text contradicts itself the last explicit mention
wins and `Brief.warnings` says so; `Brief.understood` names the words behind each field.

The steps live in their own modules: `model` (the types), `scan` (reading the text, with
`text`, `numbers` and `keys`), then `resolve`, `length`, `form` and `ensemble` (deciding each
field, with `notes` collecting warnings). Section changes ("modulates to the relative major for the
chorus") are read first by `changes`, so they never become the home key or tempo, and
placed on the form last by `section_changes`. This module runs them in order.
"""

from __future__ import annotations

from ariaforge.composer.brief.changes import scan_changes
from ariaforge.composer.brief.ensemble import resolve_instruments
from ariaforge.composer.brief.form import (
    natural_bars,
    requested_parts,
    resolve_form,
    seeded_form,
)
from ariaforge.composer.brief.length import resolve_bars, resolve_tempo
from ariaforge.composer.brief.model import (
    MAX_BRIEF_BARS,
    MAX_BRIEF_CHARS,
    MAX_SEED,
    Brief,
    BriefOverrides,
    FormSection,
    Instrument,
)
from ariaforge.composer.brief.notes import Notes
from ariaforge.composer.brief.resolve import (
    resolve_energy,
    resolve_key,
    resolve_meter,
    resolve_mood,
    resolve_seed,
    resolve_simple,
    resolve_style,
    resolve_swing,
)
from ariaforge.composer.brief.scan import scan_all
from ariaforge.composer.brief.section_changes import apply_changes, home_key_from_changes
from ariaforge.composer.brief.text import Text
from ariaforge.composer.brief.unread import warn_unread
from ariaforge.composer.vocabulary import STYLE_PROFILES, Mood, Style

__all__ = ["MAX_BRIEF_BARS", "MAX_BRIEF_CHARS", "MAX_SEED", "Brief", "BriefOverrides",
           "FormSection", "Instrument", "Mood", "Style", "parse_brief"]


def parse_brief(text: str, overrides: BriefOverrides | None = None, *,
                seed: int | None = None) -> Brief:
    """Read `text` into a `Brief`; `overrides` (a request's explicit fields) win over it.

    The same text, overrides and seed always give the same brief. With no seed, the seed is
    a hash of the normalised text. Raises ValueError for text over `MAX_BRIEF_CHARS`
    characters or a seed outside 0..2**32-1; any other string parses.
    """
    if not isinstance(text, str):
        raise TypeError("a brief is text")
    if len(text) > MAX_BRIEF_CHARS:
        raise ValueError(f"a brief is at most {MAX_BRIEF_CHARS} characters (got {len(text)}); "
                         "shorten it")
    overrides = overrides or BriefOverrides()
    notes = Notes()
    read = Text(text)
    changes = scan_changes(read, notes)  # first, so a section's key is not the home key
    found = scan_all(read, notes)
    choice = resolve_style(found, overrides, notes)
    profile = STYLE_PROFILES[choice.style]
    meter = resolve_meter(found, overrides, choice, notes)
    swing = resolve_swing(found, choice, notes)
    mood, mood_words = resolve_mood(found, overrides, notes)
    key = resolve_key(found, overrides, choice.style, mood, mood_words, notes)
    tempo = resolve_tempo(found, overrides, profile, mood, mood_words, notes, choice.slow_words)
    parts = requested_parts(found, notes)
    natural = natural_bars([hit.value for hit in parts], profile)
    bars, tempo = resolve_bars(found, overrides, tempo, meter, natural, notes)
    form = resolve_form(parts, profile, bars, notes)
    instruments = resolve_instruments(found, overrides, choice.style, notes, text=text)
    energy = resolve_energy(found, profile, mood, tempo, notes)
    chosen_seed = resolve_seed(seed, overrides, found, text, notes)
    if not parts:  # no form named: the seed picks one of the style's own
        form = seeded_form(choice.style, bars, chosen_seed)
    if changes and overrides.tonic is None and not any(h.value.tonic for h in found.keys):
        key = home_key_from_changes(changes, form, key)
    form = apply_changes(changes, form, key, tempo.bpm, default_form=not parts, notes=notes)
    warn_unread(found.unread, notes)  # last, to list all that was understood
    return Brief(
        style=choice.style, mood=mood, key=key, tempo=tempo.bpm, meter=meter, bars=bars,
        form=form, instruments=instruments, energy=energy, swing=swing,
        simple=resolve_simple(found, notes), seed=chosen_seed,
        warnings=notes.report(), understood=notes.understood)
