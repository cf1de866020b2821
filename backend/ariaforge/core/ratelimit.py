"""Fixed-window counters in Redis, shared by every API process."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from ariaforge.core.errors import RateLimited

# All-or-nothing: if every bucket has room, take one slot in each, else take none and say
# which bucket is full and for how long. One script, so concurrent requests cannot all
# read "4 of 5" and all go ahead (check-then-count in two steps could).
_RESERVE = """
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('TTL', key)
    if ttl < 0 then
      redis.call('EXPIRE', key, ARGV[1])
      ttl = tonumber(ARGV[1])
    end
    return {i, ttl}
  end
end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then
    redis.call('EXPIRE', key, ARGV[1])
  end
end
return {0, 0}
"""
# Give a slot back. A key that expired meanwhile stays absent (DECR would create it
# without an expiry).
_RELEASE = """
for _, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count > 1 then
    redis.call('DECR', key)
  elseif count == 1 then
    redis.call('DEL', key)
  end
end
return 0
"""


@dataclass(frozen=True)
class Bucket:
    """At most `limit` reserved slots per window under `key`; `what` names it in the 429."""

    key: str
    limit: int
    what: str


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


def address_subject(host: str) -> str:
    """The unit to limit for a client address: the address itself for IPv4, its /64 for
    IPv6 (one customer usually holds a whole /64, so per-address limits would be free)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


async def reserve(redis: Redis, buckets: Sequence[Bucket], window_seconds: int) -> None:
    """Take one slot in every bucket, atomically, or refuse with 429 and take none.

    Reserve *before* the work the limit protects (checking a password) and `release`
    afterwards if it should not count (the password was right): then no number of
    concurrent requests can do more than `limit` pieces of that work per window.
    """
    if not buckets:
        return
    script = redis.register_script(_RESERVE)
    full, ttl = await script(keys=[bucket.key for bucket in buckets],
                             args=[window_seconds, *(bucket.limit for bucket in buckets)])
    if int(full):
        what = buckets[int(full) - 1].what
        retry_after = max(int(ttl), 1)
        raise RateLimited(f"too many {what}; try again later", retry_after=retry_after)


async def release(redis: Redis, buckets: Sequence[Bucket]) -> None:
    """Give back the slots `reserve` took."""
    if buckets:
        await redis.register_script(_RELEASE)(keys=[bucket.key for bucket in buckets])
