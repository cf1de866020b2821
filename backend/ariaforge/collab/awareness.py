"""A room's awareness (presence) states, from local sockets and other replicas.

Unlike pycrdt's `Awareness` this knows who published each state: the local connection
(removed the moment it closes) or the replica (removed when the replica is gone), so
stale cursors never linger until the clients' 30 s timeout. Local entries are checked:
at most 4 KiB, and a `user` in the state must be the connection's own user.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ariaforge.collab.limits import MAX_AWARENESS_STATE_BYTES
from ariaforge.collab.protocol import AwarenessEntry, read_awareness, write_awareness

NULL = "null"


@dataclass(slots=True)
class _Known:
    clock: int
    state: str  # JSON text, never "null" (removed entries keep only their clock)
    owner: object  # the local connection, or the replica id (str) of a remote one


def state_is_allowed(state: str, user_id: str) -> bool:
    if len(state.encode()) > MAX_AWARENESS_STATE_BYTES:
        return False
    try:
        value: Any = json.loads(state)
    except ValueError:
        return False
    if not isinstance(value, dict):
        return False
    # A state may leave `user` out (a bare Yjs client publishes {}), but never name
    # somebody else.
    user = value.get("user")
    return user is None or (isinstance(user, dict) and user.get("id") == user_id)


class RoomAwareness:
    def __init__(self) -> None:
        self._states: dict[int, _Known] = {}
        self._clocks: dict[int, int] = {}  # also of removed clients: stale entries stay out
        self._owned: dict[object, set[int]] = {}

    def __len__(self) -> int:
        return len(self._states)

    def apply_local(self, owner: object, user_id: str, update: bytes) -> bytes | None:
        """A connection's awareness update (may raise `Malformed`); the entries kept,
        encoded for the room's sockets and the relay, or None when none was."""
        return self._apply(read_awareness(update), owner, user_id)

    def apply_remote(self, replica_id: str, update: bytes) -> bytes | None:
        """Another replica's entries (already checked there)."""
        return self._apply(read_awareness(update), replica_id, None)

    def _apply(self, entries: list[AwarenessEntry], owner: object,
               user_id: str | None) -> bytes | None:
        kept: list[AwarenessEntry] = []
        for entry in entries:
            current = self._states.get(entry.client_id)
            if current is not None and current.owner != owner:
                continue  # a client id in use elsewhere: never let anyone else touch it
            removing = entry.state == NULL
            if user_id is not None and not removing and not state_is_allowed(
                    entry.state, user_id):
                continue
            clock = self._clocks.get(entry.client_id, -1)
            if entry.clock < clock or (entry.clock == clock and not (
                    removing and current is not None)):
                continue  # old news (y-protocols' rule)
            self._clocks[entry.client_id] = entry.clock
            if removing:
                self._forget(entry.client_id)
            else:
                self._states[entry.client_id] = _Known(entry.clock, entry.state, owner)
                self._owned.setdefault(owner, set()).add(entry.client_id)
            kept.append(entry)
        return write_awareness(kept) if kept else None

    def _forget(self, client_id: int) -> None:
        known = self._states.pop(client_id, None)
        if known is not None:
            owned = self._owned.get(known.owner)
            if owned is not None:
                owned.discard(client_id)
                if not owned:
                    del self._owned[known.owner]

    def remove_owner(self, owner: object) -> bytes | None:
        """Every state `owner` (a connection or a replica id) published, removed; the
        removal (state null, clock + 1) encoded, or None when it had none."""
        removed = []
        for client_id in sorted(self._owned.pop(owner, set())):
            known = self._states.pop(client_id, None)
            if known is None:
                continue
            clock = known.clock + 1
            self._clocks[client_id] = clock
            removed.append(AwarenessEntry(client_id, clock, NULL))
        return write_awareness(removed) if removed else None

    def snapshot(self, owners: set[object] | None = None) -> bytes | None:
        """Every known state (or those of `owners`), for a joiner or a replica's query."""
        entries = [AwarenessEntry(client_id, known.clock, known.state)
                   for client_id, known in self._states.items()
                   if owners is None or known.owner in owners]
        return write_awareness(entries) if entries else None

    def client_ids(self, owner: object) -> set[int]:
        return set(self._owned.get(owner, ()))
