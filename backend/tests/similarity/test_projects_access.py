"""Project windows: every version indexed (as the worker's sweep does it), found by the
check, search by phrase and find similar, and never by anyone who may not read them."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from ariaforge.music.similarity.variants import mutate, transpose
from tests.conftest import new_user
from tests.exports.test_exports_api import share
from tests.similarity.helpers import (
    API,
    index_all,
    long_tune,
    owner,
    project_with,
    score_of,
    sources,
)


def phrase(notes: list[tuple[int, int, int]]) -> list[dict[str, int]]:
    return [{"pitch": p, "start": s, "duration": d} for p, s, d in notes]


async def test_nobody_finds_a_project_they_cannot_read(app: FastAPI,
                                                       client: httpx.AsyncClient) -> None:
    tune = long_tune(0)
    alice = await owner(client, "alice")
    bob_email, bob = await new_user(client, "bob")
    secret = await project_with(client, alice, score_of(tune.notes), "Alice's secret")
    bobs = await project_with(client, bob, score_of(transpose(tune.notes, 2)), "Bob's")
    assert await index_all(app) == 4  # each: the empty score it began with, the import
    motif = phrase(tune.notes[:16])
    # Bob's search and check reach his own project only, never Alice's.
    found = (await client.post(f"{API}/similarity/search", headers=bob,
                               json={"notes": motif, "scope": "projects"})).json()
    assert sources(found) == [bobs]
    checked = (await client.post(f"{API}/similarity/check", headers=bob,
                                 json={"project_id": bobs, "scope": "all"})).json()
    assert secret not in sources(checked) and bobs not in sources(checked)
    assert checked["matches"] == [] and checked["is_safe"]  # no corpus ingested here
    assert (await client.get(f"{API}/projects/{bobs}/similar",
                             headers=bob)).json() == {"items": []}
    # Once Alice shares it (a viewer may read), Bob's check finds it, exactly.
    answer = await client.post(f"{API}/projects/{secret}/members", headers=alice,
                               json={"email": bob_email, "role": "viewer"})
    assert answer.status_code in (200, 201), answer.text
    checked = (await client.post(f"{API}/similarity/check", headers=bob,
                                 json={"project_id": bobs, "scope": "projects"})).json()
    assert sources(checked) == [secret] and checked["is_safe"] is False
    top = checked["matches"][0]
    assert top["source"] == {"type": "project", "id": secret, "title": "Alice's secret",
                             "licence": None, "project_id": secret, "version": 2}
    assert top["transposition"] == 2 and top["score"] >= checked["threshold"]
    assert top["query_notes"] and top["match_notes"]
    similar = (await client.get(f"{API}/projects/{bobs}/similar", headers=bob)).json()
    assert [item["project_id"] for item in similar["items"]] == [secret]
    assert similar["items"][0]["name"] == "Alice's secret"
    # The reference scope never includes projects.
    reference = (await client.post(f"{API}/similarity/search", headers=bob,
                                   json={"notes": motif, "scope": "reference"})).json()
    assert reference["matches"] == []


async def test_find_similar_ranks_the_callers_projects(app: FastAPI,
                                                      client: httpx.AsyncClient) -> None:
    tune, other = long_tune(0), long_tune(5)
    me = await owner(client)
    original = await project_with(client, me, score_of(tune.notes), "Original")
    variant = await project_with(client, me, score_of(mutate(transpose(tune.notes, 5), 0.1, 3)),
                                 "Variant")
    unrelated = await project_with(client, me, score_of(other.notes), "Unrelated")
    await index_all(app)
    similar = (await client.get(f"{API}/projects/{original}/similar?limit=5",
                                headers=me)).json()
    ids = [item["project_id"] for item in similar["items"]]
    assert ids[0] == variant and original not in ids
    first = similar["items"][0]
    assert first["score"] > 0.8 and first["version"] == 2 and first["matches"]
    if unrelated in ids:
        assert similar["items"][ids.index(unrelated)]["score"] < first["score"]
    viewer = await share(client, variant, me, "viewer")
    assert (await client.get(f"{API}/projects/{original}/similar",
                             headers=viewer)).status_code == 404


async def test_every_version_is_indexed_and_an_edit_is_found(app: FastAPI,
                                                           client: httpx.AsyncClient) -> None:
    first, second = long_tune(0), long_tune(6)
    me = await owner(client)
    project = await project_with(client, me, score_of(first.notes))
    assert await index_all(app) == 2  # the empty score it was created with, the import
    assert await index_all(app) == 0  # nothing is indexed twice
    current = (await client.get(f"{API}/projects/{project}/score", headers=me)).json()
    edited = score_of(second.notes).model_dump(mode="json")
    answer = await client.put(f"{API}/projects/{project}/score", headers=me,
                              json={"score": edited, "revision": current["revision"]})
    assert answer.status_code == 200, answer.text
    assert await index_all(app) == 1
    found = (await client.post(f"{API}/similarity/search", headers=me, json={
        "notes": phrase(second.notes[:16]), "scope": "projects"})).json()
    assert found["matches"][0]["source"]["version"] == answer.json()["revision"]
    # The older version is still indexed and still found for its own melody.
    old = (await client.post(f"{API}/similarity/search", headers=me, json={
        "notes": phrase(first.notes[:16]), "scope": "projects"})).json()
    assert old["matches"][0]["source"]["version"] == 2
    # Checking an old version compares that version's score.
    by_version = (await client.post(f"{API}/similarity/check", headers=me, json={
        "project_id": project, "version": 2})).json()
    assert by_version["query"]["kind"] == "version" and by_version["query"]["version"] == 2
    async with app.state.sessionmaker() as session:
        indexed = (await session.execute(text(
            "SELECT version_number, windows FROM similarity_indexed_versions "
            "WHERE project_id = :p ORDER BY 1"), {"p": project})).all()
    assert [row[0] for row in indexed] == [1, 2, 3] and indexed[0][1] == 0
