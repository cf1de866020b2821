"""The composer graph's state, and conversions between it and the music types.

The state is checkpointed in PostgreSQL after every node, so it holds plain JSON values only
(no pydantic or dataclass objects): a checkpoint written by one release reads back in the
next, and LangGraph's serializer never has to trust a class name from the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

from ariaforge.composer.plan import ChordEvent
from ariaforge.music.score import Note, Score
from ariaforge.music.theory.chords import parse_chord_symbol

__all__ = ["ComposeState", "chords_from_json", "chords_to_json", "harmony_from_score",
           "notes_from_json", "notes_to_json"]


class ComposeState(TypedDict, total=False):
    prompt: str
    request: dict[str, Any]  # the session's request: overrides, operation and its options
    base: dict[str, Any] | None  # the score an operation starts from (Score JSON)
    previous_brief: dict[str, Any] | None  # the brief that made `base`, when known
    brief: dict[str, Any]  # Brief JSON, as understood
    harmony: list[dict[str, Any]]  # chords_to_json
    melody: list[dict[str, Any]]  # notes_to_json
    tracks: list[dict[str, Any]]  # Track JSON, melody first
    score: dict[str, Any]  # the assembled Score JSON
    report: dict[str, Any]  # the validator's summary of `score`
    repair_round: int
    warnings: list[str]
    version: int | None  # the project version finalize stored (None outside a project)


def chords_to_json(chords: Iterable[ChordEvent]) -> list[dict[str, Any]]:
    return [{"start": c.start, "duration": c.duration, "symbol": c.chord.symbol,
             "roman": c.roman} for c in chords]


def chords_from_json(items: Iterable[dict[str, Any]]) -> list[ChordEvent]:
    return [ChordEvent(int(i["start"]), int(i["duration"]), parse_chord_symbol(i["symbol"]),
                       str(i["roman"])) for i in items]


def notes_to_json(notes: Iterable[Note]) -> list[dict[str, Any]]:
    return [note.model_dump(mode="json") for note in notes]


def notes_from_json(items: Iterable[dict[str, Any]]) -> list[Note]:
    return [Note.model_validate(item) for item in items]


def harmony_from_score(score: Score, romans: Sequence[str] | None = None) -> list[ChordEvent]:
    """The score's chord symbols as timed chords: each lasts until the next, the last one
    until the end. Symbols that do not parse are skipped (an imported score may have any)."""
    end = score.end_tick
    parsed = []
    for symbol in sorted(score.chord_symbols, key=lambda s: s.tick):
        try:
            parsed.append((symbol.tick, parse_chord_symbol(symbol.symbol)))
        except ValueError:
            continue
    events = []
    for index, (tick, chord) in enumerate(parsed):
        stop = parsed[index + 1][0] if index + 1 < len(parsed) else end
        if stop > tick:
            roman = romans[index] if romans and index < len(romans) else ""
            events.append(ChordEvent(tick, stop - tick, chord, roman))
    return events
