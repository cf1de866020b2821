"""API throughput and latency against a bare FastAPI app served the same way.

`ariaforge up` (embedded PostgreSQL and Redis, one API process, one job worker) serves a
registered user's project; wrk (a C load generator, its own process) holds 50 keep-alive
connections for DURATION_S on each of:
- `GET /api/v1/projects/{id}` and `GET /api/v1/projects/{id}/score` with a bearer token,
  which authenticate, check membership and read PostgreSQL;
- a bare FastAPI hello-world served by the same uvicorn (one process, httptools, no
  access log), the peer: what any app on this stack can do on this machine.

Prints requests/s as a ratio to the bare app (goal >= 40%) and p50/p99 latency (goal p99 <
50 ms). wrk comes from Debian (`make bench` installs it); without it this says so and stops.
A script, not a test: nothing here fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from servers import PYTHON, call, free_port, start_up, stop, wait_ready

CONNECTIONS = 50
THREADS = 2
DURATION_S = 15
PASSWORD = "bench-Passphrase-41-long"  # noqa: S105 - a throwaway account

BARE_APP = textwrap.dedent("""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}
""")


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, token: str | None = None) -> Load:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run([*command, url], check=True, capture_output=True,  # noqa: S603
                            text=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    if not rate or "50" not in latency or "99" not in latency:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    return Load(float(rate.group(1)), milliseconds(latency["50"]), milliseconds(latency["99"]),
                (int(failed.group(1)) if failed else 0)
                + (sum(int(n) for n in errors.groups()) if errors else 0))


def bare_app_load(folder: Path) -> Load:
    (folder / "bare_app.py").write_text(BARE_APP)
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "uvicorn", "bare_app:app", "--host", "127.0.0.1", "--port", str(port),
         "--http", "httptools", "--no-access-log", "--log-level", "warning"],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/hello"
        if not wait_ready(url, process):
            raise RuntimeError("the bare app did not start")
        return wrk(url)
    finally:
        stop(process)


def app_loads(home: Path) -> dict[str, Load]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The standard rate limit still counts every request; its budget must outlast the run.
    process = start_up(home, port, LOG_LEVEL="WARNING", REQUESTS_PER_HOUR="1000000000")
    try:
        if not wait_ready(f"{base}/ready", process):
            raise RuntimeError(f"ariaforge up did not become ready; see {home / 'up.log'}")
        email = f"bench-{os.getpid()}@example.com"
        call("POST", f"{base}/api/v1/auth/register", {"email": email, "password": PASSWORD})
        token = call("POST", f"{base}/api/v1/auth/login",
                     {"email": email, "password": PASSWORD})["access_token"]
        project = call("POST", f"{base}/api/v1/projects", {"name": "Bench"}, token)["id"]
        call("GET", f"{base}/api/v1/projects/{project}/score", token=token)
        return {
            "GET /projects/{id}": wrk(f"{base}/api/v1/projects/{project}", token),
            "GET /projects/{id}/score": wrk(f"{base}/api/v1/projects/{project}/score", token),
        }
    finally:
        stop(process)


def main() -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian package wrk; `make bench` installs it)")
        return
    with tempfile.TemporaryDirectory(prefix="ariaforge-bench-api-",
                                     ignore_cleanup_errors=True) as folder:
        home = Path(folder)
        os.chmod(home, 0o755)  # noqa: S103 - as root, PostgreSQL runs as another user
        bare = bare_app_load(home)
        loads = app_loads(home)
    print(f"{CONNECTIONS} connections, {DURATION_S} s each, wrk with {THREADS} threads")
    print(f"bare FastAPI hello-world: {bare.requests_per_s:,.0f} req/s, "
          f"p50 {bare.p50_ms:.1f} ms, p99 {bare.p99_ms:.1f} ms")
    for name, load in loads.items():
        share = load.requests_per_s / bare.requests_per_s
        print(f"{name}: {load.requests_per_s:,.0f} req/s = {share:.0%} of bare "
              f"(goal >= 40%) {'ok' if share >= 0.4 else 'MISSED'}; p50 {load.p50_ms:.1f} ms, "
              f"p99 {load.p99_ms:.1f} ms (goal < 50 ms) "
              f"{'ok' if load.p99_ms < 50 else 'MISSED'}; errors {load.errors}")


if __name__ == "__main__":
    main()
