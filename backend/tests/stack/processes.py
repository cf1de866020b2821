"""The stack's processes: an `ariaforge` server, how to wait for one, and moto's S3."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from ariaforge.core.embedded import free_port

START_LIMIT_S = 120.0
STOP_LIMIT_S = 30.0


@dataclass
class Service:
    """One `ariaforge api` or `ariaforge worker` process and where it answers."""

    name: str
    argv: list[str]
    log: Path
    metrics_port: int
    port: int | None = None  # the API's HTTP port; None for a worker
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        assert self.port is not None, f"{self.name} has no HTTP port"
        return f"http://127.0.0.1:{self.port}"

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} is not running"
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def wait_for_answer(url: str, service: Service) -> None:
    """Wait until `url` answers 200; fail (with its log) if the service exits first."""
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        if service.process is None or service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited while starting; log {service.log}:\n"
                               + service.log.read_text(errors="replace")[-3000:])
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{service.name} did not answer {url}; log {service.log}")


def wait_for_log(service: Service, words: str, offset: int) -> None:
    """Wait until `words` appear in the service's log after `offset` (this start's part)."""
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        with service.log.open("rb") as log:
            log.seek(offset)
            if words.encode() in log.read():
                return
        if service.process is None or service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited while starting; log {service.log}")
        time.sleep(0.2)
    raise RuntimeError(f"{service.name} never logged {words!r}; log {service.log}")


@contextmanager
def moto_server(workdir: Path) -> Iterator[str]:
    port = free_port()
    with (workdir / "moto.log").open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                    "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        moto = Service("moto", [], workdir / "moto.log", port, process=process)
        wait_for_answer(f"{endpoint}/moto-api/", moto)
        yield endpoint
    finally:
        process.terminate()
        process.wait(STOP_LIMIT_S)
