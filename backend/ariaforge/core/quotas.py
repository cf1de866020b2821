"""Per-user rate limits for expensive work (exports, imports), shared by every API process.

A fixed window per user and kind, counted in Redis. The counter is incremented *before*
it is compared, so parallel requests cannot all slip under the limit (a check-then-count
would let every request of a burst see the same old count). The seed's limits per kind:
standard 1000/h, export 10/h, upload 50/h.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.errors import RateLimited
from ariaforge.core.ratelimit import count_event, limit_key
from ariaforge.core.redis import RedisDep

HOUR_S = 3600


async def take(redis: Redis, kind: str, subject: str, limit: int, what: str,
               window_s: int = HOUR_S) -> None:
    """Count one `kind` event for `subject`; 429 with Retry-After past `limit` per window.

    A refused attempt is counted too (the window does not move), so hammering a full
    quota never frees a slot early.
    """
    key = limit_key(f"quota:{kind}", subject)
    count = await count_event(redis, key, window_s)
    if count > limit:
        ttl = int(await redis.ttl(key))
        raise RateLimited(f"at most {limit} {what} per {window_s // 60} minutes; try again "
                          "later", retry_after=max(ttl, 1))


async def limit_imports(request: Request, user: CurrentUser, redis: RedisDep) -> None:
    """Dependency for file imports: at most IMPORTS_PER_HOUR per user (429 past it)."""
    limit: int = request.app.state.settings.imports_per_hour
    await take(redis, "imports", str(user.id), limit, "imports")


ImportQuota = Annotated[None, Depends(limit_imports)]
