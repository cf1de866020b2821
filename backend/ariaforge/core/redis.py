"""The shared async Redis client."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis


def create_redis(url: str) -> Redis:
    # socket_timeout stays None: a timeout shorter than a blocking XREAD would raise
    # inside consumers (see ARCHITECTURE.md, known traps); connects still time out.
    return Redis.from_url(url, decode_responses=True, socket_connect_timeout=2,
                          health_check_interval=30)


def get_redis(request: Request) -> Redis:
    client: Redis = request.app.state.redis
    return client


RedisDep = Annotated[Redis, Depends(get_redis)]
