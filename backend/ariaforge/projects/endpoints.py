from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.revisions import IfMatch
from ariaforge.core.routing import API_PREFIX
from ariaforge.projects import service
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

router = APIRouter(prefix=f"{API_PREFIX}/projects", tags=["projects"])


def _with_etag(response: Response, project: ProjectOut) -> ProjectOut:
    response.headers["ETag"] = f'"{project.revision}"'
    return project


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProjectOut)
async def create_project(body: ProjectCreate, user: CurrentUser, session: SessionDep,
                         response: Response) -> ProjectOut:
    return _with_etag(response, await service.create(session, user, body))


@router.get("", response_model=ProjectPage)
async def list_projects(query: Annotated[ProjectListQuery, Query()], user: CurrentUser,
                        session: SessionDep) -> ProjectPage:
    """Projects you are a member of, most recently changed first."""
    return await service.list_page(session, user, query)


@router.get("/{project_id}", response_model=ProjectOut)
async def get_project(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                      response: Response) -> ProjectOut:
    return _with_etag(response, await service.get(session, user, project_id))


@router.patch("/{project_id}", response_model=ProjectOut)
async def update_project(project_id: uuid.UUID, body: ProjectUpdate, user: CurrentUser,
                         session: SessionDep, response: Response,
                         if_match: IfMatch = None) -> ProjectOut:
    """Change fields. Send the `revision` you edited (or If-Match) to get 409 instead of
    overwriting someone else's change."""
    project = await service.update(session, user, project_id, body, if_match)
    return _with_etag(response, project)


@router.delete("/{project_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_project(project_id: uuid.UUID, user: CurrentUser,
                         session: SessionDep) -> None:
    await service.delete(session, user, project_id)


@router.get("/{project_id}/members", response_model=list[MemberOut])
async def list_members(project_id: uuid.UUID, user: CurrentUser,
                       session: SessionDep) -> list[MemberOut]:
    return await service.list_members(session, user, project_id)


@router.post("/{project_id}/members", status_code=status.HTTP_201_CREATED,
             response_model=MemberOut)
async def add_member(project_id: uuid.UUID, body: MemberAdd, user: CurrentUser,
                     session: SessionDep) -> MemberOut:
    """Share the project with a registered account by email (owner only)."""
    return await service.add_member(session, user, project_id, body)


@router.patch("/{project_id}/members/{member_id}", response_model=MemberOut)
async def change_member_role(project_id: uuid.UUID, member_id: uuid.UUID, body: MemberUpdate,
                             user: CurrentUser, session: SessionDep) -> MemberOut:
    """Change a member's role (owner only). Making someone owner transfers ownership."""
    return await service.change_member_role(session, user, project_id, member_id, body)


@router.delete("/{project_id}/members/{member_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(project_id: uuid.UUID, member_id: uuid.UUID, user: CurrentUser,
                        session: SessionDep) -> None:
    """Remove a member (owner), or leave the project yourself."""
    await service.remove_member(session, user, project_id, member_id)
