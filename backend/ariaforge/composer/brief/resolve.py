"""Read a free-text brief into a validated `Brief`, the composer's first step.

"a melancholic waltz in D minor for piano and strings, 90 bpm" becomes style waltz, mood
melancholic, D minor, 90 bpm, 3/4, a form and an ensemble with General MIDI programs.

The reader is deterministic and rule-based: regular expressions take the structured bits
(tempi, meters, keys, bar counts, durations), blanking each span they read so nothing is read
twice, then the remaining words are looked up in the tables of `vocabulary`, longest phrase
first. Unknown words are ignored. Where the text contradicts itself the last explicit mention
wins and `Brief.warnings` says so; `Brief.understood` names the words behind each field.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Annotated, Final, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ariaforge.composer.vocabulary import (
    DANCE_REFINES,
    DANCES,
    FRAME_END,
    FRAME_START,
    GM_PROGRAM_NAMES,
    MAX_PHRASE_WORDS,
    MOOD_PROFILES,
    PHRASE_BARS,
    SECTION_BARS,
    SECTION_BY_KEY,
    SECTION_PATTERN,
    STYLE_PROFILES,
    EnergyWord,
    Entry,
    FormWord,
    InstrumentWord,
    MeterWord,
    ModeWord,
    Mood,
    MoodWord,
    SectionWord,
    SoloWord,
    Style,
    StyleProfile,
    StyleWord,
    SwingWord,
    TempoWord,
    Voice,
    lookup_instrument,
    lookup_phrase,
    phrase_key,
)
from ariaforge.music.score import DENOMINATORS, Key, Label, Meter, Mode, Role
from ariaforge.music.theory.modes import has_minor_third
from ariaforge.music.theory.pitch import join_name, pitch_class_of_name, split_name
from ariaforge.music.theory.scales import conventional_key

__all__ = ["MAX_BRIEF_CHARS", "Brief", "BriefOverrides", "FormSection", "Instrument", "Mood",
           "Style", "parse_brief"]

MAX_BRIEF_CHARS: Final = 2000
MIN_TEMPO: Final = 30
MAX_TEMPO: Final = 300
MAX_BRIEF_BARS: Final = 512
MAX_INSTRUMENTS: Final = 16
MAX_SECTIONS: Final = 64
MAX_SEED: Final = 2**32 - 1  # numpy and most generators take 32-bit seeds

T = TypeVar("T")
E = TypeVar("E")

# --- the model ----------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Instrument(_Model):
    role: Role
    program: int = Field(ge=0, le=127, description="General MIDI program (ignored for drums)")
    name: Label = Field(min_length=1, max_length=100)
    is_drum: bool = False

    @model_validator(mode="after")
    def _drums_play_drums(self) -> Instrument:
        if self.is_drum != (self.role is Role.DRUMS):
            raise ValueError("a drum kit plays the drums role, and only a drum kit does")
        return self


class FormSection(_Model):
    name: Label = Field(min_length=1, max_length=64)
    bars: int = Field(ge=1, le=MAX_BRIEF_BARS)


class Brief(_Model):
    """What to compose. `tempo` is in quarter notes per minute, like `Score.tempo`."""

    style: Style = Style.POP
    mood: Mood = Mood.NEUTRAL
    key: Key = Field(default_factory=Key)
    tempo: int = Field(default=110, ge=MIN_TEMPO, le=MAX_TEMPO)
    meter: Meter = Field(default_factory=Meter)
    bars: int = Field(default=40, ge=1, le=MAX_BRIEF_BARS)
    form: list[FormSection] = Field(default_factory=list, max_length=MAX_BRIEF_BARS)
    instruments: list[Instrument] = Field(default_factory=list, max_length=MAX_INSTRUMENTS)
    energy: float = Field(default=0.6, ge=0, le=1)
    swing: bool = False
    seed: int = Field(default=0, ge=0, le=MAX_SEED)
    warnings: list[str] = Field(default_factory=list)
    understood: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _form_fills_the_piece(self) -> Brief:
        total = sum(section.bars for section in self.form)
        if self.form and total != self.bars:
            raise ValueError(f"the form's sections add up to {total} bars, not {self.bars}")
        return self

    @property
    def validation_style(self) -> str:
        """The `ariaforge.music.validation` style that judges music in this style."""
        return STYLE_PROFILES[self.style].validation_style

    @property
    def duration_seconds(self) -> float:
        return float(self.bars * _quarters_per_bar(self.meter) * 60 / self.tempo)


InstrumentName = Annotated[str, Field(min_length=1, max_length=100)]


class BriefOverrides(_Model):
    """Fields a request sets explicitly; each one wins over what the text says."""

    style: Style | None = None
    mood: Mood | None = None
    tonic: str | None = Field(default=None, max_length=8)
    mode: Mode | None = None
    tempo: int | None = Field(default=None, ge=MIN_TEMPO, le=MAX_TEMPO)
    meter: Meter | None = None
    bars: int | None = Field(default=None, ge=1, le=MAX_BRIEF_BARS)
    instruments: list[InstrumentName | Instrument] | None = Field(
        default=None, min_length=1, max_length=MAX_INSTRUMENTS)
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)

    @field_validator("tonic")
    @classmethod
    def _spelled(cls, value: str | None) -> str | None:
        if value is None:
            return None
        letter, alter = split_name(value)  # "f#", "B♭" and "Bb" all become ASCII names
        return join_name(letter, alter)

    @field_validator("instruments")
    @classmethod
    def _known(cls, value: list[str | Instrument] | None) -> list[str | Instrument] | None:
        for item in value or []:
            if isinstance(item, str) and lookup_instrument(item) is None:
                raise ValueError(f"unknown instrument {item[:40]!r}")
        return value


# --- the text, three ways -----------------------------------------------------------------

# Music signs, dashes and curly quotes, written as escapes so no look-alike hides here.
_CHARACTERS: Final = str.maketrans({
    "\u266f": "#", "\u266d": "b",
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _clean(text: str) -> str:
    """NFKC (full-width digits become digits), music signs as ASCII, and every control,
    format or unpaired-surrogate character as a space."""
    text = unicodedata.normalize("NFKC", text).translate(_CHARACTERS)
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


class _Text:
    """The brief as written (letter case tells "A minor" from "a minor ballad"),
    lower-cased, and lower-cased with every span already read blanked out. All three have
    the same length, so a position means the same thing in each."""

    def __init__(self, text: str) -> None:
        self.original = _clean(text)
        # A few characters lower-case to two; a space keeps the positions aligned.
        self.lower = "".join(low if len(low) == 1 else " "
                             for low in (ch.lower() for ch in self.original))
        self._masked = list(self.lower)

    @property
    def masked(self) -> str:
        return "".join(self._masked)

    def mask(self, start: int, end: int) -> None:
        self._masked[start:end] = " " * (end - start)

    def words(self, start: int, end: int) -> str:
        return " ".join(self.original[start:end].split())


@dataclass(frozen=True)
class _Hit(Generic[T]):
    """Something the text says, where it says it, and the words that said it."""

    start: int
    words: str
    value: T
    negated: bool = False
    lead: str = ""  # the word before a phrase, past articles: "for", "with", "solo"


@dataclass
class _Notes:
    warnings: list[str] = field(default_factory=list)
    understood: dict[str, str] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _scan(text: _Text, pattern: re.Pattern[str],
          read: Callable[[re.Match[str]], T | None]) -> list[_Hit[T]]:
    """Every match `read` accepts, blanked out so that later patterns cannot see it."""
    hits: list[_Hit[T]] = []
    for match in pattern.finditer(text.masked):
        value = read(match)
        if value is not None:
            hits.append(_Hit(match.start(), text.words(*match.span()), value))
            text.mask(*match.span())
    return hits


def _round(value: float | Fraction) -> int:
    """Half up, not to even: 2.5 bars is 3, as a person would round."""
    if isinstance(value, Fraction):
        return math.floor(value + Fraction(1, 2))
    return math.floor(value + 0.5)


def _quarters_per_bar(meter: Meter) -> Fraction:
    return Fraction(meter.numerator * 4, meter.denominator)


# --- numbers ------------------------------------------------------------------------------

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

_SEED: Final = re.compile(r"(?<![a-z])seed\s*(?:[:=#]|of|is)?\s*(?P<n>[0-9]{1,12})(?![0-9])")

_HALF: Final = r"\s+and\s+a\s+half"
_MINUTES: Final = r"(?:minutes?|mins?)(?![a-z])"
_SECONDS: Final = r"(?:seconds?|secs?)(?![a-z])"
_DURATIONS: Final = (
    re.compile(r"(?<![a-z])half\s+an?\s+(?:(?P<hm>minute)|(?P<hh2>hour))(?![a-z])"),
    re.compile(r"(?<![0-9:.])(?P<m>[0-9]{1,2}):(?P<s>[0-5][0-9])(?![0-9:])"),
    re.compile(r"(?<![\w.])(?P<m>[0-9]{1,2})\s*m\s*(?P<s>[0-9]{1,2})\s*s(?![a-z])"),
    re.compile(rf"(?P<h>{_NUM_OR_A})(?P<hh>{_HALF})?[\s-]*(?:hours?|hrs?)(?![a-z])"),
    re.compile(rf"(?P<m>{_NUM_OR_A})(?P<mh>{_HALF})?[\s-]*{_MINUTES}(?P<mh2>{_HALF})?"
               rf"(?:[\s,]*(?:and\s+)?(?P<s>{NUM})[\s-]*(?:{_SECONDS}|s(?![a-z])))?"),
    re.compile(rf"(?P<s>{_NUM_OR_A})[\s-]*{_SECONDS}"),
)


def _read_duration(match: re.Match[str]) -> float | None:
    """Seconds, from any of the `_DURATIONS` patterns."""
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
_TEMPI: Final = (
    re.compile(r"(?<![0-9.])(?P<a>[0-9]{2,3})\s*(?:-|to)\s*(?P<b>[0-9]{2,3})\s*"
               r"(?:bpm|beats\s+per\s+minute)(?![a-z])"),
    re.compile(r"(?<![0-9.])(?P<n>[0-9]{1,4})(?:\.[0-9]+)?\s*-?\s*"
               r"(?:bpm|b\.p\.m\.?|beats\s+(?:per|a)\s+minute)(?![a-z])"),
    re.compile(r"(?<![a-z])(?:tempo(?:\s+of)?|bpm|♩|q|quarter(?:\s+note)?|crotchet)\s*"
               r"[:=]?\s*(?:(?:about|around|approx(?:imately)?|~)\s*)?"
               rf"(?P<n>[0-9]{{1,4}}){_AFTER_NUMBER}"),
)
# "at 90" is a tempo only when 90 could be one; "at 5" is not.
_TEMPO_AT: Final = re.compile(rf"(?<![a-z])(?:at|@)\s*(?:(?:about|around|~)\s*)?"
                              rf"(?P<n>[0-9]{{2,3}}){_AFTER_NUMBER}")


def _read_tempo(notes: _Notes, match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    bpm = _round((int(groups["a"]) + int(groups["b"])) / 2) if groups.get("a") else int(
        groups["n"])
    clamped = min(max(bpm, MIN_TEMPO), MAX_TEMPO)
    if clamped != bpm:
        notes.warn(f"{bpm} bpm is outside {MIN_TEMPO}-{MAX_TEMPO}: using {clamped} bpm")
    return clamped


def _read_tempo_at(match: re.Match[str]) -> int | None:
    bpm = int(match.group("n"))
    return bpm if MIN_TEMPO <= bpm <= MAX_TEMPO else None


_METER: Final = re.compile(r"(?<![0-9/.])(?P<n>[0-9]{1,2})\s*/\s*(?P<d>[0-9]{1,2})(?![0-9/])"
                           r"(?:\s+(?:time|meter|metre)(?:\s+signature)?(?![a-z]))?")


def _read_meter(notes: _Notes, match: re.Match[str]) -> tuple[int, int] | None:
    numerator, denominator = int(match.group("n")), int(match.group("d"))
    if numerator < 2:  # "1/2" and "1/4" are fractions far more often than meters
        return None
    if denominator not in DENOMINATORS or numerator > 32:
        notes.warn(f"{numerator}/{denominator} is not a meter this composer writes: ignored")
        return None
    return numerator, denominator


_BAR_UNIT: Final = r"(?:bars?|measures?)(?![a-z])"
_SECTION_COUNTS: Final = (
    # "8-bar intro": a singular "bar" before a section name is that section's length...
    re.compile(rf"(?P<n>{NUM})[\s-]*(?:bar|measure)(?:[\s-]+long)?[\s-]+"
               rf"(?P<section>{SECTION_PATTERN})(?![a-z])"),
    # ...and so is a count after one: "intro (4 bars)", "chorus: 8 bars", "verse of 16 bars".
    re.compile(rf"(?<![a-z])(?P<section>{SECTION_PATTERN})\s*(?:\(\s*|[:=-]\s*|of\s+)?"
               rf"(?P<n>{NUM})[\s-]*{_BAR_UNIT}(?:\s*\))?"),
)
_BARS: Final = re.compile(rf"(?P<n>{NUM})[\s-]*{_BAR_UNIT}")


def _read_bars(notes: _Notes, match: re.Match[str]) -> int | None:
    bars = _round(_number(match.group("n")))
    clamped = min(max(bars, 1), MAX_BRIEF_BARS)
    if clamped != bars:
        notes.warn(f"{bars} bars is outside 1-{MAX_BRIEF_BARS}: using {clamped}")
    return clamped


def _read_section_count(notes: _Notes, match: re.Match[str]) -> tuple[str, int] | None:
    bars = _read_bars(notes, match)
    name = SECTION_BY_KEY[phrase_key(match.group("section"))]
    return None if bars is None else (name, bars)


def _read_seed(notes: _Notes, match: re.Match[str]) -> int | None:
    seed = int(match.group("n"))
    if seed > MAX_SEED:
        notes.warn(f"seed {seed} is larger than {MAX_SEED}: using {seed % (MAX_SEED + 1)}")
    return seed % (MAX_SEED + 1)


# --- keys ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _KeyMention:
    tonic: str | None
    mode: Mode | None


_MODE_NAMES: Final = {"major": Mode.MAJOR, "maj": Mode.MAJOR, "minor": Mode.MINOR,
                      "min": Mode.MINOR, **{mode.value: mode for mode in Mode}}
_MODE_PATTERN: Final = "|".join(sorted(_MODE_NAMES, key=len, reverse=True))
# A flat is a "b" not followed by a letter, though "m" may follow for minor ("Bbm").
_NOTE: Final = (r"(?P<letter>[a-g])"
                r"(?P<acc>[\s-]*(?:sharp|flat)(?![a-z])|##|#|b(?![a-ln-z0-9#]))?")
_KEY_FULL: Final = re.compile(rf"(?<![\w#']){_NOTE}[\s-]*(?P<mode>{_MODE_PATTERN})(?![a-z])"
                              r"(?P<tail>[\s-]+(?:key|mode|scale|tonality)(?![a-z]))?")
_KEY_AFTER: Final = re.compile(r"(?<![a-z])(?P<prefix>(?:in\s+the\s+key\s+of|in\s+key\s+of|"
                               r"key\s+of|in|key)(?=\s)|key\s*[:=])\s*"
                               rf"{_NOTE}"
                               r"(?P<minor>m(?![a-z]))?(?![\w#])")
_KEY_BARE: Final = re.compile(rf"(?<![\w#']){_NOTE}(?P<minor>m(?![a-z]))?(?![\w#])")
_KEY_CONTEXT: Final = re.compile(r"(?:\bin|\bof|\bkey\s*[:=]?)\s*$")


def _tonic_of(match: re.Match[str]) -> str:
    accidental = re.sub(r"[\s-]", "", match.group("acc") or "")
    return match.group("letter").upper() + {"sharp": "#", "flat": "b"}.get(accidental,
                                                                           accidental)


def _written_letter(text: _Text, match: re.Match[str]) -> str:
    return text.original[match.start("letter")]


def _maybe_article(text: _Text, match: re.Match[str]) -> bool:
    """A lower-case "a" with no sign after it may be the article: "a minor key ballad",
    "a flat landscape". "A minor", "a#" and "ab" are notes."""
    accidental = match.group("acc") or ""
    return _written_letter(text, match) == "a" and "#" not in accidental and (
        accidental.strip(" -\t\n") in ("", "sharp", "flat"))


def _read_full_key(text: _Text, match: re.Match[str]) -> _KeyMention | None:
    if _maybe_article(text, match) and (
            match.group("tail") or not _KEY_CONTEXT.search(text.lower[:match.start()])):
        return None
    return _KeyMention(_tonic_of(match), _MODE_NAMES[match.group("mode")])


def _read_key_after(text: _Text, match: re.Match[str]) -> _KeyMention | None:
    if match.group("prefix") == "in" and not match.group("minor") and _maybe_article(
            text, match):
        return None  # "in a waltz rhythm"
    return _KeyMention(_tonic_of(match), Mode.MINOR if match.group("minor") else None)


def _read_bare_key(text: _Text, match: re.Match[str]) -> _KeyMention | None:
    """A key name standing alone must look like one: "F#", "Bb", "Dm", "E flat" are keys;
    "D", "bb", "dm", "DM" and "a sharp" are not trusted without "in" or "key of"."""
    accidental = re.sub(r"[\s-]", "", match.group("acc") or "")
    upper = _written_letter(text, match).isupper()
    if accidental in ("#", "##"):
        accepted = True
    elif accidental == "b":
        after_number = re.search(r"[0-9]\s*$", text.lower[:match.start()]) is not None
        accepted = upper and text.original[match.start("acc")] == "b" and not after_number
    elif accidental:
        accepted = match.group("letter") != "a"
    else:  # "Dm", but not "dm" or "DM" (a direct message)
        accepted = bool(match.group("minor")) and upper and text.original[
            match.start("minor")] == "m"
    if not accepted:
        return None
    return _KeyMention(_tonic_of(match), Mode.MINOR if match.group("minor") else None)


# --- letter forms ("AABA") ----------------------------------------------------------------

_LETTER_FORM: Final = re.compile(r"(?<![\w#'])(?P<form>[a-d](?:[ -]?[a-d]){1,7})(?![\w#'])"
                                 r"(?P<tail>[\s-]+(?:form|structure)(?![a-z]))?")


def _read_letter_form(text: _Text, match: re.Match[str]) -> tuple[str, ...] | None:
    """"AABA", "A-B-A", "aaba", "ABAC form". Forms start on A and reach B; "abc" alone is
    more often the notation than a form, and "a b" is more often an article and a note."""
    raw = match.group("form")
    letters = re.sub(r"[ -]", "", raw)
    if letters[0] != "a" or "b" not in letters:
        return None
    written = text.original[match.start("form"):match.end("form")]
    if match.group("tail"):
        accepted = True
    elif letters == "abc":
        accepted = False
    elif written.isupper():
        accepted = True
    else:
        accepted = (raw == letters and len(letters) >= 3) or ("-" in raw and " " not in raw)
    return tuple(letters.upper()) if accepted else None


# --- phrases ------------------------------------------------------------------------------

_TOKEN: Final = re.compile(r"[^\W_]+")
_GAP: Final = re.compile(r"[\s'&-]*")  # what may sit inside a phrase: "lo-fi", "r&b"
_NEGATIONS: Final = frozenset({"no", "without", "minus", "sans", "except", "not", "nor"})
_FILLERS: Final = frozenset({"any", "the", "a", "an", "some", "too", "very", "so", "overly"})
# "with strings" adds to the style's band; "for piano and strings" names the whole ensemble.
_ADDING: Final = frozenset({"with", "featuring", "plus", "including", "add", "adding", "also"})
_CONNECTORS: Final = frozenset({"and", "or", "nor", *_FILLERS})

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
    return tokens[before][2] if before >= 0 else ""


def _is_negated(tokens: Sequence[_Token], index: int, entry: Entry,
                previous: tuple[int, bool, Entry] | None) -> bool:
    """"no drums", "without any strings"; in "without bass or drums" the negation carries
    over the list to "drums", though not to a word of another kind ("no drums, jazz")."""
    if _lead(tokens, index) in _NEGATIONS:
        return True
    if previous is None or not previous[1] or type(previous[2]) is not type(entry):
        return False
    return all(token[2] in _CONNECTORS for token in tokens[previous[0]:index])


def _scan_phrases(text: _Text) -> list[_Hit[Entry]]:
    masked = text.masked
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(masked)]
    hits: list[_Hit[Entry]] = []
    previous: tuple[int, bool, Entry] | None = None  # (token after it, negated, entry)
    index = 0
    while index < len(tokens):
        found = _longest_phrase(masked, tokens, index)
        if found is None:
            index += 1
            continue
        length, entry = found
        negated = _is_negated(tokens, index, entry, previous)
        start, end = tokens[index][0], tokens[index + length - 1][1]
        hits.append(_Hit(start, text.words(start, end), entry, negated, _lead(tokens, index)))
        previous = (index + length, negated, entry)
        index += length
    return hits


def _of(hits: Sequence[_Hit[Entry]], kind: type[E], *, negated: bool = False
        ) -> list[_Hit[E]]:
    """The hits of one kind of entry; negated ones ("not too fast") only if asked for."""
    return [_Hit(hit.start, hit.words, value, hit.negated, hit.lead) for hit in hits
            if isinstance(value := hit.value, kind) and (negated or not hit.negated)]


# --- scanning everything ------------------------------------------------------------------


@dataclass
class _Found:
    seeds: list[_Hit[int]]
    durations: list[_Hit[float]]
    tempi: list[_Hit[int]]
    meters: list[_Hit[tuple[int, int]]]
    section_counts: list[_Hit[tuple[str, int]]]
    bars: list[_Hit[int]]
    keys: list[_Hit[_KeyMention]]
    letter_forms: list[_Hit[tuple[str, ...]]]
    phrases: list[_Hit[Entry]]


def _scan_all(text: _Text, notes: _Notes) -> _Found:
    """Every pattern once, most specific first: a duration before a bare number, "8-bar
    intro" before "8 bars", "D minor" before "in D" before a lone "minor"."""
    def scan(pattern: re.Pattern[str], read: Callable[[re.Match[str]], T | None]
             ) -> list[_Hit[T]]:
        return _scan(text, pattern, read)

    seeds = scan(_SEED, lambda m: _read_seed(notes, m))
    durations = [hit for pattern in _DURATIONS for hit in scan(pattern, _read_duration)]
    tempi = [hit for pattern in _TEMPI for hit in scan(pattern, lambda m: _read_tempo(notes, m))]
    tempi += scan(_TEMPO_AT, _read_tempo_at)
    meters = scan(_METER, lambda m: _read_meter(notes, m))
    counts = [hit for pattern in _SECTION_COUNTS
              for hit in scan(pattern, lambda m: _read_section_count(notes, m))]
    bars = scan(_BARS, lambda m: _read_bars(notes, m))
    keys = scan(_KEY_FULL, lambda m: _read_full_key(text, m))
    keys += scan(_KEY_AFTER, lambda m: _read_key_after(text, m))
    keys += scan(_KEY_BARE, lambda m: _read_bare_key(text, m))
    letter_forms = scan(_LETTER_FORM, lambda m: _read_letter_form(text, m))
    phrases = _scan_phrases(text)
    meters += [_Hit(h.start, h.words, (h.value.numerator, h.value.denominator))
               for h in _of(phrases, MeterWord)]

    def ordered(hits: list[_Hit[T]]) -> list[_Hit[T]]:
        return sorted(hits, key=lambda hit: hit.start)

    return _Found(ordered(seeds), ordered(durations), ordered(tempi), ordered(meters),
                  ordered(counts), ordered(bars), ordered(keys), ordered(letter_forms),
                  phrases)


