from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import assert_error, new_user

PROJECTS = "/api/v1/projects"


async def create(client: httpx.AsyncClient, headers: dict[str, str],
                 **fields: Any) -> dict[str, Any]:
    response = await client.post(PROJECTS, headers=headers, json={"name": "Song", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_get_update_delete(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = await create(client, owner, name="Melancholic waltz", description="for piano\n",
                           tempo=90, key="D", mode="minor", meter="3/4", genre="waltz",
                           status="active")
    assert project["role"] == "owner"
    assert project["revision"] == 1
    fetched = await client.get(f"{PROJECTS}/{project['id']}", headers=owner)
    assert fetched.status_code == 200
    assert fetched.headers["etag"] == '"1"'
    assert {k: fetched.json()[k] for k in ("name", "tempo", "key", "mode", "meter", "genre",
                                           "status")} == {
        "name": "Melancholic waltz", "tempo": 90, "key": "D", "mode": "minor", "meter": "3/4",
        "genre": "waltz", "status": "active"}

    updated = await client.patch(f"{PROJECTS}/{project['id']}", headers=owner,
                                 json={"name": "Waltz", "tempo": 96, "revision": 1})
    assert updated.status_code == 200
    assert (updated.json()["name"], updated.json()["tempo"]) == ("Waltz", 96)
    assert updated.json()["revision"] == 2
    assert updated.json()["genre"] == "waltz"  # untouched fields stay
    assert updated.headers["etag"] == '"2"'

    assert (await client.delete(f"{PROJECTS}/{project['id']}", headers=owner)).status_code == 204
    assert_error(await client.get(f"{PROJECTS}/{project['id']}", headers=owner), 404,
                 "NOT_FOUND")


async def test_defaults(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = await create(client, owner)
    assert {k: project[k] for k in ("tempo", "key", "mode", "meter", "status", "description",
                                    "genre")} == {
        "tempo": 120, "key": "C", "mode": "major", "meter": "4/4", "status": "draft",
        "description": "", "genre": ""}


async def test_stale_revision_conflicts_in_body_and_if_match(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = await create(client, owner)
    url = f"{PROJECTS}/{project['id']}"
    assert (await client.patch(url, headers=owner, json={"name": "A", "revision": 1})
            ).status_code == 200
    stale = await client.patch(url, headers=owner, json={"name": "B", "revision": 1})
    error = assert_error(stale, 409, "CONFLICT")
    assert error["details"] == {"current_revision": 2, "your_revision": 1}
    stale_header = await client.patch(url, headers={**owner, "If-Match": '"1"'},
                                      json={"name": "C"})
    assert_error(stale_header, 409, "CONFLICT")
    fresh_header = await client.patch(url, headers={**owner, "If-Match": 'W/"2"'},
                                      json={"name": "D"})
    assert fresh_header.status_code == 200
    current = (await client.get(url, headers=owner)).json()
    assert (current["name"], current["revision"]) == ("D", 3)


async def test_null_for_a_required_field_is_refused(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = await create(client, owner)
    response = await client.patch(f"{PROJECTS}/{project['id']}", headers=owner,
                                  json={"name": None})
    assert_error(response, 422, "VALIDATION_ERROR")


async def test_list_paginates_searches_and_filters(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    _, other = await new_user(client)
    for index in range(7):
        await create(client, owner, name=f"Sketch {index}",
                     status="archived" if index % 3 == 0 else "draft")
    await create(client, owner, name="100% organic_funk", genre="funk")
    await create(client, other, name="Someone else's sketch")

    first = (await client.get(PROJECTS, headers=owner, params={"limit": 3})).json()
    assert (first["total"], first["page"], first["limit"], len(first["items"])) == (8, 1, 3, 3)
    pages = [first]
    for page in (2, 3):
        pages.append((await client.get(PROJECTS, headers=owner,
                                       params={"limit": 3, "page": page})).json())
    names = [item["name"] for page in pages for item in page["items"]]
    assert len(names) == 8 and len(set(names)) == 8  # no overlap, nothing missing
    assert names[0] == "100% organic_funk"  # most recently changed first

    archived = (await client.get(PROJECTS, headers=owner, params={"status": "archived"})).json()
    assert sorted(i["name"] for i in archived["items"]) == ["Sketch 0", "Sketch 3", "Sketch 6"]

    found = (await client.get(PROJECTS, headers=owner, params={"search": "sketch 4"})).json()
    assert [i["name"] for i in found["items"]] == ["Sketch 4"]
    # LIKE wildcards in the search text are literal characters.
    percent = (await client.get(PROJECTS, headers=owner, params={"search": "100%"})).json()
    assert [i["name"] for i in percent["items"]] == ["100% organic_funk"]
    underscore = (await client.get(PROJECTS, headers=owner, params={"search": "c_f"})).json()
    assert underscore["total"] == 1
    by_genre = (await client.get(PROJECTS, headers=owner, params={"search": "FUNK"})).json()
    assert by_genre["total"] == 1
    beyond = (await client.get(PROJECTS, headers=owner, params={"page": 50})).json()
    assert beyond["items"] == [] and beyond["total"] == 8


async def test_sharing_roles_and_ownership_transfer(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client, "owner")
    editor_email, editor = await new_user(client, "editor")
    viewer_email, viewer = await new_user(client, "viewer")
    project = await create(client, owner)
    members_url = f"{PROJECTS}/{project['id']}/members"

    added = await client.post(members_url, headers=owner,
                              json={"email": editor_email.upper(), "role": "editor"})
    assert added.status_code == 201 and added.json()["role"] == "editor"
    editor_id = added.json()["user_id"]
    viewer_id = (await client.post(members_url, headers=owner,
                                   json={"email": viewer_email})).json()["user_id"]
    assert_error(await client.post(members_url, headers=owner, json={"email": viewer_email}),
                 409, "CONFLICT")
    # No account for that address: the body is at fault (422), not the project (404).
    unknown = assert_error(await client.post(members_url, headers=owner,
                                             json={"email": "ghost@example.com"}),
                           422, "VALIDATION_ERROR")
    assert unknown["details"] == [{"loc": ["body", "email"], "type": "unknown_account",
                                   "msg": unknown["message"]}]

    listed = (await client.get(members_url, headers=viewer)).json()
    assert sorted(m["role"] for m in listed) == ["editor", "owner", "viewer"]
    seen_by_viewer = (await client.get(PROJECTS, headers=viewer)).json()["items"]
    assert [(p["id"], p["role"]) for p in seen_by_viewer] == [(project["id"], "viewer")]

    promoted = await client.patch(f"{members_url}/{viewer_id}", headers=owner,
                                  json={"role": "editor"})
    assert promoted.json()["role"] == "editor"
    assert (await client.patch(f"{PROJECTS}/{project['id']}", headers=viewer,
                               json={"genre": "jazz"})).status_code == 200

    transfer = await client.patch(f"{members_url}/{editor_id}", headers=owner,
                                  json={"role": "owner"})
    assert transfer.status_code == 200
    roles = {m["user_id"]: m["role"] for m in (await client.get(members_url,
                                                                  headers=editor)).json()}
    assert sorted(roles.values()) == ["editor", "editor", "owner"]
    assert roles[editor_id] == "owner"
    # The former owner is now an editor and may no longer delete or share.
    assert_error(await client.delete(f"{PROJECTS}/{project['id']}", headers=owner), 403,
                 "AUTHORIZATION_ERROR")

    # A member may leave; the owner may not.
    assert (await client.delete(f"{members_url}/{viewer_id}", headers=viewer)).status_code == 204
    assert_error(await client.get(f"{PROJECTS}/{project['id']}", headers=viewer), 404,
                 "NOT_FOUND")
    assert_error(await client.delete(f"{members_url}/{editor_id}", headers=editor), 409,
                 "CONFLICT")


async def test_owner_role_cannot_be_granted_by_invitation(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    email, _ = await new_user(client)
    project = await create(client, owner)
    response = await client.post(f"{PROJECTS}/{project['id']}/members", headers=owner,
                                 json={"email": email, "role": "owner"})
    assert_error(response, 422, "VALIDATION_ERROR")


async def test_deleting_a_project_removes_its_memberships(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    email, member = await new_user(client)
    project = await create(client, owner)
    await client.post(f"{PROJECTS}/{project['id']}/members", headers=owner,
                      json={"email": email, "role": "editor"})
    assert (await client.get(PROJECTS, headers=member)).json()["total"] == 1
    await client.delete(f"{PROJECTS}/{project['id']}", headers=owner)
    assert (await client.get(PROJECTS, headers=member)).json()["total"] == 0
