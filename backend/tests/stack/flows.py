"""What a user does through the stack, as plain HTTP calls (sync httpx), with bounded waits."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

API = "/api/v1"
PASSWORD = "a-Str0ng stack passphrase"
FINAL = frozenset({"succeeded", "failed", "dead", "cancelled"})
JOB_LIMIT_S = 180.0
WALTZ = "a melancholic waltz in D minor for piano and strings, 90 bpm"


def new_account(client: httpx.Client, prefix: str = "stack") -> dict[str, str]:
    """Register and log in through `client`; the bearer header."""
    email = f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"
    registered = client.post(f"{API}/auth/register", json={"email": email, "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    tokens = client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


def new_project(client: httpx.Client, headers: dict[str, str], name: str = "Stack") -> str:
    created = client.post(f"{API}/projects", headers=headers, json={"name": name})
    assert created.status_code == 201, created.text
    project_id: str = created.json()["id"]
    return project_id


def start_session(client: httpx.Client, headers: dict[str, str], project: str,
                  bars: int = 8) -> dict[str, Any]:
    started = client.post(f"{API}/projects/{project}/sessions", headers=headers,
                          json={"prompt": WALTZ, "bars": bars, "seed": 7})
    assert started.status_code == 202, started.text
    body: dict[str, Any] = started.json()
    return body


def start_export(client: httpx.Client, headers: dict[str, str], project: str,
                 **options: Any) -> dict[str, Any]:
    started = client.post(f"{API}/projects/{project}/exports", headers=headers,
                          json={"format": "wav", **options})
    assert started.status_code == 202, started.text
    body: dict[str, Any] = started.json()
    return body


def wait_final(client: httpx.Client, path: str, headers: dict[str, str],
               limit_s: float = JOB_LIMIT_S) -> dict[str, Any]:
    """Poll a session or export until it reports a final status. Transport errors and 5xx
    are retried here: the drills call this while a dependency is down on purpose."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            answer = client.get(path, headers=headers)
            if answer.status_code == 200 and answer.json()["status"] in FINAL:
                body: dict[str, Any] = answer.json()
                return body
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{path} did not reach a final status")


def composed_project(client: httpx.Client, headers: dict[str, str], bars: int = 8) -> str:
    """A project whose score was composed by a worker (a session that succeeded)."""
    project = new_project(client, headers)
    session = start_session(client, headers, project, bars)
    done = wait_final(client, f"{API}/sessions/{session['id']}", headers)
    assert done["status"] == "succeeded", done
    return project


def metric_total(text: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include `labels` (0 when none)."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name) or line.startswith("#"):
            continue
        sample, _, value = line.rpartition(" ")
        metric, _, label_text = sample.partition("{")
        if metric != name:
            continue
        if all(f'{key}="{wanted}"' in label_text for key, wanted in labels.items()):
            total += float(value)
    return total
