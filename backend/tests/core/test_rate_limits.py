"""Rate limits per user and kind (ADR 0038): standard (every authenticated request),
export and upload; 429 with Retry-After in the error shape, the standard budget in
X-RateLimit-* headers, other users unaffected, counted per user (not per address or token)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI

from ariaforge.music.interchange import write_midi
from ariaforge.music.score import Note, Score, Track
from tests.conftest import assert_error, bearer, login, new_user, overridden_settings

API = "/api/v1"


def song() -> Score:
    notes = [Note(pitch=60 + step, start=step * 480, duration=480) for step in range(8)]
    return Score(tempo=120, bars=2, tracks=[Track(id="t", name="Piano", notes=notes)])


async def project_with_song(client: httpx.AsyncClient, owner: dict[str, str]) -> str:
    project = (await client.post(f"{API}/projects", headers=owner,
                                 json={"name": "Limits"})).json()["id"]
    saved = await client.put(f"{API}/projects/{project}/score", headers=owner, json={
        "score": song().model_dump(mode="json"), "revision": 1})
    assert saved.status_code == 200, saved.text
    return str(project)


def assert_limited(response: httpx.Response) -> dict[str, Any]:
    error = assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 3600
    assert error["details"] == {"retry_after": retry_after}
    return error


async def test_every_authenticated_request_counts_against_the_standard_limit(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    email, alice = await new_user(client, "alice")
    _, bob = await new_user(client, "bob")  # same client address as alice
    with overridden_settings(app, requests_per_hour=4):
        remaining = []
        for _ in range(4):
            answer = await client.get(f"{API}/me", headers=alice)
            assert answer.status_code == 200, answer.text
            assert answer.headers["X-RateLimit-Limit"] == "4"
            remaining.append(int(answer.headers["X-RateLimit-Remaining"]))
        assert remaining == [3, 2, 1, 0]
        refused = await client.get(f"{API}/projects", headers=alice)
        error = assert_limited(refused)
        assert "requests" in error["message"]
        assert refused.headers["X-RateLimit-Remaining"] == "0"
        # A fresh login is the same person: still refused (per user, not per token).
        again = bearer(await login(client, email))
        assert_limited(await client.get(f"{API}/me", headers=again))
        # Someone else from the same address is not affected (per user, not per address).
        theirs = await client.get(f"{API}/me", headers=bob)
        assert theirs.status_code == 200, theirs.text
        assert theirs.headers["X-RateLimit-Remaining"] == "3"
        # Unauthenticated answers carry no budget and are not refused by it.
        anonymous = await client.get(f"{API}/me")
        assert anonymous.status_code == 401
        assert "X-RateLimit-Limit" not in anonymous.headers


async def test_refused_requests_take_no_slot_and_parallel_ones_count_exactly(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    _, alice = await new_user(client, "alice")
    with overridden_settings(app, requests_per_hour=5):
        answers = await asyncio.gather(*(client.get(f"{API}/me", headers=alice)
                                         for _ in range(12)))
        assert sorted(a.status_code for a in answers) == [200] * 5 + [429] * 7
    # A larger budget (the same window): exactly the 5 taken were counted, not the 12.
    with overridden_settings(app, requests_per_hour=7):
        answer = await client.get(f"{API}/me", headers=alice)
        assert answer.status_code == 200, answer.text
        assert answer.headers["X-RateLimit-Remaining"] == "1"


async def test_the_budget_headers_come_with_file_answers_too(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client, "owner")
    project = await project_with_song(client, owner)
    with overridden_settings(app, requests_per_hour=100):
        answer = await client.get(f"{API}/projects/{project}/export.mid", headers=owner)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("audio/midi")
    assert answer.headers["X-RateLimit-Limit"] == "100"
    # Creating the project, saving its score, this download.
    assert answer.headers["X-RateLimit-Remaining"] == "97"


async def test_exports_are_limited_per_user(app: FastAPI, client: httpx.AsyncClient) -> None:
    _, alice = await new_user(client, "alice")
    _, bob = await new_user(client, "bob")
    mine, theirs = await project_with_song(client, alice), await project_with_song(client, bob)
    body = {"format": "wav", "start_bar": 1, "end_bar": 1}
    with overridden_settings(app, exports_per_hour=2, exports_active_per_user=10):
        for _ in range(2):
            accepted = await client.post(f"{API}/projects/{mine}/exports", headers=alice,
                                         json=body)
            assert accepted.status_code == 202, accepted.text
        error = assert_limited(await client.post(f"{API}/projects/{mine}/exports",
                                                 headers=alice, json=body))
        assert "exports" in error["message"]
        other = await client.post(f"{API}/projects/{theirs}/exports", headers=bob, json=body)
        assert other.status_code == 202, other.text


async def test_uploads_are_limited_per_user(app: FastAPI, client: httpx.AsyncClient) -> None:
    _, alice = await new_user(client, "alice")
    _, bob = await new_user(client, "bob")
    mine, theirs = await project_with_song(client, alice), await project_with_song(client, bob)
    data = write_midi(song())

    async def upload(headers: dict[str, str], project: str) -> httpx.Response:
        return await client.post(f"{API}/projects/{project}/import", headers=headers,
                                 files={"file": ("tune.mid", data, "audio/midi")})

    with overridden_settings(app, uploads_per_hour=2):
        for _ in range(2):
            accepted = await upload(alice, mine)
            assert accepted.status_code == 200, accepted.text
        error = assert_limited(await upload(alice, mine))
        assert "uploads" in error["message"]
        assert (await upload(bob, theirs)).status_code == 200
    # Other requests are not uploads: alice may still read her project.
    assert (await client.get(f"{API}/projects/{mine}", headers=alice)).status_code == 200
