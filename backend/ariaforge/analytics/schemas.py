"""What `GET /api/v1/analytics/projects/{project_id}` answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field


class RenderStats(BaseModel):
    count: int = Field(description="audio renders (exports and previews) that succeeded")
    total_seconds: float = Field(description="their render time together (job start to end)")
    last_seconds: float | None = Field(description="the render time of the latest one")
    last_at: datetime | None = Field(description="when the latest one finished")


class ExportStats(BaseModel):
    count: int = Field(description="exports whose files were produced")
    by_format: dict[str, int] = Field(description="the same, by audio format")


class Contributor(BaseModel):
    user_id: uuid.UUID | None = Field(description="null for an account deleted since")
    name: str
    revisions: int = Field(description="score versions they authored (creation excluded)")
    ai_operations: int = Field(description="AI operations (sessions) they requested")
    collaboration_hours: float = Field(description="hours they spent in the live room")


class DayStats(BaseModel):
    date: date
    revisions: int
    exports: int
    compositions: int
    renders: int
    collaboration_hours: float


class ProjectAnalytics(BaseModel):
    project_id: uuid.UUID
    render: RenderStats
    revisions: int = Field(description="changes saved to the score since it was created")
    versions: int = Field(description="versions in the history (close edits coalesce)")
    collaboration_hours: float = Field(
        description="person-hours in the live-editing room (a person's overlapping "
                    "connections count once)")
    live_sessions: int = Field(description="live-editing visits (one per person and stay)")
    exports: ExportStats
    compositions: int = Field(description="AI sessions that delivered a new version")
    ai_operations: dict[str, int] = Field(
        description="AI sessions requested, by operation (compose, regenerate, ...)")
    contributors: list[Contributor] = Field(description="the most active people, top first")
    series: list[DayStats] = Field(description="one entry per UTC day of the last `days`, "
                                               "oldest first")
