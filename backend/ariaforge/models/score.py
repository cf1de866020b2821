from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ariaforge.models.base import Base, UUIDPrimaryKey


class VersionReason(StrEnum):
    CREATED = "created"
    GENERATED = "generated"
    EDITED = "edited"
    IMPORTED = "imported"
    RESTORED = "restored"


class ProjectScore(Base):
    """A project's current score. `revision` counts saved changes; version N of the
    history is the score as it was at revision N."""

    __tablename__ = "project_scores"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
    # The score's opening tempo, key and meter, extracted from `data` by PostgreSQL on
    # every write and never written by us. Project lists read these instead of the score
    # documents, which PostgreSQL would decompress whole: listing 20 projects of 40,000
    # notes took ~450 ms extracting from `data`, ~5 ms from these columns (~4 ms with no
    # settings at all). NULL where a stored score lacks the field (the app then reads
    # the Score model's default).
    tempo: Mapped[float | None] = mapped_column(
        Float, Computed("(data ->> 'tempo')::double precision", persisted=True))
    tonic: Mapped[str | None] = mapped_column(
        Text, Computed("data -> 'key' ->> 'tonic'", persisted=True))
    mode: Mapped[str | None] = mapped_column(
        Text, Computed("data -> 'key' ->> 'mode'", persisted=True))
    meter: Mapped[str | None] = mapped_column(
        Text, Computed("(data -> 'meter' ->> 'numerator') || '/' || "
                       "(data -> 'meter' ->> 'denominator')", persisted=True))


class ScoreVersion(UUIDPrimaryKey, Base):
    """Append-only history: who changed the score, when and why."""

    __tablename__ = "score_versions"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)  # indexed by the UQ
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    reason: Mapped[str] = mapped_column(String(16), nullable=False)
    summary: Mapped[str] = mapped_column(String(500), nullable=False, server_default="")
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
    # A name people give a version ("verse idea 2"); a named version is never coalesced
    # into by later edits. Empty when unnamed.
    name: Mapped[str] = mapped_column(String(80), nullable=False, server_default="")
    # When the version last absorbed a coalesced edit (equal to created_at until then).
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
