"""Live-editing visits, for a project's collaboration hours: one row from a person's
first connection to a project's live room until their last one closes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, func
from sqlalchemy.orm import Mapped, mapped_column

from ariaforge.models.base import Base, UUIDPrimaryKey


class CollabVisit(UUIDPrimaryKey, Base):
    __tablename__ = "collab_visits"
    __table_args__ = (Index("ix_collab_visits_project_started", "project_id", "started_at"),)

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
    # Moved forward while the visit lasts (a crashed process leaves the last heartbeat).
    last_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
