"""The shared async Redis client, counting failed commands for Prometheus."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import RedisError

from ariaforge.core.metrics import REDIS_ERRORS


def _count_error(operation: object, error: RedisError) -> None:
    name = operation.decode() if isinstance(operation, bytes) else str(operation)
    # Command names are a small fixed set; the first word only ("XINFO GROUPS" -> xinfo).
    REDIS_ERRORS.labels(operation=(name.split(" ", 1)[0].lower() or "unknown")[:32],
                        error=type(error).__name__).inc()


class CountingPipeline(Pipeline):
    async def execute(self, raise_on_error: bool = True) -> list[Any]:
        try:
            return await super().execute(raise_on_error)
        except RedisError as error:
            _count_error("pipeline", error)
            raise


class CountingRedis(Redis):
    """Every command that raises a RedisError (connection lost, timeout, error reply) is
    counted in `ariaforge_redis_errors_total` by command, then raised as before."""

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        try:
            return await super().execute_command(*args, **options)  # type: ignore[no-untyped-call]
        except RedisError as error:
            _count_error(args[0] if args else "unknown", error)
            raise

    def pipeline(self, transaction: bool = True,
                 shard_hint: str | None = None) -> CountingPipeline:
        return CountingPipeline(self.connection_pool, self.response_callbacks, transaction,
                                shard_hint)


def create_redis(url: str) -> Redis:
    # socket_timeout stays None: a timeout shorter than a blocking XREAD would raise
    # inside consumers (see ARCHITECTURE.md, known traps); connects still time out.
    return CountingRedis.from_url(url, decode_responses=True, socket_connect_timeout=2,
                                  health_check_interval=30)


def get_redis(request: Request) -> Redis:
    client: Redis = request.app.state.redis
    return client


RedisDep = Annotated[Redis, Depends(get_redis)]
