"""Every project endpoint × every kind of caller, asserting the exact status.

A stranger gets 404 (a project's existence is not leaked), a viewer 403 on writes, an
editor 403 on owner-only actions, and anonymous callers 401.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import pytest

from tests.conftest import assert_error, new_user

ROLES = ("owner", "editor", "viewer", "stranger", "anonymous")
CODE_FOR = {401: "AUTHENTICATION_ERROR", 403: "AUTHORIZATION_ERROR", 404: "NOT_FOUND"}


@dataclass
class World:
    project_id: str
    headers: dict[str, dict[str, str]]
    emails: dict[str, str]
    user_ids: dict[str, str]


Call = Callable[[httpx.AsyncClient, World, str], Awaitable[httpx.Response]]


async def make_world(client: httpx.AsyncClient) -> World:
    emails, headers = {}, {}
    for role in ("owner", "editor", "viewer", "stranger", "newcomer"):
        emails[role], headers[role] = await new_user(client, role)
    headers["anonymous"] = {}
    project = (await client.post("/api/v1/projects", headers=headers["owner"],
                                 json={"name": "Matrix"})).json()
    user_ids = {}
    for role in ("editor", "viewer"):
        added = await client.post(f"/api/v1/projects/{project['id']}/members",
                                  headers=headers["owner"],
                                  json={"email": emails[role], "role": role})
        user_ids[role] = added.json()["user_id"]
    return World(project["id"], headers, emails, user_ids)


def _url(world: World, suffix: str = "") -> str:
    return f"/api/v1/projects/{world.project_id}{suffix}"


async def get_project(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    return await c.get(_url(w), headers=w.headers[who])


async def update_project(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    return await c.patch(_url(w), headers=w.headers[who], json={"genre": "jazz"})


async def delete_project(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    return await c.delete(_url(w), headers=w.headers[who])


async def list_members(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    return await c.get(_url(w, "/members"), headers=w.headers[who])


async def add_member(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    return await c.post(_url(w, "/members"), headers=w.headers[who],
                        json={"email": w.emails["newcomer"], "role": "viewer"})


async def change_role(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    return await c.patch(_url(w, f"/members/{w.user_ids['viewer']}"), headers=w.headers[who],
                         json={"role": "editor"})


async def remove_other_member(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    target = "editor" if who == "viewer" else "viewer"
    return await c.delete(_url(w, f"/members/{w.user_ids[target]}"), headers=w.headers[who])


async def list_projects(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    return await c.get("/api/v1/projects", headers=w.headers[who])


async def create_project(c: httpx.AsyncClient, w: World, who: str) -> httpx.Response:
    return await c.post("/api/v1/projects", headers=w.headers[who], json={"name": "Mine"})


EXPECTED: dict[str, tuple[Call, dict[str, int]]] = {
    "get project": (get_project, dict(owner=200, editor=200, viewer=200, stranger=404,
                                      anonymous=401)),
    "update project": (update_project, dict(owner=200, editor=200, viewer=403, stranger=404,
                                            anonymous=401)),
    "delete project": (delete_project, dict(owner=204, editor=403, viewer=403, stranger=404,
                                            anonymous=401)),
    "list members": (list_members, dict(owner=200, editor=200, viewer=200, stranger=404,
                                        anonymous=401)),
    "add member": (add_member, dict(owner=201, editor=403, viewer=403, stranger=404,
                                    anonymous=401)),
    "change member role": (change_role, dict(owner=200, editor=403, viewer=403, stranger=404,
                                             anonymous=401)),
    "remove another member": (remove_other_member, dict(owner=204, editor=403, viewer=403,
                                                        stranger=404, anonymous=401)),
    "list projects": (list_projects, dict(owner=200, editor=200, viewer=200, stranger=200,
                                          anonymous=401)),
    "create project": (create_project, dict(owner=201, editor=201, viewer=201, stranger=201,
                                            anonymous=401)),
}


@pytest.mark.parametrize("action", list(EXPECTED))
async def test_authorization_matrix(client: httpx.AsyncClient, action: str) -> None:
    call, expected = EXPECTED[action]
    world = await make_world(client)
    observed: dict[str, int] = {}
    for who in ROLES:
        # Each caller acts on an untouched project: a successful delete would hide
        # what the next caller gets.
        if observed and 200 <= max(observed.values()) < 300 and action.startswith(
                ("delete", "remove", "add", "change")):
            world = await make_world(client)
        response = await call(client, world, who)
        observed[who] = response.status_code
        if response.status_code in CODE_FOR:
            assert_error(response, response.status_code, CODE_FOR[response.status_code])
    assert observed == expected


async def test_stranger_cannot_tell_missing_from_forbidden(client: httpx.AsyncClient) -> None:
    world = await make_world(client)
    missing = await client.get("/api/v1/projects/00000000-0000-4000-8000-000000000000",
                               headers=world.headers["stranger"])
    hidden = await client.get(_url(world), headers=world.headers["stranger"])
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json()
