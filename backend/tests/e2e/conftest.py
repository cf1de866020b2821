"""Fixtures of the browser tests: the built web app, a real API and worker per module, and
Chromium (see support.py for what they share)."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, async_playwright

from ariaforge.config import Settings
from tests.e2e.support import ARGS, CHROMIUM, REPO, WEB_DIR, web_stack


@pytest.fixture(scope="module")
def web_build() -> Path:
    """The static export; `make test` builds it first, this builds it when run alone."""
    if not (WEB_DIR / "index.html").exists():
        subprocess.run(["npm", "run", "build"], cwd=REPO / "frontend", check=True,
                       timeout=600)
    return WEB_DIR


@pytest.fixture(scope="module")
def server(settings: Settings, web_build: Path, tmp_path_factory: pytest.TempPathFactory,
           app: Any) -> Iterator[str]:
    """The API serving the web app, and a job worker."""
    with web_stack(settings, app.state.secret_key, web_build,
                   tmp_path_factory.mktemp("metrics")) as stack:
        yield stack.base


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        await chromium.close()
