"""Chords: qualities, spelling, lead-sheet symbols and recognition from pitches."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from ariaforge.music.score import Key
from ariaforge.music.theory._messages import quoted
from ariaforge.music.theory.pitch import (
    MAX_ALTER,
    PitchParseError,
    alteration_for,
    enharmonic_names,
    join_name,
    pitch_class_name,
    pitch_class_of_name,
    shift_letter,
    split_name,
)
from ariaforge.music.theory.scales import (
    functional_pitch_classes,
    leading_tone_pc,
    scale_names,
    tonic_pc,
)


class ChordParseError(ValueError):
    """A chord symbol that cannot be read."""


class ChordQuality(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    DIMINISHED = "diminished"
    AUGMENTED = "augmented"
    DOMINANT_7 = "dominant-7"
    MAJOR_7 = "major-7"
    MINOR_7 = "minor-7"
    HALF_DIMINISHED_7 = "half-diminished-7"
    DIMINISHED_7 = "diminished-7"
    MINOR_MAJOR_7 = "minor-major-7"
    SUS2 = "sus2"
    SUS4 = "sus4"
    SEVEN_SUS4 = "7sus4"
    ADD9 = "add9"
    MAJOR_6 = "major-6"
    MINOR_6 = "minor-6"
    DOMINANT_9 = "dominant-9"
    MAJOR_9 = "major-9"
    MINOR_9 = "minor-9"
    DOMINANT_11 = "dominant-11"
    DOMINANT_13 = "dominant-13"


@dataclass(frozen=True)
class QualityInfo:
    """How a quality is built and written.

    `tones` pairs semitones above the root with the chord degree (3 = third, 9 = ninth);
    the degree fixes the letter, which is what makes F#dim7 end on Eb and not D#.
    `omittable` lists degrees a voicing may leave out and still be heard as this chord;
    `rank` orders qualities from most to least common, to settle ties in recognition.
    """

    symbol: str
    tones: tuple[tuple[int, int], ...]
    omittable: frozenset[int] = frozenset()
    rank: int = 0


def _quality(symbol: str, rank: int, *tones: tuple[int, int],
             omit: Iterable[int] = ()) -> QualityInfo:
    return QualityInfo(symbol, tones, frozenset(omit), rank)


_ROOT, _M3, _m3, _P5 = (0, 1), (4, 3), (3, 3), (7, 5)
_d5, _A5, _m7, _M7 = (6, 5), (8, 5), (10, 7), (11, 7)
_NINTH = (2, 9)

# Triads may not drop a tone (two notes are too ambiguous); sevenths and larger may drop
# a perfect fifth, which voice leading often does. Altered fifths define their chord.
QUALITIES: Final[Mapping[ChordQuality, QualityInfo]] = MappingProxyType({
    ChordQuality.MAJOR: _quality("", 0, _ROOT, _M3, _P5),
    ChordQuality.MINOR: _quality("m", 1, _ROOT, _m3, _P5),
    ChordQuality.DOMINANT_7: _quality("7", 2, _ROOT, _M3, _P5, _m7, omit=[5]),
    ChordQuality.MINOR_7: _quality("m7", 3, _ROOT, _m3, _P5, _m7, omit=[5]),
    ChordQuality.DIMINISHED: _quality("dim", 4, _ROOT, _m3, _d5),
    ChordQuality.MAJOR_7: _quality("maj7", 5, _ROOT, _M3, _P5, _M7, omit=[5]),
    ChordQuality.HALF_DIMINISHED_7: _quality("m7b5", 6, _ROOT, _m3, _d5, _m7),
    ChordQuality.DIMINISHED_7: _quality("dim7", 7, _ROOT, _m3, _d5, (9, 7)),
    ChordQuality.AUGMENTED: _quality("aug", 8, _ROOT, _M3, _A5),
    ChordQuality.SUS4: _quality("sus4", 9, _ROOT, (5, 4), _P5),
    ChordQuality.SUS2: _quality("sus2", 10, _ROOT, (2, 2), _P5),
    ChordQuality.SEVEN_SUS4: _quality("7sus4", 11, _ROOT, (5, 4), _P5, _m7, omit=[5]),
    ChordQuality.MAJOR_6: _quality("6", 12, _ROOT, _M3, _P5, (9, 6)),
    ChordQuality.MINOR_6: _quality("m6", 13, _ROOT, _m3, _P5, (9, 6)),
    ChordQuality.ADD9: _quality("add9", 14, _ROOT, _M3, _P5, _NINTH),
    ChordQuality.DOMINANT_9: _quality("9", 15, _ROOT, _M3, _P5, _m7, _NINTH, omit=[5]),
    ChordQuality.MINOR_9: _quality("m9", 16, _ROOT, _m3, _P5, _m7, _NINTH, omit=[5]),
    ChordQuality.MAJOR_9: _quality("maj9", 17, _ROOT, _M3, _P5, _M7, _NINTH, omit=[5]),
    ChordQuality.MINOR_MAJOR_7: _quality("mMaj7", 18, _ROOT, _m3, _P5, _M7, omit=[5]),
    ChordQuality.DOMINANT_11: _quality(
        "11", 19, _ROOT, _M3, _P5, _m7, _NINTH, (5, 11), omit=[3, 5, 9]),
    ChordQuality.DOMINANT_13: _quality(
        "13", 20, _ROOT, _M3, _P5, _m7, _NINTH, (9, 13), omit=[5, 9]),
})

# Every spelling of each quality that lead sheets use, matched exactly (M is major and
# m minor, so case matters); the word-based ones are also matched in any case.
_ALIASES: Final[Mapping[ChordQuality, tuple[str, ...]]] = MappingProxyType({
    ChordQuality.MAJOR: ("", "M", "maj", "Maj", "major"),
    ChordQuality.MINOR: ("m", "min", "-", "minor", "mi"),
    ChordQuality.DIMINISHED: ("dim", "°", "o", "mb5", "m(b5)"),
    ChordQuality.AUGMENTED: ("aug", "+", "#5", "(#5)"),
    ChordQuality.DOMINANT_7: ("7", "dom7"),
    ChordQuality.MAJOR_7: ("maj7", "M7", "Δ7", "Δ", "Maj7", "ma7", "j7"),
    ChordQuality.MINOR_7: ("m7", "min7", "-7", "mi7"),
    ChordQuality.HALF_DIMINISHED_7: ("m7b5", "ø", "ø7", "-7b5", "min7b5", "m7(b5)"),
    ChordQuality.DIMINISHED_7: ("dim7", "°7", "o7"),
    ChordQuality.MINOR_MAJOR_7: ("mMaj7", "mM7", "m(maj7)", "minmaj7", "-Δ7", "-maj7"),
    ChordQuality.SUS2: ("sus2",),
    ChordQuality.SUS4: ("sus4", "sus"),
    ChordQuality.SEVEN_SUS4: ("7sus4", "7sus"),
    ChordQuality.ADD9: ("add9", "(add9)", "add2"),
    ChordQuality.MAJOR_6: ("6", "M6", "maj6"),
    ChordQuality.MINOR_6: ("m6", "min6", "-6"),
    ChordQuality.DOMINANT_9: ("9",),
    ChordQuality.MINOR_9: ("m9", "min9", "-9"),
    ChordQuality.MAJOR_9: ("maj9", "M9", "Δ9"),
    ChordQuality.DOMINANT_11: ("11",),
    ChordQuality.DOMINANT_13: ("13",),
})
_SUFFIXES: Final = {alias: quality for quality, names in _ALIASES.items() for alias in names}
_WORD_PREFIXES: Final = ("maj", "min", "dim", "aug", "sus", "add", "dom", "7sus")
_WORD_SUFFIXES: Final = {
    alias.lower(): quality for alias, quality in _SUFFIXES.items()
    if alias.lower().startswith(_WORD_PREFIXES)
}

MAX_SYMBOL_LENGTH: Final = 32
_ROOT_PATTERN = re.compile(r"^([A-Ga-g][#♯b♭]{0,2})(.*)$")


@dataclass(frozen=True)
class Chord:
    """A chord: a spelled root, a quality and a spelled bass (the root unless inverted or
    over a foreign bass, as in C/E or C/D). Build one with `Chord.of("C#", quality)`."""

    root_pc: int
    root_name: str
    quality: ChordQuality
    bass_pc: int
    bass_name: str

    def __post_init__(self) -> None:
        for pc, name in ((self.root_pc, self.root_name), (self.bass_pc, self.bass_name)):
            if pitch_class_of_name(name) != pc:
                raise ValueError(f"{name} is not pitch class {pc}")

    @classmethod
    def of(cls, root_name: str, quality: ChordQuality, bass_name: str | None = None) -> Chord:
        root_pc = pitch_class_of_name(root_name)
        bass = bass_name if bass_name is not None else root_name
        return cls(root_pc, root_name, quality, pitch_class_of_name(bass), bass)

    @property
    def info(self) -> QualityInfo:
        return QUALITIES[self.quality]

    @property
    def tone_pitch_classes(self) -> tuple[int, ...]:
        """The chord's own tones, root first, in stacking order (no foreign bass)."""
        return tuple((self.root_pc + semitones) % 12 for semitones, _ in self.info.tones)

    @property
    def pitch_classes(self) -> frozenset[int]:
        """Every pitch class that sounds, the bass included."""
        return frozenset(self.tone_pitch_classes) | {self.bass_pc}

    @property
    def inversion(self) -> int | None:
        """0 in root position, 1 with the 2nd chord tone in the bass (the 3rd of a triad),
        2 with the 3rd, 3 with the 4th; None when the bass is not a chord tone."""
        tones = self.tone_pitch_classes
        return tones.index(self.bass_pc) if self.bass_pc in tones else None

    def spell(self) -> list[str]:
        """The chord tones spelled from the root up, each on the letter of its degree:
        Bdim -> B D F, C#m7b5 -> C# E G B, F#dim7 -> F# A C Eb. A bass that is not a
        chord tone comes first (C/D -> D C E G)."""
        letter, _ = split_name(self.root_name)
        names = [_spell_tone(shift_letter(letter, degree - 1), (self.root_pc + semitones) % 12)
                 for semitones, degree in self.info.tones]
        if self.inversion is None:
            names.insert(0, self.bass_name)
        return names

    @property
    def symbol(self) -> str:
        """The canonical lead-sheet symbol, which `parse_chord_symbol` reads back:
        "C", "F#m7b5", "Bbmaj7/D"."""
        text = self.root_name + self.info.symbol
        return text if self.bass_pc == self.root_pc else f"{text}/{self.bass_name}"

    def __str__(self) -> str:
        return self.symbol


