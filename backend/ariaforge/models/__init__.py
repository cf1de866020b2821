"""All ORM models, imported here so Alembic and the app see one complete metadata."""

from ariaforge.models.analytics import CollabVisit
from ariaforge.models.base import Base
from ariaforge.models.collab import CollabDocument, CollabUpdate
from ariaforge.models.export import Export, ProjectMix
from ariaforge.models.job import FINISHED, Job, JobStatus
from ariaforge.models.library import Preset, Sample, SampleShare, SoundFontFile
from ariaforge.models.project import Project, ProjectMember, ProjectRole, ProjectStatus
from ariaforge.models.score import ProjectScore, ScoreVersion, VersionReason
from ariaforge.models.session import CompositionSession
from ariaforge.models.share_link import ShareLink
from ariaforge.models.similarity import IndexedVersion, ReferenceTune, SimilarityWindow
from ariaforge.models.user import RefreshToken, User

__all__ = [
    "FINISHED", "Base", "CollabDocument", "CollabUpdate", "CollabVisit", "CompositionSession",
    "Export", "IndexedVersion", "Job", "JobStatus", "Preset", "Project", "ProjectMember",
    "ProjectMix", "ProjectRole", "ProjectScore", "ProjectStatus", "ReferenceTune",
    "RefreshToken", "Sample", "SampleShare", "ScoreVersion", "ShareLink", "SimilarityWindow",
    "SoundFontFile", "User", "VersionReason",
]
