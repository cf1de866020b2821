"""How many guesses a password would cost an attacker with a good cracking dictionary.

A small estimator in the manner of zxcvbn (Wheeler, USENIX Security 2016): the password is
covered by the cheapest sequence of predictable pieces (common passwords and words, also
de-leeted and reversed; keyboard walks; alphabet and digit runs; repeats; years and dates)
and brute-forced characters, and the cost is the sum of their bits. A length rule or a
list lookup alone lets `Summer2024!` or `P@ssw0rd123` through; this does not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import product

# About 10^9 guesses: days to years against Argon2id offline, hopeless online through the
# login limits. zxcvbn's "score 3" band starts at 10^8.
MIN_BITS = 30.0
# One bit per piece stands for the attacker not knowing how the pieces are ordered.
PIECE_BITS = 1.0
REFERENCE_YEAR = 2026
MAX_WORD = 32

_LEET: dict[str, str] = {
    "4": "a", "@": "a", "8": "b", "(": "c", "{": "c", "[": "c", "<": "c", "3": "e",
    "€": "e", "6": "g", "9": "g", "#": "h", "1": "il", "!": "i", "|": "il", "0": "o",
    "$": "s", "5": "s", "7": "t", "+": "t", "2": "z", "%": "x",
}
_KEYBOARD_ROWS = (("1234567890-=", "!@#$%^&*()_+"), ("qwertyuiop[]\\", "QWERTYUIOP{}|"),
                  ("asdfghjkl;'", 'ASDFGHJKL:"'), ("zxcvbnm,./", "ZXCVBNM<>?"))
# Each row sits about half a key right of the one above (q lies below 1 and 2): these are
# the six neighbours of a key, as (row, column) steps.
_DIRECTIONS = ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0))
_LEET_LETTERS = frozenset("".join(_LEET.values()))
_KEY_COUNT = sum(len(plain) for plain, _ in _KEYBOARD_ROWS)
_AVERAGE_DEGREE = 4.6
_SEPARATED_DATE = re.compile(r"(\d{1,4})([\s/\\_.-])(\d{1,2})\2(\d{1,4})")


@dataclass(frozen=True)
class Piece:
    start: int
    end: int  # exclusive
    bits: float
    kind: str  # what the user is told: "a common password or word", "a keyboard pattern", …


@dataclass(frozen=True)
class Estimate:
    bits: float
    pieces: tuple[Piece, ...]

    @property
    def weak(self) -> bool:
        return self.bits < MIN_BITS


@cache
def _ranked_words() -> dict[str, int]:
    text = resources.files("ariaforge.auth").joinpath("common_passwords.txt").read_text("utf-8")
    words = (line.strip().lower() for line in text.splitlines())
    ranks: dict[str, int] = {}
    for word in words:
        if word and not word.startswith("#"):
            ranks.setdefault(word, len(ranks) + 1)
    return ranks


def estimate(password: str, user_inputs: Iterable[str] = ()) -> Estimate:
    """The cheapest cover of `password` by predictable pieces and brute-forced characters."""
    personal = {word.lower(): 1 for word in user_inputs if len(word) >= 3}
    pieces = list(_all_pieces(password, personal))
    return _cheapest_cover(password, pieces)


def _cheapest_cover(password: str, pieces: list[Piece]) -> Estimate:
    ending_at: dict[int, list[Piece]] = {}
    for piece in pieces:
        ending_at.setdefault(piece.end, []).append(piece)
    best: list[float] = [0.0] + [math.inf] * len(password)
    chosen: list[Piece | None] = [None] * (len(password) + 1)
    for end in range(1, len(password) + 1):
        best[end] = best[end - 1] + _brute_force_bits(password[end - 1])
        for piece in ending_at.get(end, ()):
            cost = best[piece.start] + piece.bits + PIECE_BITS
            if cost < best[end]:
                best[end], chosen[end] = cost, piece
    used: list[Piece] = []
    position = len(password)
    while position > 0:
        step = chosen[position]
        if step is None:
            position -= 1
        else:
            used.append(step)
            position = step.start
    return Estimate(bits=best[-1], pieces=tuple(reversed(used)))


def _brute_force_bits(character: str) -> float:
    if character.isdigit():
        return math.log2(10)
    if character.isascii() and character.isalpha():
        return math.log2(26)
    if character.isascii():
        return math.log2(33)  # punctuation and space
    return math.log2(100)  # some letter outside ASCII: a larger, less-guessed alphabet


def _all_pieces(password: str, personal: dict[str, int]) -> Iterator[Piece]:
    yield from _dictionary_pieces(password, personal)
    yield from _walk_pieces(password)
    yield from _sequence_pieces(password)
    yield from _repeat_pieces(password)
    yield from _date_pieces(password)


# --- dictionary words, plain, de-leeted and reversed ----------------------------------------


def _dictionary_pieces(password: str, personal: dict[str, int]) -> Iterator[Piece]:
    ranks = _ranked_words()
    lower = password.lower()
    for variant in _unleet_variants(lower):
        for start in range(len(password)):
            for end in range(start + 3, min(len(password), start + MAX_WORD) + 1):
                word = variant[start:end]
                rank = personal.get(word) or ranks.get(word)
                reversed_rank = None if rank else ranks.get(word[::-1])
                if rank is None and reversed_rank is None:
                    continue
                bits = math.log2(rank or reversed_rank or 1) + (0 if rank else 1)
                bits += _case_bits(password[start:end])
                if word != lower[start:end]:
                    bits += _leet_bits(lower[start:end], word)
                kind = "your e-mail or name" if word in personal else "a common password or word"
                yield Piece(start, end, bits, kind)


def _unleet_variants(lower: str) -> list[str]:
    """The password read with digits and symbols as letters (`p@ssw0rd` → `password`).

    Ambiguous characters (`1` is i or l) give several readings; past three of them only
    the all-first and all-second readings are tried, so the work stays small.
    """
    choices = [_LEET.get(character, character) for character in lower]
    ambiguous = [index for index, options in enumerate(choices) if len(options) > 1]
    if not any(character in _LEET for character in lower):
        return [lower]
    if len(ambiguous) <= 3:
        picks: Iterable[tuple[str, ...]] = product(*(choices[index] for index in ambiguous))
    else:
        picks = [tuple(choices[index][0] for index in ambiguous),
                 tuple(choices[index][-1] for index in ambiguous)]
    variants = [lower]
    for pick in picks:
        letters = [options[0] for options in choices]
        for index, letter in zip(ambiguous, pick, strict=True):
            letters[index] = letter
        variants.append("".join(letters))
    return variants


def _case_bits(text: str) -> float:
    letters = [character for character in text if character.isalpha()]
    upper = sum(character.isupper() for character in letters)
    lower = len(letters) - upper
    if upper == 0:
        return 0.0
    if lower == 0 or (upper == 1 and (letters[0].isupper() or letters[-1].isupper())):
        return 1.0
    return math.log2(sum(math.comb(len(letters), k) for k in range(1, min(upper, lower) + 1)))


def _leet_bits(original: str, read_as: str) -> float:
    substituted = sum(a != b for a, b in zip(original, read_as, strict=True))
    kept = sum(a == b and b in _LEET_LETTERS for a, b in
               zip(original, read_as, strict=True))
    return math.log2(sum(math.comb(substituted + kept, k)
                         for k in range(1, min(substituted, kept) + 1)) or 2)


# --- keyboard walks -------------------------------------------------------------------------


@cache
def _key_positions() -> dict[str, tuple[int, int, bool]]:
    positions: dict[str, tuple[int, int, bool]] = {}
    for row, (plain, shifted) in enumerate(_KEYBOARD_ROWS):
        for column, (key, shifted_key) in enumerate(zip(plain, shifted, strict=True)):
            positions[key] = (row, column, False)
            positions[shifted_key] = (row, column, True)
    return positions


def _step(first: str, second: str) -> int | None:
    """The direction from one key to its neighbour, or None if they are not neighbours."""
    positions = _key_positions()
    if first not in positions or second not in positions:
        return None
    row, column, _ = positions[first]
    next_row, next_column, _ = positions[second]
    delta = (next_row - row, next_column - column)
    return _DIRECTIONS.index(delta) if delta in _DIRECTIONS else None


def _walk_pieces(password: str) -> Iterator[Piece]:
    start = 0
    while start < len(password) - 2:
        end, turns, direction = start + 1, 0, None
        while end < len(password):
            step = _step(password[end - 1], password[end])
            if step is None:
                break
            turns += step != direction
            direction, end = step, end + 1
        if end - start >= 3:
            yield Piece(start, end, _walk_bits(password[start:end], turns),
                        "a keyboard pattern")
        start = max(end - 1, start + 1)


def _walk_bits(walk: str, turns: int) -> float:
    guesses = 0.0
    for length in range(2, len(walk) + 1):
        for turn in range(1, min(turns, length - 1) + 1):
            guesses += math.comb(length - 1, turn - 1) * _KEY_COUNT * _AVERAGE_DEGREE ** turn
    positions = _key_positions()
    shifted = sum(positions[key][2] for key in walk)
    if shifted and shifted < len(walk):
        guesses *= sum(math.comb(len(walk), k) for k in range(1, min(shifted, len(walk)
                                                                        - shifted) + 1))
    elif shifted:
        guesses *= 2
    return math.log2(max(guesses, 1))


# --- runs (abcd, 9876), repeats (aaaa, abcabc), years and dates -----------------------------


def _sequence_pieces(password: str) -> Iterator[Piece]:
    lower = password.lower()
    start = 0
    while start < len(lower) - 2:
        delta = ord(lower[start + 1]) - ord(lower[start])
        end = start + 1
        while (end < len(lower) and abs(delta) == 1
               and ord(lower[end]) - ord(lower[end - 1]) == delta
               and _same_class(lower[end], lower[start])):
            end += 1
        if end - start >= 3:
            first = lower[start]
            base = 4 if first in "az019" else 10 if first.isdigit() else 26
            bits = math.log2(base * (end - start) * (2 if delta < 0 else 1))
            yield Piece(start, end, bits + _case_bits(password[start:end]),
                        "an alphabet or number run")
        start = max(end - 1, start + 1)


def _same_class(a: str, b: str) -> bool:
    return (a.isdigit() and b.isdigit()) or (a.isascii() and a.isalpha()
                                               and b.isascii() and b.isalpha())


def _repeat_pieces(password: str) -> Iterator[Piece]:
    for pattern in (r"(.+)\1+", r"(.+?)\1+"):
        for match in re.finditer(pattern, password):
            unit = match.group(1)
            count = len(match.group(0)) // len(unit)
            unit_bits = estimate(unit).bits  # the unit is at most half the password
            yield Piece(match.start(), match.end(), unit_bits + math.log2(count),
                        "a repeated pattern")


def _date_pieces(password: str) -> Iterator[Piece]:
    for match in re.finditer(r"(?=(19\d\d|20\d\d))", password):
        year = int(match.group(1))
        yield Piece(match.start(), match.start() + 4, _year_bits(year), "a year or date")
    for match in re.finditer(r"(?=(\d{4,8}))", password):
        for length in range(4, len(match.group(1)) + 1):
            digits = password[match.start():match.start() + length]
            if _plausible_date(digits):
                yield Piece(match.start(), match.start() + length,
                            math.log2(365) + _year_bits(None), "a year or date")
    for match in _SEPARATED_DATE.finditer(password):
        numbers = (match.group(1), match.group(3), match.group(4))
        if _plausible_date("".join(part.zfill(2) for part in numbers)):
            yield Piece(match.start(), match.end(), math.log2(365) + _year_bits(None) + 2,
                        "a year or date")


def _year_bits(year: int | None) -> float:
    distance = 20 if year is None else max(abs(year - REFERENCE_YEAR), 20)
    return math.log2(distance)


def _plausible_date(digits: str) -> bool:
    """Day, month and year in some common order (ddmmyy, mmddyyyy, yyyymmdd, …)."""
    splits = {4: ((2, 2, 0),), 5: ((1, 2, 2), (2, 1, 2)), 6: ((2, 2, 2), (4, 1, 1)),
              7: ((1, 2, 4), (2, 1, 4), (4, 1, 2), (4, 2, 1)), 8: ((2, 2, 4), (4, 2, 2))}
    for sizes in splits.get(len(digits), ()):
        parts = _split(digits, sizes)
        if any(_is_day_month(a, b) for a, b in ((parts[0], parts[1]), (parts[1], parts[0]),
                                                (parts[1], parts[2]), (parts[2], parts[1]))):
            return True
    return False


def _split(digits: str, sizes: tuple[int, int, int]) -> tuple[int, int, int]:
    first, second = sizes[0], sizes[0] + sizes[1]
    return (int(digits[:first]), int(digits[first:second]),
            int(digits[second:]) if digits[second:] else 0)


def _is_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12
