"""Our side of the collab bench: embedded PostgreSQL (migrated) and Redis, `ariaforge api`
processes on them, and the HTTP calls that make a user, a project with a score and tickets."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from servers import PYTHON, call, free_port, stop, wait_ready

from ariaforge.core.embedded import EmbeddedServices
from ariaforge.core.migrations import upgrade

PASSWORD = "bench-Passphrase-41-long"  # noqa: S105 - a throwaway account


@dataclass(frozen=True)
class Api:
    base: str
    pid: int

    @property
    def ws(self) -> str:
        return self.base.replace("http://", "ws://", 1)


@contextmanager
def services(home: Path) -> Iterator[EmbeddedServices]:
    with EmbeddedServices(home / "services") as embedded:
        embedded.start(database=True, redis=True)
        assert embedded.database_url
        upgrade(embedded.database_url)
        yield embedded


def storage_pids(embedded: EmbeddedServices) -> list[int]:
    """PostgreSQL's postmaster and Redis: the storage our server writes every update to."""
    return [server.process.pid for server in (embedded.postgres, embedded.redis)
            if server is not None and server.process is not None]


@contextmanager
def api_processes(embedded: EmbeddedServices, home: Path, count: int) -> Iterator[list[Api]]:
    """`count` API processes (one uvicorn process each) on the same PostgreSQL and Redis."""
    secret = secrets.token_urlsafe(48)
    started: list[tuple[Api, subprocess.Popen[bytes]]] = []
    try:
        for number in range(1, count + 1):
            folder = home / f"api-{number}"
            (folder / "metrics").mkdir(parents=True)
            port = free_port()
            env = {**os.environ, "DATABASE_URL": embedded.database_url or "",
                   "REDIS_URL": embedded.redis_url or "", "SECRET_KEY": secret,
                   "ARIAFORGE_HOME": str(folder), "WEB_DIR": "", "LOG_LEVEL": "WARNING",
                   "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
                   # One account signs in once; its Argon2 cost is not what is measured.
                   "PASSWORD_HASH_TIME_COST": "1", "PASSWORD_HASH_MEMORY_KIB": "32"}
            with (folder / "api.log").open("wb") as log:
                process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                    [PYTHON, "-m", "ariaforge", "api", "--host", "127.0.0.1", "--port",
                     str(port), "--no-migrate"], env=env, stdout=log, stderr=subprocess.STDOUT)
            api = Api(f"http://127.0.0.1:{port}", process.pid)
            started.append((api, process))
            if not wait_ready(f"{api.base}/ready", process):
                raise RuntimeError(f"ariaforge api did not become ready; see {folder}/api.log")
        yield [api for api, _ in started]
    finally:
        for _, process in started:
            stop(process)


def sign_in(api: Api) -> str:
    email = f"bench-collab-{os.getpid()}@example.com"
    call("POST", f"{api.base}/api/v1/auth/register", {"email": email, "password": PASSWORD})
    token: str = call("POST", f"{api.base}/api/v1/auth/login",
                      {"email": email, "password": PASSWORD})["access_token"]
    return token


def project_with_score(api: Api, token: str, name: str, score: dict[str, Any]) -> str:
    project: str = call("POST", f"{api.base}/api/v1/projects", {"name": name}, token)["id"]
    revision = call("GET", f"{api.base}/api/v1/projects/{project}/score", token=token)["revision"]
    call("PUT", f"{api.base}/api/v1/projects/{project}/score",
         {"score": score, "revision": revision}, token)
    return project


def target(api: Api, project: str, token: str) -> dict[str, str]:
    """What load.cjs needs to open the project live: a fresh ticket before each connect."""
    return {"ws": f"{api.ws}/api/v1/projects", "room": f"{project}/collab",
            "ticket_url": f"{api.base}/api/v1/projects/{project}/collab/ticket",
            "token": token}


def cpu_seconds(pids: list[int]) -> float:
    """CPU time used so far by these processes and their children."""
    total = 0.0
    for pid in pids:
        root = psutil.Process(pid)
        for process in [root, *root.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue  # a child that ended between the listing and the reading
            total += times.user + times.system
    return total
