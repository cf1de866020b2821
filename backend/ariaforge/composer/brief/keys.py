"""Mentions written with note letters: keys ("D minor", "in the key of F#", "Bbm") and
letter forms ("AABA"). Letter case matters here: "A minor" is a key, "a minor ballad" may
not be."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from ariaforge.composer.brief.text import Text
from ariaforge.music.score import Mode

__all__ = ["GERMAN_KEY", "GERMAN_KEY_AFTER", "KEY_AFTER", "KEY_BARE", "KEY_FULL", "LETTER_FORM",
           "SOLFEGE_AFTER", "SOLFEGE_KEY", "KeyMention", "looks_german", "read_bare_key",
           "read_full_key", "read_german_key", "read_key_after", "read_letter_form",
           "read_solfege_key"]


@dataclass(frozen=True)
class KeyMention:
    tonic: str | None
    mode: Mode | None


_MODE_NAMES: Final = {"major": Mode.MAJOR, "maj": Mode.MAJOR, "minor": Mode.MINOR,
                      "min": Mode.MINOR, **{mode.value: mode for mode in Mode}}
_MODE_PATTERN: Final = "|".join(sorted(_MODE_NAMES, key=len, reverse=True))
# A flat is a "b" not followed by a letter, though "m" may follow for minor ("Bbm").
_NOTE: Final = (r"(?P<letter>[a-g])"
                r"(?P<acc>[\s-]*(?:sharp|flat)(?![a-z])|##|#|b(?![a-ln-z0-9#]))?")
KEY_FULL: Final = re.compile(rf"(?<![\w#']){_NOTE}[\s-]*(?P<mode>{_MODE_PATTERN})(?![a-z])"
                             r"(?P<tail>[\s-]+(?:key|mode|scale|tonality)(?![a-z]))?")
KEY_AFTER: Final = re.compile(r"(?<![a-z])(?P<prefix>(?:in\s+the\s+key\s+of|in\s+key\s+of|"
                              r"key\s+of|in|key)(?=\s)|key\s*[:=])\s*"
                              rf"{_NOTE}"
                              r"(?P<minor>m(?![a-z]))?(?![\w#])")
KEY_BARE: Final = re.compile(rf"(?<![\w#']){_NOTE}(?P<minor>m(?![a-z]))?(?![\w#])")
_KEY_CONTEXT: Final = re.compile(r"(?:\bin|\bof|\bkey\s*[:=]?)\s*$")


def _tonic_of(match: re.Match[str]) -> str:
    accidental = re.sub(r"[\s-]", "", match.group("acc") or "")
    return match.group("letter").upper() + {"sharp": "#", "flat": "b"}.get(accidental,
                                                                           accidental)


def _written_letter(text: Text, match: re.Match[str]) -> str:
    return text.original[match.start("letter")]


def _maybe_article(text: Text, match: re.Match[str]) -> bool:
    """A lower-case "a" with no sign after it may be the article: "a minor key ballad",
    "a flat landscape". "A minor", "a#" and "ab" are notes."""
    accidental = match.group("acc") or ""
    return _written_letter(text, match) == "a" and "#" not in accidental and (
        accidental.strip(" -\t\n") in ("", "sharp", "flat"))


def read_full_key(text: Text, match: re.Match[str]) -> KeyMention | None:
    if _maybe_article(text, match) and (
            match.group("tail") or not _KEY_CONTEXT.search(text.lower[:match.start()])):
        return None
    return KeyMention(_tonic_of(match), _MODE_NAMES[match.group("mode")])


def read_key_after(text: Text, match: re.Match[str]) -> KeyMention | None:
    if match.group("prefix") == "in" and not match.group("minor") and _maybe_article(
            text, match):
        return None  # "in a waltz rhythm"
    return KeyMention(_tonic_of(match), Mode.MINOR if match.group("minor") else None)


def read_bare_key(text: Text, match: re.Match[str]) -> KeyMention | None:
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
    return KeyMention(_tonic_of(match), Mode.MINOR if match.group("minor") else None)


# --- keys in other languages ------------------------------------------------------------
# The text is lower-cased and accent-folded here: "ré mineur" reads "re mineur".

_FOREIGN_MODES: Final = {
    "majeur": Mode.MAJOR, "mayor": Mode.MAJOR, "maggiore": Mode.MAJOR, "maior": Mode.MAJOR,
    "mineur": Mode.MINOR, "menor": Mode.MINOR, "minore": Mode.MINOR,
    "dorien": Mode.DORIAN, "dorisch": Mode.DORIAN, "dorico": Mode.DORIAN,
    "phrygien": Mode.PHRYGIAN, "phrygisch": Mode.PHRYGIAN, "frigio": Mode.PHRYGIAN,
    "lydien": Mode.LYDIAN, "lydisch": Mode.LYDIAN, "lidio": Mode.LYDIAN,
    "mixolydien": Mode.MIXOLYDIAN, "mixolydisch": Mode.MIXOLYDIAN,
    "mixolidio": Mode.MIXOLYDIAN, "eolien": Mode.AEOLIAN, "aolisch": Mode.AEOLIAN,
    "eolico": Mode.AEOLIAN, "eolio": Mode.AEOLIAN, "ionien": Mode.IONIAN,
    "ionisch": Mode.IONIAN, "jonico": Mode.IONIAN, "ionico": Mode.IONIAN,
    "locrien": Mode.LOCRIAN, "lokrisch": Mode.LOCRIAN, "locrio": Mode.LOCRIAN,
}
_FOREIGN_MODE: Final = "|".join(sorted(_FOREIGN_MODES, key=len, reverse=True))

# German: "d-Moll", "Fis-Dur", "es-moll", "As-Dur"; B is B flat and H is B natural.
GERMAN_KEY: Final = re.compile(r"(?<![\w#'])(?P<name>[a-h](?:is|es)?|as|es)[\s-]*"
                               r"(?P<mode>dur|moll)(?![a-z]|-[a-z])")
_GERMAN_LETTERS: Final = {"b": "Bb", "h": "B", "as": "Ab", "es": "Eb"}


# In a brief written in German, "in B" is B flat, "in H" is B and "in Fis" is F sharp too.
GERMAN_KEY_AFTER: Final = re.compile(r"(?<![a-z])(?:in|tonart:?)\s+"
                                     r"(?P<name>[a-h](?:is|es)?|as|es)(?![\w#'])")
_GERMAN_WORDS: Final = frozenset({"fur", "und", "mit", "ein", "eine", "einen", "einem", "im",
                                  "ohne", "takte", "tonart", "sehr", "oder", "zwei"})


def looks_german(text: Text) -> bool:
    return not _GERMAN_WORDS.isdisjoint(re.findall(r"[a-z]+", text.lower))


def read_german_key(match: re.Match[str]) -> KeyMention | None:
    name = match.group("name")
    mode = match.groupdict().get("mode")
    if name in _GERMAN_LETTERS:
        tonic = _GERMAN_LETTERS[name]
    else:
        letter = "B" if name[0] == "h" else name[0].upper()
        tonic = letter + {"is": "#", "es": "b"}.get(name[1:], "")
        if name == "bes":  # the rare double spelling of B flat
            tonic = "Bb"
    return KeyMention(tonic, None if mode is None else Mode.MAJOR if mode == "dur" else Mode.MINOR)


# Fixed do: "ré mineur", "mi bémol majeur", "fa sostenido menor", "dó maior", "si bemolle".
_SYLLABLES: Final = {"do": "C", "ut": "C", "re": "D", "mi": "E", "fa": "F", "sol": "G",
                     "la": "A", "si": "B"}
_SHARP_WORDS: Final = r"dieses?|diesis|sostenidos?|sustenidos?|#"
_FLAT_WORDS: Final = r"bemols?|bemoles|bemolle|b(?![a-z])"
_SYLLABLE: Final = (r"(?P<note>do|ut|re|mi|fa|sol|la|si)"
                    rf"(?:[\s-]*(?:(?P<sharp>{_SHARP_WORDS})|(?P<flat>{_FLAT_WORDS})))?")
SOLFEGE_KEY: Final = re.compile(rf"(?<![\w#']){_SYLLABLE}[\s-]+(?P<mode>{_FOREIGN_MODE})"
                                r"(?![a-z])")
# With no mode word, a syllable is a key only after "in" or "key of" in some language, and
# "mi" and "la" (Spanish "my" and "the") only with a sharp or flat: "en ré", "in sol".
SOLFEGE_AFTER: Final = re.compile(
    r"(?<![a-z])(?:en|in|em|tonalite\s+de|tonalidad\s+de|tonalita\s+di|tonalidade\s+de|"
    rf"tom\s+de|ton\s+de)\s+{_SYLLABLE}(?![\w#])")


def read_solfege_key(match: re.Match[str]) -> KeyMention | None:
    note = match.group("note")
    sign = "#" if match.group("sharp") else "b" if match.group("flat") else ""
    mode = match.groupdict().get("mode")
    if mode is None and note in ("mi", "la") and not sign:
        return None
    return KeyMention(_SYLLABLES[note] + sign, _FOREIGN_MODES[mode] if mode else None)


# --- letter forms ("AABA") ----------------------------------------------------------------

LETTER_FORM: Final = re.compile(r"(?<![\w#'])(?P<form>[a-d](?:[ -]?[a-d]){1,7})(?![\w#'])"
                                r"(?P<tail>[\s-]+(?:form|structure)(?![a-z]))?")


def read_letter_form(text: Text, match: re.Match[str]) -> tuple[str, ...] | None:
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

