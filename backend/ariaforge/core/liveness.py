"""Which job workers are alive: each publishes a heartbeat with a time-to-live in Redis.

One sorted set holds every worker, scored by the moment its heartbeat expires, measured
on the Redis server's clock (TIME), so workers and API replicas on different hosts need
not agree on the time. A worker that stops beating (killed, frozen, cut off) drops out
once its TTL passes; a worker that stops cleanly removes itself at once.
"""

from __future__ import annotations

from redis.asyncio import Redis

WORKERS_KEY = "ariaforge:workers:alive"


async def _server_now(redis: Redis) -> float:
    seconds, micros = await redis.time()
    return float(seconds) + float(micros) / 1_000_000


async def announce_worker(redis: Redis, name: str, ttl_s: float) -> None:
    """Say that worker `name` is alive for the next `ttl_s` seconds."""
    now = await _server_now(redis)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.zadd(WORKERS_KEY, {name: now + ttl_s})
        pipe.zremrangebyscore(WORKERS_KEY, "-inf", now)  # forget the long-dead
        await pipe.execute()


async def forget_worker(redis: Redis, name: str) -> None:
    await redis.zrem(WORKERS_KEY, name)


async def live_workers(redis: Redis) -> list[str]:
    """Names of the workers whose heartbeat has not expired."""
    now = await _server_now(redis)
    names = await redis.zrangebyscore(WORKERS_KEY, now, "+inf")
    return [name.decode() if isinstance(name, bytes) else str(name) for name in names]
