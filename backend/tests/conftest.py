"""Shared fixtures: real embedded PostgreSQL (migrated) and Redis for the whole session.

Markers are applied here, from what a test uses, so nobody has to remember them: `db` for
tests that need PostgreSQL/Redis, `browser` for the Chromium tests in tests/e2e.
`pytest -m "not db and not browser"` runs the rest without starting any server.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ariaforge.config import Environment, Settings
from ariaforge.core.embedded import EmbeddedServices, free_port

TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-signing"
PASSWORD = "a-Str0ng passphrase"
BASE_URL = "http://127.0.0.1"

# Argon2 at its lowest cost for every app the tests start: here, and in the `ariaforge`
# processes tests start, which inherit the environment. At the production cost each
# sign-up and login takes ~0.6 s of CPU. Set them before pytest to test another cost.
os.environ.setdefault("PASSWORD_HASH_TIME_COST", "1")
os.environ.setdefault("PASSWORD_HASH_MEMORY_KIB", "32")
# Every edit its own version, as tests that count versions expect; the tests of coalescing
# (tests/scores/test_versions_*.py, tests/e2e/test_history_browser.py) turn it on.
os.environ.setdefault("VERSION_COALESCE_S", "0")
# Workers that tests start ingest no reference corpus (similarity/indexing.py) unless a
# test asks for some: the whole corpus takes minutes, and `clean` empties it anyway.
os.environ.setdefault("REFERENCE_CORPUS_LIMIT", "0")
# Contract, load and drill tests make thousands of requests as one user within the hour;
# the tests of the standard limit (tests/core/test_rate_limits*.py) set a small one.
os.environ.setdefault("REQUESTS_PER_HOUR", "1000000")

TESTS = Path(__file__).resolve().parent
# Fixtures that start PostgreSQL/Redis or need the session's: `services` (behind
# `settings`, `app`, `client`, `live_api`...), `embedded_home` (a test starting its own)
# and `up` (tests/core/test_supervision.py: a whole `ariaforge up`).
SERVER_FIXTURES = frozenset({"services", "embedded_home", "up"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
        if TESTS / "e2e" in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if {TESTS / "stack", TESTS / "drills"}.intersection(item.path.parents):
            item.add_marker(pytest.mark.stack)


@contextmanager
def outside_pytest_tmp() -> Iterator[Path]:
    # As root, PostgreSQL runs as another user that must traverse the folder's parents;
    # pytest re-closes its own temp root (0700) whenever any pytest session starts.
    folder = Path(tempfile.mkdtemp(prefix="ariaforge-test-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def embedded_home() -> Iterator[Path]:
    """A data folder for embedded servers started by one test."""
    with outside_pytest_tmp() as folder:
        yield folder


@contextmanager
def migrated_services() -> Iterator[EmbeddedServices]:
    """Embedded PostgreSQL (migrated to head) and Redis in a scratch folder."""
    # The app, models and migrations are imported where they are used, so that a run of
    # pure tests never loads them.
    from ariaforge.core.migrations import upgrade

    with outside_pytest_tmp() as home, EmbeddedServices(home) as embedded:
        embedded.start(database=True, redis=True)
        assert embedded.database_url
        upgrade(embedded.database_url)
        yield embedded


@pytest.fixture(scope="session")
def services() -> Iterator[EmbeddedServices]:
    with migrated_services() as embedded:
        yield embedded


@pytest.fixture(scope="session")
def settings(services: EmbeddedServices, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        environment=Environment.TESTING,
        database_url=services.database_url,
        redis_url=services.redis_url,
        ariaforge_home=tmp_path_factory.mktemp("home"),
        secret_key=TEST_SECRET,
    )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    from ariaforge.main import create_app

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


# What records which migrations ran; emptied, the next start would run them again.
MIGRATION_TABLES = frozenset({"alembic_version", "checkpoint_migrations"})


@pytest.fixture(scope="session")
async def data_tables(app: FastAPI) -> list[str]:
    """Every table that holds data, children before parents: ours from the models, then
    those the models do not describe (LangGraph's checkpoints), found in the catalogue."""
    from ariaforge.models import Base

    async with app.state.engine.connect() as connection:
        present = set(await connection.scalars(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")))
    ours = [table.name for table in reversed(Base.metadata.sorted_tables)]
    assert set(ours) <= present, "the test database is not migrated to the models"
    return ours + sorted(present - MIGRATION_TABLES - set(ours))


CLEAN_ATTEMPTS = 5


@pytest.fixture
async def clean(app: FastAPI, data_tables: list[str]) -> None:
    """Empty every table and Redis, so each test starts from nothing.

    Committed deletes, not a transaction rolled back after the test: tests read through
    other connections (`ariaforge` processes, workers), rely on `now()` moving between
    requests, and on constraints checked at COMMIT. DELETE rather than TRUNCATE: on these
    small tables about 10 ms against 140 ms, as TRUNCATE replaces every table's files.
    """
    for attempt in range(CLEAN_ATTEMPTS):
        try:
            async with app.state.engine.begin() as connection:
                quote = connection.dialect.identifier_preparer.quote
                for table in data_tables:
                    await connection.execute(text(f"DELETE FROM {quote(table)}"))  # noqa: S608
            break
        except DBAPIError as error:
            # A live room of the previous test may still be saving (score row, then its
            # version) while these deletes take the tables child first: PostgreSQL breaks
            # the deadlock by aborting one side; if it is this one, empty them again.
            if "deadlock detected" not in str(error) or attempt == CLEAN_ATTEMPTS - 1:
                raise
    redis: Redis = app.state.redis
    await redis.flushdb()


@pytest.fixture
async def client(app: FastAPI, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


async def register(client: httpx.AsyncClient, email: str | None = None,
                   password: str = PASSWORD) -> str:
    email = email or unique_email()
    response = await client.post("/api/v1/auth/register",
                                 json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    return email


async def login(client: httpx.AsyncClient, email: str,
                password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post("/api/v1/auth/login",
                                 json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def new_user(client: httpx.AsyncClient, prefix: str = "user") -> tuple[str, dict[str, str]]:
    """Register and log in; returns the email and the auth headers."""
    email = await register(client, unique_email(prefix))
    return email, bearer(await login(client, email))


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


SERVER_START_LIMIT_S = 120


def wait_until_healthy(base: str, process: subprocess.Popen[bytes], path: str = "/ready") -> None:
    """Wait until a started `ariaforge` server answers `path` (/ready: it can serve; /health:
    it runs, ready or not); fail if it exits first."""
    deadline = time.monotonic() + SERVER_START_LIMIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"exited with {process.returncode}:\n{output[-3000:]}")
        try:
            if httpx.get(f"{base}{path}", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError("did not become ready")


def alive_pids(pids: list[int]) -> list[int]:
    """The processes of `pids` still running (zombies count as gone)."""
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL if it has not ended within 30 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_env(settings: Settings, secret_key: str, home: Path,
               **extra: str) -> dict[str, str]:
    """Environment for an `ariaforge api`/`worker` process on the session's servers."""
    assert settings.database_url and settings.redis_url
    return {**os.environ, "DATABASE_URL": settings.database_url,
            "REDIS_URL": settings.redis_url, "SECRET_KEY": secret_key,
            "ARIAFORGE_HOME": str(home), "ENVIRONMENT": "testing", "WEB_DIR": "",
            "PROMETHEUS_MULTIPROC_DIR": str(home / "metrics"), **extra}


@contextmanager
def api_process(settings: Settings, secret_key: str, home: Path, *, wait_for: str = "/ready",
                **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real `ariaforge api` (uvicorn, one process) on 127.0.0.1 over the session's
    PostgreSQL and Redis, with `env` on top (limits a test wants small); yields its base
    URL and process once `wait_for` answers 200, and stops it cleanly afterwards."""
    (home / "metrics").mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Logs go to a file: an unread pipe would fill up and stall the server.
    with (home / "api.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ariaforge", "api", "--host", "127.0.0.1",
             "--port", str(port), "--no-migrate"],
            env=server_env(settings, secret_key, home, **env), stdout=log,
            stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(base, process, wait_for)
            yield base, process
        finally:
            stop_process(process)


@pytest.fixture(scope="session")
def live_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder (stored files, metrics) of the shared real server."""
    return tmp_path_factory.mktemp("live-api")


@pytest.fixture(scope="session")
def live_api(settings: Settings, app: FastAPI, live_home: Path) -> Iterator[str]:
    """The shared real server: for read-after-write and anything the in-process
    transport hides (it waits for the whole dependency teardown; a real server does not)."""
    with api_process(settings, app.state.secret_key, live_home) as (base, _):
        yield base


@contextmanager
def worker_process(settings: Settings, secret_key: str, home: Path) -> Iterator[None]:
    """A real `ariaforge worker` on the session's servers and `home`'s stored files, as
    `up` runs one beside its API: previews, exports and compositions get rendered."""
    with (home / "worker.log").open("ab") as log:
        worker = subprocess.Popen([sys.executable, "-m", "ariaforge", "worker"],
                                  env=server_env(settings, secret_key, home),
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        stop_process(worker)


@pytest.fixture
def live_worker(settings: Settings, app: FastAPI, live_api: str,
                live_home: Path) -> Iterator[None]:
    """A worker beside the shared server (`live_api`), on its data folder."""
    with worker_process(settings, app.state.secret_key, live_home):
        yield


@pytest.fixture
async def live_client(live_api: str, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the live API; tables and Redis emptied first, like `client`."""
    async with httpx.AsyncClient(base_url=live_api, timeout=60) as http:
        yield http


@contextmanager
def overridden_settings(app: FastAPI, **changes: Any) -> Iterator[None]:
    """The app's settings with `changes` for the duration, then exactly the object it had.

    Not monkeypatch.setattr: undoing it on Starlette's `State` left the session app with
    no settings at all, and every later test in the run failed."""
    original = app.state.settings
    app.state.settings = original.model_copy(update=changes)
    try:
        yield
    finally:
        app.state.settings = original