def _spell_tone(letter: str, pitch_class: int) -> str:
    alter = alteration_for(pitch_class, letter)
    # Roots like B#aug would need triple sharps; give the right sound a plainer name.
    return join_name(letter, alter) if abs(alter) <= MAX_ALTER else pitch_class_name(pitch_class)


# --- symbols ------------------------------------------------------------------------------

def parse_chord_symbol(text: str) -> Chord:
    """Read a lead-sheet symbol: C, Cm, C-, Cdim, C°, Caug, C+, C7, Cmaj7, CΔ7, Cm7, Cm7b5,
    Cø, Cdim7, Csus2, Csus4, Cadd9, C6, Cm6, C9, C11, C13, and any of them over a bass
    (C/E, Dm7/C). Raises ChordParseError on anything else."""
    stripped = text.strip()
    if not stripped:
        raise ChordParseError("empty chord symbol")
    if len(stripped) > MAX_SYMBOL_LENGTH:
        raise ChordParseError(f"chord symbol too long ({len(stripped)} characters, "
                              f"at most {MAX_SYMBOL_LENGTH}): {quoted(stripped)}")
    body, slash, bass_text = stripped.rpartition("/")
    if not slash:
        body = bass_text
    match = _ROOT_PATTERN.match(body)
    if not match:
        raise ChordParseError(f"chord symbol {quoted(stripped)} must start with a root "
                              "A-G (e.g. C, F#, Bb)")
    root_text, suffix = match.groups()
    root = _parse_note(root_text, stripped, "root")
    quality = _parse_suffix(suffix, stripped)
    bass = _parse_note(bass_text.strip(), stripped, "bass") if slash else root
    return Chord.of(root, quality, bass)


