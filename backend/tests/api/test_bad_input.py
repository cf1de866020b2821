"""Bad input on every endpoint family answers a 4xx in the one error shape, never a 500,
and nothing already stored is lost or corrupted by it.

Registration and login hash with argon2, so one module-scoped `world` (an owner, an
editor and a project with non-default values) serves every test. That is why this module
never uses conftest's `client`: its `clean` fixture would truncate the world mid-module.
Every request here must be refused, so the world must look exactly as it was created at
the end; `test_bad_requests_change_nothing_stored` checks that.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from tests.conftest import BASE_URL, PASSWORD, assert_error, bearer, login, register, unique_email

API = "/api/v1"
MAX_BODY = 1_048_576  # Settings.max_request_bytes default
JSON = "application/json"
VALIDATION = "VALIDATION_ERROR"
UNAUTHENTICATED = "AUTHENTICATION_ERROR"
TOO_LARGE = "PAYLOAD_TOO_LARGE"
HUGE = 300_000
LONG = 10_000
GHOST = "ghost@example.com"  # a well-formed email that has no account


@dataclass(frozen=True)
class World:
    owner_email: str
    owner: dict[str, str]  # auth headers
    owner_id: str
    member_email: str
    member_id: str
    project_id: str
    project: dict[str, Any]  # as created
    etag: str
    members: list[dict[str, Any]]
    owner_me: dict[str, Any]

    def url(self, template: str, p: str | None = None, m: str | None = None) -> str:
        """`template` with {p} (project id) and {m} (member id), real unless overridden."""
        return API + template.format(p=p or self.project_id, m=m or self.member_id)


def _http(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL)


@pytest.fixture(scope="module")
async def world(app: FastAPI) -> World:
    # Rate-limit counters left by an earlier module's last test must not throttle us.
    redis: Redis = app.state.redis
    await redis.flushdb()
    async with _http(app) as http:
        owner_email = await register(http, unique_email("owner"))
        member_email = await register(http, unique_email("member"))
        owner = bearer(await login(http, owner_email))
        created = await http.post(f"{API}/projects", headers=owner, json={
            "name": "Nocturne in E-flat", "description": "two lines\n\tand a tab",
            "tempo": 72, "key": "Eb", "mode": "dorian", "meter": "6/8", "genre": "ambient",
            "status": "active"})
        assert created.status_code == 201, created.text
        project = created.json()
        added = await http.post(f"{API}/projects/{project['id']}/members", headers=owner,
                                json={"email": member_email, "role": "editor"})
        assert added.status_code == 201, added.text
        members = (await http.get(f"{API}/projects/{project['id']}/members",
                                  headers=owner)).json()
        me = (await http.get(f"{API}/me", headers=owner)).json()
        fresh = await http.get(f"{API}/projects/{project['id']}", headers=owner)
    return World(owner_email=owner_email, owner=owner, owner_id=me["id"],
                 member_email=member_email, member_id=added.json()["user_id"],
                 project_id=project["id"], project=fresh.json(),
                 etag=fresh.headers["etag"], members=members, owner_me=me)


@pytest.fixture
async def api(app: FastAPI, world: World) -> AsyncIterator[httpx.AsyncClient]:
    """A client that, unlike conftest's `client`, leaves the database alone."""
    async with _http(app) as http:
        yield http


def _chunks(data: bytes, size: int = 65_536) -> AsyncIterator[bytes]:
    """An async iterator body: httpx then sends it chunked, without Content-Length."""

    async def generate() -> AsyncIterator[bytes]:
        for start in range(0, len(data), size):
            yield data[start:start + size]

    return generate()


def _json_of_size(size: int) -> bytes:
    """A well-formed JSON object of exactly `size` bytes (its name is far too long)."""
    body = b'{"name": "' + b"a" * (size - 12) + b'"}'
    assert len(body) == size
    return body


# --------------------------------------------------------------------------------------
# Auth: register, login, refresh (no credentials needed, so body validation is all)
# --------------------------------------------------------------------------------------

_EMAIL = "someone@example.com"
_GOOD_PASSWORD = "c0rrect-h0rse-battery"

