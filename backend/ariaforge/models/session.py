from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ariaforge.models.base import Base, UUIDPrimaryKey


class CompositionSession(UUIDPrimaryKey, Base):
    """One AI composition run on a project: the request, the brief as the composer
    understood it, and the project version it produced. Its status and progress are its
    job's; the LangGraph checkpoints of the run are keyed by this id."""

    __tablename__ = "composition_sessions"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False)
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    operation: Mapped[str] = mapped_column(String(16), nullable=False)
    prompt: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    request: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # The score revision an operation started from (None for a new piece).
    base_revision: Mapped[int | None] = mapped_column(Integer)
    brief: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    warnings: Mapped[list[str]] = mapped_column(JSONB, nullable=False, server_default="[]")
    validation: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    result_version: Mapped[int | None] = mapped_column(Integer)
    preview_job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
