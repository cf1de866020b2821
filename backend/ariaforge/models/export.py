from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ariaforge.models.base import Base, UUIDPrimaryKey


class ProjectMix(Base):
    """A project's mix settings (master chain, per-track effects), validated by
    `ariaforge.audio.mix.MixSettings`."""

    __tablename__ = "project_mixes"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)


class Export(UUIDPrimaryKey, Base):
    """One export request: what was asked, the score and mix as they were, and (when its
    job has run) the files and the quality report. Its status is its job's."""

    __tablename__ = "exports"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False)
    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"))
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    score: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    mix: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    score_revision: Mapped[int] = mapped_column(Integer, nullable=False)
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False,
                                                        server_default="[]")
    quality: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
