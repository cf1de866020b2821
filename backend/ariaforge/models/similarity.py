"""Similarity search: embedded windows of melody and harmony (pgvector, HNSW), from the
shipped reference corpus and from every version of every project's score.

A window is 2, 4 or 8 bars of one line (a track's melody, or the harmony); its vector is
transposition- and tempo-invariant (`ariaforge.music.similarity`). The notes are kept with
it so that a match can be shown bar by bar without reading the score again."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ariaforge.models.base import Base

EMBEDDING_DIMENSIONS = 128


class ReferenceTune(Base):
    """One tune of the reference corpus (public-domain tunes and chorales AriaForge ships)."""

    __tablename__ = "reference_tunes"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # e.g. "oneills1850/…#12"
    title: Mapped[str] = mapped_column(String(300), nullable=False, server_default="")
    source: Mapped[str] = mapped_column(String(64), nullable=False)
    licence: Mapped[str] = mapped_column(String(300), nullable=False, server_default="")
    # What the rest of the corpus was ingested from (the shipped file's digest): a changed
    # file is ingested again at the next start.
    corpus_version: Mapped[str] = mapped_column(String(64), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)  # key, meter, notes


class SimilarityWindow(Base):
    __tablename__ = "similarity_windows"
    __table_args__ = (
        CheckConstraint("(reference_tune_id IS NULL) <> (project_id IS NULL)",
                        name="one_source"),
        CheckConstraint("kind IN ('melody', 'harmony')", name="kind"),
        Index("ix_similarity_windows_project_version", "project_id", "version_number"),
        Index("ix_similarity_windows_embedding_hnsw", "embedding",
              postgresql_using="hnsw", postgresql_with={"m": 16, "ef_construction": 64},
              postgresql_ops={"embedding": "vector_cosine_ops"}),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    reference_tune_id: Mapped[str | None] = mapped_column(
        ForeignKey("reference_tunes.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"))
    version_number: Mapped[int | None] = mapped_column(Integer)
    track_id: Mapped[str | None] = mapped_column(String(64))
    track_name: Mapped[str] = mapped_column(String(100), nullable=False, server_default="")
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    bars: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    start_bar: Mapped[int] = mapped_column(Integer, nullable=False)  # 1-based
    # [[pitch, start tick from the window's start, duration], ...] (harmony: chord tokens)
    notes: Mapped[list[Any]] = mapped_column(JSONB, nullable=False)
    embedding: Mapped[Any] = mapped_column(Vector(EMBEDDING_DIMENSIONS), nullable=False)


class IndexedVersion(Base):
    """Which versions have their windows stored (a coalesced version is indexed again
    when its `updated_at` moves past `indexed_at`)."""

    __tablename__ = "similarity_indexed_versions"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    version_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    windows: Mapped[int] = mapped_column(Integer, nullable=False)
    indexed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)
