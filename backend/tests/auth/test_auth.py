from __future__ import annotations

import httpx
import jwt
from argon2 import extract_parameters
from fastapi import FastAPI
from sqlalchemy import select

from ariaforge.models import User
from tests.conftest import (
    PASSWORD,
    TEST_SECRET,
    assert_error,
    bearer,
    login,
    register,
    unique_email,
)


async def test_register_login_refresh_logout_then_old_tokens_rejected(
        client: httpx.AsyncClient) -> None:
    email = await register(client)
    first = await login(client, email)
    me = await client.get("/api/v1/me", headers=bearer(first))
    assert me.status_code == 200
    assert me.json()["email"] == email

    refreshed = await client.post("/api/v1/auth/refresh",
                                  json={"refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get("/api/v1/me", headers=bearer(second))).status_code == 200

    logout = await client.post("/api/v1/auth/logout", headers=bearer(second),
                               json={"refresh_token": second["refresh_token"]})
    assert logout.status_code == 204

    assert_error(await client.get("/api/v1/me", headers=bearer(second)), 401,
                 "AUTHENTICATION_ERROR")
    # The access token from before the rotation belongs to the same login session.
    assert_error(await client.get("/api/v1/me", headers=bearer(first)), 401,
                 "AUTHENTICATION_ERROR")
    assert_error(await client.post("/api/v1/auth/refresh",
                                   json={"refresh_token": second["refresh_token"]}),
                 401, "AUTHENTICATION_ERROR")


async def test_reused_refresh_token_is_rejected_and_revokes_the_session(
        client: httpx.AsyncClient) -> None:
    email = await register(client)
    first = await login(client, email)
    rotated = await client.post("/api/v1/auth/refresh",
                                json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200

    reuse = await client.post("/api/v1/auth/refresh",
                              json={"refresh_token": first["refresh_token"]})
    assert_error(reuse, 401, "AUTHENTICATION_ERROR")
    # The legitimate holder's newer tokens die with the leaked one.
    newer = rotated.json()
    assert_error(await client.post("/api/v1/auth/refresh",
                                   json={"refresh_token": newer["refresh_token"]}),
                 401, "AUTHENTICATION_ERROR")
    assert_error(await client.get("/api/v1/me", headers=bearer(newer)), 401,
                 "AUTHENTICATION_ERROR")
    # Other login sessions of the same account are unaffected.
    other = await login(client, email)
    assert (await client.get("/api/v1/me", headers=bearer(other))).status_code == 200


async def test_logout_without_body_revokes_the_login_session(client: httpx.AsyncClient) -> None:
    email = await register(client)
    tokens = await login(client, email)
    assert (await client.post("/api/v1/auth/logout", headers=bearer(tokens))).status_code == 204
    assert_error(await client.post("/api/v1/auth/refresh",
                                   json={"refresh_token": tokens["refresh_token"]}),
                 401, "AUTHENTICATION_ERROR")


async def test_refresh_token_is_not_an_access_token(client: httpx.AsyncClient) -> None:
    tokens = await login(client, await register(client))
    response = await client.get("/api/v1/me",
                                headers={"Authorization": f"Bearer {tokens['refresh_token']}"})
    assert_error(response, 401, "AUTHENTICATION_ERROR")
    swapped = await client.post("/api/v1/auth/refresh",
                                json={"refresh_token": tokens["access_token"]})
    assert_error(swapped, 401, "AUTHENTICATION_ERROR")


async def test_forged_and_tampered_tokens_are_rejected(client: httpx.AsyncClient) -> None:
    tokens = await login(client, await register(client))
    claims = jwt.decode(tokens["access_token"], TEST_SECRET, algorithms=["HS256"],
                        issuer="ariaforge")
    forged = jwt.encode(claims, "some-other-secret-that-is-long-enough-xx", algorithm="HS256")
    unsigned = jwt.encode(claims, key=None, algorithm="none")  # type: ignore[arg-type]
    for token in (forged, unsigned, tokens["access_token"][:-4] + "abcd", "garbage"):
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert_error(response, 401, "AUTHENTICATION_ERROR")
    expired = jwt.encode({**claims, "exp": claims["iat"] - 10}, TEST_SECRET, algorithm="HS256")
    assert_error(await client.get("/api/v1/me", headers={"Authorization": f"Bearer {expired}"}),
                 401, "AUTHENTICATION_ERROR")


async def test_missing_or_wrong_scheme_is_401_with_challenge(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    assert_error(response, 401, "AUTHENTICATION_ERROR")
    assert response.headers["www-authenticate"] == "Bearer"
    assert_error(await client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401,
                 "AUTHENTICATION_ERROR")


async def test_wrong_password_and_unknown_account_look_the_same(
        client: httpx.AsyncClient) -> None:
    email = await register(client)
    wrong = await client.post("/api/v1/auth/login", json={"email": email, "password": "nope" * 3})
    unknown = await client.post("/api/v1/auth/login",
                                json={"email": unique_email(), "password": PASSWORD})
    assert assert_error(wrong, 401, "AUTHENTICATION_ERROR")["message"] == assert_error(
        unknown, 401, "AUTHENTICATION_ERROR")["message"]


async def test_sign_up_hashes_at_the_configured_cost(client: httpx.AsyncClient,
                                                     app: FastAPI) -> None:
    email = await register(client)
    async with app.state.sessionmaker() as session:
        stored = await session.scalar(select(User.password_hash).where(User.email == email))
    parameters = extract_parameters(stored)
    settings = app.state.settings
    assert (parameters.time_cost, parameters.memory_cost) == (
        settings.password_hash_time_cost, settings.password_hash_memory_kib)
    assert settings.password_hash_time_cost == 1  # the suite's cheap cost (tests/conftest)


async def test_email_is_case_insensitive_and_unique(client: httpx.AsyncClient) -> None:
    email = await register(client)
    again = await client.post("/api/v1/auth/register",
                              json={"email": email.upper(), "password": PASSWORD})
    assert_error(again, 409, "CONFLICT")
    assert (await login(client, email.upper()))["token_type"] == "bearer"


async def test_password_policy(client: httpx.AsyncClient) -> None:
    email = unique_email("jane")
    for weak in ("short1", "aaaaaaaaaaaaaaaa", "password123", f"{email.split('@')[0]}-2024!"):
        response = await client.post("/api/v1/auth/register",
                                     json={"email": email, "password": weak})
        error = assert_error(response, 422, "VALIDATION_ERROR")
        assert error["details"][0]["loc"] == ["body", "password"]
    response = await client.post("/api/v1/auth/register",
                                 json={"email": email, "password": "x" * 129})
    assert_error(response, 422, "VALIDATION_ERROR")
    assert (await client.post("/api/v1/auth/register",
                              json={"email": email, "password": PASSWORD})).status_code == 201


async def test_login_rate_limit_per_account(client: httpx.AsyncClient, app: FastAPI) -> None:
    email = await register(client)
    limit = app.state.settings.login_attempts_per_account
    for _ in range(limit):
        response = await client.post("/api/v1/auth/login",
                                     json={"email": email, "password": "wrong-password"})
        assert_error(response, 401, "AUTHENTICATION_ERROR")
    blocked = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    error = assert_error(blocked, 429, "RATE_LIMIT_EXCEEDED")
    assert int(blocked.headers["retry-after"]) > 0
    assert error["details"]["retry_after"] > 0
    # Another account from the same address is not locked out by this one.
    other = await register(client)
    assert (await login(client, other))["access_token"]


async def test_login_rate_limit_per_ip(client: httpx.AsyncClient, app: FastAPI) -> None:
    limit = app.state.settings.login_attempts_per_ip
    for index in range(limit):
        response = await client.post("/api/v1/auth/login", json={
            "email": f"nobody{index}@example.com", "password": "wrong-password"})
        assert_error(response, 401, "AUTHENTICATION_ERROR")
    email = await register(client)
    blocked = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert_error(blocked, 429, "RATE_LIMIT_EXCEEDED")


async def test_successful_login_makes_the_client_recognised(client: httpx.AsyncClient,
                                                             app: FastAPI) -> None:
    email = await register(client)
    limit = app.state.settings.login_attempts_per_account
    for _ in range(limit - 1):
        await client.post("/api/v1/auth/login", json={"email": email, "password": "wrong-pass"})
    await login(client, email)  # sets this client's device cookie (ADR 0020)
    device_cookies = dict(client.cookies)
    for _ in range(limit - 1):  # counted for this client, not for the account
        await client.post("/api/v1/auth/login", json={"email": email, "password": "wrong-pass"})
    assert (await login(client, email))["access_token"]
    # The success did not wipe the account's count for strangers: one more fills it.
    client.cookies.clear()
    assert_error(await client.post("/api/v1/auth/login",
                                   json={"email": email, "password": "wrong-pass"}),
                 401, "AUTHENTICATION_ERROR")
    assert_error(await client.post("/api/v1/auth/login",
                                   json={"email": email, "password": PASSWORD}),
                 429, "RATE_LIMIT_EXCEEDED")
    client.cookies.update(device_cookies)
    assert (await login(client, email))["access_token"]
