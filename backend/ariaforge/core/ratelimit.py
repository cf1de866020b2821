"""Fixed-window counters in Redis, shared by every API process."""

from __future__ import annotations

import hashlib

from redis.asyncio import Redis

from ariaforge.core.errors import RateLimited


def limit_key(scope: str, subject: str) -> str:
    # Hashed so that emails and addresses are not kept in Redis in the clear.
    digest = hashlib.sha256(subject.lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


async def ensure_below(redis: Redis, key: str, limit: int, what: str) -> None:
    """Refuse with 429 if `key` already counted `limit` events in its window."""
    count = await redis.get(key)
    if count is not None and int(count) >= limit:
        ttl = await redis.ttl(key)
        raise RateLimited(f"too many {what}; try again later", retry_after=max(int(ttl), 1))


async def count_event(redis: Redis, key: str, window_seconds: int) -> int:
    # SET NX starts the window once; INCR counts within it (EXPIRE NX needs Redis 7).
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(key, 0, ex=window_seconds, nx=True)
        pipe.incr(key)
        _, count = await pipe.execute()
    return int(count)


async def reset(redis: Redis, key: str) -> None:
    await redis.delete(key)
