"""One stack for the whole run of tests/stack, shared in order: the happy path first
(test_1_*), then the rate limit, then the drills that restart or kill parts of it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import outside_pytest_tmp
from tests.stack.flows import composed_project, new_account
from tests.stack.harness import Stack, start_stack
from tests.stack.runtime import REPO

# What the drills measured, for the operations notes (build/ is not versioned).
FIGURES = REPO / "build" / "stack-test-figures.json"


# The processes' logs of the last run, kept for a look after a failure (and CI artifacts).
LOGS = REPO / "build" / "stack-test-logs"


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    with outside_pytest_tmp() as workdir:
        try:
            with start_stack(workdir, apis=2, workers=2) as running:
                yield running
        finally:
            _keep_logs(workdir)


def _keep_logs(workdir: Path) -> None:
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    for log in workdir.rglob("*.log"):
        name = str(log.relative_to(workdir)).replace("/", "-")
        (LOGS / name).write_bytes(log.read_bytes()[-2_000_000:])  # the end of a long one


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    """An HTTP client of nginx, the stack's front door."""
    with httpx.Client(base_url=stack.nginx_url, timeout=60) as http:
        yield http


@pytest.fixture(scope="session")
def figures() -> Iterator[dict[str, Any]]:
    measured: dict[str, Any] = {}
    yield measured
    if measured:
        FIGURES.parent.mkdir(parents=True, exist_ok=True)
        previous = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
        FIGURES.write_text(json.dumps({**previous, **measured}, indent=1) + "\n")



@pytest.fixture(scope="session")
def owner(stack: Stack) -> dict[str, str]:
    """One account for the tests (each sign-up costs the stack an Argon2 hash)."""
    with httpx.Client(base_url=stack.nginx_url, timeout=60) as http:
        return new_account(http, "owner")


@pytest.fixture(scope="session")
def project(stack: Stack, owner: dict[str, str]) -> str:
    """A project of `owner` with a score composed by a worker (a session that succeeded)."""
    with httpx.Client(base_url=stack.nginx_url, timeout=60) as http:
        return composed_project(http, owner, bars=16)
