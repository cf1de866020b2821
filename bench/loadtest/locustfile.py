# locust is installed for the bench only (its own venv), so the type checker of `make lint`
# sees it as Any: a subclass of it and its @task decorator are allowed here.
# mypy: allow-subclassing-any, allow-untyped-decorators
"""The mixed workload of bench/bench_load.py, run by locust (headless, in its own process:
locust patches the standard library with gevent, which the stack's own code must not meet).

Each simulated user signs up and logs in once, creates a project and asks for a composition;
then, 0.5-2 s apart, it mostly reads (its project list, a project, a score, the web app's
page) and sometimes writes (a new project, a composition, a WAV export, a login).

An answer counts as a failure unless its status is one the user can expect: 429 from the
edge's or the app's rate limits (every simulated user shares 127.0.0.1, so the per-address
limits on sign-up and login bite), and 422 for an export asked before the worker composed
the score. Those are counted under their own name ("POST /auth/login [429]"), so the figures
show how many there were. Any 5xx or other status is a failure.

LOAD_CHECK=1 (tests/ops/test_load_workload.py): one user runs every task once, in order,
and stops the run, which checks the workload against the API as it is.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable, Collection
from typing import Any

import gevent
from locust import FastHttpUser, between, task

API = "/api/v1"
PASSWORD = "load-Passphrase-73-long"  # noqa: S105 - throwaway accounts
BRIEF = "a bright folk tune in G major for guitar and fiddle, 110 bpm"
BARS = 8
# Sign-up and login through nginx get 2 a second for the one address all users share.
AUTH_TRIES = 60
RATE_LIMITED = 429
# How often each action comes, relative to the others.
WEIGHTS = {"list_projects": 8, "read_project": 8, "read_score": 6, "web_page": 6,
           "create_project": 2, "compose": 1, "export": 1, "login": 1}


class Composer(FastHttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.email = f"load-{uuid.uuid4().hex[:12]}@example.com"
        self.headers: dict[str, str] = {}
        self._authenticate("register", {201})
        self._authenticate("login", {200})
        self.projects: list[str] = []
        self.create_project()
        self.compose()
        if os.environ.get("LOAD_CHECK") == "1":
            self._run_every_task_once()

    def _run_every_task_once(self) -> None:
        for name in WEIGHTS:
            action: Callable[[], None] = getattr(self, name)
            action()
        # Quit from another greenlet: quitting kills this user's greenlet too.
        runner = self.environment.runner
        if runner is not None:
            gevent.spawn(runner.quit)

    # --- one request ----------------------------------------------------------------

    def _send(self, method: str, path: str, name: str, expected: Collection[int],
              **options: Any) -> Any:
        """The response, marked as a failure unless its status is `expected` or 429; a
        status other than the first expected one is counted under its own name."""
        with self.client.request(method, path, name=name, catch_response=True,
                                 headers=self.headers, **options) as response:
            status = response.status_code
            if status in expected or status == RATE_LIMITED:
                response.success()
                if status != min(expected):
                    response.request_meta["name"] = f"{name} [{status}]"
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
            return response

    def _authenticate(self, action: str, expected: set[int]) -> None:
        """Sign up or log in, waiting out 429s (bounded): every later action needs it."""
        body = {"email": self.email, "password": PASSWORD}
        for _ in range(AUTH_TRIES):
            response = self._send("POST", f"{API}/auth/{action}", f"POST /auth/{action}",
                                  expected, json=body)
            if response.status_code != RATE_LIMITED:
                break
            time.sleep(float(response.headers.get("Retry-After") or 1))
        if action == "login" and response.status_code == 200:
            self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def _project(self) -> str | None:
        return random.choice(self.projects) if self.projects else None  # noqa: S311

    # --- the actions ------------------------------------------------------------------

    @task(WEIGHTS["list_projects"])
    def list_projects(self) -> None:
        self._send("GET", f"{API}/projects", "GET /projects", {200})

    @task(WEIGHTS["read_project"])
    def read_project(self) -> None:
        if project := self._project():
            self._send("GET", f"{API}/projects/{project}", "GET /projects/{id}", {200})

    @task(WEIGHTS["read_score"])
    def read_score(self) -> None:
        if project := self._project():
            self._send("GET", f"{API}/projects/{project}/score", "GET /projects/{id}/score",
                       {200})

    @task(WEIGHTS["web_page"])
    def web_page(self) -> None:
        self._send("GET", "/", "GET / (web app)", {200})

    @task(WEIGHTS["create_project"])
    def create_project(self) -> None:
        response = self._send("POST", f"{API}/projects", "POST /projects", {201},
                              json={"name": f"Load {len(self.projects) + 1}"})
        if response.status_code == 201:
            self.projects.append(response.json()["id"])

    @task(WEIGHTS["compose"])
    def compose(self) -> None:
        if project := self._project():
            self._send("POST", f"{API}/projects/{project}/sessions",
                       "POST /projects/{id}/sessions", {202},
                       json={"prompt": BRIEF, "bars": BARS, "seed": random.randrange(1000)})  # noqa: S311

    @task(WEIGHTS["export"])
    def export(self) -> None:
        # The first project is the one composed at the start; until the worker has done it,
        # the score has no notes and the API answers 422.
        if self.projects:
            self._send("POST", f"{API}/projects/{self.projects[0]}/exports",
                       "POST /projects/{id}/exports", {202, 422}, json={"format": "wav"})

    @task(WEIGHTS["login"])
    def login(self) -> None:
        self._send("POST", f"{API}/auth/login", "POST /auth/login", {200},
                   json={"email": self.email, "password": PASSWORD})
