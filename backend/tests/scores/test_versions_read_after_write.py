"""A rename answered 200 is committed: the very next list (over a real uvicorn process,
which sends the answer as soon as the endpoint returns) shows it."""

from __future__ import annotations

import httpx

from tests.scores.versions_support import API, history, new_project

ROUNDS = 60


async def test_a_rename_shows_in_the_next_list(live_client: httpx.AsyncClient) -> None:
    project, owner = await new_project(live_client)
    for round_number in range(ROUNDS):
        name = f"take {round_number}"
        number = 1 + round_number % 2
        renamed = await live_client.patch(f"{API}/{project}/versions/{number}",
                                          headers=owner, json={"name": name})
        assert renamed.status_code == 200, renamed.text
        listed = {item["number"]: item["name"]
                  for item in await history(live_client, project, owner)}
        assert listed[number] == name, round_number
