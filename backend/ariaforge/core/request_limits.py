"""The standard rate limit: every authenticated request counts one against its user's
REQUESTS_PER_HOUR, in a fixed window shared by every API process.

One Redis round trip per request (a script that checks and counts at once, like
`ratelimit.reserve`, and also says how many remain). A refused request takes no slot.
The count is left on the request's state; `RateLimitHeaders` writes it into the answer as
`X-RateLimit-Limit` / `X-RateLimit-Remaining`, whatever the endpoint returns (a file, a
redirect, an error).
"""

from __future__ import annotations

import uuid
from typing import Final

from fastapi import Request
from redis.asyncio import Redis
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ariaforge.core.errors import RateLimited
from ariaforge.core.ratelimit import limit_key

HOUR_S: Final = 3600
STATE_KEY: Final = "ariaforge_rate_limit"  # in the ASGI scope's "state": (limit, remaining)

# -> {count after this request (or the full count), seconds until the window resets, taken}
_COUNT: Final = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[2]) then
  local ttl = redis.call('TTL', KEYS[1])
  if ttl < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  return {count, ttl, 0}
end
count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return {count, 0, 1}
"""


def request_key(user_id: uuid.UUID) -> str:
    return limit_key("quota:requests", str(user_id))


async def count_request(request: Request, redis: Redis, user_id: uuid.UUID) -> None:
    """Count one request of `user_id`; 429 with Retry-After once the hour's budget is spent."""
    limit: int = request.app.state.settings.requests_per_hour
    script = redis.register_script(_COUNT)
    count, ttl, taken = await script(keys=[request_key(user_id)], args=[HOUR_S, limit])
    request.scope.setdefault("state", {})[STATE_KEY] = (limit, max(limit - int(count), 0))
    if not int(taken):
        raise RateLimited(f"too many requests (at most {limit} per hour); try again later",
                          retry_after=max(int(ttl), 1))


class RateLimitHeaders:
    """Adds the standard limit's headers to answers of requests that were counted."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})

        async def send_with_limits(message: Message) -> None:
            counted = state.get(STATE_KEY)
            if message["type"] == "http.response.start" and counted is not None:
                limit, remaining = counted
                message["headers"] = [*message.get("headers", []),
                                      (b"x-ratelimit-limit", str(limit).encode()),
                                      (b"x-ratelimit-remaining", str(remaining).encode())]
            await send(message)

        await self.app(scope, receive, send_with_limits)