# --- resolving contradictions -------------------------------------------------------------


def _last(hits: Sequence[_Hit[T]], notes: _Notes, what: str,
          show: Callable[[_Hit[T]], str] = lambda hit: hit.words) -> _Hit[T] | None:
    """The last mention wins; if earlier ones said something else, a warning says so
    ("slow ... ballad" say the same, so they do not)."""
    if not hits:
        return None
    first_of_each = {hit.value: hit for hit in reversed(hits)}  # value -> its first mention
    shown = list(dict.fromkeys(show(hit) for hit in reversed(first_of_each.values())))
    if len(shown) > 1:
        notes.warn(f"several {what} named ({', '.join(shown)}): using the last, "
                   f"{show(hits[-1])}")
    return hits[-1]


def _overridden(notes: _Notes, name: str, value: str, said: Sequence[str]) -> None:
    """Record a request field, and warn when the text asked for something else."""
    notes.understood[name] = "request"
    others = [words for words in dict.fromkeys(said) if words.lower() != value.lower()]
    if others:
        notes.warn(f"the request's {name} ({value}) overrides '{', '.join(others)}' in the text")


@dataclass(frozen=True)
class _StyleChoice:
    style: Style
    meter: tuple[int, int]
    meter_words: str | None  # set when a dance or metered style word implied the meter
    swing: bool
    swing_words: str | None  # set when a named style implied the feel


