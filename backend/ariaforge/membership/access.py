"""Who may do what on a project: the one check every project-scoped endpoint uses."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.core.errors import Forbidden, NotFound
from ariaforge.membership.repository import MembershipRepository
from ariaforge.models import Project, ProjectRole, User

WRITERS = frozenset({ProjectRole.OWNER, ProjectRole.EDITOR})
OWNERS = frozenset({ProjectRole.OWNER})


async def authorize(session: AsyncSession, project_id: uuid.UUID, user: User,
                    allowed: frozenset[ProjectRole] | None = None, *,
                    for_update: bool = False) -> tuple[Project, ProjectRole]:
    """The project and the user's role, or 404 for non-members (no existence leak)."""
    found = await MembershipRepository(session).with_role(project_id, user.id,
                                                           for_update=for_update)
    if found is None:
        raise NotFound("project not found")
    if allowed is not None and found[1] not in allowed:
        raise Forbidden(f"a {found[1].value} may not do this")
    return found
