from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from ariaforge.audio.mix import MixSettings
from ariaforge.core.schemas import StrictModel
from ariaforge.models import JobStatus
from ariaforge.music.score import MAX_BARS

AudioFormat = Literal["wav", "mp3", "flac", "ogg", "opus"]



class MixOut(BaseModel):
    revision: int
    settings: MixSettings


class MixPut(StrictModel):
    settings: MixSettings
    revision: int | None = Field(default=None, ge=0, le=2**31 - 1,
                                 description="0 while the mix has never been saved")


class ExportRequest(StrictModel):
    format: AudioFormat = "mp3"
    quality: Literal["low", "medium", "high"] = "high"
    sample_rate: Literal[44100, 48000] = 44100
    bit_depth: Literal[16, 24] = Field(default=16, description="WAV only")
    target_lufs: float = Field(default=-14.0, ge=-36.0, le=-6.0)
    include_stems: bool = False
    include_midi: bool = False
    include_musicxml: bool = False
    start_bar: int | None = Field(default=None, ge=1, le=MAX_BARS)
    end_bar: int | None = Field(default=None, ge=1, le=MAX_BARS)

    @model_validator(mode="after")
    def _consistent(self) -> ExportRequest:
        if self.start_bar and self.end_bar and self.start_bar > self.end_bar:
            raise ValueError("start_bar must not be after end_bar")
        if self.format == "opus":
            self.sample_rate = 48000  # Opus always runs at 48 kHz
        return self


class ExportFile(BaseModel):
    name: str
    kind: Literal["mix", "stem", "midi", "musicxml", "bundle"]
    format: str
    bytes: int
    track_id: str | None = None
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