AUTH_BAD_BODIES = [
    # missing required fields
    pytest.param("/auth/register", {}, 422, id="register-empty-object"),
    pytest.param("/auth/register", {"email": _EMAIL}, 422, id="register-no-password"),
    pytest.param("/auth/register", {"password": _GOOD_PASSWORD}, 422, id="register-no-email"),
    # wrong types
    pytest.param("/auth/register", {"email": 123, "password": _GOOD_PASSWORD}, 422,
                 id="register-email-number"),
    pytest.param("/auth/register", {"email": [_EMAIL], "password": _GOOD_PASSWORD}, 422,
                 id="register-email-list"),
    pytest.param("/auth/register", {"email": {"a": _EMAIL}, "password": _GOOD_PASSWORD}, 422,
                 id="register-email-object"),
    pytest.param("/auth/register", {"email": None, "password": _GOOD_PASSWORD}, 422,
                 id="register-email-null"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": 12345678901}, 422,
                 id="register-password-number"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": None}, 422,
                 id="register-password-null"),
    pytest.param("/auth/register",
                 {"email": _EMAIL, "password": _GOOD_PASSWORD, "display_name": 7}, 422,
                 id="register-display-name-number"),
    # unknown extra fields (models forbid extras)
    pytest.param("/auth/register",
                 {"email": _EMAIL, "password": _GOOD_PASSWORD, "is_admin": True}, 422,
                 id="register-extra-field"),
    # huge strings
    pytest.param("/auth/register", {"email": "a" * LONG + "@example.com",
                                    "password": _GOOD_PASSWORD}, 422, id="register-email-10k"),
    pytest.param("/auth/register", {"email": "a" * HUGE + "@example.com",
                                    "password": _GOOD_PASSWORD}, 422, id="register-email-300k"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": "Ab1-" * (LONG // 4)}, 422,
                 id="register-password-10k"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": "Ab1-" * (HUGE // 4)}, 422,
                 id="register-password-300k"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": _GOOD_PASSWORD,
                                    "display_name": "a" * LONG}, 422,
                 id="register-display-name-10k"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": _GOOD_PASSWORD,
                                    "display_name": "a" * HUGE}, 422,
                 id="register-display-name-300k"),
    # NUL and other control characters
    pytest.param("/auth/register", {"email": "a\u0000b@example.com",
                                    "password": _GOOD_PASSWORD}, 422, id="register-email-nul"),
    pytest.param("/auth/register", {"email": "ab@example.com\n",
                                    "password": _GOOD_PASSWORD}, 422,
                 id="register-email-newline"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": "c0rrect\u0000horse"}, 422,
                 id="register-password-nul"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": _GOOD_PASSWORD,
                                    "display_name": "Ann\u0000"}, 422,
                 id="register-display-name-nul"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": _GOOD_PASSWORD,
                                    "display_name": "Ann\x1b[31m"}, 422,
                 id="register-display-name-escape"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": _GOOD_PASSWORD,
                                    "display_name": "   "}, 422,
                 id="register-display-name-blank"),
    # other unusable values
    pytest.param("/auth/register", {"email": "not-an-email", "password": _GOOD_PASSWORD}, 422,
                 id="register-email-no-at"),
    pytest.param("/auth/register", {"email": "a@localhost", "password": _GOOD_PASSWORD}, 422,
                 id="register-email-no-dot"),
    pytest.param("/auth/register", {"email": _EMAIL, "password": "short"}, 422,
                 id="register-password-policy"),
    # login
    pytest.param("/auth/login", {}, 422, id="login-empty-object"),
    pytest.param("/auth/login", {"email": _EMAIL}, 422, id="login-no-password"),
    pytest.param("/auth/login", {"email": 5, "password": _GOOD_PASSWORD}, 422,
                 id="login-email-number"),
    pytest.param("/auth/login", {"email": _EMAIL, "password": ["x"]}, 422,
                 id="login-password-list"),
    pytest.param("/auth/login", {"email": _EMAIL, "password": ""}, 422,
                 id="login-password-empty"),
    pytest.param("/auth/login", {"email": _EMAIL, "password": _GOOD_PASSWORD, "otp": "1"},
                 422, id="login-extra-field"),
    pytest.param("/auth/login", {"email": "a" * HUGE + "@example.com",
                                 "password": _GOOD_PASSWORD}, 422, id="login-email-300k"),
    pytest.param("/auth/login", {"email": _EMAIL, "password": "x" * LONG}, 422,
                 id="login-password-10k"),
    pytest.param("/auth/login", {"email": _EMAIL, "password": "x" * HUGE}, 422,
                 id="login-password-300k"),
    pytest.param("/auth/login", {"email": "a\u0000@example.com",
                                 "password": _GOOD_PASSWORD}, 422, id="login-email-nul"),
    # A NUL in a password is well-formed input: it just does not match (argon2 copes).
    pytest.param("/auth/login", {"email": GHOST, "password": "c0rrect\u0000horse"}, 401,
                 id="login-password-nul"),
    # refresh
    pytest.param("/auth/refresh", {}, 422, id="refresh-empty-object"),
    pytest.param("/auth/refresh", {"refresh_token": 123}, 422, id="refresh-token-number"),
    pytest.param("/auth/refresh", {"refresh_token": None}, 422, id="refresh-token-null"),
    pytest.param("/auth/refresh", {"refresh_token": ["a.b.c"]}, 422, id="refresh-token-list"),
    pytest.param("/auth/refresh", {"refresh_token": {"t": 1}}, 422, id="refresh-token-object"),
    pytest.param("/auth/refresh", {"refresh_token": ""}, 422, id="refresh-token-empty"),
    pytest.param("/auth/refresh", {"refresh_token": "x" * 5000}, 422, id="refresh-token-5000"),
    pytest.param("/auth/refresh", {"refresh_token": "x" * HUGE}, 422, id="refresh-token-300k"),
    pytest.param("/auth/refresh", {"refresh_token": "a.b.c", "user_id": 1}, 422,
                 id="refresh-extra-field"),
    # garbage that is a well-formed string: the token check refuses it
    pytest.param("/auth/refresh", {"refresh_token": "garbage"}, 401, id="refresh-garbage"),
    pytest.param("/auth/refresh", {"refresh_token": "x" * 4096}, 401, id="refresh-token-4096"),
    pytest.param("/auth/refresh", {"refresh_token": "a.b.c"}, 401, id="refresh-three-dots"),
    pytest.param("/auth/refresh", {"refresh_token": "\u0000"}, 401, id="refresh-token-nul"),
    pytest.param("/auth/refresh", {"refresh_token": "eyJhbGciOiJub25lIn0.e30."}, 401,
                 id="refresh-alg-none"),
]


@pytest.mark.parametrize(("path", "body", "status"), AUTH_BAD_BODIES)
async def test_auth_bad_bodies(api: httpx.AsyncClient, path: str, body: dict[str, Any],
                               status: int) -> None:
    response = await api.post(API + path, json=body)
    assert_error(response, status, VALIDATION if status == 422 else UNAUTHENTICATED)


