"""Read-after-write over a real uvicorn (`live_client`): a 2xx create opens the page on
the very next request, and a 2xx revoke closes it on the very next request."""

from __future__ import annotations

import httpx
from redis.asyncio import Redis

from tests.api.test_read_after_write import forget_rate_limits
from tests.conftest import assert_error
from tests.sharing.support import API, create_link, project_with_score, token_header

ROUNDS = 40


async def test_create_then_read_and_revoke_then_404_at_once(
        live_client: httpx.AsyncClient, app: object) -> None:
    project, owner = await project_with_score(live_client)
    redis: Redis = app.state.redis  # type: ignore[attr-defined]
    links = f"{API}/projects/{project}/share-links"
    for round_number in range(ROUNDS):
        await forget_rate_limits(redis)
        link = await create_link(live_client, project, owner, f"round {round_number}")
        headers = token_header(link["token"])
        opened = await live_client.get(f"{API}/shared", headers=headers)
        assert opened.status_code == 200, (round_number, opened.text)
        assert opened.json()["project"]["name"] == "Harbour Lights"
        revoked = await live_client.delete(f"{links}/{link['id']}", headers=owner)
        assert revoked.status_code == 204, revoked.text
        assert_error(await live_client.get(f"{API}/shared", headers=headers), 404,
                     "NOT_FOUND")
    listed = await live_client.get(links, headers=owner)
    assert listed.json() == []


async def test_an_edit_shows_on_the_shared_page_at_once(
        live_client: httpx.AsyncClient) -> None:
    project, owner = await project_with_score(live_client)
    headers = token_header((await create_link(live_client, project, owner))["token"])
    renamed = await live_client.patch(f"{API}/projects/{project}", headers=owner,
                                      json={"name": "Harbour Lights (take 2)"})
    assert renamed.status_code == 200, renamed.text
    shared = await live_client.get(f"{API}/shared", headers=headers)
    assert shared.json()["project"]["name"] == "Harbour Lights (take 2)"
