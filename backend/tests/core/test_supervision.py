"""`ariaforge up` supervises what it starts: whatever dies comes back, /ready tells the
truth meanwhile, and a shutdown has a deadline. Real processes, real servers, real HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY

from ariaforge.config import Settings
from ariaforge.core.embedded import free_port
from ariaforge.core.liveness import live_workers
from ariaforge.core.supervisor import Backoff, CommandChild, Supervisor, read_state
from ariaforge.music.interchange import write_midi
from ariaforge.queue.worker import Worker, WorkerConfig
from tests.conftest import (
    PASSWORD,
    alive_pids,
    assert_error,
    outside_pytest_tmp,
    server_env,
    stop_process,
    unique_email,
    wait_until_healthy,
)
from tests.exports.test_exports_api import song
from tests.ops.test_ops import metric_value

CLI = [sys.executable, "-m", "ariaforge"]
API = "/api/v1"
# Hang detectors only: never speed targets.
RECOVERY_LIMIT_S = 180.0
EXPORT_LIMIT_S = 240.0
EXIT_LIMIT_S = 120.0
SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]


def _until(condition: Any, limit_s: float, what: str) -> Any:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {limit_s:.0f} s")


# --- the supervisor itself -----------------------------------------------------------


def _checked_state(supervisor: Supervisor, name: str) -> str:
    supervisor.check_once()
    return str(supervisor.components()[name]["state"])


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(base_s=0.5, cap_s=4.0)
    assert [backoff.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_a_dead_child_is_restarted_logged_counted_and_published(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    state_file = tmp_path / "state.json"
    supervisor = Supervisor(state_file=state_file, backoff=Backoff(base_s=0.1, cap_s=0.4))
    child = CommandChild("sleeper", SLEEPER, os.environ)
    supervisor.add(child)
    before = REGISTRY.get_sample_value("ariaforge_component_restarts_total",
                                       {"component": "sleeper"}) or 0.0
    try:
        assert supervisor.start(lambda: True, timeout_s=60)
        first = child.process
        assert first is not None
        assert read_state(state_file) == {"sleeper": {
            "state": "running", "pid": first.pid, "restarts": 0, "last_exit": None}}
        os.kill(first.pid, signal.SIGKILL)
        _until(lambda: _checked_state(supervisor, "sleeper") == "restarting", 60,
               "death noticed")
        down = read_state(state_file)
        assert down is not None and down["sleeper"]["state"] == "restarting"
        assert down["sleeper"]["last_exit"] == -signal.SIGKILL
        assert REGISTRY.get_sample_value("ariaforge_component_up",
                                         {"component": "sleeper"}) == 0
        _until(lambda: _checked_state(supervisor, "sleeper") == "running", 60, "restart")
        second = child.process
        assert second is not None and second.pid != first.pid and second.poll() is None
        assert supervisor.components()["sleeper"]["restarts"] == 1
        assert REGISTRY.get_sample_value("ariaforge_component_restarts_total",
                                         {"component": "sleeper"}) == before + 1
        assert REGISTRY.get_sample_value("ariaforge_component_up",
                                         {"component": "sleeper"}) == 1
        messages = [record.getMessage() for record in caplog.records]
        assert any("sleeper" in m and "exited with code -9" in m for m in messages)
        assert any("sleeper restarted" in m for m in messages)
    finally:
        supervisor.shutdown(grace_s=5)
    assert child.process is not None and child.process.returncode is not None


def test_a_child_that_keeps_dying_is_retried_with_growing_delays() -> None:
    supervisor = Supervisor(backoff=Backoff(base_s=0.05, cap_s=0.2), stable_after_s=60)
    crasher = [sys.executable, "-c", "import time; time.sleep(0.3); raise SystemExit(3)"]
    supervisor.add(CommandChild("crasher", crasher, os.environ))
    delays: dict[int, float] = {}  # restart number -> the back-off before it

    def restarted_four_times() -> bool:
        supervisor.check_once()
        entry = supervisor.components()["crasher"]
        if entry["state"] == "restarting":
            delays.setdefault(entry["restarts"] + 1, entry["backoff_s"])
        return bool(entry["restarts"] >= 4)
    try:
        assert supervisor.start(lambda: True, timeout_s=60)
        _until(restarted_four_times, 120, "four restarts")
    finally:
        supervisor.shutdown(grace_s=1)
    assert [delays[n] for n in range(1, 5)] == [0.05, 0.1, 0.2, 0.2]
    assert supervisor.components()["crasher"]["last_exit"] == 3


def test_shutdown_kills_what_ignores_sigterm_with_its_children(tmp_path: Path) -> None:
    stubborn = [sys.executable, "-c", (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(600)\n")]
    supervisor = Supervisor(shutdown_margin_s=0.5)
    child = CommandChild("stubborn", stubborn, os.environ)
    supervisor.add(child)
    assert supervisor.start(lambda: True, timeout_s=60)
    process = child.process
    assert process is not None
    grandchild = _until(lambda: [c.pid for c in psutil.Process(process.pid).children()],
                        60, "grandchild started")
    started = time.monotonic()
    supervisor.shutdown(grace_s=1)
    assert time.monotonic() - started < EXIT_LIMIT_S
    assert process.returncode == -signal.SIGKILL
    _until(lambda: alive_pids(grandchild) == [], 30, "grandchild gone")


def test_startup_fails_fast_when_a_child_dies_before_ready() -> None:
    from ariaforge.core.supervisor import StartupError

    supervisor = Supervisor()
    supervisor.add(CommandChild("broken", [sys.executable, "-c", "raise SystemExit(2)"],
                                os.environ))
    with pytest.raises(StartupError, match="broken exited with code 2"):
        supervisor.start(lambda: False, timeout_s=60)
    supervisor.shutdown(grace_s=1)


# --- /ready: workers and supervised components ------------------------------------------


async def _ready(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get("/ready")


async def test_ready_reports_workers_and_needs_one_only_when_asked(
        client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    relaxed = await _ready(client)
    assert relaxed.status_code == 200
    assert relaxed.json()["workers"] == {"alive": 0, "required": False}

    monkeypatch.setenv("READY_REQUIRES_WORKER", "true")
    missing = assert_error(await _ready(client), 503, "SERVICE_UNAVAILABLE")
    assert "no live job worker" in missing["message"]
    assert missing["details"]["checks"]["workers"] == "unavailable: no live job worker"
    assert missing["details"]["checks"]["database"] == "ok"

    # Only its liveness counts here: no job is queued, so it needs no handlers.
    worker = Worker(app.state.redis, app.state.sessionmaker, handlers={},
                    settings=app.state.settings,
                    config=WorkerConfig(visibility_timeout_s=5, heartbeat_s=0.2, block_s=0.2))
    task = asyncio.create_task(worker.run())
    try:
        deadline = time.monotonic() + RECOVERY_LIMIT_S
        while (answer := await _ready(client)).status_code != 200:
            assert time.monotonic() < deadline, answer.text
            await asyncio.sleep(0.1)
        assert answer.json()["workers"] == {"alive": 1, "required": True}
        assert worker.name in await live_workers(app.state.redis)
        metrics = (await client.get("/metrics")).text
        assert metric_value(metrics, "ariaforge_job_workers_alive") == 1
    finally:
        worker.stop()
        await asyncio.wait_for(task, 60)
    # A worker that stops cleanly says so at once, without waiting for its TTL.
    assert worker.name not in await live_workers(app.state.redis)
    assert_error(await _ready(client), 503, "SERVICE_UNAVAILABLE")


async def test_ready_is_503_while_a_supervised_component_is_down(
        client: httpx.AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state_file = tmp_path / "supervisor.json"
    monkeypatch.setenv("SUPERVISOR_STATE_FILE", str(state_file))
    assert_error(await _ready(client), 503, "SERVICE_UNAVAILABLE")  # no state: not ready

    supervisor = Supervisor(state_file=state_file, backoff=Backoff(base_s=30, cap_s=30))
    child = CommandChild("sleeper", SLEEPER, os.environ)
    supervisor.add(child)
    try:
        assert supervisor.start(lambda: True, timeout_s=60)
        up = await _ready(client)
        assert up.status_code == 200, up.text
        assert up.json()["components"]["sleeper"]["state"] == "running"
        assert child.process is not None
        os.kill(child.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + RECOVERY_LIMIT_S
        while supervisor.components()["sleeper"]["state"] != "restarting":
            assert time.monotonic() < deadline
            supervisor.check_once()
            await asyncio.sleep(0.1)
        down = assert_error(await _ready(client), 503, "SERVICE_UNAVAILABLE")
        assert "sleeper restarting" in down["message"]
        assert down["details"]["components"]["sleeper"]["last_exit"] == -signal.SIGKILL
    finally:
        supervisor.shutdown(grace_s=1)


# --- shutdown deadline of `ariaforge api` ----------------------------------------------


def _request_in_flight(port: int) -> socket.socket:
    """A request whose handler is running and waiting for a body that never comes.

    With `Expect: 100-continue` the server answers "100 Continue" only when the app
    first asks for the body, so reading it proves that the request is in flight."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 100\r\n"
                 b"Expect: 100-continue\r\n\r\n")
    assert sock.recv(100).startswith(b"HTTP/1.1 100")
    sock.sendall(b'{"email": ')  # and then nothing more
    return sock


