from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from ariaforge.core.schemas import StrictModel
from ariaforge.models import VersionReason
from ariaforge.music.score import (
    ID_PATTERN,
    MAX_TICK,
    Meter,
    Mode,
    Note,
    Role,
    Score,
    Track,
)
from ariaforge.music.validation.rules import RULES

MAX_OPERATIONS = 10_000
Message = Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
NoteId = Annotated[str, Field(pattern=ID_PATTERN)]



@dataclass(frozen=True)
class SettingsChange:
    """New opening tempo, key or meter for a score (what the project form edits); a
    field left None keeps the score's own."""

    tempo: float | None = None
    tonic: str | None = None
    mode: Mode | None = None
    meter: Meter | None = None


class ScoreOut(BaseModel):
    project_id: uuid.UUID
    revision: int
    updated_at: datetime
    score: Score


class ScorePut(StrictModel):
    score: Score
    revision: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                 description="the revision you edited (or send If-Match)")
    message: Message | None = None


class RestoreRequest(StrictModel):
    revision: int = Field(ge=1, le=2**31 - 1,
                          description="the revision you looked at (or send If-Match)")


class TrackSummary(BaseModel):
    id: str
    name: str
    role: Role
    program: int
    is_drum: bool
    volume: int
    pan: int
    mute: bool
    solo: bool
    colour: str | None
    note_count: int

    @classmethod
    def of(cls, track: Track) -> TrackSummary:
        return cls(**track.model_dump(exclude={"notes"}), note_count=len(track.notes))


class TrackCreate(StrictModel):
    id: Annotated[str, Field(pattern=ID_PATTERN)] | None = None
    name: Annotated[str, Field(min_length=1, max_length=100,
                               pattern=r"^[^\x00-\x1f\x7f]*$")] = "Track"
    role: Role = Role.OTHER
    program: int = Field(default=0, ge=0, le=127)
    is_drum: bool = False
    volume: int = Field(default=100, ge=0, le=127)
    pan: int = Field(default=0, ge=-64, le=63)
    mute: bool = False
    solo: bool = False
    colour: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    notes: list[Note] = Field(default_factory=list)
    revision: int | None = Field(default=None, ge=1, le=2**31 - 1)


class TrackUpdate(StrictModel):
    # Leave a field out to keep it; only `colour` may be null (no colour). The others
    # refuse null, so the schema does not offer it.
    name: Annotated[str, Field(min_length=1, max_length=100,
                               pattern=r"^[^\x00-\x1f\x7f]*$")] | SkipJsonSchema[None] = None
    role: Role | SkipJsonSchema[None] = None
    program: Annotated[int, Field(ge=0, le=127)] | SkipJsonSchema[None] = None
    is_drum: bool | SkipJsonSchema[None] = None
    volume: Annotated[int, Field(ge=0, le=127)] | SkipJsonSchema[None] = None
    pan: Annotated[int, Field(ge=-64, le=63)] | SkipJsonSchema[None] = None
    mute: bool | SkipJsonSchema[None] = None
    solo: bool | SkipJsonSchema[None] = None
    colour: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    revision: int | None = Field(default=None, ge=1, le=2**31 - 1)


Tick = Annotated[int, Field(ge=0, le=MAX_TICK)]


class AddNote(StrictModel):
    op: Literal["add"]
    track_id: Annotated[str, Field(pattern=ID_PATTERN)]
    id: NoteId | None = None
    pitch: int = Field(ge=0, le=127)
    start: Tick
    duration: int = Field(gt=0, le=MAX_TICK)
    velocity: int = Field(default=90, ge=1, le=127)


class UpdateNote(StrictModel):
    """Change any of a note's fields; `move` and `resize` are the common special cases."""

    op: Literal["update", "move", "resize"]
    note_id: NoteId
    track_id: Annotated[str, Field(pattern=ID_PATTERN)] | None = Field(
        default=None, description="move the note to another track")
    pitch: int | None = Field(default=None, ge=0, le=127)
    start: Tick | None = None
    duration: int | None = Field(default=None, gt=0, le=MAX_TICK)
    velocity: int | None = Field(default=None, ge=1, le=127)


class DeleteNote(StrictModel):
    op: Literal["delete"]
    note_id: NoteId


NoteOperation = Annotated[AddNote | UpdateNote | DeleteNote, Field(discriminator="op")]


class NoteBatch(StrictModel):
    operations: list[NoteOperation] = Field(min_length=1, max_length=MAX_OPERATIONS)
    revision: int | None = Field(default=None, ge=1, le=2**31 - 1)
    message: Message | None = None


class NoteBatchResult(BaseModel):
    revision: int
    added_note_ids: list[str]
    summary: str


class Author(BaseModel):
    id: uuid.UUID
    display_name: str


class VersionSummary(BaseModel):
    number: int
    reason: VersionReason
    summary: str
    author: Author | None
    created_at: datetime


class VersionOut(VersionSummary):
    score: Score


class VersionPage(BaseModel):
    items: list[VersionSummary]
    total: int
    page: int
    limit: int


class VersionQuery(StrictModel):
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)


# Must list the keys of ariaforge.music.validation.STYLES (a test checks).
Style = Literal["common-practice", "chorale", "classical", "pop", "rock", "folk", "jazz",
                "blues", "electronic"]


def _known_rule(rule_id: str) -> str:
    if rule_id not in RULES:
        raise ValueError(f"no rule {rule_id!r}; the rules are listed in the schema")
    return rule_id


# The rules' ids, listed in the schema (the rules register themselves, so no Literal).
RuleId = Annotated[str, AfterValidator(_known_rule),
                   Field(json_schema_extra={"enum": sorted(RULES)})]


class ValidationRequest(StrictModel):
    style: Style | None = Field(default=None, description="default: common-practice")
    disabled_rules: list[RuleId] = Field(default_factory=list, max_length=50)
