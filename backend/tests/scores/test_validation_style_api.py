"""The theory check judges a project in the style it was composed in, unless asked for
another; the report says which style it used and why."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from tests.conftest import new_user
from tests.exports.test_exports_api import work_until_finished

API = "/api/v1"


async def new_project(client: httpx.AsyncClient, name: str) -> tuple[str, dict[str, str]]:
    _, owner = await new_user(client, "theory")
    answer = await client.post(f"{API}/projects", headers=owner, json={"name": name})
    return answer.json()["id"], owner


async def check(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = await client.post(f"{API}/projects/{project}/validate", headers=headers,
                               json=body)
    assert answer.status_code == 200, answer.text
    report: dict[str, Any] = answer.json()
    return report


def chromatic(report: dict[str, Any]) -> int:
    return sum(1 for v in report["violations"] if v["rule"] == "non-diatonic-note")


async def test_a_jazz_project_is_checked_as_jazz_by_default(app: FastAPI,
                                                            client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client, "Late set")
    started = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                                json={"prompt": "a swinging jazz tune", "style": "jazz",
                                      "bars": 16, "seed": 1})
    assert started.status_code == 202, started.text
    done = await work_until_finished(app, client, f"{API}/sessions/{started.json()['id']}",
                                     owner)
    assert done["status"] == "succeeded", done

    default = await check(client, project, owner)
    assert (default["style"], default["style_source"]) == ("jazz", "project")
    assert default["project_style"] == "jazz"
    assert "chromatic_approach" in default["idioms"]
    # The composer's walking-bass approach notes and pushed chords: jazz, not mistakes...
    assert chromatic(default) == 0
    # ...which common practice, asked for explicitly, still flags.
    classical = await check(client, project, owner, {"style": "common-practice"})
    assert (classical["style"], classical["style_source"]) == ("common-practice", "request")
    assert classical["project_style"] == "jazz"
    assert chromatic(classical) > 0


async def test_a_project_never_composed_is_checked_as_common_practice(
        client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client, "Blank page")
    report = await check(client, project, owner)
    assert (report["style"], report["style_source"]) == ("common-practice", "default")
    assert report["project_style"] is None and report["idioms"] == []


async def test_the_newest_session_decides_the_style(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client, "Changing mind")
    for style in ("jazz", "bossa-nova", "metal"):
        queued = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                                   json={"style": style, "bars": 8})
        assert queued.status_code == 202, queued.text
    report = await check(client, project, owner)  # a metal project is judged as rock
    assert (report["style"], report["style_source"]) == ("rock", "project")
