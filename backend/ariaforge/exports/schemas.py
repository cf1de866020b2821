from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from ariaforge.audio.options import (
    DEFAULT_TAIL_SECONDS,
    AudioFormat,
    MixSettings,
    RenderOptions,
)
from ariaforge.core.schemas import StrictModel
from ariaforge.models import JobStatus
from ariaforge.music.score import MAX_BARS


class MixOut(BaseModel):
    revision: int
    settings: MixSettings


class MixPut(StrictModel):
    settings: MixSettings
    revision: int | None = Field(default=None, ge=0, le=2**31 - 1,
                                 description="0 while the mix has never been saved")


# The render options an export may ask for (narrower than the pipeline's: no "best"
# quality, always loudness-normalised, the standard release tail), plus the notation
# files. Stored as its `model_dump` and read back with `model_validate`, so the worker
# renders exactly what was requested. (No docstring: it would become the API schema's
# description.)
class ExportRequest(RenderOptions, StrictModel):

    format: AudioFormat = "mp3"
    quality: Literal["low", "medium", "high"] = "high"
    bit_depth: Literal[16, 24] = Field(default=16, description="WAV only")
    target_lufs: float = Field(default=-14.0, ge=-36.0, le=-6.0)
    start_bar: int | None = Field(default=None, ge=1, le=MAX_BARS)
    end_bar: int | None = Field(default=None, ge=1, le=MAX_BARS)
    # Not the client's to choose (and not in the API's schema): exports keep the
    # pipeline's standard tail, which is what their cost is estimated with.
    tail_seconds: SkipJsonSchema[float] = Field(
        default=DEFAULT_TAIL_SECONDS, ge=DEFAULT_TAIL_SECONDS, le=DEFAULT_TAIL_SECONDS,
        exclude=True)
    include_midi: bool = False
    include_musicxml: bool = False

    @field_validator("sample_rate")
    @classmethod
    def _opus_rate(cls, rate: int, info: ValidationInfo) -> int:
        return 48000 if info.data.get("format") == "opus" else rate  # Opus runs at 48 kHz

    @model_validator(mode="after")
    def _ordered(self) -> ExportRequest:  # replaces RenderOptions' check and its message
        if self.start_bar and self.end_bar and self.start_bar > self.end_bar:
            raise ValueError("start_bar must not be after end_bar")
        return self

    def render_options(self) -> RenderOptions:
        """The audio part, as the pipeline takes it."""
        return RenderOptions.model_validate(
            self.model_dump(exclude={"include_midi", "include_musicxml"}))


CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac",
                 "ogg": "audio/ogg", "opus": "audio/ogg", "mid": "audio/midi",
                 "musicxml": "application/vnd.recordare.musicxml+xml",
                 "zip": "application/zip"}


class StoredFile(BaseModel):
    """One file of an export as its job records it on the export row."""

    name: str
    kind: Literal["mix", "stem", "midi", "musicxml", "bundle"]
    format: str
    bytes: int
    track_id: str | None = None


class ExportFile(StoredFile):
    url: str


class ExportOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    job_id: uuid.UUID | None
    status: JobStatus
    progress: float
    stage: str
    message: str
    error: str | None
    options: dict[str, Any]
    score_revision: int
    quality: dict[str, Any] | None
    files: list[ExportFile]
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime = Field(description=(
        "after this the files are deleted and the export no longer counts against the "
        "requester's storage quota (EXPORT_RETENTION_DAYS)"))
