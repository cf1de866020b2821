"""The load bench's workload (bench/loadtest/locustfile.py) against the API as it is now.

One locust user (the bench's own locust, from bench/requirements-load.lock) runs every action
of the workload once against a real `ariaforge api`, and each must be answered as the
workload expects: a renamed route or a changed status code fails here rather than in the
middle of `make bench`. Speed is the bench's business: nothing here is timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from ariaforge.config import Settings
from tests.bench_files import import_bench_package
from tests.conftest import api_process

ACTIONS = {
    "POST /auth/register", "POST /auth/login", "GET /projects", "POST /projects",
    "GET /projects/{id}", "GET /projects/{id}/score", "POST /projects/{id}/sessions",
    "POST /projects/{id}/exports", "GET / (web app)",
}


@pytest.mark.timeout(600)
def test_every_action_of_the_load_workload_is_answered(settings: Settings, app: FastAPI,
                                                       clean: None, tmp_path: Path) -> None:
    driver = import_bench_package("loadtest.driver")
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>AriaForge</title>")
    # The sign-up limit per address is lifted: the session's other tests sign up from
    # 127.0.0.1 too, and a 429 here would hide the status the workload expects.
    with api_process(settings, app.state.secret_key, tmp_path / "home", WEB_DIR=str(web),
                     REGISTRATION_ATTEMPTS_PER_IP="1000") as (base, _):
        figures = driver.run_locust(base, users=1, spawn_rate=1, run_s=120,
                                    folder=tmp_path / "locust", LOAD_CHECK="1")
    failed = {name: row.failures for name, row in figures.items() if row.failures}
    assert figures[driver.AGGREGATED].failures == 0, failed
    names = set(figures) - set(driver.SUMMARIES)
    # Every action answered, each with its own status (an export asked before the worker
    # composed the score is the one allowed other answer: 422).
    assert {name.split(" [")[0] for name in names} == ACTIONS
    assert names - ACTIONS <= {"POST /projects/{id}/exports [422]"}
