"""Account security over a real uvicorn (ADR 0020): login limits that concurrency cannot
bypass and that cannot lock an owner out of a client they have used before, the password
strength check, sign-up answers and their cost, and the token regressions that held."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.auth import passwords
from ariaforge.config import Settings
from ariaforge.core.ratelimit import address_subject
from tests.conftest import (
    PASSWORD,
    api_process,
    assert_error,
    bearer,
    login,
    register,
    unique_email,
)

# Limits of the `strict_api` server; small, so a test can exhaust them in one burst.
PER_IP = 5
PER_ACCOUNT = 3
REGISTRATIONS = 5
BURST = 40
# The short-window server: its window must pass within a test.
SHORT_WINDOW_S = 2
SHORT_PER_IP = 3
HANG_LIMIT_S = 60

WEAK_PASSWORDS = ("qwerty12345", "Summer2024!", "P@ssw0rd123", "iloveyou123", "Password2024!",
                  "Welcome@2024", "1q2w3e4r5t6y", "Football#1234", "Jennifer1990",
                  "Qwerty!2345", "Aa123456789", "Ariaforge2024", "qwe123qwe123",
                  "Pa$$word2024", "Letmein!2024", "Dragon2023!!", "1qaz2wsx3edc",
                  "asdfghjkl123", "Monkey123456", "01011990abc")
STRONG_PASSWORDS = ("violet-harbor-gravel-42", "xK9#mQ2$vL7p", "Trombone at midnight, 7 owls")


@contextmanager
def api_server(settings: Settings, secret_key: str, home: Path, **env: str) -> Iterator[str]:
    """An `ariaforge api` process with its own limits on the session's PostgreSQL/Redis."""
    with api_process(settings, secret_key, home, **env) as (base, _):
        yield base


