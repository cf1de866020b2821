"""The Redis client that publishes what REST writes put into live documents, after their
commit (API and worker alike; neither hands its own client to a service)."""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref

from redis.asyncio import Redis

from ariaforge.config import get_settings
from ariaforge.core.redis import create_redis

logger = logging.getLogger(__name__)

_url: str | None = None
# One client per event loop: a client's connections belong to the loop they opened on.
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[str, Redis]] = (
    weakref.WeakKeyDictionary())


def configure(redis_url: str | None) -> None:
    global _url
    if redis_url:
        _url = redis_url


def _redis() -> Redis | None:
    global _url
    if _url is None:
        _url = get_settings().redis_url or ""
    if not _url:
        return None
    loop = asyncio.get_running_loop()
    known = _clients.get(loop)
    if known is None or known[0] != _url:
        known = (_url, create_redis(_url))
        _clients[loop] = known
    return known[1]


async def publish(project_id: uuid.UUID, update_id: int, payload: bytes) -> None:
    """To every replica's room of the project (ariaforge.collab.relay). Lost when Redis
    is down: the rooms then see the change when they next load from PostgreSQL."""
    from ariaforge.collab.relay import publish_update

    redis = _redis()
    if redis is None:
        logger.warning("no REDIS_URL: live rooms do not see update %s of %s until they "
                       "reload", update_id, project_id)
        return
    await publish_update(redis, project_id, update_id, payload)
