from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, Field, JsonValue
from pydantic.json_schema import SkipJsonSchema

from ariaforge.core.schemas import StrictModel
from ariaforge.models import VersionReason
from ariaforge.music.score import (
    ID_PATTERN,
    MAX_TICK,
    ChordSymbol,
    Meter,
    MeterChange,
    Mode,
    Note,
    Role,
    Score,
    Section,
    TempoChange,
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
    number: int = Field(description="the revision whose score it holds; a version that "
                        "absorbed later edits moves to their revision (numbers have gaps)")
    reason: VersionReason
    summary: str
    name: str = Field(description="the name people gave it (empty: none); a named "
                      "version is never rewritten by later edits")
    author: Author | None
    created_at: datetime
    updated_at: datetime = Field(description="when it last absorbed an edit")


class VersionOut(VersionSummary):
    score: Score


class VersionPage(BaseModel):
    items: list[VersionSummary]
    total: int
    page: int
    limit: int


# One line of text (no control characters), stored trimmed; "" clears the name.
VersionName = Annotated[str, Field(max_length=80, pattern=r"^[^\x00-\x1f\x7f]*$"),
                        AfterValidator(str.strip)]


class VersionRename(StrictModel):
    name: VersionName = Field(description="stored trimmed; empty clears the name")


class FieldChange(BaseModel):
    field: str
    before: JsonValue
    after: JsonValue


class ChangedNote(BaseModel):
    id: str
    before: Note
    after: Note


class TrackChanges(BaseModel):
    """One track that differs; notes that moved to another track are removed from one
    and added to the other."""

    track_id: str
    name: str = Field(description="its name in the later score (the earlier, if removed)")
    change: Literal["added", "removed", "changed"]
    fields: list[FieldChange] = Field(description="name, program, volume... that differ")
    added_notes: list[Note]
    removed_notes: list[Note]
    changed_notes: list[ChangedNote]


Event = TypeVar("Event", bound=BaseModel)


class EventChanges(BaseModel, Generic[Event]):
    added: list[Event]
    removed: list[Event]


class VersionComparison(BaseModel):
    """How the `with` score differs from version `number`: `added` is in `with` and not
    in the version, `removed` the reverse."""

    number: int
    with_number: int | None = Field(description="None: compared with the current score")
    with_revision: int = Field(description="the revision the `with` score holds")
    tracks: list[TrackChanges]
    settings: list[FieldChange] = Field(description="tempo, key, meter, bars")
    tempo_changes: EventChanges[TempoChange]
    meter_changes: EventChanges[MeterChange]
    sections: EventChanges[Section]
    chord_symbols: EventChanges[ChordSymbol]


# "current" or a version number (below 2**31, as every number is).
COMPARE_WITH_PATTERN = r"^(current|[1-9][0-9]{0,8})$"


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
    style: Style | None = Field(default=None, description=(
        "default: the style the project was composed in, else common-practice"))
    disabled_rules: list[RuleId] = Field(default_factory=list, max_length=50)