def test_api_sigterm_cancels_a_request_that_outlasts_the_grace_period(
        settings: Settings, app: FastAPI, tmp_path: Path) -> None:
    (tmp_path / "metrics").mkdir()
    port = free_port()
    env = server_env(settings, app.state.secret_key, tmp_path, SHUTDOWN_GRACE_SECONDS="2")
    log_path = tmp_path / "api.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([*CLI, "api", "--port", str(port), "--no-migrate"],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
        with _request_in_flight(port):
            process.send_signal(signal.SIGTERM)
            # Without a deadline uvicorn waits for this client for ever.
            assert process.wait(timeout=EXIT_LIMIT_S) == 0
    finally:
        stop_process(process)
    assert "timeout graceful shutdown exceeded" in log_path.read_text()


# --- `ariaforge up` as a person runs it -----------------------------------------------


class Up:
    """One `ariaforge up` on a free port with its own data folder; logs go to a file
    (an unread pipe would fill up and stall it)."""

    def __init__(self, home: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "up.log"
        clean = {k: v for k, v in os.environ.items()
                 if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ENVIRONMENT",
                              "PROMETHEUS_MULTIPROC_DIR", "ARIAFORGE_HOME"}}
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [*CLI, "up", "--port", str(self.port), "--home", str(home / "home")],
                env={**clean, "WEB_DIR": "", **env}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        wait_until_healthy(self.base, self.process)

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def child(self, component: str) -> psutil.Process:
        """The process that `up` runs for a component, found among its children."""
        for child in psutil.Process(self.process.pid).children():
            name, cmdline = child.name(), child.cmdline()
            if ((component == "postgres" and name == "postgres")
                    or (component == "redis" and name == "redis-server")
                    or (component in ("worker", "api") and component in cmdline[3:4])):
                return child
        raise AssertionError(f"no {component} child of up:\n{self.log_tail()}")

    def descendants(self) -> list[int]:
        return [p.pid for p in psutil.Process(self.process.pid).children(recursive=True)]

    def ready(self) -> dict[str, Any] | None:
        try:
            answer = httpx.get(f"{self.base}/ready", timeout=5)
            body: dict[str, Any] = answer.json()
        except (httpx.HTTPError, ValueError):
            return None
        return body if answer.status_code == 200 else None

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="module")
def up() -> Iterator[Up]:
    # Short leases, so that a job whose worker was killed is taken over in seconds.
    with outside_pytest_tmp() as home:
        instance = Up(home, JOB_VISIBILITY_TIMEOUT_S="5", JOB_HEARTBEAT_S="1",
                      SHUTDOWN_GRACE_SECONDS="3")
        try:
            yield instance
        finally:
            instance.stop()


