"""Per-user rate limits for expensive work (exports, uploads), shared by every API process.

A fixed window per user and kind, counted in Redis by `ratelimit.reserve`: checking and
counting are one atomic step, so parallel requests cannot all slip under the limit, and a
refused request takes no slot. The seed's limits per kind: standard 1000/h, export 10/h,
upload 50/h.
"""

from __future__ import annotations

from fastapi import Request
from redis.asyncio import Redis

from ariaforge.core.ratelimit import Bucket, limit_key, reserve
from ariaforge.models import User

HOUR_S = 3600


async def take(redis: Redis, kind: str, subject: str, limit: int, what: str,
               window_s: int = HOUR_S) -> None:
    """Count one `kind` event for `subject`; 429 with Retry-After past `limit` per window."""
    bucket = Bucket(limit_key(f"quota:{kind}", subject), limit,
                    f"{what} (at most {limit} per {window_s // 60} minutes)")
    await reserve(redis, [bucket], window_s)


async def count_upload(request: Request, user: User, redis: Redis) -> None:
    """One file upload (a score import, a library upload, a file checked for similarity):
    at most UPLOADS_PER_HOUR per user, all kinds of upload together (429 past it)."""
    limit: int = request.app.state.settings.uploads_per_hour
    await take(redis, "uploads", str(user.id), limit, "uploads")


# The name the score import used before uploads were one kind (ADR 0038).
count_import = count_upload