def _style_meter(word: StyleWord) -> tuple[int, int]:
    return word.meter or STYLE_PROFILES[word.style].meter


def _resolve_style(found: _Found, overrides: BriefOverrides, notes: _Notes) -> _StyleChoice:
    hits = _of(found.phrases, StyleWord)
    if overrides.style is not None:
        _overridden(notes, "style", overrides.style.value, [h.value.style.value for h in hits])
        profile = STYLE_PROFILES[overrides.style]
        return _StyleChoice(overrides.style, profile.meter, None, profile.swing, None)

    def show(hit: _Hit[StyleWord]) -> str:
        return hit.value.style.value

    genre = _last([h for h in hits if h.value.style not in DANCES], notes, "styles", show)
    dance = _last([h for h in hits if h.value.style in DANCES], notes, "dances", show)
    if genre and dance and dance.value.style in DANCE_REFINES.get(genre.value.style, ()):
        genre = None  # "an Irish jig": the dance is the more precise name
    main = genre or dance
    if main is None:
        profile = STYLE_PROFILES[Style.POP]
        return _StyleChoice(Style.POP, profile.meter, None, profile.swing, None)
    notes.understood["style"] = main.words
    # The meter comes from the dance ("jazz waltz"), else from a metered word ("minuet").
    metered = dance or (main if main.value.meter else None)
    swinging = dance if dance and dance.value.style is Style.SWING else None
    return _StyleChoice(main.value.style, _style_meter((metered or main).value),
                        metered.words if metered else None,
                        STYLE_PROFILES[main.value.style].swing or swinging is not None,
                        (swinging or main).words)


