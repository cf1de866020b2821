"""Instrument words the reader cannot honour: the ones we know but cannot play
("glass harmonica"), and unknown words shaped like an instrument's name ("mellophone",
"alphorn"), so that the brief's warnings name them instead of dropping them silently."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from ariaforge.composer.brief.text import Hit
from ariaforge.composer.instruments import UNPLAYABLE
from ariaforge.composer.phrases import lookup_phrase
from ariaforge.composer.vocabulary import Entry, phrase_key

__all__ = ["unknown_instrument_warnings", "unplayable_spans"]

_WORD: Final = re.compile(r"[a-z]+")
_NEGATIONS: Final = frozenset({"no", "without", "not", "nor", "minus", "sans", "except"})
# Endings only instrument names have; a word with one that the tables do not know is
# very likely an instrument we lack.
_ENDINGS: Final = ("phone", "horn", "harp", "pipe", "pipes", "drum", "drums", "flute",
                   "guitar", "organ", "piano", "ichord", "ochord", "zouki", "lele", "imba",
                   "trumpet", "fiddle", "whistle", "violin", "cello")
# Words with those endings that are not instruments.
_NOT_INSTRUMENTS: Final = frozenset({
    "headphone", "headphones", "earphone", "earphones", "microphone", "microphones",
    "smartphone", "telephone", "phone", "megaphone", "shoehorn", "humdrum", "eardrum",
    "conundrum", "conundrums", "tinhorn", "greenhorn", "longhorn", "pipe", "pipes", "sharp",
    "sharps", "unsharp"})
_UNPLAYABLE_PATTERN: Final = re.compile(
    r"\b(" + "|".join(r"[\s'-]*".join(map(re.escape, _WORD.findall(phrase)))
                      for phrase in sorted(UNPLAYABLE, key=len, reverse=True)) + r")s?\b")


def unplayable_spans(lower: str) -> list[tuple[int, int, str]]:
    """Where the (lower-case) text names an instrument we cannot play, and which."""
    return [(m.start(), m.end(), m.group(1)) for m in _UNPLAYABLE_PATTERN.finditer(lower)]


def _negated(lower: str, start: int) -> bool:
    before = _WORD.findall(lower[:start])
    return bool(before) and before[-1] in _NEGATIONS


def _looks_like_an_instrument(word: str) -> bool:
    if word in _NOT_INSTRUMENTS or lookup_phrase(phrase_key(word)) is not None:
        return False
    stem = word[:-1] if word.endswith("s") else word
    return any(w.endswith(ending) and len(w) > len(ending) for w in (word, stem)
               for ending in _ENDINGS)


def unknown_instrument_warnings(lower: str, hits: Sequence[Hit[Entry]]) -> list[str]:
    """A warning for each instrument the (lower-case) text names that cannot be played,
    unless the text rules it out ("no kazoo")."""
    warnings = [f"no {name} sound in General MIDI: left out"
                for start, _, name in unplayable_spans(lower) if not _negated(lower, start)]
    known = [(hit.start, hit.start + len(hit.words)) for hit in hits]
    for match in _WORD.finditer(lower):
        inside = any(start <= match.start() < end for start, end in known)
        if (not inside and _looks_like_an_instrument(match.group())
                and not _negated(lower, match.start())):
            warnings.append(f"unknown instrument '{match.group()}': left out")
    return list(dict.fromkeys(warnings))
