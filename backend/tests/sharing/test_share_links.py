"""Share links over the in-process app: who may create, list and revoke them, what a
token opens (the shared page and its notation) and what it does not (anything else)."""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from tests.conftest import assert_error, new_user, overridden_settings
from tests.sharing.support import (
    API,
    add_member,
    create_link,
    project_with_score,
    shared_piece,
    token_header,
)


async def test_a_link_opens_the_name_score_and_mix_without_an_account(
        client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    link = await create_link(client, project, owner, "  for the band ")
    assert link["label"] == "for the band"
    assert link["url"].endswith(f"/listen/#{link['token']}")
    assert len(link["token"]) == 43

    shared = await client.get(f"{API}/shared", headers=token_header(link["token"]))
    assert shared.status_code == 200, shared.text
    assert shared.headers["cache-control"] == "no-store"
    body = shared.json()
    assert set(body) == {"project", "score", "mix"}
    assert body["project"] == {"name": "Harbour Lights"}
    assert [t["name"] for t in body["score"]["tracks"]] == ["Flute", "Cello"]
    assert len(body["score"]["tracks"][0]["notes"]) == len(shared_piece().tracks[0].notes)
    assert "master" in body["mix"]


async def test_only_the_tokens_hash_is_stored(client: httpx.AsyncClient,
                                              app: FastAPI) -> None:
    project, owner = await project_with_score(client)
    link = await create_link(client, project, owner)
    async with app.state.engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT token_hash, label FROM share_links WHERE project_id = :p"),
            {"p": project})).all()
    assert len(rows) == 1
    assert bytes(rows[0][0]) == hashlib.sha256(link["token"].encode()).digest()
    assert link["token"].encode() not in bytes(rows[0][0])


