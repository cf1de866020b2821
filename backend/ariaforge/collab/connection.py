"""One accepted collaboration socket: who it is, its limits, and its outbox.

Rooms never await a socket: a broadcast puts the message in each socket's outbox and
one writer task per socket sends them, so a slow client delays nobody else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import Final

from fastapi import WebSocket, WebSocketDisconnect

from ariaforge.collab.limits import MAX_OUTBOX, TRY_AGAIN_LATER, TokenBucket
from ariaforge.models import ProjectRole

logger = logging.getLogger(__name__)
# What sending to a socket whose client has gone raises (RuntimeError: already closed).
SOCKET_GONE: Final = (WebSocketDisconnect, OSError, RuntimeError)
CLOSE_LIMIT_S: Final = 10.0


class Connection:
    def __init__(self, websocket: WebSocket, user_id: uuid.UUID, role: ProjectRole,
                 bucket: TokenBucket) -> None:
        self.websocket = websocket
        self.user_id = user_id
        self.user_key = str(user_id)
        self.role = role
        self.bucket = bucket
        self.close_code: int | None = None
        self._outbox: asyncio.Queue[bytes | int] = asyncio.Queue(MAX_OUTBOX)
        self._writer: asyncio.Task[None] | None = None

    @property
    def read_only(self) -> bool:
        return self.role == ProjectRole.VIEWER

    @property
    def closing(self) -> bool:
        return self.close_code is not None

    def start(self) -> None:
        self._writer = asyncio.create_task(self._write())

    def send(self, message: bytes) -> None:
        if self.close_code is not None:
            return
        try:
            self._outbox.put_nowait(message)
        except asyncio.QueueFull:
            logger.warning("collab: a client fell %d messages behind; closing it", MAX_OUTBOX)
            self.close(TRY_AGAIN_LATER)

    def close(self, code: int) -> None:
        """Close after what is already queued (a refusal's reason goes out first)."""
        if self.close_code is not None:
            return
        self.close_code = code
        with contextlib.suppress(asyncio.QueueEmpty):
            while self._outbox.full():  # room for the close itself
                self._outbox.get_nowait()
        self._outbox.put_nowait(code)

    async def _write(self) -> None:
        try:
            while True:
                item = await self._outbox.get()
                if isinstance(item, int):
                    await self.websocket.close(item)
                    return
                await self.websocket.send_bytes(item)
        except SOCKET_GONE:
            return

    async def finish(self) -> None:
        """Wait for the writer (it ends after a close) or stop it (the client left)."""
        if self._writer is None:
            return
        if self.closing:  # the close is queued: let it go out, within reason
            await asyncio.wait({self._writer}, timeout=CLOSE_LIMIT_S)
        self._writer.cancel()
        await asyncio.wait({self._writer})