def _user(http: httpx.Client) -> dict[str, str]:
    email = unique_email("survivor")
    assert http.post(f"{API}/auth/register",
                     json={"email": email, "password": PASSWORD}).status_code == 201
    login = http.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _project_with_song(http: httpx.Client, headers: dict[str, str], name: str) -> str:
    created = http.post(f"{API}/projects", headers=headers, json={"name": name})
    assert created.status_code == 201, created.text
    project: str = created.json()["id"]
    imported = http.post(f"{API}/projects/{project}/import", headers=headers,
                         files={"file": ("song.mid", write_midi(song()), "audio/midi")})
    assert imported.status_code == 200, imported.text
    return project


def _queue_export(http: httpx.Client, headers: dict[str, str], project: str) -> str:
    answer = http.post(f"{API}/projects/{project}/exports", headers=headers, json={})
    assert answer.status_code == 202, answer.text
    export_id: str = answer.json()["id"]
    return export_id


def _export_finished(http: httpx.Client, headers: dict[str, str], export_id: str,
                     up: Up) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        try:
            body: dict[str, Any] = http.get(f"{API}/exports/{export_id}",
                                            headers=headers).json()
        except (httpx.HTTPError, ValueError):
            return None
        return body if body.get("status") in ("succeeded", "failed", "dead") else None
    try:
        result: dict[str, Any] = _until(finished, EXPORT_LIMIT_S, "export finished")
    except AssertionError:
        raise AssertionError(up.log_tail()) from None
    return result


