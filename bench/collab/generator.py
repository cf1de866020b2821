"""Driving bench/collab/load.cjs (the Yjs clients, in one Node process) and Node's
y-websocket@2 server (the peer), both from bench/collab-peer's packages (`npm ci` there)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from servers import free_port, stop, wait_ready

HERE = Path(__file__).resolve().parent
PEER = HERE.parent / "collab-peer"
LOAD = HERE / "load.cjs"
# y-websocket@2's `bin/server` (the package's bin entry `y-websocket`).
PEER_SERVER = PEER / "node_modules" / "y-websocket" / "bin" / "server.cjs"
# A run that takes longer than this has hung; the generator has its own tighter limits.
RUN_LIMIT_S = 600
NODE = shutil.which("node")


def missing() -> str | None:
    """Why the Node side cannot run here, or None."""
    if not NODE:
        return "node is not installed"
    if not PEER_SERVER.exists():
        return "bench/collab-peer is not installed (`npm ci` there; `make bench` does it)"
    return None


@contextmanager
def node_server(folder: Path) -> Iterator[tuple[str, int]]:
    """Node's y-websocket@2 server on a free loopback port: (ws base URL, pid)."""
    port = free_port()
    with (folder / "y-websocket.log").open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
            [str(NODE), str(PEER_SERVER)], env={**os.environ, "HOST": "127.0.0.1",
                                               "PORT": str(port)},
            stdout=log, stderr=subprocess.STDOUT)
    try:
        if not wait_ready(f"http://127.0.0.1:{port}/", process, 30):
            raise RuntimeError("Node's y-websocket server did not start")
        yield f"ws://127.0.0.1:{port}", process.pid
    finally:
        stop(process)


def _answer(process: subprocess.Popen[str]) -> dict[str, Any]:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError("the load generator ended without an answer")
    answer: dict[str, Any] = json.loads(line)
    if answer.get("event") == "error":
        raise RuntimeError(f"the load generator failed: {answer['message']}")
    return answer


def run(spec: dict[str, Any], on_ready: Callable[[], None] | None = None,
        on_done: Callable[[], None] | None = None) -> dict[str, Any]:
    """Runs load.cjs on `spec`. In "load" mode `on_ready` runs once every client is synced,
    just before the edits start, and `on_done` once every edit arrived (or was given up),
    before anyone disconnects: the moments to read the server's CPU time."""
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [str(NODE), str(LOAD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdin is not None
    try:
        process.stdin.write(json.dumps(spec) + "\n")
        process.stdin.flush()
        answer = _answer(process)
        if answer["event"] == "ready":
            if on_ready:
                on_ready()
            process.stdin.write("go\n")
            process.stdin.flush()
            answer = _answer(process)
            if on_done:
                on_done()
        process.stdin.close()
        process.wait(timeout=RUN_LIMIT_S)
        return answer
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
