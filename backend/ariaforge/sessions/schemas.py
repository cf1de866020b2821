from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, model_validator

from ariaforge.composer.operations import ComposeRequest, Operation
from ariaforge.models import JobStatus

__all__ = ["Originality", "SessionCreate", "SessionOut"]


class SessionCreate(ComposeRequest):
    """`prompt` plus explicit controls (style, mood, key, tempo, meter, bars, instruments,
    seed), each winning over the prompt; `operation` other than "compose" works on the
    project's current score (`section`, `extra_bars`, `amount` say how); "part" writes
    one track (`track_id`) over the score's own chord track, in one `section` or all of
    it, `prompt` giving hints ("busier", "simpler", "walking")."""

    # Between fields, so the whole body is at fault (loc ["body"]): JSON Schema could say
    # it only with conditionals that generated clients ignore.
    @model_validator(mode="after")
    def _says_what_to_do(self) -> SessionCreate:
        if (self.operation is Operation.COMPOSE and not self.prompt.strip()
                and self.style is None):
            raise ValueError("say what to compose: a prompt or at least a style")
        if self.operation is Operation.RESTYLE and self.style is None:
            raise ValueError("restyle needs the style to change to")
        if self.operation is Operation.PART and self.track_id is None:
            raise ValueError("part needs the track_id of the track to write")
        if self.operation is not Operation.PART and self.track_id is not None:
            raise ValueError("track_id is for the part operation only")
        if self.keep_chords and self.operation is not Operation.REGENERATE:
            raise ValueError("keep_chords is for the regenerate operation only")
        return self


class Originality(BaseModel):
    """How close a composed piece's melody came to the reference corpus (similarity/):
    a piece at the threshold or above is composed again with the next seed, at most 3
    times in all, and the most original one kept."""

    is_safe: bool
    score: float  # the closest 4-bar-or-longer melody match, 0..1
    attempts: int  # compositions made (1: the first was original enough)
    reference_tunes: int = 0  # tunes of the corpus checked against (0: not ingested yet)


class SessionOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    job_id: uuid.UUID | None
    operation: Operation
    prompt: str
    status: JobStatus
    progress: float
    stage: str
    message: str
    error: str | None
    request: dict[str, Any]
    brief: dict[str, Any] | None = None  # as the composer understood it
    warnings: list[str]
    validation: dict[str, Any] | None = None  # the validator's summary of the result
    version: int | None = None  # the project version the session produced
    base_revision: int | None = None
    preview_job_id: uuid.UUID | None = None
    created_at: datetime
    finished_at: datetime | None
    originality: Originality | None = None  # a compose session's originality check

    @model_validator(mode="after")
    def _originality_from_report(self) -> SessionOut:
        # Recorded in the validation report, so that no column had to be added for it.
        found = (self.validation or {}).get("originality")
        if self.originality is None and isinstance(found, dict):
            self.originality = Originality.model_validate(found)
        return self