async def test_validation_details_do_not_echo_the_password(api: httpx.AsyncClient) -> None:
    secret = "hunter2-" + "s" * 200  # too long, so refused by validation
    response = await api.post(f"{API}/auth/register", json={"email": _EMAIL, "password": secret})
    error = assert_error(response, 422, VALIDATION)
    assert secret not in response.text
    assert error["details"][0]["loc"] == ["body", "password"]


@pytest.mark.parametrize("authorization", [
    pytest.param(b"Bearer " + b"x" * 5000, id="5000-char-token"),
    pytest.param(b"Bearer \xff\xfe\x00", id="binary-token"),
    pytest.param(b"Bearer", id="scheme-only"),
    pytest.param(b"", id="empty"),
    pytest.param(b"Bearer a.b.c", id="three-dots"),
    pytest.param(b"Token abc", id="other-scheme"),
])
async def test_garbage_bearer_tokens(api: httpx.AsyncClient, authorization: bytes) -> None:
    response = await api.get(f"{API}/me", headers=[(b"authorization", authorization)])
    assert_error(response, 401, UNAUTHENTICATED)


LOGOUT_BAD_BODIES = [
    pytest.param(b'{"refresh_token": 5}', JSON, id="token-number"),
    pytest.param(b'{"refresh_token": ""}', JSON, id="token-empty"),
    pytest.param(b'{"refresh_token": "' + b"x" * 5000 + b'"}', JSON, id="token-5000"),
    pytest.param(b'{"refresh_token": ["x"]}', JSON, id="token-list"),
    pytest.param(b'{"everywhere": true}', JSON, id="extra-field"),
    pytest.param(b"[]", JSON, id="top-level-array"),
    pytest.param(b'"tok"', JSON, id="top-level-string"),
    pytest.param(b"42", JSON, id="top-level-number"),
    pytest.param(b'{"refresh_token": "x",}', JSON, id="trailing-comma"),
    pytest.param(b'{"refresh_token": ', JSON, id="truncated"),
    pytest.param(b'{"refresh_token": "x"}', "text/plain", id="text-plain"),
]


@pytest.mark.parametrize(("content", "content_type"), LOGOUT_BAD_BODIES)
async def test_logout_bad_bodies_are_422_and_keep_the_session(
        api: httpx.AsyncClient, world: World, content: bytes, content_type: str) -> None:
    # A login session of its own: a logout that wrongly went through must not end others.
    session = bearer(await login(api, world.member_email))
    response = await api.post(f"{API}/auth/logout", content=content,
                              headers={**session, "Content-Type": content_type})
    assert_error(response, 422, VALIDATION)
    # Validation runs before the endpoint, so the refused logout revoked nothing.
    assert (await api.get(f"{API}/me", headers=session)).status_code == 200


async def test_logout_bad_body_without_credentials(api: httpx.AsyncClient) -> None:
    # Auth is a dependency and runs first, so a schema error without a token is 401 ...
    assert_error(await api.post(f"{API}/auth/logout", json={"refresh_token": 5}), 401,
                 UNAUTHENTICATED)
    # ... but JSON is parsed before any dependency, so malformed JSON is 422 regardless.
    assert_error(await api.post(f"{API}/auth/logout", content=b"{nope",
                                headers={"Content-Type": JSON}), 422, VALIDATION)


async def test_refused_logout_does_not_leave_a_half_revoked_session(
        api: httpx.AsyncClient, world: World) -> None:
    """A logout refused with 401 must leave the session either intact or fully ended.

    Regression: `auth.service.logout` used to revoke in Redis before decoding the body's
    refresh token; the 401 for a garbage one rolled the database back but not Redis, so
    `/auth/refresh` (which checks only the database) answered 200 with a new pair whose
    access token was already revoked.
    """
    tokens = await login(api, world.member_email)
    refused = await api.post(f"{API}/auth/logout", headers=bearer(tokens),
                             json={"refresh_token": "garbage"})
    assert_error(refused, 401, UNAUTHENTICATED)
    session_alive = (await api.get(f"{API}/me", headers=bearer(tokens))).status_code == 200
    refreshed = await api.post(f"{API}/auth/refresh",
                               json={"refresh_token": tokens["refresh_token"]})
    if refreshed.status_code == 200:
        renewed_works = (await api.get(f"{API}/me",
                                       headers=bearer(refreshed.json()))).status_code == 200
        assert session_alive and renewed_works, (
            "BUG: a refused logout (401) half-applied: old access token works="
            f"{session_alive}, /auth/refresh answered 200, new access token works="
            f"{renewed_works}")
    else:
        assert_error(refreshed, 401, UNAUTHENTICATED)
        assert not session_alive, "the session survived but its refresh token was refused"


# --------------------------------------------------------------------------------------
# Projects: create (POST) and update (PATCH), field by field
# --------------------------------------------------------------------------------------

