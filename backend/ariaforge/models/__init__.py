"""All ORM models, imported here so Alembic and the app see one complete metadata."""

from ariaforge.models.base import Base
from ariaforge.models.collab import CollabDocument, CollabUpdate
from ariaforge.models.export import Export, ProjectMix
from ariaforge.models.job import FINISHED, Job, JobStatus
from ariaforge.models.project import Project, ProjectMember, ProjectRole, ProjectStatus
from ariaforge.models.score import ProjectScore, ScoreVersion, VersionReason
from ariaforge.models.session import CompositionSession
from ariaforge.models.share_link import ShareLink
from ariaforge.models.user import RefreshToken, User

__all__ = [
    "FINISHED", "Base", "CollabDocument", "CollabUpdate", "CompositionSession", "Export",
    "Job", "JobStatus", "Project", "ProjectMember", "ProjectMix", "ProjectRole",
    "ProjectScore", "ProjectStatus", "RefreshToken", "ScoreVersion", "ShareLink", "User",
    "VersionReason",
]
