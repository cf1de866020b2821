from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from ariaforge.core.schemas import StrictModel
from ariaforge.models import ProjectRole, ProjectStatus
from ariaforge.music.score import Mode
from ariaforge.text import Description, Email, Name, SearchText, ShortLabel

Tonic = Literal["C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab", "A",
                "A#", "Bb", "B", "Cb"]


# 1-32 beats of a 1, 2, 4, 8, 16 or 32 note, spelled like 4/4, 3/4 or 7/8.
METER_PATTERN = r"^([1-9]|[12][0-9]|3[0-2])/(1|2|4|8|16|32)$"
Meter = Annotated[str, StringConstraints(max_length=5, pattern=METER_PATTERN)]
Tempo = Annotated[int, Field(ge=20, le=400, description="beats per minute")]



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
    # Leave a field out to keep it; null is refused (the schema does not offer it).
    name: Name | SkipJsonSchema[None] = None
    description: Description | SkipJsonSchema[None] = None
    tempo: Tempo | SkipJsonSchema[None] = None
    key: Tonic | SkipJsonSchema[None] = None
    mode: Mode | SkipJsonSchema[None] = None
    meter: Meter | SkipJsonSchema[None] = None
    genre: ShortLabel | SkipJsonSchema[None] = None
    status: ProjectStatus | SkipJsonSchema[None] = None
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
    email: Email
    # Ownership is not shared: it is transferred by changing a member's role to owner.
    role: Literal[ProjectRole.EDITOR, ProjectRole.VIEWER] = ProjectRole.VIEWER


class MemberUpdate(StrictModel):
    role: ProjectRole


class MemberOut(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str
    role: ProjectRole
    created_at: datetime