async def test_the_list_shows_live_links_without_tokens(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    viewer = await add_member(client, project, owner, "viewer")
    first = await create_link(client, project, owner, "first")
    second = await create_link(client, project, owner, "second")
    listed = await client.get(f"{API}/projects/{project}/share-links", headers=viewer)
    assert listed.status_code == 200, listed.text
    assert [link["label"] for link in listed.json()] == ["second", "first"]
    assert all("token" not in link and "url" not in link for link in listed.json())
    assert first["token"] not in listed.text and second["token"] not in listed.text
    revoked = await client.delete(
        f"{API}/projects/{project}/share-links/{first['id']}", headers=owner)
    assert revoked.status_code == 204
    after = await client.get(f"{API}/projects/{project}/share-links", headers=owner)
    assert [link["id"] for link in after.json()] == [second["id"]]


async def test_who_may_create_and_revoke(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    editor = await add_member(client, project, owner, "editor")
    other_editor = await add_member(client, project, owner, "editor")
    viewer = await add_member(client, project, owner, "viewer")
    _, stranger = await new_user(client, "stranger")
    links = f"{API}/projects/{project}/share-links"

    assert_error(await client.post(links, headers=viewer, json={}), 403,
                 "AUTHORIZATION_ERROR")
    assert_error(await client.post(links, headers=stranger, json={}), 404, "NOT_FOUND")
    assert_error(await client.get(links, headers=stranger), 404, "NOT_FOUND")
    assert_error(await client.post(links, json={}), 401, "AUTHENTICATION_ERROR")

    owners = await create_link(client, project, owner, "owner's")
    editors = await create_link(client, project, editor, "editor's")
    assert_error(await client.delete(f"{links}/{owners['id']}", headers=editor), 403,
                 "AUTHORIZATION_ERROR")
    assert_error(await client.delete(f"{links}/{editors['id']}", headers=other_editor), 403,
                 "AUTHORIZATION_ERROR")
    assert_error(await client.delete(f"{links}/{editors['id']}", headers=viewer), 403,
                 "AUTHORIZATION_ERROR")
    assert_error(await client.delete(f"{links}/{owners['id']}", headers=stranger), 404,
                 "NOT_FOUND")
    # The refusals changed nothing: both links still open the page.
    for link in (owners, editors):
        opened = await client.get(f"{API}/shared", headers=token_header(link["token"]))
        assert opened.status_code == 200, opened.text

    assert (await client.delete(f"{links}/{editors['id']}", headers=editor)).status_code == 204
    assert (await client.delete(f"{links}/{owners['id']}", headers=owner)).status_code == 204
    assert_error(await client.delete(f"{links}/{owners['id']}", headers=owner), 404,
                 "NOT_FOUND")


async def test_owner_revokes_an_editors_link_and_it_is_gone_at_once(
        client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    editor = await add_member(client, project, owner, "editor")
    link = await create_link(client, project, editor)
    headers = token_header(link["token"])
    assert (await client.get(f"{API}/shared", headers=headers)).status_code == 200
    revoked = await client.delete(f"{API}/projects/{project}/share-links/{link['id']}",
                                  headers=owner)
    assert revoked.status_code == 204
    gone = assert_error(await client.get(f"{API}/shared", headers=headers), 404, "NOT_FOUND")
    unknown = assert_error(await client.get(
        f"{API}/shared", headers=token_header("A" * 43)), 404, "NOT_FOUND")
    assert gone == unknown  # revoked and never-issued look alike
    assert_error(await client.get(f"{API}/shared/notation.svg", headers=headers), 404,
                 "NOT_FOUND")


async def test_a_deleted_project_takes_its_links_with_it(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    link = await create_link(client, project, owner)
    assert (await client.delete(f"{API}/projects/{project}", headers=owner)).status_code == 204
    assert_error(await client.get(f"{API}/shared", headers=token_header(link["token"])), 404,
                 "NOT_FOUND")


async def test_shared_notation_pages_and_parts(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    headers = token_header((await create_link(client, project, owner))["token"])
    full = await client.get(f"{API}/shared/notation.svg", headers=headers)
    assert full.status_code == 200, full.text
    assert full.headers["content-type"].startswith("image/svg+xml")
    assert full.headers["x-page-count"] == "1"
    assert (full.headers["x-page-first-bar"], full.headers["x-page-last-bar"]) == ("1", "2")
    assert full.content.count(b'class="note"') == 10
    part = await client.get(f"{API}/shared/notation.svg", headers=headers,
                            params={"track": "low"})
    assert part.status_code == 200, part.text
    assert part.content.count(b'class="note"') == 2
    members = await client.get(f"{API}/projects/{project}/notation.svg", headers=owner)
    assert members.status_code == 200
    assert members.content == full.content  # the one engraving path
    assert_error(await client.get(f"{API}/shared/notation.svg", headers=headers,
                                  params={"track": "nope"}), 404, "NOT_FOUND")
    assert_error(await client.get(f"{API}/shared/notation.svg", headers=headers,
                                  params={"page": 2}), 404, "NOT_FOUND")


@pytest.mark.parametrize("path", [
    "/projects/{p}", "/projects/{p}/score", "/projects/{p}/versions", "/projects/{p}/mix",
    "/projects/{p}/members", "/projects/{p}/notation.svg", "/projects/{p}/share-links",
    "/projects/{p}/tracks", "/projects",
])
async def test_a_token_opens_nothing_else(client: httpx.AsyncClient, path: str) -> None:
    project, owner = await project_with_score(client)
    token = (await create_link(client, project, owner))["token"]
    url = API + path.format(p=project)
    for headers in (token_header(token), {"Authorization": f"Bearer {token}"}):
        assert_error(await client.get(url, headers=headers), 401, "AUTHENTICATION_ERROR")
    writes = await client.put(f"{API}/projects/{project}/score", headers=token_header(token),
                              json={"score": shared_piece().model_dump(mode="json")})
    assert_error(writes, 401, "AUTHENTICATION_ERROR")


@pytest.mark.parametrize(("headers", "params"), [
    ({}, {}),
    ({"X-Share-Token": "short"}, {}),
    ({"X-Share-Token": "A" * 44}, {}),
    ({"X-Share-Token": "A" * 42 + "!"}, {}),
    ({"X-Share-Token": "A" * 43}, {"page": "0"}),
    ({"X-Share-Token": "A" * 43}, {"page": "x"}),
    ({"X-Share-Token": "A" * 43}, {"track": "bad track!"}),
])
async def test_bad_public_requests_are_422(client: httpx.AsyncClient, headers: dict[str, str],
                                           params: dict[str, str]) -> None:
    for path in ("/shared", "/shared/notation.svg"):
        if params and path == "/shared":
            continue
        assert_error(await client.get(API + path, headers=headers, params=params), 422,
                     "VALIDATION_ERROR")


@pytest.mark.parametrize("body", [
    {"label": "x" * 81}, {"label": "x" * 79 + "  "}, {"label": "line\nbreak"}, {"label": 5},
    {"extra": 1}, [],
])
async def test_bad_link_bodies_are_422(client: httpx.AsyncClient, body: object) -> None:
    project, owner = await project_with_score(client)
    response = await client.post(f"{API}/projects/{project}/share-links", headers=owner,
                                 json=body)
    assert_error(response, 422, "VALIDATION_ERROR")


async def test_bad_link_ids_are_4xx(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(client)
    links = f"{API}/projects/{project}/share-links"
    assert_error(await client.delete(f"{links}/not-a-uuid", headers=owner), 422,
                 "VALIDATION_ERROR")
    assert_error(await client.delete(f"{links}/{uuid.uuid4()}", headers=owner), 404,
                 "NOT_FOUND")


async def test_public_lookups_are_rate_limited_per_address(
        client: httpx.AsyncClient, app: FastAPI) -> None:
    project, owner = await project_with_score(client)
    token = (await create_link(client, project, owner))["token"]
    with overridden_settings(app, share_lookups_per_ip=3):
        answers = [(await client.get(f"{API}/shared", headers=token_header(
            token if n % 2 else "B" * 43))).status_code for n in range(3)]
        assert answers == [404, 200, 404]
        limited = assert_error(await client.get(f"{API}/shared",
                                                headers=token_header(token)),
                               429, "RATE_LIMIT_EXCEEDED")
        assert limited["details"]["retry_after"] >= 1
