"""Colour passes over a section's chord cells: each turns a plain diatonic skeleton into a
style's idiom where the skeleton gives it a place, and only in cells no cadence holds.

Order matters and is fixed (`colour`): ii-V approaches first (right to left, so a ii can
itself be approached: iii-VI-ii-V chains), then secondary dominants, passing diminished
sevenths, the minor iv, tritone substitutions (cadence dominants included), sevenths and
extensions, inversions. Given a melody, a `Judge` refuses a change the melody would
contradict and asks for one that explains the melody better than the plain chord (a kept
melody's F# in F major wants the D7 it was written over).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from ariaforge.composer.harmony_chords import DOMINANT_QUALITIES, in_key, over, split_slash
from ariaforge.composer.harmony_extensions import scale_degrees, with_sevenths
from ariaforge.composer.harmony_idioms import (
    fifths_sequence,
    lament,
    leading_diminished,
    raised_four,
)
from ariaforge.composer.harmony_rhythm import Cell
from ariaforge.composer.harmony_styles import StyleHarmony
from ariaforge.composer.model.tokens import chord_token, split_chord_token
from ariaforge.music.score import Key, Mode

Verdict = Callable[[int, str], bool]  # (cell index, proposed token) -> yes or no


@dataclass(frozen=True)
class Judge:
    keep: Verdict  # may this change be made?
    prefer: Verdict  # does the melody ask for it, whatever the style's odds?


NO_MELODY: Final = Judge(lambda _i, _t: True, lambda _i, _t: False)

_MAJORISH: Final = frozenset({"maj", "maj7", "6", "maj9"})
_MINORISH: Final = frozenset({"min", "m7", "m9", "m6"})


def colour(tokens: list[str], locked: set[int], cells: list[Cell], key: Key,
           style: StyleHarmony, rng: random.Random, judge: Judge = NO_MELODY) -> list[str]:
    out = list(tokens)
    chromatic = key.mode in (Mode.MAJOR, Mode.MINOR)  # modal keys stay in their mode
    if style.fifths:
        fifths_sequence(out, locked, key, style.fifths, rng, judge.keep)
    if key.mode is Mode.MINOR and style.lament:
        locked = locked | lament(out, locked, style.lament, rng, judge.keep)
    if chromatic and style.two_five:
        _two_fives(out, locked, cells, key, style.two_five, rng, judge)
    if chromatic and style.secondary:
        _secondary_dominants(out, locked, key, style.secondary, rng, judge)
    if chromatic and style.leading_dim:
        leading_diminished(out, locked, key, style.leading_dim, rng, judge.keep)
    if chromatic and style.passing_dim:
        _passing_diminished(out, locked, style.passing_dim, rng, judge)
    if chromatic and style.raised_four:
        raised_four(out, locked, style.raised_four, rng, judge.keep)
    if key.mode is Mode.MAJOR and style.minor_iv:
        _minor_iv(out, style.minor_iv, rng, judge)
    if chromatic and style.tritone:
        _tritone_subs(out, style.tritone, rng, judge)
    if style.sevenths:
        out = with_sevenths(out, key, style, rng)
    if style.inversions:
        _inversions(out, locked, key, style.inversions, rng)
    if not style.dominant_vamp:  # a funk vamp's sevenths are colour, not function
        _resolve(out, locked, key, judge)
    return out


def _degree(token: str) -> int:
    return split_chord_token(split_slash(token)[0])[0]


def _quality(token: str) -> str:
    return split_chord_token(split_slash(token)[0])[1]


def _is_target(token: str, key: Key) -> bool:
    """A diatonic major, minor or dominant chord other than the tonic: something to
    resolve to (V7 too: V/V-V7-I)."""
    return _degree(token) != 0 \
        and _quality(token) in _MAJORISH | _MINORISH | DOMINANT_QUALITIES \
        and in_key(split_slash(token)[0], key)


def _try(out: list[str], index: int, token: str, chance: float, rng: random.Random,
         judge: Judge) -> None:
    """Make the change by the style's odds or because the melody asks for it, unless
    the melody forbids it."""
    wanted = rng.random() < chance
    if (wanted or judge.prefer(index, token)) and judge.keep(index, token):
        out[index] = token


def _two_fives(out: list[str], locked: set[int], cells: list[Cell], key: Key,
               chance: float, rng: random.Random, judge: Judge) -> None:
    index = len(out) - 1
    while index >= 2:
        target = out[index]
        first, second = index - 2, index - 1
        aligned = not cells[first].half and cells[index].start - cells[first].start \
            <= 2 * cells[first].length
        changes = out[index - 1] != target
        if (changes and aligned and first not in locked and second not in locked
                and (_is_target(target, key) or _degree(target) == 0)):
            degree = _degree(target)
            minor = _quality(target) in _MINORISH
            two = chord_token(degree + 2, "m7b5" if minor else "m7")
            if minor and in_key(chord_token(degree + 2, "m7"), key):
                two = chord_token(degree + 2, "m7")
            five = chord_token(degree + 7, "7")
            wanted = rng.random() < chance or (judge.prefer(first, two)
                                               and judge.prefer(second, five))
            if wanted and judge.keep(first, two) and judge.keep(second, five):
                out[first], out[second] = two, five
                index = first  # the new ii may itself be approached: a chain
                continue
        index -= 1


def _secondary_dominants(out: list[str], locked: set[int], key: Key, chance: float,
                         rng: random.Random, judge: Judge) -> None:
    for index in range(len(out) - 1, 0, -1):
        target, before = out[index], index - 1
        # The tonic is the phrase's anchor: it is never what gives way to a dominant.
        if before in locked or before == 0 or out[before] == target \
                or _degree(out[before]) == 0:
            continue
        if not _is_target(target, key) or _quality(out[before]) in DOMINANT_QUALITIES:
            continue
        dominant = chord_token(_degree(target) + 7, "7")
        if not in_key(dominant, key):
            _try(out, before, dominant, chance, rng, judge)


def _passing_diminished(out: list[str], locked: set[int], chance: float,
                        rng: random.Random, judge: Judge) -> None:
    """I - #I°7 - ii: the cell between a held tonic and ii rises by semitone."""
    for index in range(1, len(out) - 1):
        if index in locked or _degree(out[index - 1]) != 0 or _degree(out[index + 1]) != 2:
            continue
        if _quality(out[index - 1]) not in _MAJORISH or \
                _quality(out[index + 1]) not in _MINORISH:
            continue
        # In place of a held I or ii, or of vi (#I°7 sounds as VI7b9 without its root).
        _try(out, index, chord_token(1, "dim7"), chance, rng, judge)