BAD_PROJECT_FIELDS: list[tuple[str, Any]] = [
    ("name", 123), ("name", ["a"]), ("name", {"a": 1}), ("name", True), ("name", None),
    ("name", ""), ("name", "   "), ("name", "a" * 201), ("name", "a" * LONG),
    ("name", "a" * HUGE), ("name", "a\u0000b"), ("name", "a\nb"), ("name", "a\tb"),
    ("name", "a\x1b[31mb"), ("name", "a\x7fb"),
    ("description", 5), ("description", ["a"]), ("description", None),
    ("description", "a" * 5001), ("description", "a" * LONG), ("description", "a" * HUGE),
    ("description", "a\u0000b"), ("description", "bell\x07"), ("description", "a\x0bb"),
    ("tempo", "fast"), ("tempo", "120bpm"), ("tempo", 19), ("tempo", 401), ("tempo", 0),
    ("tempo", -120), ("tempo", 10**12), ("tempo", 120.5), ("tempo", [120]),
    ("tempo", {"bpm": 120}), ("tempo", None), ("tempo", True),
    ("key", "H"), ("key", "c"), ("key", ""), ("key", 1), ("key", None), ("key", ["C"]),
    ("key", "C\u0000"),
    ("mode", "majestic"), ("mode", "MAJOR"), ("mode", ""), ("mode", 1), ("mode", None),
    ("meter", "4/3"), ("meter", "0/4"), ("meter", "abc"), ("meter", "99/4"), ("meter", "4/0"),
    ("meter", "33/4"), ("meter", "-4/4"), ("meter", ""), ("meter", "4/4/4"),
    ("meter", "4 /4"), ("meter", "4/4\u0000"), ("meter", "4" * LONG), ("meter", 44),
    ("meter", [4, 4]), ("meter", None),
    ("genre", "a" * 51), ("genre", "a" * HUGE), ("genre", "ro\u0000ck"), ("genre", "ro\rck"),
    ("genre", 7), ("genre", None),
    ("status", "deleted"), ("status", "DRAFT"), ("status", ""), ("status", 1),
    ("status", None),
]


def _field_id(field: str, value: Any) -> str:
    text = repr(value)
    return f"{field}={text[:20]}{'...' if len(text) > 20 else ''}({len(text)})"


FIELD_PARAMS = [pytest.param(f, v, id=_field_id(f, v)) for f, v in BAD_PROJECT_FIELDS]


@pytest.mark.parametrize(("field", "value"), FIELD_PARAMS)
async def test_create_project_bad_field(api: httpx.AsyncClient, world: World, field: str,
                                        value: Any) -> None:
    response = await api.post(f"{API}/projects", headers=world.owner,
                              json={"name": "Valid name", field: value})
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize(("field", "value"), FIELD_PARAMS)
async def test_update_project_bad_field(api: httpx.AsyncClient, world: World, field: str,
                                        value: Any) -> None:
    # Nulls pass the schema (every field is optional) and are refused by the service.
    response = await api.patch(world.url("/projects/{p}"), headers=world.owner,
                               json={field: value})
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize("body", [
    pytest.param({}, id="empty-object"),
    pytest.param({"description": "no name"}, id="no-name"),
    pytest.param({"name": "x", "id": "00000000-0000-0000-0000-000000000000"}, id="extra-id"),
    pytest.param({"name": "x", "revision": 1}, id="extra-revision"),
    pytest.param({"name": "x", "role": "owner"}, id="extra-role"),
    pytest.param({"name": "x", "owner_id": "me"}, id="extra-owner-id"),
    pytest.param({"name": "x", "Name": "y"}, id="extra-case-variant"),
    pytest.param({"name": "x", "\u0000": 1}, id="extra-nul-key"),
])
async def test_create_project_missing_or_extra_fields(api: httpx.AsyncClient, world: World,
                                                      body: dict[str, Any]) -> None:
    response = await api.post(f"{API}/projects", headers=world.owner, json=body)
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize("body", [
    pytest.param({"genre": "x", "id": "00000000-0000-0000-0000-000000000000"}, id="extra-id"),
    pytest.param({"genre": "x", "role": "viewer"}, id="extra-role"),
    pytest.param({"genre": "x", "created_at": "2020-01-01T00:00:00Z"}, id="extra-created-at"),
    pytest.param({"revision": 0}, id="revision-0"),
    pytest.param({"revision": -1}, id="revision-negative"),
    pytest.param({"revision": 2**31}, id="revision-2^31"),
    pytest.param({"revision": 10**30}, id="revision-10^30"),
    pytest.param({"revision": 1.5}, id="revision-float"),
    pytest.param({"revision": "abc"}, id="revision-string"),
    pytest.param({"revision": [1]}, id="revision-list"),
])
async def test_update_project_extra_fields_and_bad_revision(
        api: httpx.AsyncClient, world: World, body: dict[str, Any]) -> None:
    response = await api.patch(world.url("/projects/{p}"), headers=world.owner, json=body)
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize(("if_match", "status", "code"), [
    pytest.param("abc", 422, VALIDATION, id="letters"),
    pytest.param("1" * 100, 422, VALIDATION, id="100-digits"),  # over Header(max_length=64)
    pytest.param("9" * 64, 422, VALIDATION, id="64-digits"),
    pytest.param("9" * 11, 422, VALIDATION, id="11-digits"),
    pytest.param("", 422, VALIDATION, id="empty"),
    pytest.param("*", 422, VALIDATION, id="star"),
    pytest.param("W/", 422, VALIDATION, id="weak-prefix-only"),
    pytest.param('"-1"', 422, VALIDATION, id="negative"),
    pytest.param('"1.5"', 422, VALIDATION, id="fraction"),
    pytest.param("0x10", 422, VALIDATION, id="hex"),
    pytest.param("1e3", 422, VALIDATION, id="exponent"),
    pytest.param('"1", "2"', 422, VALIDATION, id="list-of-etags"),
    # Well-formed but stale: a conflict, not a validation error.
    pytest.param("9" * 10, 409, "CONFLICT", id="10-digits-stale"),
    pytest.param('W/"0"', 409, "CONFLICT", id="revision-0-stale"),
])
async def test_update_project_absurd_if_match(api: httpx.AsyncClient, world: World,
                                              if_match: str, status: int, code: str) -> None:
    response = await api.patch(world.url("/projects/{p}"), json={"genre": "if-match"},
                               headers={**world.owner, "If-Match": if_match})
    assert_error(response, status, code)


