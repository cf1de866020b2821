from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ariaforge.models.base import Base, Timestamps, UUIDPrimaryKey


class ProjectStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class ProjectRole(StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


def _string_enum(enum: type[StrEnum], name: str) -> Enum:
    # A CHECK constraint rather than a native PG enum: adding a value later is a plain
    # constraint swap, not an ALTER TYPE that cannot run inside a transaction.
    return Enum(enum, name=name, native_enum=False, create_constraint=True, length=16,
                values_callable=lambda members: [member.value for member in members])


class Project(UUIDPrimaryKey, Timestamps, Base):
    """What belongs to the project itself. Its tempo, key, mode and meter belong to its
    score (`ProjectScore.data`), the one place they are stored."""

    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "gin_trgm_ops"}),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    genre: Mapped[str] = mapped_column(String(50), nullable=False, server_default="")
    status: Mapped[ProjectStatus] = mapped_column(
        _string_enum(ProjectStatus, "project_status"), nullable=False,
        server_default=ProjectStatus.DRAFT.value)
    # Bumped when the project's own fields change (never by score edits); clients send it
    # back (body or If-Match) to avoid lost updates.
    revision: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")


class ProjectMember(Timestamps, Base):
    __tablename__ = "project_members"
    __table_args__ = (
        # Exactly one owner per project.
        Index("uq_project_members_one_owner", "project_id", unique=True,
              postgresql_where=text("role = 'owner'")),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[ProjectRole] = mapped_column(
        _string_enum(ProjectRole, "project_role"), nullable=False)
