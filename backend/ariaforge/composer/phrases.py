"""The phrase table the brief reader matches against: every word of `vocabulary`, every
instrument of `instruments`, and the words of other languages (`foreign_words`) that mean
the same as an English phrase. Phrases are keyed by `phrase_key`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from ariaforge.composer.foreign_words import FOREIGN_PHRASES
from ariaforge.composer.instruments import instrument_entries
from ariaforge.composer.vocabulary import Entry, InstrumentWord, phrase_key, word_entries

__all__ = ["MAX_PHRASE_WORDS", "PHRASES", "lookup_instrument", "lookup_phrase"]


def _build_phrases(entries: list[tuple[str, Entry]]) -> dict[str, Entry]:
    """Every phrase the parser knows, by `phrase_key`. A phrase means one thing only, so a
    duplicate across tables is a bug in the tables, caught at import."""
    table: dict[str, Entry] = {}
    for phrase, entry in entries:
        key = phrase_key(phrase)
        if table.get(key, entry) != entry:
            raise ValueError(f"the phrase {phrase!r} has two meanings")
        table[key] = entry
    return table


def _translated(english: Mapping[str, Entry]) -> list[tuple[str, Entry]]:
    """Each foreign phrase takes the meaning of the English phrase it translates."""
    missing = [word for word in FOREIGN_PHRASES.values() if phrase_key(word) not in english]
    if missing:
        raise ValueError(f"foreign words translate to unknown phrases: {missing[:5]}")
    return [(foreign, english[phrase_key(word)]) for foreign, word in FOREIGN_PHRASES.items()]


_ENGLISH: Final = [*word_entries(), *instrument_entries()]
_ENTRIES: Final = [*_ENGLISH, *_translated(_build_phrases(_ENGLISH))]
PHRASES: Final[Mapping[str, Entry]] = _build_phrases(_ENTRIES)
# The longest phrase in words: how far ahead the matcher needs to look.
MAX_PHRASE_WORDS: Final = max(len(re.findall(r"[0-9a-z]+", phrase)) for phrase, _ in _ENTRIES)


def lookup_phrase(key: str) -> Entry | None:
    """The entry for a `phrase_key`, allowing a plural: "violins", "basses", "waltzes"."""
    for candidate in (key, key[:-1] if key.endswith("s") else "",
                      key[:-2] if key.endswith("es") else ""):
        entry = PHRASES.get(candidate) if candidate else None
        if entry is not None:
            return entry
    return None


def lookup_instrument(phrase: str) -> InstrumentWord | None:
    """The instrument entry for a phrase ("Piano", "string quartet", "violins"), or None."""
    entry = lookup_phrase(phrase_key(phrase))
    return entry if isinstance(entry, InstrumentWord) else None
