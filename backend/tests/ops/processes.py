"""Real `ariaforge api` and `ariaforge worker` processes with their metrics ports, for the
tests of this folder: over the session's PostgreSQL and Redis (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ariaforge.config import Settings
from ariaforge.core.embedded import free_port
from tests.conftest import server_env, stop_process, wait_until_healthy

BACKEND = Path(__file__).resolve().parents[2]  # where `tests` is importable from
START_LIMIT_S = 120.0
POLL_LIMIT_S = 60.0
# How many jobs each histogram has seen (named here: they are counts, not times).
JOBS_TIMED_SINCE_SUBMISSION = "ariaforge_job_latency_seconds_count"
ATTEMPTS_TIMED = "ariaforge_job_run_seconds_count"


def _env(settings: Settings, secret_key: str, home: Path, **extra: str) -> dict[str, str]:
    (home / "metrics").mkdir(parents=True, exist_ok=True)
    python_path = os.pathsep.join(filter(None, (str(BACKEND), os.environ.get("PYTHONPATH"))))
    return server_env(settings, secret_key, home, PYTHONPATH=python_path,
                      JOB_EXTRA_TASK_MODULES="tests.ops.metrics_tasks", **extra)


@contextmanager
def api_with_metrics_port(settings: Settings, secret_key: str,
                          home: Path) -> Iterator[tuple[str, str]]:
    """`ariaforge api --metrics-port`: yields the app's and the metrics port's base URLs."""
    port, metrics_port = free_port(), free_port()
    with (home / "api.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ariaforge", "api", "--host", "127.0.0.1", "--port",
             str(port), "--metrics-port", str(metrics_port), "--no-migrate"],
            env=_env(settings, secret_key, home), stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", process)
            yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{metrics_port}"
        finally:
            stop_process(process)


@contextmanager
def worker_with_metrics_port(settings: Settings, secret_key: str, home: Path,
                             **extra: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`ariaforge worker --metrics-port`: yields its metrics base URL once it answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The worker serves its own registry: no multiprocess folder.
    env = {key: value for key, value in _env(settings, secret_key, home, **extra).items()
           if key != "PROMETHEUS_MULTIPROC_DIR"}
    with (home / "worker.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ariaforge", "worker", "--metrics-port", str(port),
             "--metrics-host", "127.0.0.1"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: _answers(f"{base}/metrics"), "the worker's metrics port",
                     process, START_LIMIT_S)
            yield base, process
        finally:
            stop_process(process)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(condition: object, what: str, process: subprocess.Popen[bytes] | None = None,
             limit_s: float = POLL_LIMIT_S) -> None:
    """Poll `condition()`; the limit only stops a broken test from hanging."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process exited with {process.returncode}")
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text, or None when absent."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return float(found.value)
    return None
