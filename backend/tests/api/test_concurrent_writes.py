"""Optimistic concurrency holds under real parallel requests (a regression guard for what
the hostile review found sound): of N writes based on the same revision exactly one
wins, the rest answer 409, and the stored score is the winner's."""

from __future__ import annotations

import asyncio

import httpx

from ariaforge.music.score import Note, Role, Score, Track
from tests.conftest import assert_error, new_user

API = "/api/v1"
WRITERS = 20


def score_with(pitch: int) -> dict[str, object]:
    return Score(bars=2, tracks=[Track(id="lead", role=Role.MELODY, notes=[
        Note(id="n1", pitch=pitch, start=0, duration=480)])]).model_dump(mode="json")


async def test_parallel_writes_on_one_revision_have_exactly_one_winner(
        live_client: httpx.AsyncClient, live_api: str) -> None:
    _, owner = await new_user(live_client)
    project = (await live_client.post(f"{API}/projects", headers=owner,
                                      json={"name": "race"})).json()["id"]
    url = f"{API}/projects/{project}/score"
    revision = (await live_client.get(url, headers=owner)).json()["revision"]
    # One connection each, so the requests really overlap on the server.
    clients = [httpx.AsyncClient(base_url=live_api, timeout=60) for _ in range(WRITERS)]
    try:
        answers = await asyncio.gather(*(
            http.put(url, headers=owner, json={"score": score_with(40 + n),
                                               "revision": revision})
            for n, http in enumerate(clients)))
    finally:
        await asyncio.gather(*(http.aclose() for http in clients))
    winners = [a for a in answers if a.status_code == 200]
    assert len(winners) == 1, [a.status_code for a in answers]
    for answer in answers:
        if answer.status_code != 200:
            assert_error(answer, 409, "CONFLICT")
    stored = (await live_client.get(url, headers=owner)).json()
    assert stored["revision"] == winners[0].json()["revision"] == revision + 1
    assert stored["score"] == winners[0].json()["score"]
    versions = (await live_client.get(f"{API}/projects/{project}/versions",
                                      headers=owner)).json()
    assert versions["total"] == 2  # the empty score and the one winner


async def test_parallel_restores_need_the_revision_and_have_one_winner(
        live_client: httpx.AsyncClient, live_api: str) -> None:
    """Measured before: 10 parallel restores without If-Match all answered 200."""
    _, owner = await new_user(live_client)
    project = (await live_client.post(f"{API}/projects", headers=owner,
                                      json={"name": "race"})).json()["id"]
    base = f"{API}/projects/{project}"
    put = await live_client.put(f"{base}/score", headers=owner,
                                json={"score": score_with(60), "revision": 1})
    assert put.status_code == 200, put.text
    unconditional = await live_client.post(f"{base}/versions/1/restore", headers=owner)
    assert_error(unconditional, 422, "VALIDATION_ERROR")
    revision = put.json()["revision"]
    clients = [httpx.AsyncClient(base_url=live_api, timeout=60) for _ in range(10)]
    try:
        answers = await asyncio.gather(*(
            http.post(f"{base}/versions/1/restore",
                      headers={**owner, "If-Match": f'"{revision}"'}) for http in clients))
    finally:
        await asyncio.gather(*(http.aclose() for http in clients))
    assert sorted(a.status_code for a in answers) == [200] + [409] * 9
    stored = (await live_client.get(f"{base}/score", headers=owner)).json()
    assert stored["revision"] == revision + 1 and stored["score"]["tracks"] == []
