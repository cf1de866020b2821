"""Supervision for `ariaforge up`: restart what dies, stop everything within a deadline.

`up` runs the embedded PostgreSQL and Redis, the job worker(s) and the API as its own
children. The supervisor polls them; one that dies is restarted after an exponential
back-off (capped, reset once it has run a while), each restart is logged and counted in
Prometheus, and the current state goes to a small JSON file that the API's /ready reads.
Embedded servers come back on the same port with the same password, so the pools of the
API and the worker simply reconnect.

Shutdown is bounded: the API and workers get SIGTERM together and are killed with their
whole process group when they outlast the grace period; then Redis and PostgreSQL stop
(each bounded by its own timeout in embedded.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ariaforge.core.embedded import EmbeddedServiceError, _die_with_parent
from ariaforge.core.metrics import COMPONENT_RESTARTS, COMPONENT_UP, MULTIPROC_ENV

logger = logging.getLogger(__name__)

RUNNING = "running"
RESTARTING = "restarting"
STOPPED = "stopped"
# Beyond the grace period: uvicorn's lifespan shutdown, a worker handing its job back.
SHUTDOWN_MARGIN_S = 10.0


class RuntimeSettings(BaseSettings):
    """Process-level settings of the API and `up` (read from the environment)."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    # How long SIGTERM waits for requests in flight before cancelling them.
    shutdown_grace_seconds: int = Field(default=20, ge=1, le=3600)
    # /ready answers 503 while no job worker has a live heartbeat (`up` sets it).
    ready_requires_worker: bool = False
    # Where `up` publishes the state of what it supervises, for /ready.
    supervisor_state_file: Path | None = None


@dataclass(frozen=True)
class Backoff:
    """Delay before the n-th consecutive restart: base, twice that, four times … up to cap."""

    base_s: float = 0.5
    cap_s: float = 30.0

    def delay(self, failures: int) -> float:
        return float(min(self.cap_s, self.base_s * 2 ** max(0, failures - 1)))


def _kill_group(pid: int) -> None:
    """SIGKILL a child's whole process group (its own children: uvicorn workers,
    PostgreSQL backends). Called while the leader is unreaped, so the id is not reused."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _exit_status(process: subprocess.Popen[bytes]) -> int | None:
    """None while `process` runs; once it has died, clean up its group and reap it."""
    if process.returncode is not None:
        return process.returncode
    try:
        # WNOWAIT: look without reaping, so the group can be killed race-free first.
        dead = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:  # already reaped elsewhere
        return process.poll()
    if dead is None:
        return None
    _kill_group(process.pid)
    return process.wait()


def _forget_metrics(pid: int) -> None:
    """Drop a dead process's live gauges (open WebSockets, sessions) from the sums."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


class Child(ABC):
    """One supervised process."""

    name: str

    @abstractmethod
    def start(self) -> None:
        """Start it (blocking until an embedded server answers); raises on failure."""

    @property
    @abstractmethod
    def process(self) -> subprocess.Popen[bytes] | None: ...

    @abstractmethod
    def terminate(self) -> None:
        """Ask it to stop cleanly (returns at once)."""

    @abstractmethod
    def stop(self, timeout_s: float) -> None:
        """Stop it, cleanly if it manages within `timeout_s`, else by force."""

    def exit_status(self) -> int | None:
        process = self.process
        return None if process is None else _exit_status(process)

    def kill(self) -> None:
        process = self.process
        if process is not None and process.returncode is None:
            _kill_group(process.pid)
            process.wait()


class CommandChild(Child):
    """A process we run from a command line: a job worker, the API."""

    def __init__(self, name: str, argv: list[str], env: Mapping[str, str]) -> None:
        self.name = name
        self.argv = argv
        self.env = dict(env)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self._process

    def start(self) -> None:
        # Its own process group: a terminal's Ctrl-C reaches only `up`, which stops
        # things in order, and killing the group takes its own children along.
        self._process = subprocess.Popen(  # noqa: S603 - our own command line
            self.argv, env=self.env, stdin=subprocess.DEVNULL, process_group=0,
            preexec_fn=_die_with_parent)

    def terminate(self) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)

    def stop(self, timeout_s: float) -> None:
        self.terminate()
        process = self._process
        if process is None:
            return
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            logger.warning("%s did not stop within %.0f s; killing it", self.name, timeout_s)
        self.kill()  # also any of its own children left behind


