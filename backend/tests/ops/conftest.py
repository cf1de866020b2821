"""The app as the deployment files see it: built by create_app, never started."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.config import Environment, Settings
from ariaforge.main import create_app

APP_PORT = 8000


@pytest.fixture(scope="module")
def deployed_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    # create_app connects to nothing: PostgreSQL and Redis are opened in the lifespan, which
    # is never run here, so /ready can only answer 503.
    settings = Settings(environment=Environment.TESTING, database_url="postgresql://x/y",
                        redis_url="redis://x", secret_key="k" * 40,
                        ariaforge_home=tmp_path_factory.mktemp("home"))
    return create_app(settings)


@pytest.fixture
async def http(deployed_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app addressed the way kubelet and Prometheus address a pod: by its IP."""
    transport = httpx.ASGITransport(app=deployed_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport,
                                 base_url=f"http://10.0.0.7:{APP_PORT}") as client:
        yield client
