"""Plain values out of the live document, validated by the Score / MixSettings models.

Validation runs in pydantic's strict JSON mode (so "60" or true never pass for a number),
after integral doubles have become integers (Yjs numbers are doubles: 60.0 is the integer
60, 60.5 stays a float and is refused). Errors keep the REST error detail shape, their
`loc` translated into the document's places.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Map
from pydantic import BaseModel, TypeAdapter, ValidationError

from ariaforge.audio.options import TrackMix
from ariaforge.collab.document_schema import Detail, DocumentInvalid
from ariaforge.music.score import Note, Track

Loc = list[str | int]
MAX_DETAILS = 50


def integral(value: Any) -> Any:
    """JSON-like data with every integral double turned into an int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: integral(item) for key, item in value.items()}
    if isinstance(value, list):
        return [integral(item) for item in value]
    return value


def detail(loc: Loc, msg: str, kind: str) -> Detail:
    return {"loc": loc, "msg": msg, "type": kind}


def details_of(error: ValidationError, locate: Callable[[tuple[int | str, ...]], Loc]
             ) -> list[Detail]:
    return [detail(locate(tuple(e["loc"])), e["msg"], e["type"])
            for e in error.errors(include_url=False, include_input=False)[:MAX_DETAILS]]


def validate(model: type[BaseModel] | TypeAdapter[Any], data: Any,
              locate: Callable[[tuple[int | str, ...]], Loc]) -> Any:
    text = json.dumps(integral(data), allow_nan=False)
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_json(text, strict=True)
        return model.model_validate_json(text, strict=True)
    except ValidationError as error:
        raise DocumentInvalid("the document is not a valid score", details_of(error, locate)
                              ) from None


def check_keys(data: dict[str, Any], allowed: Iterable[str], loc: Loc) -> list[Detail]:
    """Unknown and missing keys of a map whose keys the schema fixes."""
    allowed = tuple(allowed)
    found = [detail([*loc, key], "Extra inputs are not permitted", "extra_forbidden")
             for key in data if key not in allowed]
    found += [detail([*loc, key], "Field required", "missing")
              for key in allowed if key not in data]
    return found


def fail(details: list[Detail]) -> None:
    if details:
        raise DocumentInvalid("the document is not a valid score", details[:MAX_DETAILS])


def map_content(value: Map[Any]) -> dict[str, Any]:
    """A Y.Map's content as plain data, in one call (to_py reads key by key)."""
    content: dict[str, Any] = json.loads(str(value))
    return content


@dataclass(slots=True)
class TrackPart:
    """One track as read: its Score fields (with no notes), its place, its mix, its notes."""

    id: str
    fields: Track
    order: float
    mix: TrackMix
    notes: dict[str, Note] = field(default_factory=dict)

    def track(self, sort: bool = True) -> Track:
        """The Score's track; a map has no order, so notes come as Track.sorted_notes
        lists them (the order the composer and the editors write)."""
        notes = list(self.notes.values())
        if sort:
            notes.sort(key=lambda n: (n.start, n.pitch, n.id))
        return self.fields.model_copy(update={"notes": notes})
