"""Helpers for the history tests: the coalescing window set for one test, projects with a
small score, note edits through the REST API, the history read back."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ariaforge.config import get_settings
from tests.conftest import new_user

API = "/api/v1/projects"
Headers = dict[str, str]
LONG_WINDOW_S = 3600.0  # every edit of a test falls inside it: they coalesce


@pytest.fixture
def coalescing(monkeypatch: pytest.MonkeyPatch) -> None:
    """VERSION_COALESCE_S long enough that a test's quick edits coalesce (the suite runs
    with 0: every edit its own version)."""
    monkeypatch.setattr(get_settings(), "version_coalesce_s", LONG_WINDOW_S)


def score_json() -> dict[str, Any]:
    return {"tempo": 100, "key": {"tonic": "C", "mode": "major"},
            "meter": {"numerator": 4, "denominator": 4}, "bars": 4,
            "tracks": [{"id": "piano", "name": "Piano", "role": "melody", "program": 0,
                        "notes": [{"id": "n0", "pitch": 60, "start": 0, "duration": 480}]}]}


async def new_project(client: httpx.AsyncClient, name: str = "Rainy waltz"
                      ) -> tuple[str, Headers]:
    """A new owner's project (version 1, created) holding `score_json()`, put by the
    owner (revision 2, an edit)."""
    _, owner = await new_user(client, "owner")
    created = await client.post(API, headers=owner, json={"name": name})
    assert created.status_code == 201, created.text
    project: str = created.json()["id"]
    await put_score(client, project, owner, score_json())
    return project, owner


async def revision(client: httpx.AsyncClient, project: str, headers: Headers) -> int:
    answer = await client.get(f"{API}/{project}/score", headers=headers)
    assert answer.status_code == 200, answer.text
    number: int = answer.json()["revision"]
    return number


async def put_score(client: httpx.AsyncClient, project: str, headers: Headers,
                    score: dict[str, Any]) -> int:
    current = await revision(client, project, headers)
    saved = await client.put(f"{API}/{project}/score", headers=headers,
                             json={"score": score, "revision": current})
    assert saved.status_code == 200, saved.text
    number: int = saved.json()["revision"]
    return number


async def add_note(client: httpx.AsyncClient, project: str, headers: Headers,
                   note_id: str, pitch: int, start: int = 0) -> int:
    current = await revision(client, project, headers)
    answer = await client.post(f"{API}/{project}/notes/batch", headers=headers, json={
        "revision": current, "operations": [{"op": "add", "track_id": "piano", "id": note_id,
                                             "pitch": pitch, "start": start,
                                             "duration": 240}]})
    assert answer.status_code == 200, answer.text
    number: int = answer.json()["revision"]
    return number


async def history(client: httpx.AsyncClient, project: str,
                  headers: Headers) -> list[dict[str, Any]]:
    answer = await client.get(f"{API}/{project}/versions", headers=headers,
                              params={"limit": 100})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def numbers_and_reasons(items: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(item["number"], item["reason"]) for item in items]
