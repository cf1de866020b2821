"""The demo project of a first sign-in: made once per account (even when two sign-ins
race), composed by a real worker, judged as jazz by the theory check, and not made when
the account already has a project or the deployment turned demos off."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI

from ariaforge.onboarding.service import DEMO_NAME
from tests.conftest import assert_error, new_user, overridden_settings
from tests.exports.test_exports_api import work_until_finished

API = "/api/v1"
DEMO = f"{API}/onboarding/demo-project"


async def projects_of(client: httpx.AsyncClient, headers: dict[str, str]) -> list[Any]:
    answer = await client.get(f"{API}/projects", headers=headers)
    assert answer.status_code == 200, answer.text
    items: list[Any] = answer.json()["items"]
    return items


async def test_a_first_sign_in_gets_a_demo_that_composes(app: FastAPI,
                                                         client: httpx.AsyncClient) -> None:
    _, person = await new_user(client, "newcomer")
    assert await projects_of(client, person) == []  # signing up alone makes nothing
    made = await client.post(DEMO, headers=person)
    assert made.status_code == 200, made.text
    body = made.json()
    assert (body["created"], body["reason"]) == (True, "created")
    listed = await projects_of(client, person)
    assert [(p["id"], p["name"], p["role"]) for p in listed] == [
        (body["project_id"], DEMO_NAME, "owner")]

    done = await work_until_finished(app, client, f"{API}/sessions/{body['session_id']}",
                                     person)
    assert done["status"] == "succeeded", done
    score = (await client.get(f"{API}/projects/{body['project_id']}/score",
                              headers=person)).json()["score"]
    assert sum(len(track["notes"]) for track in score["tracks"]) > 50
    theory = (await client.post(f"{API}/projects/{body['project_id']}/validate",
                                headers=person)).json()
    assert (theory["style"], theory["style_source"]) == ("jazz", "project")

    again = (await client.post(DEMO, headers=person)).json()
    assert (again["created"], again["reason"], again["project_id"]) == (
        False, "has-projects", None)
    assert len(await projects_of(client, person)) == 1


async def test_two_sign_ins_at_once_make_one_demo(client: httpx.AsyncClient) -> None:
    _, person = await new_user(client, "racer")
    answers = await asyncio.gather(*(client.post(DEMO, headers=person) for _ in range(4)))
    assert [a.status_code for a in answers] == [200] * 4
    assert sorted(a.json()["created"] for a in answers) == [False, False, False, True]
    assert [p["name"] for p in await projects_of(client, person)] == [DEMO_NAME]


async def test_an_account_with_a_project_gets_no_demo(client: httpx.AsyncClient) -> None:
    _, person = await new_user(client, "veteran")
    await client.post(f"{API}/projects", headers=person, json={"name": "My own"})
    answer = (await client.post(DEMO, headers=person)).json()
    assert (answer["created"], answer["reason"]) == (False, "has-projects")
    assert [p["name"] for p in await projects_of(client, person)] == ["My own"]


async def test_demo_project_0_turns_demos_off(app: FastAPI,
                                              client: httpx.AsyncClient) -> None:
    with overridden_settings(app, demo_project=False):
        _, person = await new_user(client, "quiet")
        answer = (await client.post(DEMO, headers=person)).json()
        assert (answer["created"], answer["reason"]) == (False, "turned-off")
        assert await projects_of(client, person) == []


async def test_the_demo_needs_a_signed_in_person(client: httpx.AsyncClient) -> None:
    assert_error(await client.post(DEMO), 401, "AUTHENTICATION_ERROR")
    assert_error(await client.post(DEMO, headers={"Authorization": "Bearer nonsense"}),
                 401, "AUTHENTICATION_ERROR")