def _notes(http: httpx.Client, headers: dict[str, str], project: str) -> int:
    answer = http.get(f"{API}/projects/{project}/score", headers=headers)
    assert answer.status_code == 200, answer.text
    return sum(len(track["notes"]) for track in answer.json()["score"]["tracks"])


def test_up_refuses_a_port_in_use(up: Up, tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run([*CLI, "up", "--port", str(up.port), "--home", str(tmp_path)],
                            capture_output=True, text=True, env=clean, timeout=EXIT_LIMIT_S)
    assert result.returncode == 1
    assert "already in use" in result.stderr
    assert not (tmp_path / "postgres").exists()  # refused before starting anything


@pytest.mark.parametrize("component", ["worker", "redis", "postgres", "api"])
def test_up_brings_back_a_killed_child(up: Up, component: str) -> None:
    with httpx.Client(base_url=up.base, timeout=60) as http:
        headers = _user(http)
        # Acknowledged writes before the kill: every one must be there afterwards.
        projects = [_project_with_song(http, headers, f"{component}-{n}") for n in range(2)]
        expected = {project: _notes(http, headers, project) for project in projects}
        assert all(expected.values())
        queued = _queue_export(http, headers, projects[0]) if component == "worker" else None
        before = up.ready()
        assert before is not None, up.log_tail()
        name = "worker-1" if component == "worker" else component
        restarts = before["components"][name]["restarts"]
        victim = up.child(component)
        victim.send_signal(signal.SIGKILL)

        def recovered() -> bool:
            body = up.ready()
            return body is not None and body["components"][name]["restarts"] == restarts + 1
        try:
            _until(recovered, RECOVERY_LIMIT_S, f"recovery after killing {component}")
        except AssertionError:
            raise AssertionError(up.log_tail()) from None
        assert up.child(component).pid != victim.pid
        metrics = http.get("/metrics").text
        assert metric_value(metrics, "ariaforge_component_restarts_total",
                            component=name) == restarts + 1
        assert metric_value(metrics, "ariaforge_component_up", component=name) == 1

        # A queued export completes: one queued before the kill, or a new one.
        export_id = queued or _queue_export(http, headers, projects[1])
        export = _export_finished(http, headers, export_id, up)
        assert export["status"] == "succeeded", export
        assert export["files"], export
        for project, notes in expected.items():
            assert _notes(http, headers, project) == notes
        listed = http.get(f"{API}/projects", headers=headers).json()["items"]
        assert {item["id"] for item in listed} == set(projects)


def test_up_stops_within_its_deadline_even_when_children_hang(up: Up) -> None:
    """A frozen API or worker (here: SIGSTOP, as if stuck in native code) cannot hold
    a shutdown: past SHUTDOWN_GRACE_SECONDS `up` kills them and exits, leaving nothing."""
    api, worker = up.child("api"), up.child("worker")
    descendants = up.descendants()
    assert api.pid in descendants and worker.pid in descendants
    api.send_signal(signal.SIGSTOP)
    worker.send_signal(signal.SIGSTOP)
    up.process.send_signal(signal.SIGTERM)
    try:
        code = up.process.wait(timeout=EXIT_LIMIT_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(up.log_tail()) from None
    assert code == 0, up.log_tail()
    _until(lambda: alive_pids(descendants) == [], 30, "no process left")
    assert "did not stop in time; killing it" in up.log_tail()
