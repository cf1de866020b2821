"""Drive yclient.cjs (real Yjs clients in one Node process) from a test: one JSON command per
line in, one JSON answer per line out, and bounded polling of what the clients hold."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

SCRIPT = Path(__file__).with_name("yclient.cjs")
CALL_LIMIT_S = 30.0
WAIT_LIMIT_S = 60.0
POLL_S = 0.1

State = dict[str, Any]


class Person(Protocol):
    @property
    def token(self) -> str: ...

    @property
    def user_id(self) -> str: ...


class YClients:
    """Named Yjs clients; each fetches a fresh ticket before every (re)connect."""

    def __init__(self, log: Path) -> None:
        node = shutil.which("node")
        assert node, "the live tests need Node.js (the web app's toolchain)"
        self._log = log.open("ab")
        self._process = subprocess.Popen(
            [node, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, text=True, bufsize=1)
        self._answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0

    def _read(self) -> None:
        assert self._process.stdout
        for line in self._process.stdout:
            self._answers.put(json.loads(line))
        self._answers.put(None)

    def call(self, op: str, **fields: Any) -> dict[str, Any]:
        self._next_id += 1
        command_id = self._next_id
        assert self._process.stdin
        self._process.stdin.write(json.dumps({"id": command_id, "op": op, **fields}) + "\n")
        self._process.stdin.flush()
        deadline = time.monotonic() + CALL_LIMIT_S
        while True:
            answer = self._answers.get(timeout=max(0.01, deadline - time.monotonic()))
            assert answer is not None, "the Node clients exited"
            if answer.get("id") == command_id:
                assert answer["ok"], answer.get("error")
                return answer

    # --- clients ------------------------------------------------------------------------
    def open(self, name: str, apis: list[str], project: str, who: Person,
             **options: Any) -> None:
        """A client of `who` (their token; their presence published as the web app does)
        connecting to the first of `apis` that gives it a ticket."""
        user = {"id": who.user_id, "name": name, "colour": "#3366cc"}
        self.call("open", name=name, apis=apis, project=project, token=who.token, user=user,
                  **options)

    def edit(self, name: str, *ops: dict[str, Any]) -> None:
        """Apply `ops` in one local transaction of `name`'s document (see yclient.cjs)."""
        self.call("edit", name=name, ops=list(ops))

    def edit_at_once(self, edits: dict[str, list[dict[str, Any]]]) -> None:
        """Each named client applies its ops (one transaction each), all before any of
        them can hear from the server: truly concurrent edits."""
        self.call("edit_many", edits=[{"name": name, "ops": ops} for name, ops in edits.items()])

    def disconnect(self, name: str) -> None:
        self.call("disconnect", name=name)

    def connect(self, name: str, apis: list[str] | None = None) -> None:
        self.call("connect", name=name, **({"apis": apis} if apis else {}))

    def states(self, names: list[str] | None = None, content: bool = True) -> list[State]:
        clients: list[State] = self.call("snapshot", names=names, content=content)["clients"]
        return clients

    def state(self, name: str) -> State:
        return self.states([name])[0]

    def probe(self, api: str, project: str, ticket: str | None) -> dict[str, Any]:
        """A bare WebSocket with `ticket`: was it let in, or closed with which code?"""
        fields = {"api": api, "project": project}
        if ticket is not None:
            fields["ticket"] = ticket
        return self.call("probe", **fields)

    def wait(self, what: str, ready: Callable[[list[State]], bool],
             names: list[str] | None = None, content: bool = True,
             limit_s: float = WAIT_LIMIT_S) -> list[State]:
        """Poll the clients until `ready(states)`; fail, saying `what`, at the deadline."""
        deadline = time.monotonic() + limit_s
        while True:
            states = self.states(names, content)
            if ready(states):
                return states
            if time.monotonic() > deadline:
                raise AssertionError(f"never: {what}; clients: {_summary(states)}")
            time.sleep(POLL_S)

    def wait_synced(self, names: list[str], limit_s: float = WAIT_LIMIT_S) -> list[State]:
        return self.wait(f"{names} synced", lambda states: all(
            s["synced"] for s in states), names, content=False, limit_s=limit_s)

    def converged(self, names: list[str], limit_s: float = WAIT_LIMIT_S,
                  check: Callable[[dict[str, Any]], bool] = lambda _: True) -> dict[str, Any]:
        """Wait until every named client is synced and holds one identical content that
        passes `check`; returns it."""
        def same(states: list[State]) -> bool:
            first = states[0]["content"]
            return all(s["synced"] and s["content"] == first for s in states) and check(first)
        content: dict[str, Any] = self.wait(f"{names} converged", same, names,
                                            limit_s=limit_s)[0]["content"]
        return content

    def close(self) -> None:
        if self._process.poll() is None:
            with suppress(AssertionError, OSError, queue.Empty):
                self.call("quit")
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


@contextmanager
def yclients(log: Path) -> Iterator[YClients]:
    clients = YClients(log)
    try:
        yield clients
    finally:
        clients.close()


# --- edits, in yclient.cjs's language -----------------------------------------------------
def note_path(track: str, note: str, *field: str) -> list[str]:
    return ["tracks", track, "notes", note, *field]


def add_note(track: str, note: str, pitch: int, start: int, duration: int = 480,
             velocity: int = 90) -> dict[str, Any]:
    return {"set": note_path(track, note), "value": {"$map": {
        "pitch": pitch, "start": start, "duration": duration, "velocity": velocity}}}


def set_field(path: list[str], value: Any) -> dict[str, Any]:
    return {"set": path, "value": value}


def delete(path: list[str]) -> dict[str, Any]:
    return {"delete": path}


def push(root: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"push": [root], "value": value}


def add_track(track: str, name: str, order: int, **fields: Any) -> dict[str, Any]:
    values = {"name": name, "role": "other", "program": 0, "is_drum": False, "volume": 100,
              "pan": 0, "mute": False, "solo": False, "colour": None, "order": order,
              "gain_db": 0, "fx": [], **fields, "notes": {"$map": {}}}
    return {"set": ["tracks", track], "value": {"$map": values}}


def _differences(left: Any, right: Any, path: str = "") -> list[str]:
    if isinstance(left, dict) and isinstance(right, dict):
        return [difference for key in sorted(set(left) | set(right), key=str)
                for difference in _differences(left.get(key), right.get(key), f"{path}/{key}")]
    return [] if left == right else [f"{path}: {left!r} != {right!r}"]


def _summary(states: list[State]) -> list[dict[str, Any]]:
    """What a failed wait shows: each client's status, and where its content differs
    from the first client's."""
    first = states[0].get("content")
    summary = []
    for state in states:
        brief = {k: v for k, v in state.items()
                 if k not in ("content", "update", "peers", "strays")}
        brief["peers"] = len(state["peers"])
        brief["denied"] = [d["reason"] for d in state["denied"][:3]] + (
            [f"... {len(state['denied'])} in all"] if len(state["denied"]) > 3 else [])
        if first is not None and state is not states[0]:
            brief["differs"] = _differences(first, state["content"])[:10]
        summary.append(brief)
    return summary
