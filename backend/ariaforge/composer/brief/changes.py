"""Section-level key and tempo changes: "modulates to the relative major for the chorus",
"key change up a whole step for the last chorus", "the bridge in E major", "speeds up to
140 in the outro", "the outro at 90 bpm".

`scan_changes` runs before the other scans and blanks what it reads, so a change's key or
tempo never becomes the home key or tempo (the home one is the brief's global mention).
What a change means is decided later (`section_changes.apply_changes`), once the home key,
tempo and form are known. A change phrase that names no section, or that cannot be read,
is blanked too and gets a warning, so it cannot silently replace the home key either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from ariaforge.composer.brief.model import MAX_SECTIONS, MAX_TEMPO, MIN_TEMPO
from ariaforge.composer.brief.notes import Notes
from ariaforge.composer.brief.text import Text
from ariaforge.composer.vocabulary import SECTION_BY_KEY, SECTION_PATTERN, phrase_key
from ariaforge.music.score import Mode

__all__ = ["KeyTarget", "SectionChange", "SectionRef", "scan_changes"]

Relation = Literal["key", "relative", "parallel", "dominant", "subdominant", "step"]
Which = Literal["all", "first", "last"] | int


@dataclass(frozen=True)
class KeyTarget:
    """Where a change goes: a named key, or a relation to the home key."""

    relation: Relation
    tonic: str | None = None  # "key": the named tonic, e.g. "E", "Bb"
    mode: Mode | None = None  # "key" (None: the home key's mode), "relative"/"parallel"
    semitones: int = 0  # "step": up (positive) or down


@dataclass(frozen=True)
class SectionRef:
    name: str  # a form section name: "chorus", "bridge", "B"
    which: Which = "all"  # an int: the n-th (1-based)


@dataclass(frozen=True)
class SectionChange:
    section: SectionRef
    words: str
    key: KeyTarget | None = None
    tempo: int | None = None  # bpm
    tempo_factor: float | None = None  # "speeds up for the outro": no number given


_ORDINALS: Final[dict[str, Which]] = {
    "first": "first", "opening": "first", "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "last": "last", "final": "last", "closing": "last"}
_ORD: Final = "|".join(_ORDINALS)


def _section(p: str) -> str:
    """A section reference; every group name carries the prefix `p`."""
    return (rf"(?:(?:the|each|every|all(?:\s+the)?|its|a)\s+)?(?:(?P<{p}ord>{_ORD})\s+)?"
            rf"(?:(?P<{p}sec>{SECTION_PATTERN})(?:e?s)?(?![a-z])"
            rf"|(?P<{p}let>[a-d])[\s-]+(?:section|part)s?(?![a-z])"
            rf"|(?:section|part)\s+(?P<{p}let2>[a-d])(?![\w#]))")


_MODE_WORDS: Final = {"major": Mode.MAJOR, "maj": Mode.MAJOR, "minor": Mode.MINOR,
                      "min": Mode.MINOR, "m": Mode.MINOR,
                      **{mode.value: mode for mode in Mode if mode not in (Mode.MAJOR,
                                                                           Mode.MINOR)}}
_MODES: Final = "|".join(sorted(_MODE_WORDS, key=len, reverse=True))


def _target(p: str) -> str:
    """A key to go to: "the relative major", "the dominant", "E major", "Bb"."""
    return (rf"(?:the\s+)?(?:(?P<{p}rel>relative|parallel)\s+(?P<{p}relmode>major|minor|key)"
            rf"|(?P<{p}fn>dominant|subdominant)(?:\s+key)?"
            rf"|(?:the\s+key\s+of\s+)?(?P<{p}letter>[a-g])"
            rf"(?P<{p}acc>#|b(?![a-z])|[\s-]*sharp|[\s-]*flat)?"
            rf"(?:[\s-]*(?P<{p}mode>{_MODES}))?(?![\w#]))")


_STEPS: Final = {"half step": 1, "halfstep": 1, "semitone": 1, "half tone": 1,
                 "whole step": 2, "wholestep": 2, "whole tone": 2, "tone": 2, "step": 2,
                 "minor third": 3, "major third": 4, "fourth": 5, "fifth": 7}
_STEP: Final = "|".join(r"[\s-]*".join(s.split()) for s in sorted(_STEPS, key=len,
                                                                   reverse=True))


def _step(p: str) -> str:
    return (rf"(?P<{p}dir>up|down)\s+(?:by\s+)?(?:a|one|an)\s+(?P<{p}step>{_STEP})(?![a-z])")


_MOVE: Final = (r"(?:modulat\w*|mov\w*|shift\w*|switch\w*|go(?:es|ing)?|went|turn\w*|"
                r"head\w*|pivot\w*|chang\w*)")
# Only verbs that say the key moves: "the melody moves up a step" is no key change.
_LIFT: Final = (r"(?:(?:a\s+)?key\s+change|modulat\w*|transpos\w*|shift\w*|lift\w*|"
                r"rais\w*|go(?:es|ing)?|(?:the\s+)?key\s+(?:goes|moves|rises|steps|jumps))")
_AT: Final = r"(?:for|in|at|during|on|by|into|from)"


def _key_change(p: str) -> str:
    return (rf"(?:{_MOVE}\s+(?:the\s+key\s+)?(?:in)?to\s+{_target(p)}"
            rf"|(?:a\s+)?key\s+change\s+to\s+{_target(p + 'k')}"
            rf"|{_LIFT}\s+(?:the\s+key\s+)?{_step(p)})")


_TEMPO_VERB: Final = (r"(?:(?:the\s+)?tempo\s+)?(?:speeds?\s+up|speeding\s+up|sped\s+up|"
                      r"accelerat\w*|quickens?|picks?\s+up|slows?(?:\s+down)?|"
                      r"slowing(?:\s+down)?|slowed(?:\s+down)?|drops?|rises?|climbs?|falls?|"
                      r"goes|changes?|relax\w*|eases?(?:\s+(?:off|back))?)")
# Without a number, only words that can only mean tempo: "the melody rises in the
# chorus" and "the energy drops for the bridge" are no tempo changes.
_TEMPO_ONLY: Final = (r"(?:speeds?\s+up|speeding\s+up|sped\s+up|accelerat\w*|quickens?|"
                      r"slows?(?:\s+down)?|slowing(?:\s+down)?|slowed(?:\s+down)?|"
                      r"gets?\s+(?:faster|slower)|(?:the\s+)?tempo\s+(?:rises|drops|falls|"
                      r"picks\s+up|goes\s+(?:up|down)|increases|decreases))")
_FASTER: Final = re.compile(r"speed|sped|accelerat|quicken|faster|pick|rise|increase|up$")
_SLOWER: Final = re.compile(r"slow|drop|fall|decrease|down$")
_BPM: Final = (r"(?:(?:about|around|~)\s*)?(?P<{p}bpm>[0-9]{{2,3}})"
               r"(?:\s*(?:bpm|beats\s+per\s+minute))?")


def _bpm(p: str) -> str:
    return _BPM.format(p=p)


# Each pattern: (regex, what it carries). Group prefixes: s = section, k = key, t = tempo.
PATTERNS: Final = tuple(re.compile(pattern) for pattern in (
    # "modulates to the relative major for the chorus", "key change up a step for the last chorus"
    rf"(?<![a-z]){_key_change('k')}\s+{_AT}\s+{_section('s')}",
    # "for the chorus, modulate to the relative major"
    rf"(?<![a-z]){_AT}\s+{_section('s')}\s*,?\s*(?:it\s+|we\s+|the\s+(?:song|piece|music|"
    rf"tune)\s+)?{_key_change('k')}",
    # "the chorus modulates to the dominant", "the bridge in E major (at 80 bpm)"
    rf"(?<![a-z]){_section('s')}\s+(?:(?:that|which)\s+)?(?:{_key_change('k')}|"
    rf"(?:is\s+|goes\s+|comes\s+|should\s+be\s+)?in\s+{_target('j')}"
    rf"(?:\s*,?\s*(?:and\s+)?at\s+{_bpm('t')})?)",
    # "speeds up to 140 in the outro"
    rf"(?<![a-z]){_TEMPO_VERB}\s+to\s+{_bpm('t')}\s+{_AT}\s+{_section('s')}",
    # "the bridge slows to 70", "the outro at 90 bpm"
    rf"(?<![a-z]){_section('s')}\s+(?:(?:that|which)\s+)?(?:{_TEMPO_VERB}\s+to\s+{_bpm('t')}|"
    rf"(?:is\s+|goes\s+|comes\s+|should\s+be\s+|plays?\s+)?at\s+{_bpm('u')})",
    # "in the outro, speed up to 140"
    rf"(?<![a-z]){_AT}\s+{_section('s')}\s*,?\s*(?:it\s+|we\s+)?{_TEMPO_VERB}\s+to\s+{_bpm('t')}",
    # "slows down for the bridge": no number, a usual step
    rf"(?<![a-z])(?P<tverb>{_TEMPO_ONLY})\s+{_AT}\s+{_section('s')}",
))
# A change that names no section: blanked and warned about, never the home key or tempo.
_UNPLACED: Final = re.compile(
    rf"(?<![a-z])(?:{_key_change('k')}|{_TEMPO_ONLY}\s+to\s+{_bpm('t')}|"
    r"(?<!no\s)(?<!without\s)(?:key\s+changes?|modulat\w*))")
# Gradual tempo changes are not composed yet; they are named in a warning, not dropped.
_GRADUAL: Final = re.compile(r"(?<![a-z])(?:accelerando|accel\.|ritardando|rallentando|"
                             r"ritenuto|rit\.|rall\.)")
_NO_NUMBER_FACTOR: Final = 0.15  # "speeds up for the outro": 15% faster


def _group(match: re.Match[str], name: str) -> str | None:
    try:
        return match.group(name)
    except IndexError:
        return None


def _section_ref(match: re.Match[str]) -> SectionRef | None:
    letter = _group(match, "slet") or _group(match, "slet2")
    name = letter.upper() if letter else SECTION_BY_KEY.get(phrase_key(_group(match, "ssec")
                                                                         or ""))
    if name is None:
        return None
    which = _ORDINALS.get(_group(match, "sord") or "", "all")
    return SectionRef(name, which)


def _tonic(letter: str, accidental: str | None) -> str:
    sign = re.sub(r"[\s-]", "", accidental or "")
    return letter.upper() + {"sharp": "#", "flat": "b"}.get(sign, sign)


def _key_target(match: re.Match[str], text: Text) -> KeyTarget | None:
    for p in ("k", "kk", "j"):
        if rel := _group(match, f"{p}rel"):
            word = _group(match, f"{p}relmode")
            mode = {"major": Mode.MAJOR, "minor": Mode.MINOR}.get(word or "")
            return KeyTarget("relative" if rel == "relative" else "parallel", mode=mode)
        if fn := _group(match, f"{p}fn"):
            return KeyTarget("dominant" if fn == "dominant" else "subdominant")
        if letter := _group(match, f"{p}letter"):
            start = match.start(f"{p}letter")
            mode_word = _group(match, f"{p}mode")
            accidental = _group(match, f"{p}acc")
            if text.original[start] == "a" and not mode_word and not accidental:
                return None  # "the bridge in a ..." is an article, not a key
            if mode_word == "m" and text.original[match.start(f"{p}mode")] != "m":
                return None  # "Em" is E minor; "EM" is not read
            return KeyTarget("key", _tonic(letter, accidental),
                             _MODE_WORDS[mode_word] if mode_word else None)
        if step := _group(match, f"{p}step"):
            size = _STEPS.get(re.sub(r"[\s-]+", " ", step), 2)
            sign = -1 if _group(match, f"{p}dir") == "down" else 1
            return KeyTarget("step", semitones=sign * size)
    return None


def _tempo(match: re.Match[str], notes: Notes) -> tuple[int | None, float | None]:
    for p in ("t", "u"):
        if bpm := _group(match, f"{p}bpm"):
            value = int(bpm)
            clamped = min(max(value, MIN_TEMPO), MAX_TEMPO)
            if clamped != value:
                notes.warn(f"{value} bpm is outside {MIN_TEMPO}-{MAX_TEMPO}: using {clamped} bpm")
            return clamped, None
    if verb := _group(match, "tverb"):
        if _FASTER.search(verb):
            return None, 1 + _NO_NUMBER_FACTOR
        if _SLOWER.search(verb):
            return None, 1 - _NO_NUMBER_FACTOR
    return None, None


# "intro, verse, chorus, outro in G major": the last of a list of sections, so the key
# (or tempo) is the whole piece's, not the outro's.
_LIST_BEFORE: Final = re.compile(rf"(?:{SECTION_PATTERN})(?:e?s)?\s*(?:,|&|\+|-+>?|>|and|then)"
                                 r"\s*(?:the\s+|an?\s+)?$")
_SECTION_FIRST: Final = frozenset({2, 4})  # the patterns that start with the section


_SECTION_WORD: Final = re.compile(rf"(?<![a-z])(?:{SECTION_PATTERN})(?:e?s)?(?![a-z])")
_ARTICLE: Final = re.compile(r"(?:the|an?)\s")


def _ends_a_list(text: Text, match: re.Match[str], section: SectionRef | None) -> bool:
    start = match.start()
    before = text.lower[max(0, start - 60):start]
    if _LIST_BEFORE.search(before) is None:
        return False
    # "verse and chorus, the chorus at 140 bpm": an article before a section the list
    # already named starts a change, not the list's last item.
    if section is None or not _ARTICLE.match(text.lower, start):
        return True
    listed = {SECTION_BY_KEY.get(phrase_key(word.group()))
              for word in _SECTION_WORD.finditer(before)}
    return section.name not in listed


def scan_changes(text: Text, notes: Notes) -> list[SectionChange]:
    """The section changes the text asks for, in the order written (at most
    `MAX_SECTIONS`); each is blanked out of `text` so the later scans never see it."""
    found: list[tuple[int, SectionChange]] = []
    for number, pattern in enumerate(PATTERNS):
        for match in pattern.finditer(text.masked):
            section = _section_ref(match)
            if number in _SECTION_FIRST and _ends_a_list(text, match, section):
                continue
            key = _key_target(match, text)
            tempo, factor = _tempo(match, notes)
            if section is None or (key is None and tempo is None and factor is None):
                continue
            words = text.words(*match.span())
            found.append((match.start(), SectionChange(section, words, key, tempo, factor)))
            text.mask(*match.span())
    for match in _UNPLACED.finditer(text.masked):
        if _group(match, "kletter") and _key_target(match, text) is None:
            continue  # "moves to a higher note": an article, not a key
        notes.warn(f"could not tell which section '{text.words(*match.span())}' belongs to: "
                   "name it, e.g. 'modulates to the relative major for the chorus' or "
                   "'speeds up to 140 in the outro'")
        text.mask(*match.span())
    for match in _GRADUAL.finditer(text.masked):
        notes.warn(f"'{text.words(*match.span())}' (a gradual tempo change) is not composed "
                   "yet: each section keeps a steady tempo")
    changes = [change for _, change in sorted(found, key=lambda item: item[0])]
    if len(changes) > MAX_SECTIONS:
        notes.warn(f"a brief holds {MAX_SECTIONS} section changes at most: the rest are "
                   "left out")
    return changes[:MAX_SECTIONS]
