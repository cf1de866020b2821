from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from ariaforge.core.text import Description, Name, SearchText, ShortLabel
from ariaforge.models import ProjectRole, ProjectStatus
from ariaforge.music.score import Mode

Tonic = Literal["C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab", "A",
                "A#", "Bb", "B", "Cb"]


_METER = re.compile(r"^(\d{1,2})/(\d{1,2})$")


def _valid_meter(value: str) -> str:
    match = _METER.match(value)
    if not match:
        raise ValueError("meter must look like 4/4, 3/4 or 7/8")
    numerator, denominator = int(match[1]), int(match[2])
    if not 1 <= numerator <= 32 or denominator not in (1, 2, 4, 8, 16, 32):
        raise ValueError("meter needs 1-32 beats of a 1, 2, 4, 8, 16 or 32 note")
    return f"{numerator}/{denominator}"


Meter = Annotated[str, Field(max_length=5), AfterValidator(_valid_meter)]
Tempo = Annotated[int, Field(ge=20, le=400, description="beats per minute")]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProjectCreate(StrictModel):
    name: Name
    description: Description = ""
    tempo: Tempo = 120
    key: Tonic = "C"
    mode: Mode = Mode.MAJOR
    meter: Meter = "4/4"
    genre: ShortLabel = ""
    status: ProjectStatus = ProjectStatus.DRAFT


class ProjectUpdate(StrictModel):
    name: Name | None = None
    description: Description | None = None
    tempo: Tempo | None = None
    key: Tonic | None = None
    mode: Mode | None = None
    meter: Meter | None = None
    genre: ShortLabel | None = None
    status: ProjectStatus | None = None
    revision: int | None = Field(
        default=None, ge=1, le=2**31 - 1,
        description="the revision you edited; a stale one answers 409 (or send If-Match)")


class ProjectOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    tempo: int
    key: str
    mode: str
    meter: str
    genre: str
    status: ProjectStatus
    revision: int
    role: ProjectRole
    created_at: datetime
    updated_at: datetime


class ProjectPage(BaseModel):
    items: list[ProjectOut]
    total: int
    page: int
    limit: int


class ProjectListQuery(StrictModel):
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)
    search: SearchText | None = None
    status: ProjectStatus | None = None


class MemberAdd(StrictModel):
    email: EmailStr
    role: ProjectRole = ProjectRole.VIEWER


class MemberUpdate(StrictModel):
    role: ProjectRole


class MemberOut(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str
    role: ProjectRole
    created_at: datetime