async def test_if_match_with_a_latin1_superscript_digit_is_422_not_500(
        api: httpx.AsyncClient, world: World) -> None:
    """Regression: `projects.service.parse_if_match` checked `str.isdigit()`, which is true
    for "²" (byte 0xB2, decoded as latin-1 by the ASGI server); `int("²")` then raised
    ValueError and the answer was 500 INTERNAL_ERROR."""
    headers = [(k.encode(), v.encode()) for k, v in world.owner.items()]
    for digit in (b"\xb2", b"\xb3", b"\xb9", b'"1\xb2"'):
        response = await api.patch(world.url("/projects/{p}"), json={"genre": "if-match"},
                                   headers=[*headers, (b"if-match", digit)])
        assert response.status_code != 500, f"BUG: If-Match {digit!r} -> {response.text}"
        assert_error(response, 422, VALIDATION)


# --------------------------------------------------------------------------------------
# Members: add (POST) and change role (PATCH)
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    pytest.param({}, id="empty-object"),
    pytest.param({"role": "viewer"}, id="no-email"),
    pytest.param({"email": 123}, id="email-number"),
    pytest.param({"email": None}, id="email-null"),
    pytest.param({"email": [GHOST]}, id="email-list"),
    pytest.param({"email": {"e": GHOST}}, id="email-object"),
    pytest.param({"email": "not-an-email"}, id="email-no-at"),
    pytest.param({"email": "gh\u0000ost@example.com"}, id="email-nul"),
    pytest.param({"email": "ghost@example.com\r\n"}, id="email-crlf"),
    pytest.param({"email": "a" * LONG + "@example.com"}, id="email-10k"),
    pytest.param({"email": "a" * HUGE + "@example.com"}, id="email-300k"),
    pytest.param({"email": GHOST, "role": "god"}, id="role-unknown"),
    pytest.param({"email": GHOST, "role": "OWNER"}, id="role-upper-case"),
    pytest.param({"email": GHOST, "role": ""}, id="role-empty"),
    pytest.param({"email": GHOST, "role": 1}, id="role-number"),
    pytest.param({"email": GHOST, "role": None}, id="role-null"),
    pytest.param({"email": GHOST, "role": ["viewer"]}, id="role-list"),
    pytest.param({"email": GHOST, "role": "viewer", "user_id": "x"}, id="extra-field"),
    # Well-formed, but ownership moves only by a role change: refused by the service.
    pytest.param({"email": GHOST, "role": "owner"}, id="role-owner"),
])
async def test_add_member_bad_bodies(api: httpx.AsyncClient, world: World,
                                     body: dict[str, Any]) -> None:
    response = await api.post(world.url("/projects/{p}/members"), headers=world.owner,
                              json=body)
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize("body", [
    pytest.param({}, id="empty-object"),
    pytest.param({"role": None}, id="role-null"),
    pytest.param({"role": "god"}, id="role-unknown"),
    pytest.param({"role": "Owner"}, id="role-capitalised"),
    pytest.param({"role": "viewer\u0000"}, id="role-nul"),
    pytest.param({"role": "v" * HUGE}, id="role-300k"),
    pytest.param({"role": 5}, id="role-number"),
    pytest.param({"role": ["viewer"]}, id="role-list"),
    pytest.param({"role": "viewer", "email": GHOST}, id="extra-field"),
])
async def test_change_member_role_bad_bodies(api: httpx.AsyncClient, world: World,
                                             body: dict[str, Any]) -> None:
    response = await api.patch(world.url("/projects/{p}/members/{m}"), headers=world.owner,
                               json=body)
    assert_error(response, 422, VALIDATION)


# --------------------------------------------------------------------------------------
# The list endpoint's query string
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "page=0", "page=-1", "page=abc", "page=", "page=1.5", "page=100001", "page=" + "9" * 30,
    "page=1e3", "limit=0", "limit=101", "limit=-5", "limit=abc", "limit=1.5", "limit=",
    "status=zzz", "status=DRAFT", "status=", "search=a%00b", "search=a%1Bb", "search=a%0Ab",
    "search=" + "a" * 201, "search=" + "a" * LONG, "foo=1", "page=1&sort=name",
])
async def test_list_projects_bad_query(api: httpx.AsyncClient, world: World,
                                       query: str) -> None:
    response = await api.get(f"{API}/projects?{query}", headers=world.owner)
    assert_error(response, 422, VALIDATION)


# --------------------------------------------------------------------------------------
# Bad UUIDs in paths
# --------------------------------------------------------------------------------------

# (method, template, a body that would be valid, so that only the path is wrong)
ID_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/projects/{p}", None),
    ("PATCH", "/projects/{p}", {"genre": "path-test"}),
    ("DELETE", "/projects/{p}", None),
    ("GET", "/projects/{p}/members", None),
    ("POST", "/projects/{p}/members", {"email": GHOST, "role": "viewer"}),
    ("PATCH", "/projects/{p}/members/{m}", {"role": "viewer"}),
    ("DELETE", "/projects/{p}/members/{m}", None),
]
BAD_IDS = {
    "word": "not-a-uuid",
    "number": "123",
    "10k-chars": "a" * LONG,
    "nul": "%00",
    "one-digit-too-many": "123e4567-e89b-12d3-a456-4266141740000",
    "uuid-plus-1000": "123e4567-e89b-12d3-a456-426614174000" + "0" * 1000,
    "non-hex": "g" * 32,
}
ID_PARAMS = [
    pytest.param(method, template, body, slot, bad,
                 id=f"{method}-{template.replace('/projects/', '')}-{slot}-{name}")
    for method, template, body in ID_ROUTES
    for slot in ("p", "m") if "{" + slot + "}" in template
    for name, bad in BAD_IDS.items()
]


