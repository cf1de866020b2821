"""Project use cases and who may do what. Services never commit: the request edge does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ariaforge.auth.repository import UserRepository
from ariaforge.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ariaforge.core.metrics import COMPOSITIONS_CREATED
from ariaforge.core.revisions import check_revision, expected_revision
from ariaforge.membership.access import OWNERS, WRITERS, authorize
from ariaforge.models import Project, ProjectMember, ProjectRole, User
from ariaforge.music.score import Meter
from ariaforge.projects.repository import MemberRepository, ProjectRepository, ProjectView
from ariaforge.projects.schemas import (
    MemberAdd,
    MemberOut,
    MemberUpdate,
    ProjectCreate,
    ProjectListQuery,
    ProjectOut,
    ProjectPage,
    ProjectUpdate,
)
from ariaforge.scores import service as scores
from ariaforge.scores.schemas import SettingsChange

# The score's, not the project's: the project form edits them, the score stores them.
MUSICAL_SETTINGS = frozenset({"tempo", "key", "mode", "meter"})


def _settings(fields: dict[str, Any]) -> SettingsChange:
    meter = fields.get("meter")
    return SettingsChange(tempo=fields.get("tempo"), tonic=fields.get("key"),
                          mode=fields.get("mode"),
                          meter=Meter.parse(meter) if meter is not None else None)


def _out(view: ProjectView) -> ProjectOut:
    return ProjectOut.model_validate({
        **view.project.__dict__, "role": view.role, "tempo": view.tempo, "key": view.key,
        "mode": view.mode, "meter": view.meter, "updated_at": view.updated_at})


async def _view(session: AsyncSession, user: User, project_id: uuid.UUID) -> ProjectOut:
    view = await ProjectRepository(session).view(project_id, user.id)
    if view is None:
        raise NotFound("project not found")
    return _out(view)


async def create(session: AsyncSession, user: User, body: ProjectCreate) -> ProjectOut:
    fields = body.model_dump()
    own = {field: value for field, value in fields.items() if field not in MUSICAL_SETTINGS}
    project = await ProjectRepository(session).add(Project(**own), user.id)
    await scores.create_initial(session, project.id, user, _settings(fields))
    COMPOSITIONS_CREATED.inc()
    return await _view(session, user, project.id)


async def list_page(session: AsyncSession, user: User, query: ProjectListQuery) -> ProjectPage:
    views, total = await ProjectRepository(session).page(
        user.id, search=query.search, status=query.status, page=query.page, limit=query.limit)
    return ProjectPage(items=[_out(view) for view in views], total=total, page=query.page,
                       limit=query.limit)


async def get(session: AsyncSession, user: User, project_id: uuid.UUID) -> ProjectOut:
    return await _view(session, user, project_id)


async def update(session: AsyncSession, user: User, project_id: uuid.UUID,
                 body: ProjectUpdate, if_match: str | None) -> ProjectOut:
    """The project's own fields change here; tempo, key, mode and meter go to the score as
    a score edit. Either bumps the project's revision: two people sending the same
    revision cannot both change the settings unseen (a score edit made in the workspace
    does not, so opening or editing the music never makes the project list stale)."""
    expected = expected_revision(body.revision, if_match)
    project, _ = await authorize(session, project_id, user, WRITERS, for_update=True)
    check_revision(project.revision, expected)
    changes = body.model_dump(exclude_unset=True, exclude={"revision"})
    for field, value in changes.items():
        if value is None:
            raise ValidationFailed(f"{field} may not be null",
                                   [{"loc": ["body", field], "msg": "may not be null",
                                     "type": "null_not_allowed"}])
    own = {field: value for field, value in changes.items() if field not in MUSICAL_SETTINGS}
    for field, value in own.items():
        setattr(project, field, value)
    settings_changed = bool(changes.keys() & MUSICAL_SETTINGS) and await scores.change_settings(
        session, user, project_id, _settings(changes))
    if own or settings_changed:
        project.revision += 1
        project.updated_at = datetime.now(UTC)
        await session.flush()
    return await _view(session, user, project_id)


async def delete(session: AsyncSession, user: User, project_id: uuid.UUID) -> None:
    project, _ = await authorize(session, project_id, user, OWNERS, for_update=True)
    await ProjectRepository(session).delete(project)


def _member_out(member: ProjectMember, account: User) -> MemberOut:
    return MemberOut(user_id=account.id, email=account.email,
                     display_name=account.display_name, role=member.role,
                     created_at=member.created_at)


async def list_members(session: AsyncSession, user: User,
                       project_id: uuid.UUID) -> list[MemberOut]:
    await authorize(session, project_id, user)
    rows = await MemberRepository(session).list(project_id)
    return [_member_out(member, account) for member, account in rows]


async def add_member(session: AsyncSession, user: User, project_id: uuid.UUID,
                     body: MemberAdd) -> MemberOut:
    await authorize(session, project_id, user, OWNERS, for_update=True)
    account = await UserRepository(session).by_email(body.email)
    if account is None:
        # 422, not 404: the project exists; what is wrong is the address in the body.
        message = "no account with this email; ask them to register first"
        raise ValidationFailed(message, [{"loc": ["body", "email"], "msg": message,
                                          "type": "unknown_account"}])
    members = MemberRepository(session)
    if await members.get(project_id, account.id) is not None:
        raise Conflict("already a member of this project")
    member = await members.add(ProjectMember(project_id=project_id, user_id=account.id,
                                             role=body.role))
    await session.refresh(member)
    return _member_out(member, account)


async def change_member_role(session: AsyncSession, user: User, project_id: uuid.UUID,
                             member_id: uuid.UUID, body: MemberUpdate) -> MemberOut:
    await authorize(session, project_id, user, OWNERS, for_update=True)
    members = MemberRepository(session)
    member = await members.get(project_id, member_id)
    account = await UserRepository(session).by_id(member_id)
    if member is None or account is None:
        raise NotFound("not a member of this project")
    if member_id == user.id:
        raise Conflict("the owner's role changes only by transferring ownership to another "
                       "member")
    if body.role is ProjectRole.OWNER:
        # Transfer: the old owner stays on as an editor. Demote first (one owner at a time).
        current = await members.get(project_id, user.id)
        assert current is not None
        current.role = ProjectRole.EDITOR
        await session.flush()
    member.role = body.role
    member.updated_at = datetime.now(UTC)
    await session.flush()
    return _member_out(member, account)


async def remove_member(session: AsyncSession, user: User, project_id: uuid.UUID,
                        member_id: uuid.UUID) -> None:
    _, role = await authorize(session, project_id, user, for_update=True)
    if member_id != user.id and role is not ProjectRole.OWNER:
        raise Forbidden("only the owner removes other members")
    members = MemberRepository(session)
    member = await members.get(project_id, member_id)
    if member is None:
        raise NotFound("not a member of this project")
    if member.role is ProjectRole.OWNER:
        raise Conflict("the owner cannot leave; transfer ownership or delete the project")
    await members.remove(project_id, member_id)