def _parse_note(text: str, symbol: str, role: str) -> str:
    try:
        letter, alter = split_name(text)
    except PitchParseError:
        raise ChordParseError(f"bad {role} note {quoted(text)} in chord symbol "
                              f"{quoted(symbol)}") from None
    return join_name(letter, alter)


def _parse_suffix(suffix: str, symbol: str) -> ChordQuality:
    suffix = suffix.strip()
    quality = _SUFFIXES.get(suffix) or _WORD_SUFFIXES.get(suffix.lower())
    if quality is None:
        raise ChordParseError(
            f"unknown chord quality {quoted(suffix)} in {quoted(symbol)}; known: "
            "m, dim, aug, 7, maj7, m7, m7b5, dim7, sus2, sus4, add9, 6, m6, 9, 11, 13")
    return quality


# --- recognition --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Candidate:
    root_pc: int
    quality: ChordQuality
    missing: int


def recognize_chord(pitches: Iterable[int], key: Key | None = None) -> Chord | None:
    """Name the chord that a set of MIDI pitches sounds, in any voicing or inversion.

    The lowest pitch becomes a slash bass when it is not the root. Every pitch class must
    belong to the chord and at least three of the chord's tones must sound (a 7th chord may
    drop its perfect fifth). Returns None for fewer than three pitch classes or a cluster
    that no chord explains. Ties (C6 = Am7) go to: the complete chord, then the one with
    its root in the bass, then a root and tones diatonic in `key`, then the more common
    quality. A dim7 sounds alike from all four notes, so with a key its root is the one
    that leads to the tonic or the dominant (G#dim7 in A minor, F#dim7 in C).
    """
    midi = sorted(set(pitches))
    pcs = frozenset(p % 12 for p in midi)
    if len(pcs) < 3:
        return None
    bass_pc = midi[0] % 12
    candidates = [c for root in sorted(pcs) for q in QUALITIES if (c := _match(root, q, pcs))]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: _preference(c, bass_pc, key))
    return _spelled(best, bass_pc, key)


