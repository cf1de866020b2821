"""Where the database and Redis are: configured URLs, or the embedded servers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ariaforge.config import Settings, get_settings
from ariaforge.core.embedded import EmbeddedServices, running_services


@dataclass(frozen=True)
class ServiceUrls:
    database_url: str
    redis_url: str


@contextmanager
def provide_services(settings: Settings, *, allow_shared: bool = True) -> Iterator[ServiceUrls]:
    """Yield URLs for both services, starting embedded ones only for what is not configured.

    With `allow_shared`, embedded servers already run by another AriaForge process on the
    same data folder (e.g. `ariaforge up`) are used instead of starting a second copy.
    """
    database_url, redis_url = settings.database_url, settings.redis_url
    if database_url and redis_url:
        yield ServiceUrls(database_url, redis_url)
        return
    shared = running_services(settings.ariaforge_home) if allow_shared else None
    if shared is not None:
        database_url = database_url or shared.get("database_url")
        redis_url = redis_url or shared.get("redis_url")
        if database_url and redis_url:
            yield ServiceUrls(database_url, redis_url)
            return
    with EmbeddedServices(settings.ariaforge_home) as embedded:
        embedded.start(database=not database_url, redis=not redis_url)
        yield ServiceUrls(database_url or embedded.database_url or "",
                          redis_url or embedded.redis_url or "")


def resolve_database_url_for_tools() -> str:
    """For a bare `alembic` command: DATABASE_URL, or the running embedded server."""
    settings = get_settings()
    if settings.database_url:
        return settings.database_url
    shared = running_services(settings.ariaforge_home)
    if shared and shared.get("database_url"):
        return str(shared["database_url"])
    raise SystemExit("set DATABASE_URL, or use `ariaforge migrate`, which starts the "
                     "embedded database itself")
