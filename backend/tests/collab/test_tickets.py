"""`POST /projects/{id}/collab/ticket`: any member gets one, it names the user and the
role, it lives collab_ticket_ttl_s in Redis under its hash only, and it works once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from ariaforge.collab import tickets
from ariaforge.models import ProjectRole
from tests.collab.conftest import API, add_member, project_with_score, user_id
from tests.conftest import assert_error, new_user


async def test_every_member_gets_a_ticket_naming_their_role(
        client: httpx.AsyncClient, app: FastAPI) -> None:
    project, owner = await project_with_score(client)
    viewer_id, viewer = await add_member(client, project, owner, "viewer")
    for auth, role in ((owner, "owner"), (viewer, "viewer")):
        answer = await client.post(f"{API}/{project}/collab/ticket", headers=auth)
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert set(body) == {"ticket", "expires_at", "role", "path"}
        assert body["role"] == role and body["path"] == f"{API}/{project}/collab"
        assert len(body["ticket"]) >= 40
        assert datetime.fromisoformat(body["expires_at"]) > datetime.now(UTC)
    redis: Redis = app.state.redis
    claims = await tickets.redeem(redis, body["ticket"])
    assert claims is not None
    assert (str(claims.user_id), str(claims.project_id), claims.role) == (
        viewer_id, project, ProjectRole.VIEWER)
    assert await tickets.redeem(redis, body["ticket"]) is None  # single use


async def test_only_the_hash_is_stored_with_the_configured_lifetime(
        client: httpx.AsyncClient, app: FastAPI) -> None:
    project, owner = await project_with_score(client)
    ticket = (await client.post(f"{API}/{project}/collab/ticket", headers=owner)).json()[
        "ticket"]
    redis: Redis = app.state.redis
    keys = [key async for key in redis.scan_iter("collab:ticket:*")]
    assert keys == [tickets.ticket_key(ticket)] and ticket not in keys[0]
    ttl_ms = await redis.pttl(keys[0])
    assert 0 < ttl_ms <= app.state.settings.collab_ticket_ttl_s * 1000
    assert ticket not in str(await redis.get(keys[0]))


async def test_strangers_and_anonymous_callers_get_no_ticket(
        client: httpx.AsyncClient) -> None:
    project, _ = await project_with_score(client)
    _, stranger = await new_user(client, "stranger")
    assert_error(await client.post(f"{API}/{project}/collab/ticket", headers=stranger),
                 404, "NOT_FOUND")
    assert_error(await client.post(f"{API}/{uuid.uuid4()}/collab/ticket", headers=stranger),
                 404, "NOT_FOUND")
    assert_error(await client.post(f"{API}/{project}/collab/ticket"), 401,
                 "AUTHENTICATION_ERROR")


async def test_unknown_or_oversized_tickets_redeem_to_nothing(app: FastAPI,
                                                                clean: None) -> None:
    redis: Redis = app.state.redis
    assert await tickets.redeem(redis, "") is None
    assert await tickets.redeem(redis, "x" * 10_000) is None
    assert await tickets.redeem(redis, "never-issued") is None


async def test_the_ticket_route_is_documented(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    operation = schema["paths"][f"{API}/{{project_id}}/collab/ticket"]["post"]
    assert "201" in operation["responses"]
    assert {"401", "404"} <= set(operation["responses"])
    assert "403" not in operation["responses"]  # viewers get tickets too
    ref = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/CollabTicketOut")


async def test_the_ticket_names_the_caller(client: httpx.AsyncClient, app: FastAPI) -> None:
    project, owner = await project_with_score(client)
    ticket = (await client.post(f"{API}/{project}/collab/ticket", headers=owner)).json()[
        "ticket"]
    claims = await tickets.redeem(app.state.redis, ticket)
    assert claims is not None and str(claims.user_id) == await user_id(client, owner)