def _show_meter(meter: tuple[int, int]) -> str:
    return f"{meter[0]}/{meter[1]}"


def _resolve_meter(found: _Found, overrides: BriefOverrides, choice: _StyleChoice,
                   notes: _Notes) -> Meter:
    if overrides.meter is not None:
        _overridden(notes, "meter", str(overrides.meter),
                    [_show_meter(h.value) for h in found.meters])
        return overrides.meter
    hit = _last(found.meters, notes, "meters", lambda h: _show_meter(h.value))
    if hit is None:
        if choice.meter_words:
            notes.understood["meter"] = choice.meter_words
        return Meter(numerator=choice.meter[0], denominator=choice.meter[1])
    if choice.meter_words and hit.value != choice.meter:
        notes.warn(f"'{choice.meter_words}' usually means {_show_meter(choice.meter)}, but the "
                   f"brief asks for {_show_meter(hit.value)}: using {_show_meter(hit.value)}")
    notes.understood["meter"] = hit.words
    return Meter(numerator=hit.value[0], denominator=hit.value[1])


def _resolve_swing(found: _Found, choice: _StyleChoice, notes: _Notes) -> bool:
    def feel(swing: bool) -> str:
        return "swung" if swing else "straight"

    hit = _last(_of(found.phrases, SwingWord), notes, "feels", lambda h: feel(h.value.swing))
    if hit is None:
        if choice.swing and choice.swing_words:
            notes.understood["swing"] = choice.swing_words
        return choice.swing
    if choice.swing_words and choice.swing and not hit.value.swing:  # a rock shuffle is fine
        notes.warn(f"'{choice.swing_words}' is usually {feel(choice.swing)}, but the brief "
                   f"asks for {feel(hit.value.swing)} eighths: using {feel(hit.value.swing)}")
    notes.understood["swing"] = hit.words
    return hit.value.swing


