"""A small y-websocket client on pycrdt and `websockets`, for the room layer's tests over
a real uvicorn (real Node Yjs clients are in tests/collab/live/)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

import httpx
import websockets
from pycrdt import Doc, Map

from ariaforge.collab import protocol
from tests.conftest import new_user

API = "/api/v1/projects"
WAIT_LIMIT_S = 30.0


def note_score() -> dict[str, Any]:
    """A small valid score: one piano track with two notes."""
    return {
        "tempo": 100, "key": {"tonic": "C", "mode": "major"},
        "meter": {"numerator": 4, "denominator": 4}, "bars": 4,
        "tracks": [{"id": "piano", "name": "Piano", "role": "melody", "program": 0,
                    "notes": [{"id": "n1", "pitch": 60, "start": 0, "duration": 480},
                              {"id": "n2", "pitch": 64, "start": 480, "duration": 480}]}],
    }


async def project_with_score(http: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    """A project owned by a new user, holding `note_score()`: (project id, owner auth)."""
    _, owner = await new_user(http, "owner")
    created = await http.post(API, headers=owner, json={"name": "Live"})
    assert created.status_code == 201, created.text
    project = created.json()["id"]
    saved = await http.put(f"{API}/{project}/score", headers=owner,
                           json={"score": note_score(), "revision": 1})
    assert saved.status_code == 200, saved.text
    return project, owner


async def add_member(http: httpx.AsyncClient, project: str, owner: dict[str, str],
                     role: str) -> tuple[str, dict[str, str]]:
    """A new user with `role` in the project: (user id, auth)."""
    email, auth = await new_user(http, role)
    added = await http.post(f"{API}/{project}/members", headers=owner,
                            json={"email": email, "role": role})
    assert added.status_code == 201, added.text
    return added.json()["user_id"], auth


async def user_id(http: httpx.AsyncClient, auth: dict[str, str]) -> str:
    me = await http.get("/api/v1/me", headers=auth)
    assert me.status_code == 200, me.text
    return str(me.json()["id"])


async def ticket(http: httpx.AsyncClient, project: str, auth: dict[str, str]) -> str:
    answer = await http.post(f"{API}/{project}/collab/ticket", headers=auth)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["ticket"])


def socket_url(base: str, project: str, ticket_value: str | None) -> str:
    query = "" if ticket_value is None else f"?ticket={ticket_value}"
    return base.replace("http://", "ws://") + f"{API}/{project}/collab{query}"


class YClient:
    """What a y-websocket provider does: sync, apply what comes, answer step 1, keep the
    awareness states it hears; plus what tests want to see (refusals, the close code)."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.doc: Doc[Any] = Doc()
        self.awareness: dict[int, Any] = {}
        self.denials: list[dict[str, Any]] = []
        self.close_code: int | None = None
        self.synced = asyncio.Event()
        self.closed = asyncio.Event()
        self._changed = asyncio.Event()
        self._replies: set[asyncio.Task[None]] = set()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, base: str, project: str, ticket_value: str | None) -> YClient:
        socket = await websockets.connect(socket_url(base, project, ticket_value),
                                          open_timeout=WAIT_LIMIT_S, max_size=None)
        client = cls(socket)
        with contextlib.suppress(websockets.ConnectionClosed):  # refused at once: a close
            await client.send(protocol.sync_step1(client.doc.get_state()))
        return client

    @classmethod
    async def joined(cls, http: httpx.AsyncClient, base: str, project: str,
                     auth: dict[str, str]) -> YClient:
        """Connected with a fresh ticket and synced."""
        client = await cls.open(base, project, await ticket(http, project, auth))
        await client.wait(lambda: client.synced.is_set(), "sync")
        return client

    async def send(self, message: bytes) -> None:
        await self.socket.send(message)

    async def _reply(self, message: bytes) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.send(message)

    async def _read(self) -> None:
        try:
            async for frame in self.socket:
                self._handle(frame if isinstance(frame, bytes) else frame.encode())
                self._changed.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self.socket.close_code or 1006
            self.closed.set()
            self._changed.set()

    def _handle(self, frame: bytes) -> None:
        message = protocol.parse(frame)
        if message.kind == protocol.MESSAGE_SYNC:
            if message.sync_type == protocol.SYNC_STEP1:
                reply = protocol.sync_step2(self.doc.get_update(message.payload))
                self._replies.add(asyncio.get_running_loop().create_task(self._reply(reply)))
            else:
                self.doc.apply_update(message.payload)
                if message.sync_type == protocol.SYNC_STEP2:
                    self.synced.set()
        elif message.kind == protocol.MESSAGE_AWARENESS:
            for entry in protocol.read_awareness(message.payload):
                if entry.state == "null":
                    self.awareness.pop(entry.client_id, None)
                else:
                    self.awareness[entry.client_id] = json.loads(entry.state)
        elif message.kind == protocol.MESSAGE_AUTH:
            reader = protocol.Reader(frame)
            reader.var_uint()
            assert reader.var_uint() == protocol.PERMISSION_DENIED
            self.denials.append(json.loads(reader.var_string()))

    async def wait(self, condition: Callable[[], bool], what: str) -> None:
        """Until `condition()` holds (re-checked on every message); fails after the limit."""
        async def until() -> None:
            while not condition():
                self._changed.clear()
                await self._changed.wait()
        try:
            await asyncio.wait_for(until(), WAIT_LIMIT_S)
        except TimeoutError:
            raise AssertionError(f"never saw {what}") from None

    async def wait_closed(self) -> int:
        await self.wait(self.closed.is_set, "the close")
        assert self.close_code is not None
        return self.close_code

    async def edit(self, change: Callable[[Doc[Any]], None]) -> bytes:
        """Apply `change` locally and send its update; returns the update."""
        before = self.doc.get_state()
        change(self.doc)
        update = self.doc.get_update(before)
        await self.send(protocol.update_message(update))
        return update

    async def publish_awareness(self, client_id: int, clock: int, state: Any) -> None:
        entry = protocol.AwarenessEntry(client_id, clock, json.dumps(state))
        await self.send(protocol.awareness_message(protocol.write_awareness([entry])))

    def notes(self, track: str = "piano") -> dict[str, Any]:
        tracks = self.doc.get("tracks", type=Map)
        if track not in tracks:
            return {}
        found: dict[str, Any] = tracks[track]["notes"].to_py() or {}
        return found

    async def close(self) -> None:
        await self.socket.close()
        await asyncio.wait({self._reader})


def add_note(note_id: str, pitch: int = 67, start: int = 960) -> Callable[[Doc[Any]], None]:
    def change(doc: Doc[Any]) -> None:
        notes = doc.get("tracks", type=Map)["piano"]["notes"]
        notes[note_id] = Map({"pitch": pitch, "start": start, "duration": 480,
                              "velocity": 90})
    return change