def _match(root_pc: int, quality: ChordQuality, pcs: frozenset[int]) -> _Candidate | None:
    info = QUALITIES[quality]
    tones = {(root_pc + semitones) % 12: degree for semitones, degree in info.tones}
    if not pcs <= tones.keys():
        return None
    missing = {degree for pc, degree in tones.items() if pc not in pcs}
    if not missing <= info.omittable or len(tones) - len(missing) < 3:
        return None
    return _Candidate(root_pc, quality, len(missing))


def _preference(candidate: _Candidate, bass_pc: int, key: Key | None) -> tuple[int, ...]:
    """Bigger is better; compared element by element."""
    fits_key = 0
    if key is not None:
        in_key = functional_pitch_classes(key)
        tones = QUALITIES[candidate.quality].tones
        fits_key = (candidate.root_pc in in_key) + all(
            (candidate.root_pc + s) % 12 in in_key for s, _ in tones)
    return (
        -candidate.missing,
        _symmetric_root_fit(candidate, key),
        candidate.root_pc == bass_pc,
        fits_key,
        -QUALITIES[candidate.quality].rank,
        -candidate.root_pc,  # only to make the choice deterministic
    )


def _symmetric_root_fit(candidate: _Candidate, key: Key | None) -> int:
    """A diminished 7th sounds the same from any of its four notes, so its root comes from
    the key: the leading tone (vii°7), then the dominant's leading tone (vii°7/V), then
    any note leading to a scale degree. The bass decides only without a key."""
    if key is None or candidate.quality is not ChordQuality.DIMINISHED_7:
        return 0
    resolves_to = (candidate.root_pc + 1) % 12
    if candidate.root_pc == leading_tone_pc(key):
        return 3
    if resolves_to == (tonic_pc(key) + 7) % 12:
        return 2
    return 1 if resolves_to in functional_pitch_classes(key) else 0


def _spelled(candidate: _Candidate, bass_pc: int, key: Key | None) -> Chord:
    root = _root_spelling(candidate.root_pc, candidate.quality, key)
    chord = Chord.of(root, candidate.quality)
    if bass_pc == chord.root_pc:
        return chord
    bass = chord.spell()[chord.tone_pitch_classes.index(bass_pc)]
    return Chord.of(root, candidate.quality, bass)


def _root_spelling(root_pc: int, quality: ChordQuality, key: Key | None) -> str:
    """Spell the root so that the whole chord reads most simply against the key signature
    (C#m, not Dbm with its Fb, in C major); ties keep the key's own spelling of the root."""
    preferred = pitch_class_name(root_pc, key)
    signature = {name[0]: split_name(name)[1] for name in _key_letter_names(key)}

    def cost(root: str) -> tuple[int, bool]:
        names = Chord.of(root, quality).spell()
        distance = sum(abs(split_name(n)[1] - signature[n[0]]) for n in names)
        return distance, root != preferred

    candidates = {preferred, *enharmonic_names(root_pc)}
    return min(sorted(candidates), key=cost)


def _key_letter_names(key: Key | None) -> list[str]:
    """One spelled note per letter: the key's scale, or the naturals without a key."""
    if key is None:
        return ["C", "D", "E", "F", "G", "A", "B"]
    names = scale_names(key)
    # Keys on double-accidental tonics can fall back to repeated letters; fill the gaps.
    by_letter = {name[0]: name for name in names}
    return [by_letter.get(letter, letter) for letter in "CDEFGAB"]