def _moods_clash(moods: Sequence[Mood]) -> bool:
    """"Dark and epic" agree; "happy and sad" (major against minor) or "calm and energetic"
    (far apart in tempo) do not."""
    profiles = [MOOD_PROFILES[mood] for mood in moods]
    modes = {p.mode for p in profiles if p.mode is not None}
    tempi = [p.tempo for p in profiles if p.tempo is not None]
    return len(modes) > 1 or (bool(tempi) and max(tempi) - min(tempi) > 0.4)


def _resolve_mood(found: _Found, overrides: BriefOverrides, notes: _Notes
                  ) -> tuple[Mood, str | None]:
    hits = _of(found.phrases, MoodWord)
    if overrides.mood is not None:
        _overridden(notes, "mood", overrides.mood.value, [h.value.mood.value for h in hits])
        return overrides.mood, None
    if not hits:
        return Mood.NEUTRAL, None
    hit = hits[-1]
    moods = list(dict.fromkeys(h.value.mood for h in hits))
    if _moods_clash(moods):
        notes.warn(f"moods that pull apart named ({', '.join(moods)}): using the last, "
                   f"{hit.value.mood.value}")
    notes.understood["mood"] = hit.words
    return hit.value.mood, hit.words


# --- key ----------------------------------------------------------------------------------


