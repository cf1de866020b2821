"""Mentions written with numbers, in digits or words: seeds, durations ("2 minutes",
"3:30"), tempi ("90 bpm", "at 120"), meters ("6/8"), bar counts and section lengths
("8-bar intro"). Each `read_*` takes a match of its pattern and returns the value, or None
when the match is not what it seemed."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Final

from ariaforge.composer.brief.model import MAX_BRIEF_BARS, MAX_SEED, MAX_TEMPO, MIN_TEMPO
from ariaforge.composer.brief.notes import Notes
from ariaforge.composer.vocabulary import SECTION_BY_KEY, SECTION_PATTERN, phrase_key
from ariaforge.music.score import DENOMINATORS

__all__ = ["BARS", "DURATIONS", "METER", "NUM", "SECTION_COUNTS", "SEED", "TEMPI", "TEMPO_AT",
           "read_bars", "read_duration", "read_meter", "read_section_count", "read_seed",
           "read_tempo", "read_tempo_at", "round_half_up"]


def round_half_up(value: float | Fraction) -> int:
    """Half up, not to even: 2.5 bars is 3, as a person would round."""
    if isinstance(value, Fraction):
        return math.floor(value + Fraction(1, 2))
    return math.floor(value + 0.5)


_UNITS: Final = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                 "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                 "sixteen", "seventeen", "eighteen", "nineteen")
_TENS: Final = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                "seventy": 70, "eighty": 80, "ninety": 90}
_NUMBER_WORD: Final = (rf"(?:(?:{'|'.join(_TENS)})(?:[\s-]?(?:{'|'.join(_UNITS[1:10])}))?|"
                       + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")")
# Four digits at most, so a pasted serial number is never a tempo or a bar count.
NUM: Final = (rf"(?:(?<![0-9.])[0-9]{{1,4}}(?:\.[0-9]{{1,2}})?(?![0-9])"
              rf"|(?<![a-z]){_NUMBER_WORD}(?![a-z]))")
_NUM_OR_A: Final = rf"(?:{NUM}|(?<![a-z])an?(?![a-z]))"


def _number(text: str) -> float:
    """12, 2.5, "sixteen", "thirty-two", "a" (as in "a minute")."""
    text = text.strip()
    if text[0].isdigit():
        return float(text)
    if text in ("a", "an"):
        return 1.0
    total = 0
    for word, value in _TENS.items():
        if text.startswith(word):
            total, text = value, text[len(word):].strip(" -\t\n")
            break
    return float(total + (_UNITS.index(text) if text else 0))


# --- structured mentions ------------------------------------------------------------------

SEED: Final = re.compile(r"(?<![a-z])seed\s*(?:[:=#]|of|is)?\s*(?P<n>[0-9]{1,12})(?![0-9])")

_HALF: Final = r"\s+and\s+a\s+half"
_MINUTES: Final = r"(?:minutes?|mins?)(?![a-z])"
_SECONDS: Final = r"(?:seconds?|secs?)(?![a-z])"
DURATIONS: Final = (
    re.compile(r"(?<![a-z])half\s+an?\s+(?:(?P<hm>minute)|(?P<hh2>hour))(?![a-z])"),
    re.compile(r"(?<![0-9:.])(?P<m>[0-9]{1,2}):(?P<s>[0-5][0-9])(?![0-9:])"),
    re.compile(r"(?<![\w.])(?P<m>[0-9]{1,2})\s*m\s*(?P<s>[0-9]{1,2})\s*s(?![a-z])"),
    re.compile(rf"(?P<h>{_NUM_OR_A})(?P<hh>{_HALF})?[\s-]*(?:hours?|hrs?)(?![a-z])"),
    re.compile(rf"(?P<m>{_NUM_OR_A})(?P<mh>{_HALF})?[\s-]*{_MINUTES}(?P<mh2>{_HALF})?"
               rf"(?:[\s,]*(?:and\s+)?(?P<s>{NUM})[\s-]*(?:{_SECONDS}|s(?![a-z])))?"),
    re.compile(rf"(?P<s>{_NUM_OR_A})[\s-]*{_SECONDS}"),
)


def read_duration(match: re.Match[str]) -> float | None:
    """Seconds, from any of the `DURATIONS` patterns."""
    groups = match.groupdict()
    if groups.get("hm") or groups.get("hh2"):
        return 30.0 if groups.get("hm") else 1800.0
    hours = _number(groups["h"]) + (0.5 if groups.get("hh") else 0) if groups.get("h") else 0
    minutes = _number(groups["m"]) if groups.get("m") else 0.0
    minutes += 0.5 if groups.get("mh") or groups.get("mh2") else 0.0
    seconds = _number(groups["s"]) if groups.get("s") else 0.0
    total = hours * 3600 + minutes * 60 + seconds
    return total if total > 0 else None


_AFTER_NUMBER: Final = r"(?![0-9./:])(?!\s*(?:bars?|measures?|min|sec|s(?![a-z])|hours?|%))"
TEMPI: Final = (
    re.compile(r"(?<![0-9.])(?P<a>[0-9]{2,3})\s*(?:-|to)\s*(?P<b>[0-9]{2,3})\s*"
               r"(?:bpm|beats\s+per\s+minute)(?![a-z])"),
    re.compile(r"(?<![0-9.])(?P<n>[0-9]{1,4})(?:\.[0-9]+)?\s*-?\s*"
               r"(?:bpm|b\.p\.m\.?|beats\s+(?:per|a)\s+minute)(?![a-z])"),
    re.compile(r"(?<![a-z])(?:tempo(?:\s+of)?|bpm|♩|q|quarter(?:\s+note)?|crotchet)\s*"
               r"[:=]?\s*(?:(?:about|around|approx(?:imately)?|~)\s*)?"
               rf"(?P<n>[0-9]{{1,4}}){_AFTER_NUMBER}"),
)
# "at 90" is a tempo only when 90 could be one; "at 5" is not.
TEMPO_AT: Final = re.compile(rf"(?<![a-z])(?:at|@)\s*(?:(?:about|around|~)\s*)?"
                             rf"(?P<n>[0-9]{{2,3}}){_AFTER_NUMBER}")


def read_tempo(notes: Notes, match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    bpm = round_half_up((int(groups["a"]) + int(groups["b"])) / 2) if groups.get("a") else int(
        groups["n"])
    clamped = min(max(bpm, MIN_TEMPO), MAX_TEMPO)
    if clamped != bpm:
        notes.warn(f"{bpm} bpm is outside {MIN_TEMPO}-{MAX_TEMPO}: using {clamped} bpm")
    return clamped


def read_tempo_at(match: re.Match[str]) -> int | None:
    bpm = int(match.group("n"))
    return bpm if MIN_TEMPO <= bpm <= MAX_TEMPO else None


METER: Final = re.compile(r"(?<![0-9/.])(?P<n>[0-9]{1,2})\s*/\s*(?P<d>[0-9]{1,2})(?![0-9/])"
                          r"(?:\s+(?:time|meter|metre)(?:\s+signature)?(?![a-z]))?")


def read_meter(notes: Notes, match: re.Match[str]) -> tuple[int, int] | None:
    numerator, denominator = int(match.group("n")), int(match.group("d"))
    if numerator < 2:  # "1/2" and "1/4" are fractions far more often than meters
        return None
    if denominator not in DENOMINATORS or numerator > 32:
        notes.warn(f"{numerator}/{denominator} is not a meter this composer writes: ignored")
        return None
    return numerator, denominator


_BAR_UNIT: Final = r"(?:bars?|measures?)(?![a-z])"
SECTION_COUNTS: Final = (
    # "8-bar intro": a singular "bar" before a section name is that section's length...
    re.compile(rf"(?P<n>{NUM})[\s-]*(?:bar|measure)(?:[\s-]+long)?[\s-]+"
               rf"(?P<section>{SECTION_PATTERN})(?![a-z])"),
    # ...and so is a count after one: "intro (4 bars)", "chorus: 8 bars", "verse of 16 bars".
    re.compile(rf"(?<![a-z])(?P<section>{SECTION_PATTERN})\s*(?:\(\s*|[:=-]\s*|of\s+)?"
               rf"(?P<n>{NUM})[\s-]*{_BAR_UNIT}(?:\s*\))?"),
)
BARS: Final = re.compile(rf"(?P<n>{NUM})[\s-]*{_BAR_UNIT}")


def read_bars(notes: Notes, match: re.Match[str]) -> int | None:
    bars = round_half_up(_number(match.group("n")))
    clamped = min(max(bars, 1), MAX_BRIEF_BARS)
    if clamped != bars:
        notes.warn(f"{bars} bars is outside 1-{MAX_BRIEF_BARS}: using {clamped}")
    return clamped


def read_section_count(notes: Notes, match: re.Match[str]) -> tuple[str, int] | None:
    bars = read_bars(notes, match)
    name = SECTION_BY_KEY[phrase_key(match.group("section"))]
    return None if bars is None else (name, bars)


def read_seed(notes: Notes, match: re.Match[str]) -> int | None:
    seed = int(match.group("n"))
    if seed > MAX_SEED:
        notes.warn(f"seed {seed} is larger than {MAX_SEED}: using {seed % (MAX_SEED + 1)}")
    return seed % (MAX_SEED + 1)