@pytest.mark.parametrize(("method", "template", "body", "slot", "bad_id"), ID_PARAMS)
async def test_bad_uuid_in_path(api: httpx.AsyncClient, world: World, method: str,
                                template: str, body: dict[str, Any] | None, slot: str,
                                bad_id: str) -> None:
    url = world.url(template, **{slot: bad_id})
    response = await api.request(method, url, headers=world.owner, json=body)
    error = assert_error(response, 422, VALIDATION)
    assert error["details"][0]["loc"] == ["path", "project_id" if slot == "p" else "member_id"]


@pytest.mark.parametrize(("method", "template", "body"), ID_ROUTES)
async def test_bad_uuid_without_credentials_is_401(api: httpx.AsyncClient, world: World,
                                                   method: str, template: str,
                                                   body: dict[str, Any] | None) -> None:
    # Dependencies (auth) run before parameter errors are raised.
    url = world.url(template, p="not-a-uuid", m="not-a-uuid")
    assert_error(await api.request(method, url, json=body), 401, UNAUTHENTICATED)


@pytest.mark.parametrize(("method", "template", "body"), ID_ROUTES)
async def test_unknown_but_valid_uuid_is_404(api: httpx.AsyncClient, world: World,
                                             method: str, template: str,
                                             body: dict[str, Any] | None) -> None:
    url = world.url(template, p="00000000-0000-0000-0000-000000000000")
    assert_error(await api.request(method, url, headers=world.owner, json=body), 404,
                 "NOT_FOUND")


# --------------------------------------------------------------------------------------
# Malformed bodies, wrong Content-Type, empty bodies: every endpoint that takes a body
# --------------------------------------------------------------------------------------

BODY_ROUTES = [
    ("POST", "/auth/register"), ("POST", "/auth/login"), ("POST", "/auth/refresh"),
    ("POST", "/projects"), ("PATCH", "/projects/{p}"), ("POST", "/projects/{p}/members"),
    ("PATCH", "/projects/{p}/members/{m}"),
]
BAD_RAW_BODIES = [
    # (content, content type, status): malformed JSON is a 422 json_invalid ...
    pytest.param(b'{"name": "x"', JSON, 422, id="truncated"),
    pytest.param(b'{"name": "x",}', JSON, 422, id="trailing-comma"),
    pytest.param(b"not json at all", JSON, 422, id="not-json"),
    pytest.param(b"{'name': 'x'}", JSON, 422, id="single-quotes"),
    pytest.param(b'{"name": "\\x"}', JSON, 422, id="bad-escape"),
    pytest.param(b'{"a": 1}{"b": 2}', JSON, 422, id="two-documents"),
    pytest.param(b"\x00", JSON, 422, id="nul-byte"),
    pytest.param(b"   ", JSON, 422, id="whitespace-only"),
    # ... and well-formed JSON of the wrong top-level type is a 422 too
    pytest.param(b"[]", JSON, 422, id="top-level-array"),
    pytest.param(b'[{"name": "x"}]', JSON, 422, id="top-level-array-of-object"),
    pytest.param(b"42", JSON, 422, id="top-level-number"),
    pytest.param(b'"name"', JSON, 422, id="top-level-string"),
    pytest.param(b"true", JSON, 422, id="top-level-bool"),
    pytest.param(b"null", JSON, 422, id="top-level-null"),
    pytest.param(b"", JSON, 422, id="empty-body"),
    # a lone surrogate cannot be stored (nor encoded as UTF-8)
    pytest.param(b'{"\\ud800": "x"}', JSON, 422, id="lone-surrogate-key"),
    pytest.param(b'{"name": "\\udfff", "email": "\\ud800", "role": "\\ud800"}', JSON, 422,
                 id="lone-surrogate-values"),
    # wrong Content-Type: the body is not parsed as JSON at all
    pytest.param(b'{"name": "x"}', "text/plain", 422, id="text-plain"),
    pytest.param(b"name=x", "application/x-www-form-urlencoded", 422, id="form"),
    pytest.param(b"<name>x</name>", "application/xml", 422, id="xml"),
    pytest.param(b'{"name": "x"}', "multipart/form-data; boundary=zz", 422, id="multipart"),
    # bodies the JSON parser itself chokes on: FastAPI answers a generic 400
    pytest.param(b'{"name": "\xff\xfe"}', JSON, 400, id="invalid-utf8"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, JSON, 400, id="nested-100k-deep"),
    pytest.param(b'{"tempo": ' + b"9" * 5000 + b"}", JSON, 400, id="5000-digit-number"),
]


@pytest.mark.parametrize(("method", "template"), BODY_ROUTES)
@pytest.mark.parametrize(("content", "content_type", "status"), BAD_RAW_BODIES)
async def test_malformed_bodies(api: httpx.AsyncClient, world: World, method: str,
                                template: str, content: bytes, content_type: str,
                                status: int) -> None:
    response = await api.request(method, world.url(template), content=content,
                                 headers={**world.owner, "Content-Type": content_type})
    assert_error(response, status, VALIDATION)


async def test_json_is_parsed_before_credentials_are_checked(api: httpx.AsyncClient,
                                                             world: World) -> None:
    # FastAPI reads the body before running dependencies: malformed JSON wins over auth.
    malformed = await api.post(f"{API}/projects", content=b'{"name": "x",}',
                               headers={"Content-Type": JSON})
    assert_error(malformed, 422, VALIDATION)
    # A well-formed body is validated after the auth dependency: auth wins.
    schema_error = await api.post(f"{API}/projects", json={"name": 5})
    assert_error(schema_error, 401, UNAUTHENTICATED)


