"""Single-use WebSocket tickets: what a browser puts in the URL instead of its token.

Only the ticket's SHA-256 is stored (a Redis dump never holds a usable ticket); GETDEL
makes it single use even when two sockets race with the same one.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from ariaforge.models import ProjectRole

_PREFIX = "collab:ticket:"
MAX_TICKET_LENGTH = 128


@dataclass(frozen=True, slots=True)
class TicketClaims:
    user_id: uuid.UUID
    project_id: uuid.UUID
    role: ProjectRole
    name: str


def ticket_key(ticket: str) -> str:
    return _PREFIX + hashlib.sha256(ticket.encode()).hexdigest()


async def issue(redis: Redis, claims: TicketClaims, ttl_s: float) -> tuple[str, datetime]:
    ticket = secrets.token_urlsafe(32)
    value = json.dumps({"user_id": str(claims.user_id), "project_id": str(claims.project_id),
                        "role": claims.role.value, "name": claims.name})
    await redis.set(ticket_key(ticket), value, px=max(1, round(ttl_s * 1000)))
    return ticket, datetime.now(UTC) + timedelta(seconds=ttl_s)


async def redeem(redis: Redis, ticket: str) -> TicketClaims | None:
    """The ticket's claims, taken (nobody can use it again); None when unknown, expired
    or already used."""
    if not ticket or len(ticket) > MAX_TICKET_LENGTH:
        return None
    raw = await redis.getdel(ticket_key(ticket))
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return TicketClaims(uuid.UUID(data["user_id"]), uuid.UUID(data["project_id"]),
                            ProjectRole(data["role"]), str(data["name"]))
    except (ValueError, KeyError, TypeError):
        return None