def _spell(tonic: str, mode: Mode, notes: _Notes) -> Key:
    """The key as musicians usually write it, with the fewer accidentals: C# major becomes
    Db major and A# minor Bb minor (a note says so); F# major and Eb minor stay."""
    usual = conventional_key(pitch_class_of_name(tonic), mode)
    if usual.tonic != tonic:
        notes.warn(f"{tonic} {mode.value} is written as {usual.tonic} {mode.value} "
                   f"(fewer accidentals)")
    return usual


def _resolve_mode(found: _Found, overrides: BriefOverrides, mood: Mood,
                  mood_words: str | None, notes: _Notes) -> tuple[Mode, str | None]:
    mentions = [_Hit(h.start, h.words, h.value.mode) for h in found.keys if h.value.mode]
    mentions += [_Hit(h.start, h.words, h.value.mode) for h in _of(found.phrases, ModeWord)]
    mentions.sort(key=lambda hit: hit.start)
    if overrides.mode is not None:
        _overridden(notes, "mode", overrides.mode.value, [h.value.value for h in mentions])
        return overrides.mode, None
    hit = _last(mentions, notes, "modes", lambda h: h.value.value)
    if hit is not None:
        return hit.value, hit.words
    suggested = MOOD_PROFILES[mood].mode
    if suggested is not None:
        return suggested, mood_words  # a sad song with no key named goes minor
    return Mode.MAJOR, None


def _resolve_key(found: _Found, overrides: BriefOverrides, style: Style, mood: Mood,
                 mood_words: str | None, notes: _Notes) -> Key:
    mode, mode_words = _resolve_mode(found, overrides, mood, mood_words, notes)
    tonics = [h for h in found.keys if h.value.tonic]
    hit = tonics[-1] if tonics else None
    if overrides.tonic is not None:
        _overridden(notes, "tonic", overrides.tonic, [h.value.tonic or "" for h in tonics])
        tonic, tonic_words = overrides.tonic, None
    elif hit is not None and hit.value.tonic:
        tonic, tonic_words = hit.value.tonic, hit.words
    else:
        profile = STYLE_PROFILES[style]
        tonic = profile.minor_tonic if has_minor_third(mode) else profile.major_tonic
        tonic_words = None
    said = [words for words in dict.fromkeys((tonic_words, mode_words)) if words]
    if said:
        notes.understood["key"] = ", ".join(said)
    key = _spell(tonic, mode, notes)
    named = list(dict.fromkeys(h.words for h in tonics))
    if len(named) > 1 and overrides.tonic is None:
        notes.warn(f"several keys named ({', '.join(named)}): using the last, "
                   f"{key.tonic} {key.mode.value}")
    return key


# --- tempo and length ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Tempo:
    bpm: int
    fixed: bool  # given as a number (or by the request), not guessed from words
    word: TempoWord | None = None


def _word_range(word: TempoWord, profile: StyleProfile) -> tuple[int, int]:
    if word.absolute:
        return _round(word.low), _round(word.high)
    low, high = profile.tempo_range
    return _round(low + word.low * (high - low)), _round(low + word.high * (high - low))


def _resolve_tempo(found: _Found, overrides: BriefOverrides, profile: StyleProfile,
                   mood: Mood, mood_words: str | None, notes: _Notes) -> _Tempo:
    word = _last(_of(found.phrases, TempoWord), notes, "tempo words")
    number = _last(found.tempi, notes, "tempi", lambda h: f"{h.value} bpm")
    value = word.value if word else None
    if overrides.tempo is not None:
        _overridden(notes, "tempo", f"{overrides.tempo} bpm",
                    [f"{h.value} bpm" for h in found.tempi])
        return _Tempo(overrides.tempo, True, value)
    if number is not None:
        if word is not None:
            low, high = _word_range(word.value, profile)
            if not low <= number.value <= high:
                notes.warn(f"'{word.words}' suggests {low}-{high} bpm, but the brief asks for "
                           f"{number.value} bpm: using {number.value} bpm")
        notes.understood["tempo"] = number.words
        return _Tempo(number.value, True, value)
    if word is not None:
        notes.understood["tempo"] = word.words
        return _Tempo(_round(sum(_word_range(word.value, profile)) / 2), False, value)
    position = MOOD_PROFILES[mood].tempo
    if position is not None:
        if mood_words:
            notes.understood["tempo"] = mood_words
        low, high = profile.tempo_range
        return _Tempo(_round(low + position * (high - low)), False)
    return _Tempo(profile.tempo, False)


def _clock(seconds: float) -> str:
    whole = _round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _bars_in(seconds: float, bpm: int, meter: Meter) -> int:
    """Whole phrases of `PHRASE_BARS` when the piece is at least a phrase long."""
    exact = Fraction(seconds).limit_denominator(1000) * bpm / 60 / _quarters_per_bar(meter)
    if exact >= PHRASE_BARS:
        return _round(exact / PHRASE_BARS) * PHRASE_BARS
    return max(1, _round(exact))


def _seconds_of(bars: int, bpm: int, meter: Meter) -> float:
    return float(bars * _quarters_per_bar(meter) * 60 / bpm)


def _clamp_bars(bars: int, notes: _Notes) -> int:
    clamped = min(max(bars, 1), MAX_BRIEF_BARS)
    if clamped != bars:
        notes.warn(f"that length needs {bars} bars; a brief holds {MAX_BRIEF_BARS} at most: "
                   f"using {clamped}")
    return clamped


