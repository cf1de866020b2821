"""What the validator reports: violations with a place in the music, and a summary score."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Violation(BaseModel):
    rule: str
    severity: Severity
    message: str
    track_id: str | None = None
    bar: int | None = Field(default=None, description="1-based bar")
    beat: float | None = Field(default=None, description="1-based beat within the bar")
    tick: int | None = None
    note_ids: list[str] = Field(default_factory=list)


class RuleInfo(BaseModel):
    id: str
    severity: Severity
    description: str


class Report(BaseModel):
    score: int = Field(ge=0, le=100, description="100 = nothing to remark")
    style: str
    violations: list[Violation] = Field(description="the first 1000, in time order")
    total_violations: int
    counts: dict[Severity, int]
    rules_run: list[str]
    idioms: list[str] = Field(default_factory=list,
                              description="the chromatic idioms the style accepts")
