from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from ariaforge.composer.operations import ComposeRequest, Operation
from ariaforge.models import JobStatus

__all__ = ["SessionCreate", "SessionOut"]


class SessionCreate(ComposeRequest):
    """`prompt` plus explicit controls (style, mood, key, tempo, meter, bars, instruments,
    seed), each winning over the prompt; `operation` other than "compose" works on the
    project's current score (`section`, `extra_bars`, `amount` say how)."""


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