def _tempo_for(bars: _Hit[int], duration: _Hit[float], tempo: _Tempo, meter: Meter,
               notes: _Notes) -> _Tempo:
    """Both a bar count and a duration: the tempo that fits them, unless the tempo is
    given too, in which case the bar count wins."""
    if tempo.fixed:
        actual = _seconds_of(bars.value, tempo.bpm, meter)
        if abs(actual - duration.value) > 0.1 * duration.value:
            notes.warn(f"at {tempo.bpm} bpm, {bars.value} bars last {_clock(actual)}, not "
                       f"{_clock(duration.value)}: keeping {bars.value} bars")
        return tempo
    exact = bars.value * _quarters_per_bar(meter) * 60 / Fraction(duration.value)
    bpm = min(max(_round(exact), MIN_TEMPO), MAX_TEMPO)
    if bpm != _round(exact):
        notes.warn(f"{bars.value} bars in {_clock(duration.value)} needs {_round(exact)} bpm: "
                   f"using {bpm} bpm")
    notes.understood["tempo"] = f"{bars.words}, {duration.words}"
    return _Tempo(bpm, True, tempo.word)


def _resolve_bars(found: _Found, overrides: BriefOverrides, tempo: _Tempo, meter: Meter,
                  natural: int, notes: _Notes) -> tuple[int, _Tempo]:
    """(bars, tempo): the request, else a bar count, else a duration, else the length the
    form asks for. A tempo guessed from words gives way to a bar count and a duration."""
    bars = _last(found.bars, notes, "lengths", lambda h: f"{h.value} bars")
    duration = _last(found.durations, notes, "durations", lambda h: _clock(h.value))
    if overrides.bars is not None:
        _overridden(notes, "bars", str(overrides.bars), [str(h.value) for h in found.bars])
        return overrides.bars, tempo
    if bars is not None:
        notes.understood["bars"] = bars.words
        if duration is not None:
            tempo = _tempo_for(bars, duration, tempo, meter, notes)
        return bars.value, tempo
    if duration is not None:
        notes.understood["bars"] = duration.words
        return _clamp_bars(_bars_in(duration.value, tempo.bpm, meter), notes), tempo
    return _clamp_bars(natural, notes), tempo


# --- form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    name: str
    bars: int | None  # None: the section's usual length


def _usual_bars(name: str, profile: StyleProfile) -> int:
    if profile.section_bars and name not in FRAME_START | FRAME_END:
        return profile.section_bars  # a blues verse is a 12-bar chorus
    return SECTION_BARS[name]


def _requested_parts(found: _Found, notes: _Notes) -> list[_Hit[_Part]]:
    """The sections the text lists, in order. One section word alone ("a catchy chorus")
    is not a form; two or more, a bar count, "AABA" or "rondo" are."""
    parts = [_Hit(h.start, h.words, _Part(*h.value)) for h in found.section_counts]
    parts += [_Hit(h.start, h.words, _Part(h.value.name, None))
              for h in _of(found.phrases, SectionWord)]
    lettered = [(h.start, h.words, h.value) for h in found.letter_forms]
    lettered += [(h.start, h.words, h.value.sections) for h in _of(found.phrases, FormWord)]
    parts += [_Hit(start, words, _Part(name, None)) for start, words, names in lettered
              for name in names]
    parts.sort(key=lambda hit: hit.start)  # stable: a form's letters keep their order
    if not lettered and not found.section_counts and len(parts) < 2:
        return []
    if len(parts) > MAX_SECTIONS:
        notes.warn(f"a form holds {MAX_SECTIONS} sections at most: the rest are left out")
    return parts[:MAX_SECTIONS]


def _is_frame(part: _Part) -> bool:
    return part.name in FRAME_START | FRAME_END


def _fill(intro: list[tuple[str, int]], body: Sequence[tuple[str, int]],
          outro: list[tuple[str, int]], total: int) -> list[tuple[str, int]]:
    """A form of `total` bars: the frame (intro, outro) when there is room, and the body's
    sections repeated in turn to fill the rest; a tail under a phrase joins the last one."""
    frame = sum(bars for _, bars in intro + outro)
    if total - frame < min(bars for _, bars in body):
        intro, outro, frame = [], [], 0
    sections: list[tuple[str, int]] = []
    remaining, index = total - frame, 0
    while remaining > 0:
        name, bars = body[index % len(body)]
        if bars > remaining and sections and remaining < PHRASE_BARS:
            sections[-1] = (sections[-1][0], sections[-1][1] + remaining)
            break
        sections.append((name, min(bars, remaining)))
        remaining, index = remaining - min(bars, remaining), index + 1
    return intro + sections + outro


def _apportion(weights: Sequence[int], units: int) -> list[int]:
    """Split `units` (at least one each) in proportion to `weights`, exactly: each spare
    unit goes to the share furthest below its ideal, the earlier one on a tie."""
    total = sum(weights)
    ideal = [Fraction(weight * units, total) for weight in weights]
    shares = [1] * len(weights)
    for _ in range(units - len(weights)):
        best = max(range(len(weights)), key=lambda i: (ideal[i] - shares[i], -i))
        shares[best] += 1
    return shares


