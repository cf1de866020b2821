"""Scanning the text: every structured pattern once, most specific first, each blanking
what it read; then the vocabulary's phrases, longest first, in what is left. The words
nothing read are left for `unread`, which warns about them. The result (`Found`) lists
every mention in order; nothing is decided yet. The text is accent-folded ("ré" reads "re"),
so the tables of other languages (`foreign_words`, `keys`, `numbers`) are plain ASCII."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, TypeVar

from ariaforge.composer.brief.keys import (
    GERMAN_KEY,
    GERMAN_KEY_AFTER,
    KEY_AFTER,
    KEY_BARE,
    KEY_FULL,
    LETTER_FORM,
    SOLFEGE_AFTER,
    SOLFEGE_KEY,
    KeyMention,
    looks_german,
    read_bare_key,
    read_full_key,
    read_german_key,
    read_key_after,
    read_letter_form,
    read_solfege_key,
)
from ariaforge.composer.brief.notes import Notes
from ariaforge.composer.brief.numbers import (
    BARS,
    DURATIONS,
    FOREIGN_METERS,
    METER,
    SECTION_COUNTS,
    SEED,
    TEMPI,
    TEMPO_AT,
    read_bars,
    read_duration,
    read_foreign_meter,
    read_meter,
    read_section_count,
    read_seed,
    read_tempo,
    read_tempo_at,
)
from ariaforge.composer.brief.text import Hit, Text, scan_matches
from ariaforge.composer.brief.unread import Unread, unread_words
from ariaforge.composer.phrases import MAX_PHRASE_WORDS, lookup_phrase
from ariaforge.composer.vocabulary import Entry, MeterWord

__all__ = ["Found", "of_kind", "scan_all"]

T = TypeVar("T")
E = TypeVar("E")

_TOKEN: Final = re.compile(r"[^\W_]+")
_GAP: Final = re.compile(r"[\s'&-]*")  # what may sit inside a phrase: "lo-fi", "r&b"
_NEGATIONS: Final = frozenset({"no", "without", "minus", "sans", "except", "not", "nor",
                               "pas", "ohne", "kein", "keine", "keinen", "sin", "senza", "sem",
                               "nessun", "nessuna", "nenhum", "nenhuma", "ni"})
_FILLERS: Final = frozenset({"any", "the", "a", "an", "some", "too", "very", "so", "overly",
                             "le", "la", "les", "l", "un", "une", "des", "de", "du", "d",
                             "der", "die", "das", "den", "dem", "ein", "eine", "einen",
                             "einem", "einer", "el", "los", "las", "unos", "unas", "il", "lo",
                             "gli", "i", "uno", "una", "o", "os", "as", "um", "uma", "di"})
_CONNECTORS: Final = frozenset({"and", "or", "nor", "et", "ou", "und", "oder", "y", "e",
                                "ni", "noch", *_FILLERS})
# The word before a phrase, in English, for the ensemble's "with strings" and "for piano".
_LEADS: Final = {"avec": "with", "mit": "with", "con": "with", "com": "with", "pour": "for",
                 "fur": "for", "para": "for", "per": "for", "sans": "without",
                 "ohne": "without", "sin": "without", "senza": "without", "sem": "without"}

_Token = tuple[int, int, str]


def _longest_phrase(masked: str, tokens: Sequence[_Token], index: int
                    ) -> tuple[int, Entry] | None:
    """The longest known phrase starting at token `index`, as (tokens used, entry)."""
    for length in range(min(MAX_PHRASE_WORDS, len(tokens) - index), 0, -1):
        span = tokens[index:index + length]
        gaps = (masked[a[1]:b[0]] for a, b in itertools.pairwise(span))
        if all(_GAP.fullmatch(gap) for gap in gaps):
            entry = lookup_phrase("".join(token[2] for token in span))
            if entry is not None:
                return length, entry
    return None


def _lead(tokens: Sequence[_Token], index: int) -> str:
    before = index - 1
    while before >= 0 and tokens[before][2] in _FILLERS:
        before -= 1
    word = tokens[before][2] if before >= 0 else ""
    return _LEADS.get(word, word)


def _is_negated(tokens: Sequence[_Token], index: int, entry: Entry,
                previous: tuple[int, bool, Entry] | None) -> bool:
    """"no drums", "without any strings"; in "without bass or drums" the negation carries
    over the list to "drums", though not to a word of another kind ("no drums, jazz")."""
    if _lead(tokens, index) in _NEGATIONS:
        return True
    if previous is None or not previous[1] or type(previous[2]) is not type(entry):
        return False
    return all(token[2] in _CONNECTORS for token in tokens[previous[0]:index])


def _is_and(masked: str, tokens: Sequence[_Token], index: int,
            previous: tuple[int, bool, Entry] | None) -> bool:
    """An "e" right after a phrase, with only a space between, is the Italian or Portuguese
    "and", not the "e" of "e piano"."""
    return (tokens[index][2] == "e" and previous is not None and previous[0] == index
            and index > 0 and masked[tokens[index - 1][1]:tokens[index][0]].isspace())


def scan_phrases(text: Text) -> list[Hit[Entry]]:
    masked = text.masked
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(masked)]
    hits: list[Hit[Entry]] = []
    previous: tuple[int, bool, Entry] | None = None  # (token after it, negated, entry)
    index = 0
    while index < len(tokens):
        found = _longest_phrase(masked, tokens, index)
        if found is not None and _is_and(masked, tokens, index, previous):
            found = None  # "violoncelo e piano" is a cello and a piano, not an e-piano
        if found is None:
            index += 1
            continue
        length, entry = found
        negated = _is_negated(tokens, index, entry, previous)
        start, end = tokens[index][0], tokens[index + length - 1][1]
        hits.append(Hit(start, text.words(start, end), entry, negated, _lead(tokens, index)))
        text.mask(start, end)  # read: what is left at the end was not understood
        previous = (index + length, negated, entry)
        index += length
    return hits


def of_kind(hits: Sequence[Hit[Entry]], kind: type[E], *, negated: bool = False
            ) -> list[Hit[E]]:
    """The hits of one kind of entry; negated ones ("not too fast") only if asked for."""
    return [Hit(hit.start, hit.words, value, hit.negated, hit.lead) for hit in hits
            if isinstance(value := hit.value, kind) and (negated or not hit.negated)]


@dataclass
class Found:
    seeds: list[Hit[int]]
    durations: list[Hit[float]]
    tempi: list[Hit[int]]
    meters: list[Hit[tuple[int, int]]]
    section_counts: list[Hit[tuple[str, int]]]
    bars: list[Hit[int]]
    keys: list[Hit[KeyMention]]
    letter_forms: list[Hit[tuple[str, ...]]]
    phrases: list[Hit[Entry]]
    unread: Unread = field(default_factory=Unread)  # the words nothing read


def scan_all(text: Text, notes: Notes) -> Found:
    """Every pattern once, most specific first: a duration before a bare number, "8-bar
    intro" before "8 bars", "D minor" before "in D" before a lone "minor"."""
    def scan(pattern: re.Pattern[str], read: Callable[[re.Match[str]], T | None]
             ) -> list[Hit[T]]:
        return scan_matches(text, pattern, read)

    seeds = scan(SEED, lambda m: read_seed(notes, m))
    durations = [hit for pattern in DURATIONS for hit in scan(pattern, read_duration)]
    tempi = [hit for pattern in TEMPI for hit in scan(pattern, lambda m: read_tempo(notes, m))]
    tempi += scan(TEMPO_AT, read_tempo_at)
    meters = scan(METER, lambda m: read_meter(notes, m))
    meters += [hit for pattern in FOREIGN_METERS
               for hit in scan(pattern, lambda m: read_foreign_meter(notes, m))]
    counts = [hit for pattern in SECTION_COUNTS
              for hit in scan(pattern, lambda m: read_section_count(notes, m))]
    bars = scan(BARS, lambda m: read_bars(notes, m))
    # Other languages' keys first: "in B-Dur" is B flat, not "in B".
    keys = scan(GERMAN_KEY, read_german_key)
    if looks_german(text):
        keys += scan(GERMAN_KEY_AFTER, read_german_key)
    keys += scan(SOLFEGE_KEY, read_solfege_key)
    keys += scan(SOLFEGE_AFTER, read_solfege_key)
    keys += scan(KEY_FULL, lambda m: read_full_key(text, m))
    keys += scan(KEY_AFTER, lambda m: read_key_after(text, m))
    keys += scan(KEY_BARE, lambda m: read_bare_key(text, m))
    letter_forms = scan(LETTER_FORM, lambda m: read_letter_form(text, m))
    phrases = scan_phrases(text)
    meters += [Hit(h.start, h.words, (h.value.numerator, h.value.denominator))
               for h in of_kind(phrases, MeterWord)]

    def ordered(hits: list[Hit[T]]) -> list[Hit[T]]:
        return sorted(hits, key=lambda hit: hit.start)

    return Found(ordered(seeds), ordered(durations), ordered(tempi), ordered(meters),
                 ordered(counts), ordered(bars), ordered(keys), ordered(letter_forms),
                 phrases, unread_words(text))
