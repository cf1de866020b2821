"""Every query of the Grafana dashboards returns data, from a real Prometheus scraping a
real API and a real worker on their metrics ports; the alert rules load and evaluate.

Prometheus is the Debian binary (`apt-get install prometheus`), run on 127.0.0.1 with its
data in a temporary folder. 0 counts as data; "no data" (an empty result) fails.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.config import Settings
from ariaforge.core.db import run_after_commit
from ariaforge.core.embedded import free_port
from ariaforge.models import Job
from ariaforge.queue.stream import submit
from tests.conftest import new_user
from tests.ops.metrics_tasks import ECHO
from tests.ops.processes import api_with_metrics_port, wait_for, worker_with_metrics_port

REPO = Path(__file__).resolve().parents[3]
MONITORING = REPO / "monitoring"
# Where `make deploy-check` (deploy/check.sh) unpacks Debian's prometheus package when the
# machine has none installed.
UNPACKED = REPO / "build" / "deploy-tools" / "prometheus" / "usr" / "bin" / "prometheus"
INSTALL_HINT = ("the prometheus binary is missing: apt-get update -qq && "
                "apt-get install -y -qq prometheus (or run `make deploy-check` first)")


def _targets(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "expr" in node:
            yield node
        for value in node.values():
            yield from _targets(value)
    elif isinstance(node, list):
        for value in node:
            yield from _targets(value)


def dashboard_queries() -> list[tuple[str, str]]:
    queries = []
    for path in sorted((MONITORING / "dashboards").glob("*.json")):
        for target in _targets(json.loads(path.read_text(encoding="utf-8"))):
            queries.append((path.name, str(target["expr"])))
    return queries


@contextmanager
def prometheus(tmp: Path, api: str, worker: str) -> Iterator[str]:
    binary = shutil.which("prometheus") or (str(UNPACKED) if UNPACKED.is_file() else None)
    if binary is None:
        pytest.fail(INSTALL_HINT)
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(path) for path in (MONITORING / "alerts").glob("*.rules.yml")],
        # The labels Kubernetes discovery gives the pods (monitoring/prometheus.yml).
        "scrape_configs": [{"job_name": "ariaforge-backend", "static_configs": [
            {"targets": [api.removeprefix("http://")],
             "labels": {"app": "ariaforge-backend", "pod": "api-0", "namespace": "test"}},
            {"targets": [worker.removeprefix("http://")],
             "labels": {"app": "ariaforge-worker", "pod": "worker-0", "namespace": "test"}},
        ]}],
    }
    (tmp / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (tmp / "prometheus.log").open("wb") as log:
        process = subprocess.Popen(
            [binary, f"--config.file={tmp / 'prometheus.yml'}",
             f"--storage.tsdb.path={tmp / 'tsdb'}", f"--web.listen-address=127.0.0.1:{port}"],
            stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: _get(f"{base}/-/ready") is not None, "Prometheus to start", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _get(url: str, **params: str) -> Any:
    try:
        response = httpx.get(url, params=params, timeout=5)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    return response.json() if "json" in response.headers.get("content-type", "") else {}


def _last_scrapes(base: str) -> dict[str, str]:
    """Each active target's last successful scrape time (targets not up are left out)."""
    body = _get(f"{base}/api/v1/targets")
    if body is None:
        return {}
    return {target["scrapeUrl"]: target["lastScrape"]
            for target in body["data"]["activeTargets"] if target["health"] == "up"}


def _wait_for_scrapes(base: str, targets: int, count: int) -> None:
    """`count` successful scrapes of each target from now on (bounded)."""
    for _ in range(count):
        seen = _last_scrapes(base)
        wait_for(lambda seen=seen: (len(now := _last_scrapes(base)) == targets
                                    and all(now[url] != seen.get(url) for url in now)),
                 "a fresh scrape of every target")


async def _run_job(app: FastAPI, settings: Settings) -> None:
    assert settings.redis_url
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    try:
        async with maker() as session:
            job = await submit(session, redis, ECHO, {"n": 1})
            await session.commit()
            await run_after_commit(session)
    finally:
        await redis.aclose()
    for _ in range(600):
        async with maker() as session:
            row = await session.get(Job, job.id)
            if row is not None and row.status == "succeeded":
                return
        await asyncio.sleep(0.1)
    raise AssertionError("the job did not succeed")


async def _traffic(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        _, headers = await new_user(http)
        for _ in range(3):
            assert (await http.get("/health")).status_code == 200
        # /ready counts the live workers (the workers-alive gauge).
        assert (await http.get("/ready")).status_code == 200
        assert (await http.get("/api/v1/projects", headers=headers)).status_code == 200
        assert (await http.get(f"/api/v1/projects/{uuid.uuid4()}",
                               headers=headers)).status_code == 404


async def test_every_dashboard_query_returns_data(settings: Settings, app: FastAPI,
                                                  clean: None, tmp_path: Path) -> None:
    queries = dashboard_queries()
    assert len(queries) >= 10
    (tmp_path / "api").mkdir()
    (tmp_path / "worker").mkdir()
    with api_with_metrics_port(settings, app.state.secret_key, tmp_path / "api") as (
            base, api_metrics), worker_with_metrics_port(
            settings, app.state.secret_key, tmp_path / "worker") as (worker_metrics, _), \
            prometheus(tmp_path, api_metrics, worker_metrics) as server:
        await asyncio.to_thread(_wait_for_scrapes, server, 2, 1)
        await _traffic(base)
        await _run_job(app, settings)
        # rate() needs two samples after the traffic.
        await asyncio.to_thread(_wait_for_scrapes, server, 2, 2)

        empty = []
        async with httpx.AsyncClient(base_url=server, timeout=30) as http:
            for dashboard, expr in queries:
                body = (await http.get("/api/v1/query", params={"query": expr})).json()
                assert body["status"] == "success", (dashboard, expr, body)
                if not body["data"]["result"]:
                    empty.append(f"{dashboard}: {expr}")
            assert empty == [], "queries without data:\n" + "\n".join(empty)

            # The alert rules load and evaluate against the real series, and a run
            # without server errors raises no 5xx alert.
            rules = (await http.get("/api/v1/rules")).json()["data"]["groups"]
            evaluated = [rule for group in rules for rule in group["rules"]]
            assert len(evaluated) >= 10
            assert [rule["name"] for rule in evaluated if rule["health"] != "ok"] == []
            alerts = (await http.get("/api/v1/alerts")).json()["data"]["alerts"]
            assert "AriaForgeApiServerErrors" not in {a["labels"]["alertname"] for a in alerts}
            assert "AriaForgeWorkersAbsent" not in {a["labels"]["alertname"] for a in alerts}


def test_the_dashboard_queries_are_found() -> None:
    """The reader above sees the dashboards' queries (a rename would otherwise test none)."""
    exprs = [expr for _, expr in dashboard_queries()]
    assert any("ariaforge_jobs_finished_total" in expr for expr in exprs)
    assert any("websocket_connections_active" in expr for expr in exprs)
