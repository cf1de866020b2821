"""Revoked access tokens and login sessions (token families), kept in Redis until expiry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from redis.asyncio import Redis

from ariaforge.auth.tokens import TokenClaims


def _token_key(token_id: uuid.UUID) -> str:
    return f"revoked:token:{token_id}"


def _family_key(family_id: uuid.UUID) -> str:
    return f"revoked:family:{family_id}"


def _seconds_until(moment: datetime) -> int:
    return max(int((moment - datetime.now(UTC)).total_seconds()) + 1, 1)


async def revoke_token(redis: Redis, claims: TokenClaims) -> None:
    await redis.set(_token_key(claims.token_id), "1", ex=_seconds_until(claims.expires_at))


async def revoke_family(redis: Redis, family_id: uuid.UUID, until: datetime) -> None:
    await redis.set(_family_key(family_id), "1", ex=_seconds_until(until))


async def is_revoked(redis: Redis, claims: TokenClaims) -> bool:
    token, family = await redis.mget(_token_key(claims.token_id), _family_key(claims.family_id))
    return token is not None or family is not None
