"""The brief's text three ways (as written, lower-cased, and with what has been read
blanked out), a mention found in it (`Hit`), and the scan that finds and blanks them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from ariaforge.composer.foreign_words import fold_letters

__all__ = ["Hit", "Text", "clean_text", "scan_matches"]

T = TypeVar("T")

# Music signs, dashes and curly quotes, written as escapes so no look-alike hides here.
_CHARACTERS: Final = str.maketrans({
    "\u266f": "#", "\u266d": "b",
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def clean_text(text: str) -> str:
    """NFKC (full-width digits become digits), music signs as ASCII, and every control,
    format or unpaired-surrogate character as a space."""
    text = unicodedata.normalize("NFKC", text).translate(_CHARACTERS)
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


class Text:
    """The brief as written (letter case tells "A minor" from "a minor ballad"),
    lower-cased with accents folded ("ré mineur" -> "re mineur", so the tables of other
    languages are plain ASCII), and that again with every span already read blanked out.
    All three have the same length, so a position means the same thing in each."""

    def __init__(self, text: str) -> None:
        self.original = clean_text(text)
        # A few characters lower-case to two; a space keeps the positions aligned.
        self.lower = fold_letters("".join(low if len(low) == 1 else " "
                                          for low in (ch.lower() for ch in self.original)))
        self._masked = list(self.lower)

    @property
    def masked(self) -> str:
        return "".join(self._masked)

    def mask(self, start: int, end: int) -> None:
        self._masked[start:end] = " " * (end - start)

    def words(self, start: int, end: int) -> str:
        return " ".join(self.original[start:end].split())


@dataclass(frozen=True)
class Hit(Generic[T]):
    """Something the text says, where it says it, and the words that said it."""

    start: int
    words: str
    value: T
    negated: bool = False
    lead: str = ""  # the word before a phrase, past articles: "for", "with", "solo"


def scan_matches(text: Text, pattern: re.Pattern[str],
                 read: Callable[[re.Match[str]], T | None]) -> list[Hit[T]]:
    """Every match `read` accepts, blanked out so that later patterns cannot see it."""
    hits: list[Hit[T]] = []
    for match in pattern.finditer(text.masked):
        value = read(match)
        if value is not None:
            hits.append(Hit(match.start(), text.words(*match.span()), value))
            text.mask(*match.span())
    return hits
