"""/ready with real servers: 503 while the schema is behind the code, and a pod that has
been ready stays ready through a PostgreSQL restart, serving the web app, while the routes
that need the database answer 503 (never 500)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from ariaforge.config import Environment, Settings
from ariaforge.core.dsn import libpq_url
from ariaforge.core.embedded import EmbeddedServices
from ariaforge.core.migrations import downgrade, head_revision, upgrade
from ariaforge.ops.readiness import ReadinessMemory, decide
from tests.conftest import (
    PASSWORD,
    TEST_SECRET,
    api_process,
    assert_error,
    unique_email,
)

# Every wait is bounded; none of these decides a test by how long something took.
WAIT_LIMIT_S = 60


def _until(predicate: object, what: str) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not predicate():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.2)


def _database_url(base: str, name: str) -> str:
    return make_url(base).set(database=name).render_as_string(hide_password=False)


@contextmanager
def scratch_database(base_url: str) -> Iterator[str]:
    """A database of its own on the session's PostgreSQL, dropped afterwards."""
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    admin = libpq_url(_database_url(base_url, "postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _database_url(base_url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def started_api(settings: Settings, home: Path, **env: str) -> Iterator[str]:
    """A real `ariaforge api` that may not be ready: waits for /health only."""
    with api_process(settings, TEST_SECRET, home, wait_for="/health", **env) as (base, _):
        yield base


def test_ready_is_503_while_the_schema_is_behind_the_code(
        settings: Settings, tmp_path: Path) -> None:
    assert settings.database_url
    head = head_revision()
    assert head
    with scratch_database(settings.database_url) as url:
        upgrade(url)
        downgrade(url, "-1")
        behind = settings.model_copy(update={"database_url": url})
        with started_api(behind, tmp_path) as base:
            answer = httpx.get(f"{base}/ready", timeout=10)
            error = assert_error(answer, 503, "SERVICE_UNAVAILABLE")
            assert "schema behind" in error["message"]
            assert f"this code needs {head}" in error["message"]
            assert error["details"]["checks"]["database"] == "ok"
            assert error["details"]["checks"]["schema"].startswith("behind:")
            # The process itself is fine: liveness must not restart it for this.
            assert httpx.get(f"{base}/health", timeout=10).status_code == 200
            upgrade(url)
            _until(lambda: httpx.get(f"{base}/ready", timeout=10).status_code == 200,
                   "ready once migrated")
            assert httpx.get(f"{base}/ready", timeout=10).json()["checks"]["schema"] == "ok"


def test_ready_refuses_a_database_never_migrated(settings: Settings, tmp_path: Path) -> None:
    assert settings.database_url
    with scratch_database(settings.database_url) as url, started_api(
            settings.model_copy(update={"database_url": url}), tmp_path) as base:
        error = assert_error(httpx.get(f"{base}/ready", timeout=10), 503,
                             "SERVICE_UNAVAILABLE")
        assert "schema not migrated" in error["message"]


@pytest.fixture
def own_services(embedded_home: Path) -> Iterator[EmbeddedServices]:
    with EmbeddedServices(embedded_home / "services") as services:
        services.start(database=True, redis=True)
        assert services.database_url
        upgrade(services.database_url)
        yield services


def test_a_ready_pod_rides_out_a_postgres_restart(own_services: EmbeddedServices,
                                                  embedded_home: Path) -> None:
    web = embedded_home / "web"
    web.mkdir()
    (web / "index.html").write_text("<html><body>AriaForge web app</body></html>")
    settings = Settings(environment=Environment.TESTING, secret_key=TEST_SECRET,
                        database_url=own_services.database_url,
                        redis_url=own_services.redis_url, ariaforge_home=embedded_home)
    postgres = own_services.postgres
    assert postgres is not None
    # A grace far longer than this test: only the outage decides what is seen.
    with api_process(settings, TEST_SECRET, embedded_home / "api", WEB_DIR=str(web),
                     READY_OUTAGE_GRACE_S="600") as (base, _), httpx.Client(
            base_url=base, timeout=30) as http:
        email = unique_email("blip")
        assert http.post("/api/v1/auth/register",
                         json={"email": email, "password": PASSWORD}).status_code == 201
        tokens = http.post("/api/v1/auth/login",
                           json={"email": email, "password": PASSWORD}).json()
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert http.get("/api/v1/me", headers=auth).status_code == 200
        assert http.get("/ready").json()["status"] == "ready"

        postgres.stop()
        degraded = http.get("/ready")
        assert degraded.status_code == 200, degraded.text
        body = degraded.json()
        assert body["status"] == "degraded"
        assert body["checks"]["database"].startswith("unavailable")
        assert body["checks"]["redis"] == "ok"
        assert body["outage"]["grace_s"] == 600
        page = http.get("/")
        assert page.status_code == 200 and "AriaForge web app" in page.text
        assert http.get("/health").status_code == 200
        assert_error(http.get("/api/v1/me", headers=auth), 503, "SERVICE_UNAVAILABLE")
        assert_error(http.get("/api/v1/projects", headers=auth), 503, "SERVICE_UNAVAILABLE")

        postgres.start()  # same port: the pool reconnects by itself
        _until(lambda: http.get("/ready").json()["status"] == "ready", "ready again")
        _until(lambda: http.get("/api/v1/me", headers=auth).status_code == 200,
               "the database routes work again")


# --- the decision, step by step on a clock of our own ---------------------------------

OK = {"database": "ok", "schema": "ok", "redis": "ok"}
DB_DOWN = {"database": "unavailable: OSError", "schema": "unknown: database unavailable",
           "redis": "ok"}


def test_outage_grace_is_bounded() -> None:
    memory = ReadinessMemory()
    assert decide(memory, OK, grace_s=60, strict=False, now=0).status == "ready"
    assert decide(memory, DB_DOWN, grace_s=60, strict=False, now=10).status == "degraded"
    assert decide(memory, DB_DOWN, grace_s=60, strict=False, now=69).ready
    late = decide(memory, DB_DOWN, grace_s=60, strict=False, now=70)
    assert not late.ready
    assert late.failing == ["database unavailable: OSError (for more than 60 s)"]
    # Back to normal: the next outage gets the whole grace again.
    assert decide(memory, OK, grace_s=60, strict=False, now=80).ready
    assert decide(memory, DB_DOWN, grace_s=60, strict=False, now=139).status == "degraded"


def test_outage_before_first_ready_or_under_up_is_not_ready() -> None:
    assert not decide(ReadinessMemory(), DB_DOWN, grace_s=60, strict=False, now=0).ready
    memory = ReadinessMemory()
    decide(memory, OK, grace_s=60, strict=True, now=0)
    assert not decide(memory, DB_DOWN, grace_s=60, strict=True, now=1).ready


def test_schema_behind_is_never_graced() -> None:
    memory = ReadinessMemory()
    decide(memory, OK, grace_s=60, strict=False, now=0)
    behind = {**OK, "schema": "behind: the database is at 0006, this code needs 0007"}
    verdict = decide(memory, behind, grace_s=60, strict=False, now=1)
    assert not verdict.ready
    assert verdict.failing == [f"schema {behind['schema']}"]
