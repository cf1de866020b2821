"""The live documents of co-editing (ariaforge.collab): a snapshot per project and the
Yjs updates appended since, in the order they were committed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, LargeBinary, func
from sqlalchemy.orm import Mapped, mapped_column

from ariaforge.models.base import Base


class CollabDocument(Base):
    """A project's live document: `snapshot` holds every update up to and including
    `snapshot_update_id`; the score row holds every update up to
    `materialised_update_id`."""

    __tablename__ = "collab_documents"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    snapshot: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    snapshot_update_id: Mapped[int] = mapped_column(BigInteger, nullable=False,
                                                    server_default="0")
    materialised_update_id: Mapped[int] = mapped_column(BigInteger, nullable=False,
                                                        server_default="0")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)


class CollabUpdate(Base):
    """One appended Yjs update. It belongs to the document rather than directly to the
    project: appending then locks only the document's row (see collab/repository.py)."""

    __tablename__ = "collab_updates"
    __table_args__ = (Index("ix_collab_updates_project_id_id", "project_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("collab_documents.project_id", ondelete="CASCADE"), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
