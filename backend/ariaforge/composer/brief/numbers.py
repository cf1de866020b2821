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
from ariaforge.composer.brief.number_words import FOREIGN_NUMBER_PATTERN, foreign_number
from ariaforge.composer.vocabulary import SECTION_BY_KEY, SECTION_PATTERN, phrase_key
from ariaforge.music.score import DENOMINATORS

__all__ = ["BARS", "DURATIONS", "FOREIGN_METERS", "METER", "NUM", "SECTION_COUNTS", "SEED",
           "TEMPI", "TEMPO_AT", "read_bars", "read_duration", "read_foreign_meter", "read_meter",
           "read_section_count", "read_seed", "read_tempo", "read_tempo_at", "round_half_up"]


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
# The other languages' number words come last: "six" and "nove" are read the same anyway.
NUM: Final = (rf"(?:(?<![0-9.])[0-9]{{1,4}}(?:\.[0-9]{{1,2}})?(?![0-9])"
              rf"|(?<![a-z]){_NUMBER_WORD}(?![a-z])|{FOREIGN_NUMBER_PATTERN})")
_NUM_OR_A: Final = rf"(?:{NUM}|(?<![a-z])an?(?![a-z]))"


def _number(text: str) -> float:
    """12, 2.5, "sixteen", "thirty-two", "a" (as in "a minute")."""
    text = text.strip()
    if text[0].isdigit():
        return float(text)
    if text in ("a", "an"):
        return 1.0
    foreign = foreign_number(text)
    if foreign is not None:
        return float(foreign)
    total = 0
    for word, value in _TENS.items():
        if text.startswith(word):
            total, text = value, text[len(word):].strip(" -\t\n")
            break
    return float(total + (_UNITS.index(text) if text else 0))


# --- structured mentions ------------------------------------------------------------------

SEED: Final = re.compile(r"(?<![a-z])seed\s*(?:[:=#]|of|is)?\s*(?P<n>[0-9]{1,12})(?![0-9])")

_HALF: Final = (r"(?:\s+and\s+a\s+half|\s+et\s+demie?|\s+y\s+media|\s+e\s+mezzo|"
                r"\s+e\s+meia)")
