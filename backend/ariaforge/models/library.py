"""The sound library: instrument presets (shipped and users' own), uploaded SoundFonts, and
audio samples (loops and one-shots) that tracks and the renderer use. Files live in the
object storage under `storage_key`; rows hold what search and validation need."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ariaforge.models.base import Base, UUIDPrimaryKey


class SoundFontFile(UUIDPrimaryKey, Base):
    """An uploaded SF2, validated when it arrived; `presets` lists what it offers."""

    __tablename__ = "library_soundfonts"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(300), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    presets: Mapped[list[Any]] = mapped_column(JSONB, nullable=False)  # [{bank, preset, name}]
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)


class Preset(UUIDPrimaryKey, Base):
    """An instrument preset: a GM program or a preset of an uploaded SoundFont, with an
    effects chain and mix defaults. Shipped presets have no owner."""

    __tablename__ = "library_presets"
    __table_args__ = (
        Index("ix_library_presets_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "gin_trgm_ops"}),
    )

    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    program: Mapped[int] = mapped_column(SmallInteger, nullable=False, server_default="0")
    is_drum: Mapped[bool] = mapped_column(nullable=False, server_default="false")
    soundfont_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("library_soundfonts.id", ondelete="CASCADE"))
    bank: Mapped[int] = mapped_column(SmallInteger, nullable=False, server_default="0")
    preset_number: Mapped[int] = mapped_column(SmallInteger, nullable=False, server_default="0")
    effects: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)  # a track's fx
    mix: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)  # volume, pan
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)


class Sample(UUIDPrimaryKey, Base):
    """An audio loop or one-shot, decoded and measured on upload (bpm and key detected,
    editable). Private to its owner unless shared with a project (`SampleShare`)."""

    __tablename__ = "library_samples"
    __table_args__ = (
        Index("ix_library_samples_search_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    bpm: Mapped[float | None] = mapped_column(Float)
    key: Mapped[str | None] = mapped_column(String(16))  # "A minor", "F# major"
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False,
                                            server_default="{}")
    # name + category + tags + key, lower-cased: what text search (pg_trgm) reads.
    search_text: Mapped[str] = mapped_column(String(1000), nullable=False, server_default="")
    storage_key: Mapped[str] = mapped_column(String(300), nullable=False)
    format: Mapped[str] = mapped_column(String(8), nullable=False)  # wav, flac, mp3, ogg
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    duration_s: Mapped[float] = mapped_column(Float, nullable=False)
    sample_rate: Mapped[int] = mapped_column(Integer, nullable=False)
    channels: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    detected: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)  # bpm/key + confidence
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False)


class SampleShare(Base):
    """A sample the members of a project may hear, place and render."""

    __tablename__ = "library_sample_shares"

    sample_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("library_samples.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True, index=True)