def _minor_iv(out: list[str], chance: float, rng: random.Random, judge: Judge) -> None:
    """IV - iv - I, or iv straight to I: the parallel minor's subdominant."""
    for index in range(len(out) - 1):
        if out[index] != "5:maj" or _degree(out[index + 1]) != 0:
            continue
        _try(out, index, "5:min", chance, rng, judge)


def _tritone_subs(out: list[str], chance: float, rng: random.Random, judge: Judge) -> None:
    for index in range(len(out) - 1):
        token, following = out[index], out[index + 1]
        if _quality(token) not in DOMINANT_QUALITIES or token == following:
            continue
        if (_degree(token) - _degree(following)) % 12 != 7:
            continue
        wanted = rng.random() < chance
        start = index
        while start > 0 and out[start - 1] == token:
            start -= 1
        substitute = chord_token(_degree(token) + 6, "7")
        wanted = wanted or all(judge.prefer(i, substitute) for i in range(start, index + 1))
        if wanted and all(judge.keep(i, substitute) for i in range(start, index + 1)):
            out[start:index + 1] = [substitute] * (index + 1 - start)


def _resolve(out: list[str], locked: set[int], key: Key, judge: Judge) -> None:
    """A chromatic dominant that the next chord does not resolve (down a fifth, or down a
    semitone after a tritone substitute) turns into the diatonic chord on its root: a
    loop's II7 that the model followed with something else becomes ii7 (unless a kept
    melody sounds its chromatic third)."""
    scale = scale_degrees(key)
    for index, token in enumerate(out):
        base, bass = split_slash(token)
        degree, quality = split_chord_token(base)
        if index in locked or quality not in DOMINANT_QUALITIES or in_key(base, key):
            continue
        following = next((t for t in out[index + 1:] if t != token), None)
        if following is not None and (degree - _degree(following)) % 12 in (7, 1):
            continue
        if degree % 12 not in scale:
            continue
        minor = (degree + 4) % 12 not in scale
        plain = chord_token(degree, ("m7" if minor else "maj7") if (degree + 10) % 12 in scale
                            or (degree + 11) % 12 in scale else ("min" if minor else "maj"))
        if not in_key(plain, key):
            plain = chord_token(degree, "min" if minor else "maj")
        new = plain if bass is None else over(plain, bass)
        if not judge.keep(index, new):
            continue  # a kept melody sounds the chromatic note: the dominant stays
        out[index:index + 1] = [new]
        run = index + 1
        while run < len(out) and out[run] == token:
            out[run] = new
            run += 1


def _inversions(out: list[str], locked: set[int], key: Key, chance: float,
                rng: random.Random) -> None:
    """First inversions on inner chords (I6, IV6, ii6): a bass line that moves by step."""
    for index in range(1, len(out)):
        token = out[index]
        if index in locked or split_slash(token)[1] is not None or token == out[index - 1]:
            continue
        if _quality(token) not in ("maj", "min") or split_slash(out[index - 1])[1] is not None:
            continue
        if rng.random() < chance:
            third = 4 if _quality(token) == "maj" else 3
            out[index] = over(token, _degree(token) + third)
            run = index + 1
            while run < len(out) and out[run] == token and run not in locked:
                out[run] = out[index]
                run += 1
