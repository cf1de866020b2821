"""One declaration of each environment's stack, shared by the tests that only read it."""

from __future__ import annotations

import pytest

from harness import Run, run, stack_config


@pytest.fixture(scope="session")
def staging() -> Run:
    return run("staging", stack_config("staging"))


@pytest.fixture(scope="session")
def production() -> Run:
    return run("production", stack_config("production"))


@pytest.fixture(scope="session", params=["staging", "production"])
def stack(request: pytest.FixtureRequest, staging: Run, production: Run) -> Run:
    return staging if request.param == "staging" else production
