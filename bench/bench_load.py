"""Load test of a mixed workload through nginx: throughput, p99 and memory per process.

The production-like stack of the stack test (backend/tests/stack/harness.py: nginx → two
`ariaforge api` → two `ariaforge worker`, PostgreSQL and Redis as external services, moto
as S3, from the built wheel, ENVIRONMENT=production with the production Argon2 cost) takes
USERS locust users for RUN_S (bench/loadtest/locustfile.py: sign-up and login, list, read
and create projects, read scores, compose, export, the web app's page). Twice, in one run:
- straight at one API process, the peer;
- through nginx to the two APIs, as deployed.

Prints requests/s (nginx's as a ratio to the single API), p50/p99, failed and rate-limited
requests, and the memory (RSS, and PSS which counts shared pages once) of each API and
worker process at start and at its peak under load: Kubernetes' resource requests are
set from these. A script, not a test: nothing here fails.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from ariaforge.config import Settings

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO / "backend"), str(BENCH)]

from loadtest.driver import (  # noqa: E402
    AGGREGATED,
    READS,
    SUMMARIES,
    WITHOUT_AUTH,
    Figures,
    locust_venv,
    run_locust,
)

from tests.stack.harness import Stack, start_stack  # noqa: E402

USERS = 20
SPAWN_RATE = 5
RUN_S = 60
SAMPLE_S = 2.0
QUIET_LIMIT_S = 240
QUIET_CPU_PERCENT = 10.0
MIB = 1 << 20
FIGURES = REPO / "build" / "load-figures.json"
STACK_ENV = {
    # Production's Argon2 cost: each sign-up or login hashes with this much memory and time.
    "PASSWORD_HASH_TIME_COST": str(Settings.model_fields["password_hash_time_cost"].default),
    "PASSWORD_HASH_MEMORY_KIB": str(Settings.model_fields["password_hash_memory_kib"].default),
    # Every simulated user signs up from 127.0.0.1; the per-address limit is for people.
    "REGISTRATION_ATTEMPTS_PER_IP": "100000",
    # Simulated users request far faster than people; the limit still counts each request.
    "REQUESTS_PER_HOUR": "1000000000",
}


@dataclass
class Memory:
    """Peak RSS and PSS (MiB) of each process with its children (a worker's FFmpeg)."""

    pids: dict[str, int]
    peaks: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)

    def sample(self, label: str) -> None:
        peaks = self.peaks.setdefault(label, {})
        for name, pid in self.pids.items():
            rss = pss = 0.0
            try:
                root = psutil.Process(pid)
                for process in [root, *root.children(recursive=True)]:
                    info = process.memory_full_info()
                    rss, pss = rss + info.rss / MIB, pss + info.pss / MIB
            except psutil.Error:
                continue  # a child that ended between the listing and the reading
            old = peaks.get(name, (0.0, 0.0))
            peaks[name] = (max(old[0], rss), max(old[1], pss))

    @contextmanager
    def sampling(self, label: str) -> Iterator[None]:
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(SAMPLE_S):
                self.sample(label)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU time used so far by each process and its children (ended ones included)."""
    used = {}
    for name, pid in pids.items():
        root = psutil.Process(pid)
        total = sum(root.cpu_times()[:4])  # user, system, and the reaped children's
        for child in root.children(recursive=True):
            with suppress(psutil.Error):
                total += sum(child.cpu_times()[:2])
        used[name] = total
    return used


def wait_until_workers_idle(stack: Stack) -> float:
    """Let the jobs a run queued finish before the next run (bounded); seconds waited."""
    start = time.monotonic()
    workers = [psutil.Process(worker.pid) for worker in stack.workers]
    for process in workers:
        process.cpu_percent(interval=None)  # the first call only starts the count
    quiet = 0
    while time.monotonic() - start < QUIET_LIMIT_S and quiet < 3:
        time.sleep(1.0)
        busy = sum(process.cpu_percent(interval=None) for process in workers)
        quiet = quiet + 1 if busy < QUIET_CPU_PERCENT else 0
    return time.monotonic() - start


def measure(folder: Path) -> tuple[dict[str, dict[str, Figures]], Memory, dict[str, float],
                                   dict[str, dict[str, float]]]:
    locust_venv()  # built (or found) before anything is measured
    results: dict[str, dict[str, Figures]] = {}
    # The machine's load when a run starts: other work on it slows every figure.
    load: dict[str, float] = {}
    # CPU cores each process used on average during a run (its jobs' tail included).
    cores: dict[str, dict[str, float]] = {}
    with start_stack(folder / "stack", apis=2, workers=2, env=STACK_ENV) as stack:
        memory = Memory({**{api.name: api.pid for api in stack.apis},
                         **{worker.name: worker.pid for worker in stack.workers},
                         "nginx": stack.nginx.pid})
        memory.sample("start")
        for label, host in (("one API, direct", stack.apis[0].url),
                            ("nginx, 2 APIs", stack.nginx_url)):
            load[label] = os.getloadavg()[0]
            before, start = cpu_seconds(memory.pids), time.monotonic()
            with memory.sampling(label):
                results[label] = run_locust(host, USERS, SPAWN_RATE, RUN_S,
                                            folder / label.replace(" ", "-").replace(",", ""))
            memory.sample(label)
            after, wall_s = cpu_seconds(memory.pids), time.monotonic() - start
            cores[label] = {name: (after[name] - before[name]) / wall_s for name in before}
            print(f"  ({label}: the workers finished its jobs "
                  f"{wait_until_workers_idle(stack):.0f} s after)")
        memory.sample("idle after")  # what the processes keep once the load is gone
    return results, memory, load, cores


def rate_limited(figures: dict[str, Figures]) -> int:
    return sum(row.requests for name, row in figures.items() if name.endswith("[429]"))


def report(results: dict[str, dict[str, Figures]], memory: Memory,
           load: dict[str, float], cores: dict[str, dict[str, float]]) -> None:
    (peer_label, peer), (label, edge) = results.items()
    print(f"{USERS} users (spawned {SPAWN_RATE}/s, 0.5-2 s between actions), {RUN_S} s per "
          f"run, locust FastHttpUser, production Argon2 cost, {os.cpu_count()} CPUs")
    for name, figures in results.items():
        total = figures[AGGREGATED]
        ratio = "" if name == peer_label else \
            f" = {total.per_s / peer[AGGREGATED].per_s:.2f}x {peer_label}"
        print(f"{name} (load average {load[name]:.1f} at start): {total.per_s:,.1f} req/s"
              f"{ratio}; p50 {total.p50_ms:.0f} ms, p99 {total.p99_ms:.0f} ms "
              f"({WITHOUT_AUTH}: p99 {figures[WITHOUT_AUTH].p99_ms:.0f} ms; {READS}: p99 "
              f"{figures[READS].p99_ms:.0f} ms); {total.requests} requests, failures "
              f"{total.failures} {'ok' if total.failures == 0 else 'MISSED'}, "
              f"rate-limited {rate_limited(figures)}")
    print(f"per request, {label}:")
    for name, row in sorted(edge.items()):
        if name not in SUMMARIES:
            print(f"  {name}: {row.requests}, p50 {row.p50_ms:.0f} ms, p99 {row.p99_ms:.0f} ms")
    print(f"memory per process with its children, MiB RSS / PSS ({'; '.join(memory.peaks)}):")
    for name in memory.pids:
        cells = [f"{memory.peaks[run][name][0]:.0f} / {memory.peaks[run][name][1]:.0f}"
                 for run in memory.peaks if name in memory.peaks[run]]
        print(f"  {name}: {'; '.join(cells)}")
    print(f"CPU cores used on average per process ({'; '.join(cores)}):")
    for name in memory.pids:
        print(f"  {name}: {'; '.join(f'{run[name]:.2f}' for run in cores.values())}")


def save(results: dict[str, dict[str, Figures]], memory: Memory,
         load: dict[str, float], cores: dict[str, dict[str, float]]) -> None:
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps({
        "users": USERS, "run_s": RUN_S, "load_average_at_start": load, "cpu_cores": cores,
        "runs": {name: {row: vars(figures) for row, figures in rows.items()}
                 for name, rows in results.items()},
        "memory_mib_rss_pss": memory.peaks}, indent=1) + "\n")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ariaforge-bench-load-",
                                     ignore_cleanup_errors=True) as folder:
        os.chmod(folder, 0o755)  # noqa: S103 - as root, PostgreSQL runs as another user
        results, memory, load, cores = measure(Path(folder))
    report(results, memory, load, cores)
    save(results, memory, load, cores)


if __name__ == "__main__":
    main()
