"""The FastAPI application: `create_app()` and its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ariaforge import __version__
from ariaforge.api import include_api
from ariaforge.collab import install as collab_install
from ariaforge.collab import redact as collab_redact
from ariaforge.collab.appender import UpdateAppender, asyncpg_dsn
from ariaforge.collab.relay import Relay
from ariaforge.collab.room import RoomServices
from ariaforge.collab.rooms import Rooms
from ariaforge.config import ConfigurationError, Settings, get_settings, load_or_create_secret_key
from ariaforge.core.db import create_engine, create_sessionmaker
from ariaforge.core.errors import install_error_handlers
from ariaforge.core.middleware import RequestContextMiddleware
from ariaforge.core.openapi import install_openapi
from ariaforge.core.redis import create_redis
from ariaforge.core.request_limits import RateLimitHeaders
from ariaforge.core.security import configure_cors
from ariaforge.core.storage import create_storage
from ariaforge.ops.docs import install_offline_docs
from ariaforge.ops.start_page import install_start_page
from ariaforge.scores.notation import engravers
from ariaforge.sharing import redact as sharing_redact
from ariaforge.web import install_web_app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    if not settings.database_url or not settings.redis_url:
        raise ConfigurationError(
            "the API needs DATABASE_URL and REDIS_URL; `ariaforge up` or `ariaforge api` "
            "provide embedded ones when they are not set")
    engine = create_engine(settings.database_url)
    redis = create_redis(settings.redis_url)
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.redis = redis
    app.state.storage = create_storage(settings.storage_url, settings.ariaforge_home,
                                       settings.storage_endpoint_url,
                                       cache_max_mb=settings.cache_max_mb,
                                       signed_urls=settings.storage_signed_urls)
    # The engraving pool starts its first worker now (about 0.25 s, in the background)
    # so the first notation page does not pay for it; importers start on first use. The
    # pools' workers are killed at exit and on SIGTERM by core.isolation itself (a
    # lifespan shutdown here would close them for every app in the process).
    engravers.warm()
    # Live co-editing: this process's relay to the other replicas, and its rooms.
    relay = Relay(settings.redis_url)
    await relay.start()
    app.state.collab_relay = relay
    appender = UpdateAppender(asyncpg_dsn(engine.url))
    app.state.collab_rooms = Rooms(RoomServices(app.state.sessionmaker, relay, settings,
                                                appender))
    try:
        yield
    finally:
        # Every room persisted and materialised, its sockets closed (1001), before the
        # database goes.
        await app.state.collab_rooms.stop()
        await appender.close()
        await relay.stop()
        await redis.aclose()
        await engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_production_safety()
    app = FastAPI(
        title="AriaForge",
        version=__version__,
        description="Open, self-hostable AI music composition. Errors always answer "
                    '`{"error": {"code", "message", "details"}}`.',
        lifespan=_lifespan,
        docs_url=None,  # served offline by install_offline_docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.secret_key = load_or_create_secret_key(settings)
    # Before any request: uvicorn logs WebSocket paths with their query (the ticket).
    collab_redact.install()
    # A share token must not reach a log even if some handler dumps request headers.
    sharing_redact.install()
    collab_install.install(settings.redis_url)
    install_error_handlers(app)
    install_offline_docs(app)
    install_openapi(app)
    include_api(app)
    # The web app answers only what no route above matched; without one, `/` is the
    # start page.
    if not install_web_app(app, settings):
        install_start_page(app)
    configure_cors(app, settings)
    app.add_middleware(RateLimitHeaders)
    app.add_middleware(RequestContextMiddleware, settings=settings)
    return app
