"""The words of a brief that nothing read, and the warning that names them.

Every reader blanks the words it understood, so what is left at the end of the scan was
not understood. Words that carry no request (articles, "please", "song", "piece" in any of
the six languages read) do not count. A brief in another language, or one of which less
than 30% was understood, gets one warning that lists what was understood and what was not:
the person then knows which defaults stand in for their words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from ariaforge.composer.brief.notes import Notes
from ariaforge.composer.brief.text import Text
from ariaforge.composer.foreign_words import fold_letters

__all__ = ["LANGUAGES", "Unread", "unread_words", "warn_unread"]

LANGUAGES: Final = "English, French, German, Spanish, Italian and Portuguese"

_TOKEN: Final = re.compile(r"[^\W_]+")


def _words(*groups: str) -> frozenset[str]:
    return frozenset(fold_letters(word) for group in groups for word in group.split())


_ENGLISH: Final = _words(
    "a an the of for with and or to at on in by from into about as is it its this that "
    "these be are was some any no not very so too just really quite rather bit little "
    "more less much like my me i we our you your please make write compose create "
    "generate give want need would could can should something piece song tune track "
    "music musical theme melody beat groove composition number instrumental sound feel "
    "vibe style kind sort type one bar bars time signature key tempo meter metre part "
    "parts arrangement accompaniment accompanied mostly also maybe bpm played play "
    "playing featuring plus including add adding than then but all over under who which "
    "what lead backing plenty lots long short full whole new old good nice great",
)
_OTHER_LANGUAGES: Final = _words(
    # French
    "le la les l un une des du de d en et ou pour avec sans dans sur au aux a par ce cet "
    "cette mon ma mes je j veux voudrais fais faire compose composer ecris ecrire un peu "
    "tres plus moins qui que qu est c s morceau piece chanson musique melodie air theme "
    "temps tonalite ton tempo mode rythme style accompagnement arrangement mesure "
    "partie sous vers chez entre comme pendant apres avant depuis contre mais aussi il elle "
    "nous vous ne qui son sa ses notre votre leur quelque chose genre facon petit petite "
    "petits petites environ long longue aimerais cree creer ecrivez",
    # German
    "der die das den dem des ein eine einen einem einer in im mit ohne fur und oder von "
    "vom zu zum zur auf aus bei als sehr etwas ich mochte bitte schreib schreibe "
    "komponiere mehr weniger nicht ein bisschen stuck lied musik melodie thema takt "
    "tonart rhythmus begleitung satz tempo unter uber nach vor wie durch gegen zwischen "
    "aber auch es sie wir mein meine dein deine art so klein kleine kleines kleiner etwa "
    "ungefahr circa lang lange gern gerne hatte schreib erstelle",
    # Spanish
    "un una unos unas el la los las de del en y o para con sin por al a muy poco mi "
    "quiero que es mas menos haz escribe compon componer pieza cancion musica melodia "
    "tema compas tono tonalidad ritmo estilo acompanamiento tiempo sobre entre como hacia "
    "desde hasta durante tras pero tambien su sus algo tipo estilo pequeno pequena "
    "quisiera hazme crea aproximadamente unos larga",
    # Italian
    "un uno una il lo la i gli le l di del della dei delle in nel nella e o per con "
    "senza da a al alla molto poco mio voglio che piu meno scrivi componi brano pezzo "
    "canzone musica melodia tema tonalita ritmo stile accompagnamento tempo su sotto tra "
    "fra come verso dopo prima ma anche suo sua qualcosa tipo piccola vorrei fammi crea "
    "circa lunga lungo",
    # Portuguese
    "um uma uns umas o a os as de do da dos das em no na e ou para com sem por ao muito "
    "pouco meu quero que mais menos faz escreva componha peca cancao musica melodia tema "
    "compasso tom tonalidade ritmo estilo acompanhamento tempo sob sobre entre como ate "
    "durante depois antes mas tambem seu sua algo tipo pequeno pequena queria gostaria "
    "faca crie cerca longa longo",
)
# Words of the other languages that are not English words: one of them in a brief says it
# is written in another language, so every word it did not read is worth a warning.
_FOREIGN_ONLY: Final = _OTHER_LANGUAGES - _ENGLISH - _words(
    "air mode style piece theme tempo melodie la e o i l d s c j per con die son art sin "
    "vor crea cree es tipo circa long lang mi ma am")
_FILLER: Final = _ENGLISH | _OTHER_LANGUAGES
# Below this share of its content words understood, an English brief gets the warning too.
_LITTLE: Final = 0.3


def _is_content(word: str) -> bool:
    """A word that could ask for something: not a number, a single letter or a filler."""
    return (len(word) > 1 or not word.isascii()) and not any(
        ch.isdigit() for ch in word) and word not in _FILLER


@dataclass(frozen=True)
class Unread:
    content: int = 0  # the brief's content words
    words: list[str] = field(default_factory=list)  # those nothing read, as written
    foreign: bool = False  # a word says the brief is in another language


def unread_words(text: Text) -> Unread:
    """What is left of the brief once every reader has blanked what it understood."""
    masked = text.masked
    content = 0
    unread: list[str] = []
    for match in _TOKEN.finditer(text.lower):
        if not _is_content(match.group()):
            continue
        content += 1
        if masked[match.start():match.end()] == match.group():
            unread.append(text.original[match.start():match.end()])
    foreign = any(word in _FOREIGN_ONLY for word in _TOKEN.findall(text.lower))
    return Unread(content, list(dict.fromkeys(unread)), foreign)


def warn_unread(found: Unread, notes: Notes) -> None:
    """One warning when words were not understood in a brief in another language or
    script, or when less than 30% of an English brief was understood."""
    unread = found.words
    if not unread:
        return
    other_script = any(not fold_letters(word).isascii() for word in unread)
    understood_share = 1 - len(unread) / max(found.content, 1)
    if not (other_script or understood_share < _LITTLE or found.foreign):
        return
    said = [f"{field} '{words}'" for field, words in notes.understood.items()
            if words not in ("request", "argument")]
    understood = f"understood {', '.join(said)}" if said else "understood nothing"
    requested = [field for field, words in notes.understood.items() if words == "request"]
    if requested:  # a request's fields (or an LLM reader's) stand in for the words
        understood += f"; the request set {', '.join(requested)}"
    missing = ", ".join(f"'{word}'" for word in unread[:12])
    more = f" and {len(unread) - 12} more" if len(unread) > 12 else ""
    message = (f"could not read all of this brief: {understood}; not understood: "
               f"{missing}{more}")
    if other_script or understood_share < _LITTLE:
        message += (f". The brief reader knows {LANGUAGES} words; the rest was "
                    "filled in with the style's defaults")
    notes.warn(message)