# Minutes in six languages; seconds only in the plural, for "un segundo tema" is a second
# theme, and hours not in Italian, where "ora" is "now".
_MINUTES: Final = r"(?:minutes?|mins?|minuten|minutos?|minuti)(?![a-z])"
_SECONDS: Final = r"(?:seconds?|secs?|secondes|sekunden|segundos|secondi)(?![a-z])"
_HOURS: Final = r"(?:hours?|hrs?|heures?|stunden?|horas?)(?![a-z])"
DURATIONS: Final = (
    re.compile(r"(?<![a-z])half\s+an?\s+(?:(?P<hm>minute)|(?P<hh2>hour))(?![a-z])"),
    re.compile(r"(?<![0-9:.])(?P<m>[0-9]{1,2}):(?P<s>[0-5][0-9])(?![0-9:])"),
    re.compile(r"(?<![\w.])(?P<m>[0-9]{1,2})\s*m\s*(?P<s>[0-9]{1,2})\s*s(?![a-z])"),
    re.compile(rf"(?P<h>{_NUM_OR_A})(?P<hh>{_HALF})?[\s-]*{_HOURS}"),
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


# Bars in six languages: "16 mesures", "16 Takte", "16 compases", "16 battute", "16 compassos".
_BAR_WORDS: Final = (r"bars?|measures?|mesures?|takte?n?|compas|compases|compass?os?|"
                     r"battut[ae]|misur[ae]")
_AFTER_NUMBER: Final = (r"(?![0-9./:])"
                        rf"(?!\s*(?:{_BAR_WORDS}|min|sec|s(?![a-z])|hours?|%))")
# "beats per minute", "pulsations par minute", "Schläge pro Minute", "battiti al minuto"...
_PER_MINUTE: Final = (r"(?:beats|pulsations|battements|noires|schlage|viertel|pulsaciones|"
                      r"golpes|negras|pulsazioni|battiti|batidas|batimentos|pulsacoes)"
                      r"\s+(?:per|a|par|pro|por|al|in\s+der)\s+(?:minute|minuto)(?![a-z])")
TEMPI: Final = (
    re.compile(r"(?<![0-9.])(?P<a>[0-9]{2,3})\s*(?:-|to|a|bis)\s*(?P<b>[0-9]{2,3})\s*"
               rf"(?:bpm|{_PER_MINUTE})(?![a-z])"),
    re.compile(r"(?<![0-9.])(?P<n>[0-9]{1,4})(?:\.[0-9]+)?\s*-?\s*"
               rf"(?:bpm|b\.p\.m\.?|{_PER_MINUTE})(?![a-z])"),
    re.compile(r"(?<![a-z])(?:tempo(?:\s+(?:of|de|di|von))?|bpm|♩|q|quarter(?:\s+note)?|"
               r"crotchet|noire|viertel|negra|semiminima)\s*"
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
    return _checked_meter(notes, int(match.group("n")), int(match.group("d")))


# Meters in words: German "Dreivierteltakt", "Sechsachteltakt"; Italian "tre quarti",
# "sei ottavi"; Spanish and Portuguese "tres por cuatro", "seis por oito"; French
# "trois-quatre", "six-huit".
_GERMAN_COUNTS: Final = {"zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7,
                         "neun": 9, "zwolf": 12}
_NOTE_VALUES: Final = {"halbe": 2, "viertel": 4, "achtel": 8, "quarti": 4, "ottavi": 8,
                       "cuatro": 4, "ocho": 8, "quatro": 4, "oito": 8, "quatre": 4, "huit": 8,
                       "deux": 2, "dos": 2, "dois": 2}
FOREIGN_METERS: Final = (
    re.compile(rf"(?<![a-z])(?P<n>{'|'.join(_GERMAN_COUNTS)})[\s-]?(?P<d>halbe|viertel|achtel)"
               r"(?:[\s-]?takt)?(?![a-z])"),
    re.compile(rf"(?P<n>{FOREIGN_NUMBER_PATTERN})\s+(?P<d>quarti|ottavi)(?![a-z])"),
    re.compile(rf"(?P<n>{FOREIGN_NUMBER_PATTERN})\s+(?:por|sobre)\s+"
               r"(?P<d>cuatro|ocho|dos|quatro|oito|dois)(?![a-z])"),
    re.compile(rf"(?P<n>{FOREIGN_NUMBER_PATTERN})-(?P<d>quatre|huit|deux)(?![a-z])"),
)


def read_foreign_meter(notes: Notes, match: re.Match[str]) -> tuple[int, int] | None:
    if foreign_number(match.group()) is not None:
        return None  # "vingt-quatre" is twenty-four, not 20/4
    count = _GERMAN_COUNTS.get(match.group("n")) or foreign_number(match.group("n"))
    return None if count is None else _checked_meter(notes, count,
                                                     _NOTE_VALUES[match.group("d")])


def _checked_meter(notes: Notes, numerator: int, denominator: int) -> tuple[int, int] | None:
    if numerator < 2:  # "1/2" and "1/4" are fractions far more often than meters
        return None
    if denominator not in DENOMINATORS or numerator > 32:
        notes.warn(f"{numerator}/{denominator} is not a meter this composer writes: ignored")
        return None
    return numerator, denominator


_BAR_UNIT: Final = rf"(?:{_BAR_WORDS})(?![a-z])"
SECTION_COUNTS: Final = (
    # "8-bar intro": a singular "bar" before a section name is that section's length...
    re.compile(rf"(?P<n>{NUM})[\s-]*(?:bar|measure)(?:[\s-]+long)?[\s-]+"
               rf"(?P<section>{SECTION_PATTERN})(?![a-z])"),
    # ...and so is a count after one: "intro (4 bars)", "chorus: 8 bars", "verse of 16 bars".
    re.compile(rf"(?<![a-z])(?P<section>{SECTION_PATTERN})\s*(?:\(\s*|[:=-]\s*|of\s+)?"
               rf"(?P<n>{NUM})[\s-]*{_BAR_UNIT}(?:\s*\))?"),
)
BARS: Final = re.compile(rf"(?P<n>{NUM})[\s-]*{_BAR_UNIT}")


# An article is not a count of bars: "un compás de 3/4" is a 3/4 bar, not a one-bar piece.
_ARTICLES: Final = frozenset({"un", "une", "una", "uno", "ein", "eine", "einen", "um", "uma"})


def read_bars(notes: Notes, match: re.Match[str]) -> int | None:
    if match.group("n").strip() in _ARTICLES:
        return None
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

