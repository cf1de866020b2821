"""Starting and stopping the servers a benchmark measures: `ariaforge up` on a data folder
and any other command, on a free loopback port."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

PYTHON = sys.executable
START_LIMIT_S = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:  # noqa: S310
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_ready(url: str, process: subprocess.Popen[bytes],
               limit_s: float = START_LIMIT_S) -> bool:
    """Whether `url` answered 200 before `process` ended or the limit passed."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and process.poll() is None:
        if answers_200(url):
            return True
        time.sleep(0.02)
    return False


def start_up(home: Path, port: int, **env: str) -> subprocess.Popen[bytes]:
    """`ariaforge up` on `home` (its own embedded PostgreSQL and Redis, whatever this
    shell's DATABASE_URL / REDIS_URL say), logging to home/up.log."""
    inherited = {key: value for key, value in os.environ.items()
                 if key not in {"DATABASE_URL", "REDIS_URL"}}
    with (home / "up.log").open("ab") as log:
        return subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "ariaforge", "up", "--home", str(home), "--port", str(port)],
            env={**inherited, "WEB_DIR": "", **env}, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def call(method: str, url: str, body: dict[str, Any] | None = None,
         token: str | None = None, timeout: float = 60) -> dict[str, Any]:
    """One JSON request to the API under test (setting up users, projects, scores)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
        result: dict[str, Any] = json.loads(answer.read() or b"{}")
        return result


def run_on_migrated_database(run: Callable[[str], Coroutine[Any, Any, None]],
                             prefix: str) -> None:
    """`run(database_url)` against a fresh embedded PostgreSQL migrated to head."""
    from ariaforge.core.embedded import EmbeddedServices
    from ariaforge.core.migrations import upgrade

    with tempfile.TemporaryDirectory(prefix=prefix) as home, \
            EmbeddedServices(Path(home)) as services:
        services.start(database=True, redis=False)
        assert services.database_url
        upgrade(services.database_url)
        asyncio.run(run(services.database_url))
