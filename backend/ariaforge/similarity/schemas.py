"""Request and response bodies of the similarity API (docs/similarity.md). Every limit a
request has is declared here, so that it appears in the OpenAPI schema."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from ariaforge.core.schemas import StrictModel
from ariaforge.music.score import MAX_TICK

MAX_LIMIT = 20
DEFAULT_LIMIT = 5
MIN_PHRASE_NOTES = 4  # fewer have no melodic motion to compare (music.similarity)
MAX_PHRASE_NOTES = 256


class Scope(StrEnum):
    ALL = "all"
    REFERENCE = "reference"
    PROJECTS = "projects"


def _not_a_bool(value: object) -> object:
    # JSON Schema's integer includes 18123.0 (pydantic accepts it) but not true/false,
    # which pydantic's lax mode would read as 1 and 0.
    if isinstance(value, bool):
        raise ValueError("a number, not true or false")
    return value


Integer = Annotated[int, BeforeValidator(_not_a_bool)]


class NoteIn(StrictModel):
    pitch: Integer = Field(ge=0, le=127, description="MIDI pitch")
    start: Integer = Field(ge=0, le=MAX_TICK, description="ticks at 480 per quarter note")
    duration: Integer = Field(gt=0, le=MAX_TICK, description="ticks at 480 per quarter note")


class CheckRequest(StrictModel):
    project_id: uuid.UUID
    version: int | None = Field(default=None, ge=1, le=2**31 - 1,
                                description="a version number; the current score if absent")
    scope: Scope = Scope.ALL
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class SearchRequest(StrictModel):
    notes: list[NoteIn] = Field(min_length=MIN_PHRASE_NOTES, max_length=MAX_PHRASE_NOTES,
                                description="the phrase, hummed, played or selected")
    scope: Scope = Scope.PROJECTS
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class NoteOut(BaseModel):
    pitch: int
    start: int
    duration: int


class Source(BaseModel):
    type: Literal["reference", "project"]
    id: str  # the tune's id, or the project's
    title: str  # the tune's title, or the project's name
    licence: str | None = None
    project_id: uuid.UUID | None = None
    version: int | None = None


class Bars(BaseModel):
    start_bar: int  # 1-based; 0 for a phrase without bars (audio, a searched phrase)
    bars: int  # 2, 4 or 8; 0 for a phrase
    track_id: str | None = None
    track_name: str = ""


class Match(BaseModel):
    score: float = Field(ge=0.0, le=1.0)
    kind: Literal["melody", "harmony"]
    source: Source
    query_bars: Bars
    match_bars: Bars
    query_notes: list[NoteOut]
    match_notes: list[NoteOut]
    labels: list[str] = []  # harmony: the matched chord symbols
    transposition: int = 0  # semitones from the match to the query


class Query(BaseModel):
    kind: Literal["project", "version", "file", "audio", "phrase"]
    project_id: uuid.UUID | None = None
    version: int | None = None
    filename: str | None = None
    notes: int = 0


class Recommendation(BaseModel):
    start_bar: int
    bars: int
    track_id: str | None = None
    section: str | None = None
    message: str


class ReferenceSummary(BaseModel):
    tunes: int
    ready: bool


class CheckResult(BaseModel):
    is_safe: bool
    threshold: float
    score: float = Field(ge=0.0, le=1.0)  # the closest deciding melody match (0: none)
    query: Query
    matches: list[Match]
    recommendations: list[Recommendation]
    reference: ReferenceSummary


class SimilarProject(BaseModel):
    project_id: uuid.UUID
    name: str
    score: float = Field(ge=0.0, le=1.0)
    version: int | None
    matches: list[Match]


class SimilarProjects(BaseModel):
    items: list[SimilarProject]


class ReferenceStatus(BaseModel):
    tunes: int
    windows: int
    version: str | None  # the corpus version stored (None: nothing ingested)
    ready: bool  # the shipped corpus is ingested (up to REFERENCE_CORPUS_LIMIT tunes)


class SimilarityStatus(BaseModel):
    reference: ReferenceStatus
    threshold: float
    indexed_versions: int
