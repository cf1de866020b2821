"""Running the locust workload (locustfile.py) and reading its figures back.

locust lives in a virtualenv of its own, made from bench/requirements-load.lock by the
project's install scripts and cached under build/ by the lock's hash
(backend/scripts/locked-venv.sh); it runs headless as a subprocess and writes its statistics as
JSON at exit (its CSV is written once a second and misses a run shorter than that).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# backend/ is on sys.path (bench_load.py, the tests): the stack's venv cache is ours too.
from tests.stack.runtime import locked_venv

BENCH = Path(__file__).resolve().parents[1]
REPO = BENCH.parent
LOCK = BENCH / "requirements-load.lock"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
AGGREGATED = "Aggregated"
# Sign-up and login cost an Argon2 hash each (by design: ~0.6 s of CPU and 64 MiB at the
# production cost), so their latency is reported apart from the rest of the workload.
WITHOUT_AUTH = "all but sign-up/login"
READS = "GET requests"
SUMMARIES = (AGGREGATED, WITHOUT_AUTH, READS)
# locust's own start and the users' stop after the run time, beyond the run itself.
OVERHEAD_S = 120


@dataclass(frozen=True)
class Figures:
    """One row of locust's statistics: a request name, or the aggregate of all."""

    name: str
    requests: int
    failures: int
    per_s: float
    p50_ms: float
    p99_ms: float


def locust_venv() -> Path:
    """The cached virtualenv with locust; built once per lock (a minute with pip's cache)."""
    return locked_venv(LOCK, "load-venv", python=getattr(sys, "_base_executable", sys.executable))


def percentile_ms(times: dict[int, int], share: float) -> float:
    """The response time (ms, as locust rounds it) that `share` of the requests beat."""
    total, seen = sum(times.values()), 0
    for time_ms in sorted(times):
        seen += times[time_ms]
        if seen >= share * total:
            return float(time_ms)
    return float("nan")


def figures(name: str, entries: list[dict[str, Any]]) -> Figures:
    """The figures of locust's stats entries taken together (their response times merged)."""
    times: Counter[int] = Counter()
    for entry in entries:
        times.update({int(key): count for key, count in entry["response_times"].items()})
    requests = sum(entry["num_requests"] for entry in entries)
    span_s = (max(entry["last_request_timestamp"] or 0 for entry in entries)
              - min(entry["start_time"] for entry in entries))
    return Figures(name, requests, sum(entry["num_failures"] for entry in entries),
                   requests / span_s if span_s > 0 else float("nan"),
                   percentile_ms(times, 0.5), percentile_ms(times, 0.99))


def read_stats(path: Path) -> dict[str, Figures]:
    """locust's final JSON statistics by request name, the aggregate under AGGREGATED."""
    entries: list[dict[str, Any]] = json.loads(path.read_text())
    if not entries:
        return {}
    groups = {AGGREGATED: entries,
              WITHOUT_AUTH: [entry for entry in entries if "/auth/" not in entry["name"]],
              READS: [entry for entry in entries if entry["name"].startswith("GET ")]}
    return {**{entry["name"]: figures(entry["name"], [entry]) for entry in entries},
            **{name: figures(name, group) for name, group in groups.items() if group}}


def run_locust(host: str, users: int, spawn_rate: float, run_s: int, folder: Path,
               **env: str) -> dict[str, Figures]:
    """The workload against `host` for `run_s` (bounded); its statistics by request name.
    Failed requests are figures, not errors: locust's exit status ignores them."""
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / "locust"
    command = [str(locust_venv() / "bin" / "python"), "-m", "locust", "-f", str(LOCUSTFILE),
               "--headless", "--users", str(users), "--spawn-rate", str(spawn_rate),
               "--run-time", f"{run_s}s", "--stop-timeout", "10", "--host", host,
               "--json-file", str(prefix), "--only-summary", "--exit-code-on-error", "0",
               "--loglevel", "WARNING"]
    inherited = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    done = subprocess.run(command, env={**inherited, **env}, capture_output=True, text=True,  # noqa: S603
                          timeout=run_s + OVERHEAD_S, check=False, cwd=folder)
    (folder / "locust.log").write_text(done.stdout + done.stderr)
    if done.returncode:
        raise RuntimeError(f"locust exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return read_stats(Path(f"{prefix}.json"))