# --------------------------------------------------------------------------------------
# Body size: the 1 MiB limit, with and without Content-Length; malformed Content-Length
# --------------------------------------------------------------------------------------

SIZE_ROUTES = [*BODY_ROUTES, ("POST", "/auth/logout")]


@pytest.mark.parametrize(("method", "template"), SIZE_ROUTES)
async def test_body_over_limit_with_content_length_is_413(
        api: httpx.AsyncClient, world: World, method: str, template: str) -> None:
    response = await api.request(method, world.url(template),
                                 content=_json_of_size(MAX_BODY + 1),
                                 headers={**world.owner, "Content-Type": JSON})
    assert_error(response, 413, TOO_LARGE)


@pytest.mark.parametrize(("method", "template"), SIZE_ROUTES)
async def test_chunked_body_over_limit_is_413(api: httpx.AsyncClient, world: World,
                                              method: str, template: str) -> None:
    request = api.build_request(method, world.url(template),
                                content=_chunks(_json_of_size(MAX_BODY + 1)),
                                headers={**world.owner, "Content-Type": JSON})
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"
    assert_error(await api.send(request), 413, TOO_LARGE)


async def test_body_exactly_at_the_limit_is_read_and_validated(api: httpx.AsyncClient,
                                                               world: World) -> None:
    headers = {**world.owner, "Content-Type": JSON}
    at_limit = await api.post(f"{API}/projects", content=_json_of_size(MAX_BODY),
                              headers=headers)
    assert_error(at_limit, 422, VALIDATION)  # name too long, but not too large
    chunked = await api.post(f"{API}/projects", content=_chunks(_json_of_size(MAX_BODY)),
                             headers=headers)
    assert_error(chunked, 422, VALIDATION)


async def test_false_content_length_does_not_bypass_the_limit(api: httpx.AsyncClient,
                                                              world: World) -> None:
    response = await api.post(f"{API}/projects", content=_json_of_size(2 * MAX_BODY),
                              headers={**world.owner, "Content-Type": JSON,
                                       "Content-Length": "20"})
    assert_error(response, 413, TOO_LARGE)


@pytest.mark.parametrize(("method", "template"), [
    ("GET", "/me"), ("GET", "/projects"), ("DELETE", "/projects/{p}"),
    ("DELETE", "/projects/{p}/members/{m}"), ("POST", "/auth/login"),
])
async def test_absurd_content_length_is_413_before_routing(
        api: httpx.AsyncClient, world: World, method: str, template: str) -> None:
    response = await api.request(method, world.url(template), content=b"{}",
                                 headers={**world.owner, "Content-Length": "9" * 100})
    assert_error(response, 413, TOO_LARGE)


@pytest.mark.parametrize("length", ["abc", "-1", "1.5", "0x10", "1e3", "", "+5", "1 0"])
async def test_malformed_content_length_is_400(api: httpx.AsyncClient, world: World,
                                               length: str) -> None:
    response = await api.post(f"{API}/projects", content=b'{"name": "x"}',
                              headers={**world.owner, "Content-Type": JSON,
                                       "Content-Length": length})
    assert_error(response, 400, VALIDATION)


async def test_content_length_with_a_latin1_superscript_digit_is_400_not_500(
        api: httpx.AsyncClient, world: World) -> None:
    """Regression: `RequestContextMiddleware._refusal` checked `str.isdigit()`, true for
    "²" (byte 0xB2, decoded as latin-1); `int("²")` then raised ValueError: 500.
    (uvicorn's parsers reject such a header first, so it was latent behind them.)"""
    headers = [(k.encode(), v.encode()) for k, v in world.owner.items()]
    response = await api.post(f"{API}/projects", content=b'{"name": "x"}',
                              headers=[*headers, (b"content-type", JSON.encode()),
                                       (b"content-length", b"\xb2")])
    assert response.status_code != 500, f"BUG: Content-Length b'\\xb2' -> {response.text}"
    assert_error(response, 400, VALIDATION)


# --------------------------------------------------------------------------------------
# Unknown routes and wrong methods
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "template", "status", "code"), [
    ("GET", "/nope", 404, "NOT_FOUND"),
    ("GET", "/auth", 404, "NOT_FOUND"),
    ("POST", "/auth/signup", 404, "NOT_FOUND"),
    ("GET", "/projects/{p}/nope", 404, "NOT_FOUND"),
    ("GET", "/projects/{p}/members/{m}/nope", 404, "NOT_FOUND"),
    ("GET", "/auth/login", 405, "METHOD_NOT_ALLOWED"),
    ("GET", "/auth/register", 405, "METHOD_NOT_ALLOWED"),
    ("PUT", "/auth/refresh", 405, "METHOD_NOT_ALLOWED"),
    ("POST", "/me", 405, "METHOD_NOT_ALLOWED"),
    ("DELETE", "/projects", 405, "METHOD_NOT_ALLOWED"),
    ("PUT", "/projects/{p}", 405, "METHOD_NOT_ALLOWED"),
    ("POST", "/projects/{p}", 405, "METHOD_NOT_ALLOWED"),
    ("PUT", "/projects/{p}/members", 405, "METHOD_NOT_ALLOWED"),
    ("GET", "/projects/{p}/members/{m}", 405, "METHOD_NOT_ALLOWED"),
])
async def test_unknown_routes_and_wrong_methods(api: httpx.AsyncClient, world: World,
                                                method: str, template: str, status: int,
                                                code: str) -> None:
    response = await api.request(method, world.url(template), headers=world.owner)
    assert_error(response, status, code)