@pytest.fixture(scope="module")
def strict_api(settings: Settings, app: FastAPI,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # A long window: every count in a test falls inside one window, whatever the load.
    with api_server(settings, app.state.secret_key, tmp_path_factory.mktemp("strict-api"),
                    LOGIN_ATTEMPTS_PER_IP=str(PER_IP),
                    LOGIN_ATTEMPTS_PER_ACCOUNT=str(PER_ACCOUNT),
                    LOGIN_WINDOW_SECONDS="600",
                    REGISTRATION_ATTEMPTS_PER_IP=str(REGISTRATIONS)) as base:
        yield base


@pytest.fixture(scope="module")
def short_window_api(settings: Settings, app: FastAPI,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_server(settings, app.state.secret_key, tmp_path_factory.mktemp("short-api"),
                    LOGIN_ATTEMPTS_PER_IP=str(SHORT_PER_IP), LOGIN_ATTEMPTS_PER_ACCOUNT="50",
                    LOGIN_WINDOW_SECONDS=str(SHORT_WINDOW_S)) as base:
        yield base


@pytest.fixture
def strict(strict_api: str, clean: None) -> str:
    return strict_api


@asynccontextmanager
async def browser(base: str, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """One client (its own cookie jar) at one address. uvicorn trusts X-Forwarded-For from
    127.0.0.1, as it does from the reverse proxy in a deployment."""
    async with httpx.AsyncClient(base_url=base, timeout=HANG_LIMIT_S,
                                 headers={"X-Forwarded-For": address}) as client:
        yield client


def login_body(email: str, password: str, **extra: str) -> dict[str, str]:
    return {"email": email, "password": password, **extra}


async def burst(client: httpx.AsyncClient, bodies: list[dict[str, str]],
                addresses: list[str] | None = None) -> Counter[int]:
    """Send all logins at once; count the answers by status."""
    async def one(index: int, body: dict[str, str]) -> httpx.Response:
        headers = {"X-Forwarded-For": addresses[index]} if addresses else None
        return await client.post("/api/v1/auth/login", json=body, headers=headers)

    responses = await asyncio.gather(*(one(i, body) for i, body in enumerate(bodies)))
    for response in responses:
        if response.status_code == 429:
            error = assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
            assert int(response.headers["retry-after"]) == error["details"]["retry_after"] > 0
        elif response.status_code == 401:
            assert_error(response, 401, "AUTHENTICATION_ERROR")
    return Counter(response.status_code for response in responses)


# --- login limits -------------------------------------------------------------------------


async def test_concurrent_wrong_logins_from_one_address_check_at_most_the_limit(
        strict: str) -> None:
    async with browser(strict, "10.0.0.1") as owner:
        email = await register(owner)
        await login(owner, email)  # this browser is now a recognised client of the account
    async with browser(strict, "10.0.0.1") as attacker:
        bodies = [login_body(email if i == 0 else unique_email("nobody"), f"wrong-{i}")
                  for i in range(BURST)]
        assert await burst(attacker, bodies) == Counter({401: PER_IP, 429: BURST - PER_IP})
        # The right password from this address is refused too, until the window passes.
        blocked = await attacker.post("/api/v1/auth/login", json=login_body(email, PASSWORD))
        assert "address" in assert_error(blocked, 429, "RATE_LIMIT_EXCEEDED")["message"]
    async with browser(strict, "10.0.0.2") as elsewhere:
        assert (await login(elsewhere, email))["access_token"]
    # The owner's browser, recognised, is limited on its own, not with its address.
    async with browser(strict, "10.0.0.1") as owner_again:
        owner_again.cookies = owner.cookies
        assert (await login(owner_again, email))["access_token"]


async def test_account_under_attack_from_many_addresses_still_lets_its_owner_in(
        strict: str) -> None:
    async with browser(strict, "10.1.0.1") as owner:
        email = await register(owner)
        first = await login(owner, email)
        device_token = first["device_token"]
        async with browser(strict, "10.2.0.1") as attacker:
            addresses = [f"10.2.{i // 200}.{i % 200 + 1}" for i in range(BURST)]
            wrong = [login_body(email, f"guess-{i}-{PASSWORD}") for i in range(BURST)]
            assert (await burst(attacker, wrong, addresses)
                    == Counter({401: PER_ACCOUNT, 429: BURST - PER_ACCOUNT}))
            # Unrecognised clients are refused even with the right password meanwhile …
            refused = await attacker.post("/api/v1/auth/login", json=login_body(email, PASSWORD),
                                          headers={"X-Forwarded-For": "10.3.0.1"})
            assert_error(refused, 429, "RATE_LIMIT_EXCEEDED")
            # … and a device token of another account, or a forged one, does not help.
            other_email = await register(attacker)
            other = await login(attacker, other_email)
            for token in (other["device_token"], device_token[:-4] + "abcd", "garbage"):
                response = await attacker.post(
                    "/api/v1/auth/login", json=login_body(email, PASSWORD, device_token=token),
                    headers={"X-Forwarded-For": "10.3.0.2"})
                assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
        # … but the owner's browser (cookie) and a cookie-less client with the device
        # token get in.
        assert (await login(owner, email))["access_token"]
    async with browser(strict, "10.1.0.2") as script:
        response = await script.post("/api/v1/auth/login",
                                     json=login_body(email, PASSWORD, device_token=device_token))
        assert response.status_code == 200, response.text


async def test_a_recognised_client_has_limits_of_its_own(strict: str) -> None:
    async with browser(strict, "10.4.0.1") as owner:
        email = await register(owner)
        device_token = (await login(owner, email))["device_token"]
        wrong = [login_body(email, f"typo-{i}", device_token=device_token) for i in range(BURST)]
        assert await burst(owner, wrong) == Counter({401: PER_ACCOUNT, 429: BURST - PER_ACCOUNT})
        refused = await owner.post("/api/v1/auth/login", json=login_body(email, PASSWORD))
        assert "device" in assert_error(refused, 429, "RATE_LIMIT_EXCEEDED")["message"]
    # Its failures are its own: the account still lets other clients try.
    async with browser(strict, "10.4.0.2") as laptop:
        assert (await login(laptop, email))["access_token"]


async def test_a_right_password_forgives_the_recognised_clients_typos(strict: str) -> None:
    async with browser(strict, "10.5.0.1") as owner:
        email = await register(owner)
        await login(owner, email)
        for _ in range(3):
            for _ in range(PER_ACCOUNT - 1):
                response = await owner.post("/api/v1/auth/login",
                                            json=login_body(email, "a-typo-in-it"))
                assert_error(response, 401, "AUTHENTICATION_ERROR")
            assert (await login(owner, email))["access_token"]


async def test_unknown_and_existing_emails_are_limited_alike(strict: str) -> None:
    async with browser(strict, "10.6.0.1") as client:
        email = await register(client)
        unknown = unique_email("nobody")
        answers = {}
        for target in (email, unknown):
            statuses = []
            for index in range(PER_ACCOUNT + 1):
                response = await client.post(
                    "/api/v1/auth/login", json=login_body(target, "not-the-password"),
                    headers={"X-Forwarded-For": f"10.6.1.{index + 1}"})
                statuses.append((response.status_code, response.json()["error"]["message"]))
            answers[target] = statuses
        assert answers[email] == answers[unknown]
        assert [status for status, _ in answers[email]] == [401] * PER_ACCOUNT + [429]


async def test_the_right_password_is_refused_until_the_window_passes(
        short_window_api: str, clean: None) -> None:
    email = unique_email()
    async with browser(short_window_api, "10.7.0.1") as client:
        await register(client, email)
    refused = None
    for _ in range(5):  # a slow machine may let the window roll over mid-cycle: try again
        async with browser(short_window_api, "10.7.0.2") as attacker:
            for _ in range(SHORT_PER_IP + 1):
                response = await attacker.post("/api/v1/auth/login",
                                               json=login_body(email, "wrong-password-x"))
                if response.status_code == 429:
                    break
            right = await attacker.post("/api/v1/auth/login", json=login_body(email, PASSWORD))
            if right.status_code == 429:
                refused = right
                break
    assert refused is not None, "the right password was never refused after the failures"
    assert 0 < int(refused.headers["retry-after"]) <= SHORT_WINDOW_S
    deadline = time.monotonic() + HANG_LIMIT_S
    async with browser(short_window_api, "10.7.0.2") as owner:
        while (response := await owner.post("/api/v1/auth/login",
                                            json=login_body(email, PASSWORD))).status_code == 429:
            assert time.monotonic() < deadline, "still refused long after the window"
            await asyncio.sleep(0.5)
        assert response.status_code == 200, response.text


async def test_login_sets_a_device_cookie_for_the_auth_endpoints_only(
        live_client: httpx.AsyncClient) -> None:
    email = await register(live_client)
    response = await live_client.post("/api/v1/auth/login", json=login_body(email, PASSWORD))
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("ariaforge_device_")
    for attribute in ("HttpOnly", "Path=/api/v1/auth", "SameSite=strict", "Max-Age="):
        assert attribute.lower() in cookie.lower(), cookie
    assert "secure" not in cookie.lower()  # plain HTTP here: a Secure cookie would be lost
    # The web app's sign-in needs nothing new: the same JSON still logs in.
    assert response.json()["token_type"] == "bearer"


def test_ipv6_clients_are_limited_per_slash_64() -> None:
    # One customer usually holds a whole /64: per-address limits would otherwise be free.
    assert address_subject("2001:db8:1:2:aaaa::1") == address_subject("2001:db8:1:2:ffff::9")
    assert address_subject("2001:db8:1:2::1") != address_subject("2001:db8:1:3::1")
    assert address_subject("::ffff:10.0.0.1") == address_subject("10.0.0.1") == "10.0.0.1"
    assert address_subject("10.0.0.1") != address_subject("10.0.0.2")
    assert address_subject("testclient") == "testclient"


# --- passwords ----------------------------------------------------------------------------


async def test_weak_passwords_are_refused_with_422(live_client: httpx.AsyncClient) -> None:
    email = unique_email("pat")
    for weak in WEAK_PASSWORDS:
        response = await live_client.post("/api/v1/auth/register",
                                          json={"email": email, "password": weak})
        error = assert_error(response, 422, "VALIDATION_ERROR")
        assert error["details"][-1]["loc"] == ["body", "password"], weak
        assert error["details"][-1]["type"] == "password_policy", weak
        assert "too easy to guess" in error["details"][-1]["msg"], (weak, error)
    for strong in STRONG_PASSWORDS:
        response = await live_client.post(
            "/api/v1/auth/register", json={"email": unique_email(), "password": strong})
        assert response.status_code == 201, (strong, response.text)


@pytest.mark.parametrize("password", [
    "Tr0mb0ne2024!", "Beethoven!2020", "qwertyuiop12", "zxcvbnm,./123", "!QAZ2wsx#EDC",
    "ilovemusic12", "Pianoforte123", "Mustang1967!", "LIVERPOOL2020", "drowssap2024",
    "aaaaaaaaaaab", "abcabcabcabc", "13/07/1988!!", "19880713abc!", "Starwars1977"])
def test_predictable_patterns_are_weak(password: str) -> None:
    problems = passwords.policy_violations(password, "someone@example.com")
    assert any("too easy to guess" in problem for problem in problems), (password, problems)


def test_personal_words_count_as_guessable() -> None:
    email = "maria.konstantinou@example.com"
    for password in ("Konstantinou1!", "Maria-2024-xyz", "Ocarina2019"):
        problems = passwords.policy_violations(password, email, "Ocarina Fan")
        assert any("too easy to guess" in problem for problem in problems), (password,
                                                                             problems)
    assert passwords.policy_violations("Wandering-Ocarina-Harbor-7", email) == []


def test_the_strength_check_stays_cheap_at_the_maximum_length() -> None:
    started = time.monotonic()
    for password in ("Ab1-" * 32, "x9!Kq" * 25 + "abc", "1" * 128, "passwordpassword" * 8):
        passwords.policy_violations(password, "someone@example.com")
    assert time.monotonic() - started < HANG_LIMIT_S  # a hang detector, not a speed target


# --- sign-up ------------------------------------------------------------------------------


async def test_sign_up_of_a_taken_email_says_so_and_every_answer_costs_a_slot(
        strict: str) -> None:
    async with browser(strict, "10.8.0.1") as owner:
        email = await register(owner)
    async with browser(strict, "10.8.0.2") as prober:
        bodies = [{"email": email if i % 2 else unique_email(), "password": PASSWORD}
                  for i in range(BURST)]
        responses = await asyncio.gather(*(prober.post("/api/v1/auth/register", json=body)
                                           for body in bodies))
        statuses = Counter(response.status_code for response in responses)
        # The taken e-mail answers 409 (ADR 0020 says why), free ones 201, and however many
        # arrive at once only the limit's worth are answered at all.
        assert statuses[201] + statuses[409] == REGISTRATIONS, statuses
        assert statuses[429] == BURST - REGISTRATIONS, statuses
        for response in responses:
            if response.status_code == 409:
                assert_error(response, 409, "CONFLICT")
            elif response.status_code == 429:
                assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
        # A password that breaks the policy is refused before any e-mail lookup: no slot.
        weak = await prober.post("/api/v1/auth/register",
                                 json={"email": unique_email(), "password": "Summer2024!"})
        assert_error(weak, 422, "VALIDATION_ERROR")
    # The web app's sign-up (register, then log in with the same JSON) works elsewhere.
    async with browser(strict, "10.8.0.3") as newcomer:
        email = unique_email("new")
        created = await newcomer.post("/api/v1/auth/register",
                                      json={"email": email, "password": PASSWORD,
                                            "display_name": None})
        assert created.status_code == 201, created.text
        assert created.json()["email"] == email
        assert (await login(newcomer, email))["access_token"]


# --- tokens (held in the review; kept) ----------------------------------------------------


async def test_tokens_over_http_rotate_revoke_and_refuse_each_others_roles(
        live_client: httpx.AsyncClient) -> None:
    email = await register(live_client)
    first = await login(live_client, email)
    assert (await live_client.get("/api/v1/me", headers=bearer(first))).status_code == 200
    for token in (first["refresh_token"], first["device_token"]):
        response = await live_client.get("/api/v1/me",
                                         headers={"Authorization": f"Bearer {token}"})
        assert_error(response, 401, "AUTHENTICATION_ERROR")
    for token in (first["access_token"], first["device_token"]):
        response = await live_client.post("/api/v1/auth/refresh",
                                          json={"refresh_token": token})
        assert_error(response, 401, "AUTHENTICATION_ERROR")
    rotated = await refresh(live_client, first["refresh_token"])
    assert rotated.status_code == 200, rotated.text
    assert rotated.json().get("device_token") is None
    # Reuse of the spent token ends the whole login session, newer tokens included.
    assert_error(await refresh(live_client, first["refresh_token"]), 401,
                 "AUTHENTICATION_ERROR")
    newer = rotated.json()
    assert_error(await refresh(live_client, newer["refresh_token"]), 401, "AUTHENTICATION_ERROR")
    assert_error(await live_client.get("/api/v1/me", headers=bearer(newer)), 401,
                 "AUTHENTICATION_ERROR")
    # Other login sessions live on; logout ends one.
    other = await login(live_client, email)
    assert (await live_client.post("/api/v1/auth/logout", headers=bearer(other))).status_code == 204
    assert_error(await live_client.get("/api/v1/me", headers=bearer(other)), 401,
                 "AUTHENTICATION_ERROR")


async def test_concurrent_refreshes_with_one_token_have_one_winner(
        live_client: httpx.AsyncClient) -> None:
    tokens = await login(live_client, await register(live_client))
    responses = await asyncio.gather(*(refresh(live_client, tokens["refresh_token"])
                                       for _ in range(10)))
    statuses = Counter(response.status_code for response in responses)
    assert statuses == Counter({200: 1, 401: 9}), statuses
    winner = next(response.json() for response in responses if response.status_code == 200)
    # The losers were reuses: the session (the winner's new tokens too) is revoked.
    assert_error(await refresh(live_client, winner["refresh_token"]), 401,
                 "AUTHENTICATION_ERROR")


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
