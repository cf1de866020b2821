"""Real Yjs clients (Node: yjs + y-websocket + ws from frontend/node_modules) against real
`ariaforge api` processes (uvicorn) on the session's PostgreSQL and Redis.

The tests drive the clients through yclients.YClients and wait for what they expect by
polling with deadlines; nothing is decided by how long anything took.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.config import Settings
from tests.collab.live.mapping import comparable
from tests.collab.live.yclients import YClients, yclients
from tests.conftest import (
    PASSWORD,
    api_process,
    outside_pytest_tmp,
    unique_email,
    worker_process,
)

# Materialise soon after edits, so waiting for the score row stays short.
LIVE_ENV = {"COLLAB_MATERIALISE_PAUSE_S": "0.2", "COLLAB_MATERIALISE_MAX_S": "1"}
ROW_LIMIT_S = 60.0


@dataclass(frozen=True)
class Account:
    email: str
    user_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Servers:
    """Starts `ariaforge api` replicas on the session's databases; each in its own folder."""

    settings: Settings
    secret_key: str
    home: Path

    @contextmanager
    def api(self, name: str, **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
        folder = self.home / f"{name}-{uuid.uuid4().hex[:6]}"
        folder.mkdir(parents=True)
        started = api_process(self.settings, self.secret_key, folder, **{**LIVE_ENV, **env})
        try:
            base, process = started.__enter__()
        except AssertionError as error:
            log = (folder / "api.log").read_text(errors="replace")[-3000:]
            raise AssertionError(f"{name} did not start: {error}\n{log}") from None
        try:
            yield base, process
        finally:
            started.__exit__(None, None, None)

    @contextmanager
    def worker(self) -> Iterator[None]:
        """An `ariaforge worker` (compositions, AI operations, renders) on the databases."""
        folder = self.home / f"worker-{uuid.uuid4().hex[:6]}"
        (folder / "metrics").mkdir(parents=True)  # its PROMETHEUS_MULTIPROC_DIR
        with worker_process(self.settings, self.secret_key, folder):
            yield


@pytest.fixture(scope="package")
def servers(settings: Settings, app: FastAPI) -> Iterator[Servers]:
    # Outside pytest's numbered temp folders, which another pytest run may prune while
    # these servers still write there.
    with outside_pytest_tmp() as home:
        try:
            yield Servers(settings, app.state.secret_key, home)
        finally:
            _keep_logs(home)


# The servers', workers' and Node clients' logs of the last run, for a look after a failure.
LOGS = Path(__file__).resolve().parents[4] / "build" / "collab-live-logs"


def _keep_logs(home: Path) -> None:
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    for log in home.rglob("*.log"):
        name = str(log.relative_to(home)).replace("/", "-")
        (LOGS / name).write_bytes(log.read_bytes()[-2_000_000:])


@pytest.fixture(scope="package")
def collab_api(servers: Servers) -> Iterator[str]:
    """One real API process shared by the tests of this folder that need only one."""
    with servers.api("shared") as (base, _):
        yield base


@pytest.fixture
def http(collab_api: str, clean: None) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=collab_api, timeout=60) as client:
        yield client


@pytest.fixture
def clients(servers: Servers) -> Iterator[YClients]:
    with yclients(servers.home / f"yclient-{uuid.uuid4().hex[:6]}.log") as running:
        yield running


def account(http: httpx.Client, prefix: str) -> Account:
    email = unique_email(prefix)
    registered = http.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    tokens = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    token = tokens.json()["access_token"]
    me = http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    return Account(email, me.json()["id"], token)


def share(http: httpx.Client, owner: Account, project: str, member: Account,
          role: str) -> None:
    added = http.post(f"/api/v1/projects/{project}/members", headers=owner.headers,
                      json={"email": member.email, "role": role})
    assert added.status_code == 201, added.text


def _notes(prefix: str, pitches: list[int], length: int = 480) -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{i}", "pitch": pitch, "start": i * length, "duration": length,
             "velocity": 80} for i, pitch in enumerate(pitches)]


SEED_SCORE: dict[str, Any] = {
    "tempo": 100.0, "key": {"tonic": "D", "mode": "minor"},
    "meter": {"numerator": 4, "denominator": 4}, "bars": 8,
    "sections": [{"name": "A", "start_bar": 1, "bars": 4},
                 {"name": "B", "start_bar": 5, "bars": 4}],
    "chord_symbols": [{"tick": 0, "symbol": "Dm"}, {"tick": 1920, "symbol": "Gm"}],
    "tracks": [
        {"id": "lead", "name": "Lead", "role": "melody", "program": 0,
         "notes": _notes("m", [62, 64, 65, 67, 69, 67, 65, 64])},
        {"id": "bass", "name": "Bass", "role": "bass", "program": 33,
         "notes": _notes("b", [38, 43, 45, 38], 1920)},
    ],
}


def new_project(http: httpx.Client, owner: Account, score: dict[str, Any] | None = None) -> str:
    """A project of `owner` holding `score` (SEED_SCORE by default)."""
    created = http.post("/api/v1/projects", headers=owner.headers,
                        json={"name": "Live", "tempo": 100, "key": "D", "mode": "minor"})
    assert created.status_code == 201, created.text
    project: str = created.json()["id"]
    revision, _ = score_row(http, owner, project)
    put = http.put(f"/api/v1/projects/{project}/score", headers=owner.headers,
                   json={"score": score or SEED_SCORE, "revision": revision})
    assert put.status_code == 200, put.text
    return project


def score_row(http: httpx.Client, user: Account, project: str) -> tuple[int, dict[str, Any]]:
    response = http.get(f"/api/v1/projects/{project}/score", headers=user.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["revision"], body["score"]


def wait_for_row(http: httpx.Client, user: Account, project: str,
                 expected: dict[str, Any], limit_s: float = ROW_LIMIT_S) -> int:
    """Poll the score row until it says what `expected` (a comparable score) says; returns
    its revision."""
    deadline = time.monotonic() + limit_s
    while True:
        revision, score = score_row(http, user, project)
        if comparable(score) == expected:
            return revision
        if time.monotonic() > deadline:
            raise AssertionError(f"the score row never matched the document:\nrow {score}\n"
                                 f"doc {expected}")
        time.sleep(0.2)


def ticket(http: httpx.Client, user: Account, project: str) -> dict[str, Any]:
    response = http.post(f"/api/v1/projects/{project}/collab/ticket", headers=user.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def version_scores(http: httpx.Client, user: Account, project: str) -> list[dict[str, Any]]:
    """The score of every version in the project's history."""
    listed = http.get(f"/api/v1/projects/{project}/versions", params={"limit": 100},
                      headers=user.headers)
    assert listed.status_code == 200, listed.text
    scores = []
    for item in listed.json()["items"]:
        version = http.get(f"/api/v1/projects/{project}/versions/{item['number']}",
                           headers=user.headers)
        assert version.status_code == 200, version.text
        scores.append(version.json()["score"])
    return scores


def pitches_in(score: dict[str, Any]) -> set[int]:
    return {note["pitch"] for track in score["tracks"] for note in track["notes"]}