# --------------------------------------------------------------------------------------
# Nothing stored is lost or corrupted
# --------------------------------------------------------------------------------------

async def test_bad_requests_change_nothing_stored(api: httpx.AsyncClient,
                                                  world: World) -> None:
    """Half-valid requests (a valid change next to an invalid one) must roll back whole."""
    owner = world.owner
    project = world.url("/projects/{p}")
    member = world.url("/projects/{p}/members/{m}")
    owner_as_member = world.url("/projects/{p}/members/{m}", m=world.owner_id)
    members = world.url("/projects/{p}/members")
    json_type = {"Content-Type": JSON}
    rename = b'{"name": "Hijacked", "description": "' + b"a" * MAX_BODY + b'"}'
    # (method, url, keyword arguments, expected status, expected code)
    barrage: list[tuple[str, str, dict[str, Any], int, str]] = [
        ("PATCH", project, {"json": {"name": "Hijacked", "tempo": None}}, 422, VALIDATION),
        ("PATCH", project, {"json": {"name": "Hijacked", "genre": "x\u0000"}}, 422, VALIDATION),
        ("PATCH", project, {"json": {"name": "Hijacked", "meter": "4/3"}}, 422, VALIDATION),
        ("PATCH", project, {"json": {"name": "Hijacked", "owner": "me"}}, 422, VALIDATION),
        ("PATCH", project, {"json": {"name": "Hijacked", "description": "a" * HUGE}}, 422,
         VALIDATION),
        ("PATCH", project, {"json": {"name": "Hijacked", "revision": 999}}, 409, "CONFLICT"),
        ("PATCH", project, {"json": {"name": "Hijacked"}, "headers": {"If-Match": '"999"'}},
         409, "CONFLICT"),
        ("PATCH", project, {"json": {"name": "Hijacked"}, "headers": {"If-Match": "abc"}},
         422, VALIDATION),
        ("PATCH", project, {"json": {"name": "Hijacked"}, "headers": {"If-Match": "1" * 100}},
         422, VALIDATION),
        ("PATCH", project, {"content": b'{"name": "Hijacked",', "headers": json_type}, 422,
         VALIDATION),
        ("PATCH", project, {"content": rename, "headers": json_type}, 413, TOO_LARGE),
        ("PATCH", project, {"content": _chunks(rename), "headers": json_type}, 413, TOO_LARGE),
        ("PATCH", world.url("/projects/{p}", p="not-a-uuid"), {"json": {"name": "Hijacked"}},
         422, VALIDATION),
        ("POST", members, {"json": {"email": world.member_email, "role": "owner"}}, 422,
         VALIDATION),
        ("POST", members, {"json": {"email": world.owner_email, "role": "god"}}, 422,
         VALIDATION),
        ("POST", members, {"json": {"email": "a" * HUGE + "@example.com"}}, 422, VALIDATION),
        ("POST", members, {"json": {"email": world.member_email, "role": "viewer", "x": 1}},
         422, VALIDATION),
        ("PATCH", member, {"json": {"role": "owner", "extra": 1}}, 422, VALIDATION),
        ("PATCH", member, {"json": {"role": "god"}}, 422, VALIDATION),
        ("PATCH", member, {"json": {"role": None}}, 422, VALIDATION),
        ("PATCH", member, {"content": b'{"role": "owner"', "headers": json_type}, 422,
         VALIDATION),
        ("PATCH", owner_as_member, {"json": {"role": "viewer"}}, 409, "CONFLICT"),
        ("DELETE", owner_as_member, {}, 409, "CONFLICT"),
        ("DELETE", world.url("/projects/{p}/members/{m}", m="not-a-uuid"), {}, 422,
         VALIDATION),
        ("DELETE", world.url("/projects/{p}", p="123"), {}, 422, VALIDATION),
        ("DELETE", project, {"content": b"x" * (MAX_BODY + 1)}, 413, TOO_LARGE),
        ("DELETE", project, {"headers": {"Content-Length": "abc"}}, 400, VALIDATION),
        ("DELETE", project, {"headers": {"Authorization": "Bearer garbage"}}, 401,
         UNAUTHENTICATED),
        ("DELETE", member, {"headers": {"Authorization": "Bearer " + "x" * 5000}}, 401,
         UNAUTHENTICATED),
        ("POST", f"{API}/projects", {"json": {"name": "Second", "tempo": 4000}}, 422,
         VALIDATION),
    ]
    for method, url, kwargs, status, code in barrage:
        headers = {**owner, **kwargs.pop("headers", {})}
        response = await api.request(method, url, headers=headers, **kwargs)
        assert response.status_code != 500, (method, url, response.text)
        assert_error(response, status, code)

    fresh = await api.get(project, headers=owner)
    assert fresh.status_code == 200, fresh.text
    assert fresh.json() == world.project  # every field, revision and updated_at included
    assert fresh.headers["etag"] == world.etag
    listed = await api.get(members, headers=owner)
    assert listed.status_code == 200, listed.text
    assert listed.json() == world.members
    page = await api.get(f"{API}/projects", headers=owner)
    assert page.json()["total"] == 1  # no bad POST created anything
    assert page.json()["items"] == [world.project]
    assert (await api.get(f"{API}/me", headers=owner)).json() == world.owner_me
    # The member can still log in with the password they registered with.
    assert (await login(api, world.member_email, PASSWORD))["access_token"]