class Server(Protocol):
    """EmbeddedPostgres or EmbeddedRedis."""

    process: subprocess.Popen[bytes] | None

    def start(self) -> None: ...

    def stop(self) -> None: ...


class ServerChild(Child):
    """An embedded server, restarted on the same port with the same password."""

    def __init__(self, name: str, server: Server, stop_signal: int) -> None:
        self.name = name
        self.server = server
        self.stop_signal = stop_signal

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self.server.process

    def start(self) -> None:
        self.server.start()

    def terminate(self) -> None:
        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(self.stop_signal)

    def stop(self, timeout_s: float) -> None:
        del timeout_s  # the server's own stop is bounded (embedded.STOP_TIMEOUT_S)
        self.server.stop()


@dataclass
class _Slot:
    child: Child
    state: str = STOPPED
    pid: int | None = None
    restarts: int = 0
    failures: int = 0  # consecutive short-lived runs, for the back-off
    started_at: float = 0.0
    next_start: float = 0.0
    delay_s: float = 0.0
    last_exit: int | None = None
    last_error: str | None = None

    def describe(self, now: float) -> dict[str, Any]:
        entry: dict[str, Any] = {"state": self.state, "pid": self.pid,
                                 "restarts": self.restarts, "last_exit": self.last_exit}
        if self.state == RESTARTING:
            entry["backoff_s"] = self.delay_s
            entry["next_attempt_in_s"] = round(max(0.0, self.next_start - now), 1)
            if self.last_error:
                entry["last_error"] = self.last_error
        return entry


class StartupError(RuntimeError):
    """A supervised process died before `up` had finished starting."""


