"""Bad input to the composition endpoints: always a 4xx in the one error shape, never a
500, and the project's score and history are untouched by every refused request."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import assert_error, new_user

API = "/api/v1"

BAD_BODIES: list[Any] = [
    None, [], "compose", 42, {"prompt": None}, {"prompt": 5}, {"prompt": ["a", "b"]},
    {"prompt": "x" * 2001}, {"prompt": "pop", "style": "polka"},
    {"prompt": "pop", "style": ["pop"]}, {"prompt": "pop", "mood": "furious"},
    {"prompt": "pop", "key": ""}, {"prompt": "pop", "key": "C" * 100},
    {"prompt": "pop", "key": "X major"}, {"prompt": "pop", "mode": "hypolydian"},
    {"prompt": "pop", "tempo": 0}, {"prompt": "pop", "tempo": 1e9},
    {"prompt": "pop", "tempo": "fast"}, {"prompt": "pop", "tempo": True},
    {"prompt": "pop", "meter": "3/4"}, {"prompt": "pop", "meter": {"numerator": 0}},
    {"prompt": "pop", "meter": {"numerator": 4, "denominator": 3}},
    {"prompt": "pop", "bars": 0}, {"prompt": "pop", "bars": 100_000},
    {"prompt": "pop", "bars": 1.5}, {"prompt": "pop", "instruments": []},
    {"prompt": "pop", "instruments": ["piano"] * 17}, {"prompt": "pop", "instruments": [7]},
    {"prompt": "pop", "instruments": [{"role": "drums", "program": 0, "name": "x"}]},
    {"prompt": "pop", "seed": 2**40}, {"prompt": "pop", "seed": "abc"},
    {"prompt": "pop", "operation": "destroy"}, {"prompt": "pop", "section": -1},
    {"prompt": "pop", "amount": 0}, {"prompt": "pop", "amount": 7},
    {"prompt": "pop", "extra_bars": 1000}, {"prompt": "a jig\u0000"},
    {"prompt": "   "}, {"prompt": "pop", "unknown": {"deep": [1, 2, {"x": None}]}},
]


@pytest.fixture
async def project(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    _, owner = await new_user(client, "owner")
    answer = await client.post(f"{API}/projects", headers=owner, json={"name": "Safe"})
    return answer.json()["id"], owner


async def _snapshot(client: httpx.AsyncClient, project: str,
                    headers: dict[str, str]) -> tuple[Any, Any, Any]:
    score = (await client.get(f"{API}/projects/{project}/score", headers=headers)).json()
    versions = (await client.get(f"{API}/projects/{project}/versions",
                                 headers=headers)).json()
    sessions = (await client.get(f"{API}/projects/{project}/sessions",
                                 headers=headers)).json()
    return score, versions, sessions


async def test_bad_bodies_are_refused_and_change_nothing(
        client: httpx.AsyncClient, project: tuple[str, dict[str, str]]) -> None:
    project_id, owner = project
    before = await _snapshot(client, project_id, owner)
    url = f"{API}/projects/{project_id}/sessions"
    for body in BAD_BODIES:
        answer = await client.post(url, headers=owner, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert_error(answer, 422, "VALIDATION_ERROR")
    for raw, content_type in ((b"{not json", "application/json"), (b"\xff\xfe", "text/plain"),
                              (b"", "application/json"),
                              (b'{"prompt": "a jig \\ud800"}', "application/json")):
        answer = await client.post(url, headers={**owner, "Content-Type": content_type},
                                   content=raw)
        assert 400 <= answer.status_code < 500, answer.text
        assert "error" in answer.json()
    assert await _snapshot(client, project_id, owner) == before


async def test_bad_ids_and_methods(client: httpx.AsyncClient,
                                   project: tuple[str, dict[str, str]]) -> None:
    project_id, owner = project
    for path in ("/sessions/x", "/sessions/%00", "/sessions/" + "9" * 300,
                 "/projects/nope/sessions", "/sessions/x/cancel"):
        method = "POST" if path.endswith("cancel") else "GET"
        answer = await client.request(method, API + path, headers=owner)
        assert answer.status_code in (404, 422), (path, answer.text)
        assert "error" in answer.json()
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error(await client.get(f"{API}/sessions/{missing}", headers=owner), 404,
                 "NOT_FOUND")
    assert_error(await client.post(f"{API}/sessions/{missing}/cancel", headers=owner), 404,
                 "NOT_FOUND")
    assert_error(await client.delete(f"{API}/projects/{project_id}/sessions", headers=owner),
                 405, "METHOD_NOT_ALLOWED")
    assert_error(await client.post(f"{API}/projects/{project_id}/sessions",
                                   json={"prompt": "pop"}), 401, "AUTHENTICATION_ERROR")
