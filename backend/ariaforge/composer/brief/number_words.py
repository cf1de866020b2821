"""Numbers written as words in French, German, Spanish, Italian and Portuguese, 1 to 99
("seize", "vierundsechzig", "treinta y dos", "ventotto", "vinte e quatro"), folded like
the brief's text (no accents, "ß" as "s"), for bar counts and durations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from ariaforge.composer.foreign_words import fold_letters

__all__ = ["FOREIGN_NUMBERS", "FOREIGN_NUMBER_PATTERN", "foreign_number"]


def _french() -> Iterator[tuple[str, int]]:
    units = ("", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")
    teens = ("dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept",
             "dix-huit", "dix-neuf")
    yield "une", 1
    yield from ((word, n) for n, word in enumerate(units) if word)
    yield from ((word, 10 + n) for n, word in enumerate(teens))
    for tens, name in ((20, "vingt"), (30, "trente"), (40, "quarante"), (50, "cinquante"),
                       (60, "soixante")):
        yield name, tens
        yield f"{name} et un", tens + 1
        yield f"{name} et une", tens + 1
        yield from ((f"{name}-{units[n]}", tens + n) for n in range(2, 10))
    for n, teen in enumerate(teens):  # 70-79 and 90-99 count on from the teens
        yield f"soixante-{teen}", 70 + n
        yield f"quatre-vingt-{teen}", 90 + n
    yield "soixante et onze", 71
    yield "quatre-vingts", 80
    yield from ((f"quatre-vingt-{units[n]}", 80 + n) for n in range(1, 10))


def _german() -> Iterator[tuple[str, int]]:
    units = ("", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
    yield from (("eins", 1), ("eine", 1), ("einen", 1))
    yield from ((word, n) for n, word in enumerate(units) if word)
    yield from zip(("zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn",
                    "siebzehn", "achtzehn", "neunzehn"), range(10, 20), strict=True)
    for tens, name in ((20, "zwanzig"), (30, "dreißig"), (30, "dreissig"), (40, "vierzig"),
                       (50, "fünfzig"), (60, "sechzig"), (70, "siebzig"), (80, "achtzig"),
                       (90, "neunzig")):
        yield name, tens
        yield from ((f"{units[n]}und{name}", tens + n) for n in range(1, 10))


def _spanish() -> Iterator[tuple[str, int]]:
    units = ("", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")
    yield from (("un", 1), ("una", 1))
    yield from ((word, n) for n, word in enumerate(units) if word)
    yield from zip(("diez", "once", "doce", "trece", "catorce", "quince", "dieciséis",
                    "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno",
                    "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
                    "veintisiete", "veintiocho", "veintinueve"), range(10, 30), strict=True)
    yield from (("veintiún", 21), ("veintiuna", 21))
    for tens, name in ((30, "treinta"), (40, "cuarenta"), (50, "cincuenta"), (60, "sesenta"),
                       (70, "setenta"), (80, "ochenta"), (90, "noventa")):
        yield name, tens
        yield from ((f"{name} y {units[n]}", tens + n) for n in range(1, 10))
        yield f"{name} y un", tens + 1


def _italian() -> Iterator[tuple[str, int]]:
    units = ("", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove")
    yield from (("un", 1), ("una", 1))
    yield from ((word, n) for n, word in enumerate(units) if word)
    yield from zip(("dieci", "undici", "dodici", "tredici", "quattordici", "quindici",
                    "sedici", "diciassette", "diciotto", "diciannove"), range(10, 20),
                   strict=True)
    for tens, name in ((20, "venti"), (30, "trenta"), (40, "quaranta"), (50, "cinquanta"),
                       (60, "sessanta"), (70, "settanta"), (80, "ottanta"), (90, "novanta")):
        yield name, tens
        for n in range(1, 10):  # the vowel drops before uno and otto: ventuno, ventotto
            stem = name[:-1] if n in (1, 8) else name
            yield f"{stem}{'tré' if n == 3 else units[n]}", tens + n
            if n == 3:
                yield f"{stem}tre", tens + n


def _portuguese() -> Iterator[tuple[str, int]]:
    units = ("", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove")
    yield from (("uma", 1), ("duas", 2))
    yield from ((word, n) for n, word in enumerate(units) if word)
    yield from zip(("dez", "onze", "doze", "treze", "catorze", "quinze", "dezesseis",
                    "dezessete", "dezoito", "dezenove"), range(10, 20), strict=True)
    yield from (("quatorze", 14), ("dezasseis", 16), ("dezassete", 17), ("dezanove", 19))
    for tens, name in ((20, "vinte"), (30, "trinta"), (40, "quarenta"), (50, "cinquenta"),
                       (60, "sessenta"), (70, "setenta"), (80, "oitenta"), (90, "noventa")):
        yield name, tens
        yield from ((f"{name} e {units[n]}", tens + n) for n in range(1, 10))
        yield from ((f"{name} e uma", tens + 1), (f"{name} e duas", tens + 2))


def _table() -> dict[str, int]:
    table: dict[str, int] = {}
    for language in (_french, _german, _spanish, _italian, _portuguese):
        for word, value in language():
            key = " ".join(fold_letters(word).replace("-", " ").split())
            if table.setdefault(key, value) != value:
                raise ValueError(f"the number word {word!r} has two values")
    return table


_Trie = dict[str, "_Trie"]


def _trie_pattern(words: list[str]) -> str:
    """One regular expression for many words, shared beginnings written once ("vingt",
    then "-deux" or "-trois"...), so that it is fast; the longest word matches."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: _Trie) -> str:
        branches = [(r"[\s-]+" if ch == " " else ch) + pattern(node[ch])
                    for ch in sorted(node) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


FOREIGN_NUMBERS: Final[dict[str, int]] = _table()
"""Each number word, folded and with single spaces for hyphens ("dix sept"), and its value."""
# A space or a hyphen between the words of one number: "vingt-deux", "treinta y dos".
FOREIGN_NUMBER_PATTERN: Final = f"(?<![a-z]){_trie_pattern(list(FOREIGN_NUMBERS))}(?![a-z])"


def foreign_number(words: str) -> int | None:
    """The value of a number word matched by `FOREIGN_NUMBER_PATTERN`, else None."""
    return FOREIGN_NUMBERS.get(" ".join(words.replace("-", " ").split()))