@dataclass
class Supervisor:
    state_file: Path | None = None
    backoff: Backoff = field(default_factory=Backoff)
    # A run at least this long resets the back-off: the next crash restarts quickly.
    stable_after_s: float = 30.0
    poll_s: float = 0.25
    shutdown_margin_s: float = SHUTDOWN_MARGIN_S
    _slots: list[_Slot] = field(default_factory=list)
    _servers: set[str] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)
    _signals: int = 0

    # --- setup -------------------------------------------------------------------

    def add(self, child: Child, *, server: bool = False) -> None:
        """Supervise `child`; an embedded server is added already started."""
        slot = _Slot(child)
        if server:
            self._servers.add(child.name)
            self._mark_running(slot)
        self._slots.append(slot)
        COMPONENT_RESTARTS.labels(component=child.name)  # exposed as 0 from the start

    def request_stop(self, _signum: int = signal.SIGTERM, _frame: object = None) -> None:
        """A signal handler: the first signal stops cleanly, a second one hurries."""
        self._signals += 1
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def components(self) -> dict[str, dict[str, Any]]:
        now = time.monotonic()
        return {slot.child.name: slot.describe(now) for slot in self._slots}

    # --- running -----------------------------------------------------------------

    def start(self, ready: Callable[[], bool], timeout_s: float) -> bool:
        """Start what is not running and wait until `ready()`; False if asked to stop.

        Anything that dies meanwhile is a configuration problem (a port in use, a broken
        install) rather than a crash to ride out: StartupError.
        """
        for slot in self._slots:
            if slot.state != RUNNING:
                try:
                    slot.child.start()
                except (EmbeddedServiceError, OSError) as error:
                    raise StartupError(f"{slot.child.name} could not start: {error}") from None
                self._mark_running(slot)
        self._write_state()
        deadline = time.monotonic() + timeout_s
        while not self.stopping:
            for slot in self._slots:
                code = slot.child.exit_status()
                if code is not None:
                    raise StartupError(f"{slot.child.name} exited with code {code} "
                                       "while starting")
            if ready():
                return True
            if time.monotonic() > deadline:
                raise StartupError(f"not ready after {timeout_s:.0f} s")
            self._stop.wait(self.poll_s)
        return False

    def watch(self) -> None:
        """Restart whatever dies, until a stop is requested."""
        while not self.stopping:
            self.check_once()
            self._stop.wait(self.poll_s)

    def check_once(self) -> None:
        now = time.monotonic()
        for slot in self._slots:
            if self.stopping:
                return
            if slot.state == RUNNING:
                code = slot.child.exit_status()
                if code is not None:
                    self._died(slot, code, now)
            elif slot.state == RESTARTING and now >= slot.next_start:
                self._restart(slot)

    def _mark_running(self, slot: _Slot) -> None:
        process = slot.child.process
        slot.state, slot.pid = RUNNING, process.pid if process else None
        slot.started_at = time.monotonic()
        slot.last_error = None
        COMPONENT_UP.labels(component=slot.child.name).set(1)

    def _died(self, slot: _Slot, code: int, now: float) -> None:
        pid = slot.pid
        if pid is not None:
            _forget_metrics(pid)
        stable = now - slot.started_at >= self.stable_after_s
        slot.failures = 1 if stable else slot.failures + 1
        self._schedule(slot, now)
        slot.last_exit = code
        logger.warning("%s (pid %s) exited with code %s; restarting in %.1f s",
                       slot.child.name, pid, code, slot.next_start - now,
                       extra={"component": slot.child.name, "exit_code": code})
        self._write_state()

    def _schedule(self, slot: _Slot, now: float) -> None:
        slot.state, slot.pid = RESTARTING, None
        slot.delay_s = self.backoff.delay(slot.failures)
        slot.next_start = now + slot.delay_s
        COMPONENT_UP.labels(component=slot.child.name).set(0)

    def _restart(self, slot: _Slot) -> None:
        name = slot.child.name
        try:
            slot.child.start()
        except (EmbeddedServiceError, OSError) as error:
            slot.failures += 1
            slot.last_error = str(error).splitlines()[0][:300]
            self._schedule(slot, time.monotonic())
            logger.error("%s could not be restarted (%s); next attempt in %.1f s", name,
                         slot.last_error, slot.next_start - time.monotonic(),
                         extra={"component": name})
        else:
            slot.restarts += 1
            self._mark_running(slot)
            COMPONENT_RESTARTS.labels(component=name).inc()
            logger.warning("%s restarted (pid %s, restart %d)", name, slot.pid,
                           slot.restarts, extra={"component": name})
        self._write_state()

    # --- stopping ----------------------------------------------------------------

    def shutdown(self, grace_s: float) -> None:
        """Stop everything in order, each step within its deadline: the API and
        workers together (killed past `grace_s` + a margin, at once after a second
        signal), then the servers, last added first (PostgreSQL last)."""
        apps = [slot for slot in self._slots if slot.child.name not in self._servers]
        servers = [slot for slot in self._slots if slot.child.name in self._servers]
        for slot in apps:
            slot.child.terminate()
        deadline = time.monotonic() + grace_s + self.shutdown_margin_s
        while (any(slot.child.exit_status() is None for slot in apps)
               and time.monotonic() < deadline and self._signals < 2):
            time.sleep(0.1)
        for slot in apps:
            if slot.child.exit_status() is None:
                logger.warning("%s did not stop in time; killing it", slot.child.name,
                               extra={"component": slot.child.name})
            slot.child.kill()  # with whatever of its own children is left
            self._stopped(slot)
        for slot in reversed(servers):
            slot.child.stop(grace_s)
            self._stopped(slot)
        self._write_state()

    def _stopped(self, slot: _Slot) -> None:
        slot.state, slot.pid = STOPPED, None
        COMPONENT_UP.labels(component=slot.child.name).set(0)

    # --- state for /ready ----------------------------------------------------------

    def _write_state(self) -> None:
        if self.state_file is None:
            return
        state = {"supervisor_pid": os.getpid(), "components": self.components()}
        tmp = self.state_file.with_name(self.state_file.name + ".tmp")
        tmp.write_text(json.dumps(state))
        os.replace(tmp, self.state_file)  # readers never see half a file


def read_state(path: Path) -> dict[str, dict[str, Any]] | None:
    """The components that `up` supervises, from its state file; None if unreadable."""
    try:
        state = json.loads(path.read_text())
        components: dict[str, dict[str, Any]] = state["components"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return components
