"""All ORM models, imported here so Alembic and the app see one complete metadata."""

from ariaforge.models.base import Base
from ariaforge.models.project import Project, ProjectMember, ProjectRole, ProjectStatus
from ariaforge.models.user import RefreshToken, User

__all__ = [
    "Base", "Project", "ProjectMember", "ProjectRole", "ProjectStatus", "RefreshToken", "User",
]
