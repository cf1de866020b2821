"""What travels through Redis between replicas: stream keys, entry fields, stream ids.

One stream per project, `collab:{project_id}`, fields `r` (publishing replica, "" for a
process without a Relay such as the worker), `k` (kind), `p` (payload bytes), `i` (update
id or 0). Kind `g` is the relay's own: "this replica failed to publish into the room", so
readers resynchronise from PostgreSQL instead of missing the lost entries silently.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

STREAM_MAXLEN = 10_000  # XADD MAXLEN ~: a reader further behind than this gets a resync
# Every XADD also renews the stream's expiry: a room nobody edits stops costing Redis memory.
# A reader only ever needs entries newer than its position, which a recreated stream has.
STREAM_IDLE_TTL_MS = 10 * 60 * 1000
UPDATE = "u"
AWARENESS = "a"
AWARENESS_QUERY = "q"
AWARENESS_REMOVAL = "x"
KINDS = frozenset({UPDATE, AWARENESS, AWARENESS_QUERY, AWARENESS_REMOVAL})
GAP = "g"
# publish_update runs on the app's client, which has no socket timeout (blocking readers
# share it); the REST request that committed must not hang on a black-holed Redis.
PUBLISH_UPDATE_TIMEOUT_S = 2.0

StreamId = tuple[int, int]
ORIGIN: StreamId = (0, 0)


def stream_key(project_id: uuid.UUID | str) -> str:
    return f"collab:{project_id}"


def replica_key(replica_id: str) -> str:
    return f"collab:replica:{replica_id}"


def wake_key(replica_id: str) -> str:
    return f"collab:wake:{replica_id}"


def parse_id(raw: bytes | str) -> StreamId:
    text = raw.decode() if isinstance(raw, bytes) else raw
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


def format_id(stream_id: StreamId) -> str:
    return f"{stream_id[0]}-{stream_id[1]}"


@dataclass(frozen=True, slots=True)
class RelayMessage:
    """One message from another replica (or the REST hook), or with `resync` set: entries
    may have been missed (stream trimmed, Redis outage, slow consumer), reload the room's
    document from PostgreSQL and re-query awareness. A resync has kind "" and no payload."""

    kind: str
    payload: bytes
    update_id: int
    replica_id: str
    resync: bool = False


RESYNC = RelayMessage(kind="", payload=b"", update_id=0, replica_id="", resync=True)


def entry_fields(replica_id: str, kind: str, payload: bytes, update_id: int) -> dict[str, bytes]:
    return {"r": replica_id.encode(), "k": kind.encode(), "p": payload,
            "i": str(update_id).encode()}


def decode_entry(fields: dict[bytes, bytes]) -> RelayMessage | None:
    """None for an entry this version does not understand (skipped, never fatal)."""
    try:
        kind = fields[b"k"].decode()
        replica_id = fields.get(b"r", b"").decode()
        if kind == GAP:
            return RelayMessage(kind="", payload=b"", update_id=0, replica_id=replica_id,
                                resync=True)
        if kind not in KINDS:
            return None
        return RelayMessage(kind=kind, payload=fields.get(b"p", b""),
                            update_id=int(fields.get(b"i", b"0")), replica_id=replica_id)
    except (KeyError, ValueError, UnicodeDecodeError):
        return None


async def publish_update(redis: Redis, project_id: uuid.UUID | str, update_id: int,
                         payload: bytes) -> bool:
    """Relay an update committed outside a room (REST writes, the worker's AI operations)
    to every replica's room, the caller's own included. Call it after the commit, with the
    process's usual client. Never raises: the update is already durable in PostgreSQL, so a
    failure only delays it for live clients (readers resync after their own Redis errors).
    Returns whether it reached Redis."""
    try:
        key = stream_key(project_id)
        async with asyncio.timeout(PUBLISH_UPDATE_TIMEOUT_S), \
                redis.pipeline(transaction=False) as pipe:
            pipe.xadd(key, entry_fields("", UPDATE, payload, update_id),  # type: ignore[arg-type]
                      maxlen=STREAM_MAXLEN, approximate=True)
            pipe.pexpire(key, STREAM_IDLE_TTL_MS)
            await pipe.execute()
        return True
    except (RedisError, OSError) as error:
        logger.warning("collab relay: update %s of project %s not relayed (%s)",
                       update_id, project_id, error)
        return False