def _fit(sections: list[tuple[str, int]], total: int, notes: _Notes) -> list[tuple[str, int]]:
    """The sections stretched or squeezed to `total` bars, in whole phrases where possible."""
    if len(sections) > total:
        notes.warn(f"{total} bars cannot hold {len(sections)} sections: keeping the first "
                   f"{total}")
        sections = sections[:total]
    unit = next(u for u in (PHRASE_BARS, 2, 1) if total // u >= len(sections))
    units, rest = divmod(total, unit)
    shares = _apportion([bars for _, bars in sections], units)
    lengths = [share * unit for share in shares]
    lengths[-1] += rest
    return [(name, bars) for (name, _), bars in zip(sections, lengths, strict=True)]


def _form_plan(parts: list[_Part], profile: StyleProfile
               ) -> tuple[list[tuple[str, int]], Sequence[tuple[str, int]], list[tuple[str, int]]]:
    """(intro, body, outro) for the requested parts; only a frame ("with an intro and an
    outro") keeps the style's body between."""
    sized = [(part.name, part.bars or _usual_bars(part.name, profile)) for part in parts]
    if not parts:
        body = [(name, profile.section_bars or bars) for name, bars in profile.body]
        return list(profile.intro), body, list(profile.outro)
    if all(_is_frame(part) for part in parts):
        intro = [s for s, part in zip(sized, parts, strict=True) if part.name in FRAME_START]
        outro = [s for s, part in zip(sized, parts, strict=True) if part.name in FRAME_END]
        return intro, _form_plan([], profile)[1], outro
    if [part.name for part in parts] == ["verse", "chorus"] and not any(p.bars for p in parts):
        sized *= 2  # "verse-chorus" names alternation, not two long sections
    return [], sized, []


def _natural_bars(parts: list[_Part], profile: StyleProfile) -> int:
    """The length the form asks for: the style's usual length, or the listed sections'."""
    intro, body, outro = _form_plan(parts, profile)
    frame = sum(bars for _, bars in (*intro, *outro))
    if not parts or all(_is_frame(part) for part in parts):
        usual_frame = sum(bars for _, bars in (*profile.intro, *profile.outro))
        return frame + profile.bars - usual_frame
    return frame + sum(bars for _, bars in body)


def _resolve_form(parts: list[_Hit[_Part]], profile: StyleProfile, bars: int,
                  notes: _Notes) -> list[FormSection]:
    plain = [hit.value for hit in parts]
    intro, body, outro = _form_plan(plain, profile)
    if parts:
        notes.understood["form"] = ", ".join(dict.fromkeys(hit.words for hit in parts))
    if not plain or all(_is_frame(part) for part in plain):
        sections = _fill(intro, body, outro, bars)
    elif sum(b for _, b in body) == bars:
        sections = list(body)
    else:
        if any(part.bars for part in plain):
            notes.warn(f"the sections' bar counts add up to {sum(b for _, b in body)}, not "
                       f"{bars}: scaling them to fit")
        sections = _fit(list(body), bars, notes)
    return [FormSection(name=name, bars=length) for name, length in sections]


# --- instruments --------------------------------------------------------------------------


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


def _named_voices(found: _Found, style: Style, notes: _Notes) -> tuple[list[Voice], set[int]]:
    """The instruments the text asks for, in order, and the families it rules out; a later
    "with drums" undoes an earlier "no drums" and the other way round."""
    voices: list[Voice] = []
    excluded: set[int] = set()
    for hit in _of(found.phrases, InstrumentWord, negated=True):
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
              solo: bool, notes: _Notes) -> list[Voice]:
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


def _resolve_instruments(found: _Found, overrides: BriefOverrides, style: Style,
                         notes: _Notes) -> list[Instrument]:
    hits = _of(found.phrases, InstrumentWord, negated=True)
    if overrides.instruments is not None:
        asked = ", ".join(i if isinstance(i, str) else i.name for i in overrides.instruments)
        _overridden(notes, "instruments", asked, [h.words for h in hits])
        voices = _requested_voices(overrides.instruments)
    else:
        named, excluded = _named_voices(found, style, notes)
        solo = bool(_of(found.phrases, SoloWord))
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


# --- energy and seed ----------------------------------------------------------------------


def _resolve_energy(found: _Found, profile: StyleProfile, mood: Mood, tempo: _Tempo,
                    notes: _Notes) -> float:
    """The style's energy, pulled halfway to the mood's, nudged by tempo and by words like
    "soft" or "heavy"."""
    energy = profile.energy
    mood_energy = MOOD_PROFILES[mood].energy
    if mood_energy is not None:
        energy = (energy + mood_energy) / 2
    if tempo.word is not None and not tempo.word.absolute:
        energy += ((tempo.word.low + tempo.word.high) / 2 - 0.5) * 0.2
    words = _of(found.phrases, EnergyWord)
    energy += sum(hit.value.delta for hit in words)
    if words:
        notes.understood["energy"] = ", ".join(dict.fromkeys(hit.words for hit in words))
    return round(min(max(energy, 0.0), 1.0), 2)


def _stable_seed(text: str) -> int:
    """A seed from the text itself: SHA-256, not `hash()`, which changes between runs."""
    canonical = " ".join(_clean(text).lower().split())
    digest = hashlib.sha256(canonical.encode("utf-8", "replace")).digest()
    return int.from_bytes(digest[:4], "big")


def _resolve_seed(seed: int | None, overrides: BriefOverrides, found: _Found, text: str,
                  notes: _Notes) -> int:
    if seed is not None:
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}")
        notes.understood["seed"] = "argument"
        return seed
    if overrides.seed is not None:
        notes.understood["seed"] = "request"
        return overrides.seed
    hit = _last(found.seeds, notes, "seeds", lambda h: str(h.value))
    if hit is not None:
        notes.understood["seed"] = hit.words
        return hit.value
    return _stable_seed(text)


# --- the entry point ----------------------------------------------------------------------


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
    notes = _Notes()
    found = _scan_all(_Text(text), notes)
    choice = _resolve_style(found, overrides, notes)
    profile = STYLE_PROFILES[choice.style]
    meter = _resolve_meter(found, overrides, choice, notes)
    swing = _resolve_swing(found, choice, notes)
    mood, mood_words = _resolve_mood(found, overrides, notes)
    key = _resolve_key(found, overrides, choice.style, mood, mood_words, notes)
    tempo = _resolve_tempo(found, overrides, profile, mood, mood_words, notes)
    parts = _requested_parts(found, notes)
    natural = _natural_bars([hit.value for hit in parts], profile)
    bars, tempo = _resolve_bars(found, overrides, tempo, meter, natural, notes)
    return Brief(
        style=choice.style, mood=mood, key=key, tempo=tempo.bpm, meter=meter, bars=bars,
        form=_resolve_form(parts, profile, bars, notes),
        instruments=_resolve_instruments(found, overrides, choice.style, notes),
        energy=_resolve_energy(found, profile, mood, tempo, notes), swing=swing,
        seed=_resolve_seed(seed, overrides, found, text, notes),
        warnings=notes.warnings, understood=notes.understood)
