"""What the browser tests share: the Chromium they drive, a real API (and worker) process
for a module, the console watcher, screenshots, the accessibility check and signing up.

The fixtures built on these (`web_build`, `server`, `browser`) are in conftest.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import ConsoleMessage, Page, Response, ViewportSize, expect

from ariaforge.config import Settings
from ariaforge.core.embedded import free_port
from ariaforge.exports.endpoints import RENDERING_RETRY_AFTER_S
from ariaforge.music.score import Score
from tests.conftest import stop_process, wait_until_healthy

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--autoplay-policy=no-user-gesture-required",
        "--mute-audio"]
REPO = Path(__file__).resolve().parents[3]
WEB_DIR = REPO / "frontend" / "out"
SHOTS = REPO / "build" / "e2e"
PASSWORD = "a-Long-and-unusual-passphrase-42"
WIDE: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


@dataclass
class WebStack:
    """An API process serving the built web app on 127.0.0.1, and its job workers."""

    base: str
    env: dict[str, str]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_worker(self) -> None:
        if not self.workers:
            self.workers.append(subprocess.Popen(
                [sys.executable, "-m", "ariaforge", "worker"], env=self.env))


@contextmanager
def web_stack(settings: Settings, secret_key: str, web_build: Path, metrics_dir: Path, *,
              worker: bool = True, **extra_env: str) -> Iterator[WebStack]:
    """A real API (and, with `worker`, a job worker) on the test databases, with
    `extra_env` settings on top; both are stopped on the way out."""
    assert settings.database_url and settings.redis_url
    env = {**os.environ, "DATABASE_URL": settings.database_url,
           "REDIS_URL": settings.redis_url, "SECRET_KEY": secret_key,
           "ARIAFORGE_HOME": str(settings.ariaforge_home), "WEB_DIR": str(web_build),
           "JOB_HEARTBEAT_S": "0.3", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
           **extra_env}
    port = free_port()
    stack = WebStack(f"http://127.0.0.1:{port}", env)
    api = subprocess.Popen([sys.executable, "-m", "ariaforge", "api", "--host", "127.0.0.1",
                            "--port", str(port), "--no-migrate"], env=env)
    try:
        if worker:
            stack.start_worker()
        wait_until_healthy(stack.base, api)
        yield stack
    finally:
        for process in (*stack.workers, api):
            stop_process(process)


class Console:
    """Every console error and uncaught exception a page produced. A preview's 503 with a
    short Retry-After is not one: it is the API's documented "still rendering, ask again"
    (when the worker is busy for longer than the API waits), which the app answers by
    asking again; the test then waits for the preview to play."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.still_rendering = 0
        page.on("console", self._message)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("response", self._response)

    def _response(self, response: Response) -> None:
        if response.status < 400:
            return
        retry = response.headers.get("retry-after", "")
        if response.status == 503 and _is_preview(response.url) and retry.isdigit() \
                and int(retry) <= RENDERING_RETRY_AFTER_S:
            self.still_rendering += 1
            return
        self.errors.append(f"{response.status} {response.url}")

    def _message(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium logs every failed fetch as well; the response above judged this one.
        if message.text.endswith("status of 503 (Service Unavailable)") and \
                _is_preview(message.location.get("url", "")):
            return
        self.errors.append(message.text)


def _is_preview(url: str) -> bool:
    return urlsplit(url).path.endswith("/preview")


async def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


AXE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# A loaded 2-core CI machine renders, saves and reloads more slowly than a laptop: each
# expectation waits up to this long for the page to get there (it passes as soon as it does).
expect.set_options(timeout=20_000)


async def accessibility_problems(page: Page) -> list[str]:
    """Serious and critical WCAG 2 A/AA problems axe-core finds on the page as it is."""
    # Evaluated through the DevTools protocol: the page's CSP (rightly) forbids injected
    # script tags.
    await page.evaluate(AXE.read_text() + "\n;undefined")
    found = await page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa"]});
        return result.violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id}: ${v.nodes.length} x ${v.nodes[0].target.join(" ")}`);
    }""")
    return list(found)


async def sign_up(page: Page, base: str, email: str, name: str, *,
                  demo: bool = False) -> None:
    """`demo`: keep the sign-up form's "start with a demo song" box ticked (it is by
    default); the tests that count projects or jobs leave it unticked."""
    await page.goto(f"{base}/signup/")
    await page.get_by_label("Name (optional)").fill(name)
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_test_id("demo-project").set_checked(demo)
    await page.get_by_role("button", name="Create your account").click()
    await expect(page).to_have_url(f"{base}/projects/")


async def access_token(page: Page) -> str:
    """The signed-in web app's access token (for API calls a test makes beside the page)."""
    tokens: dict[str, Any] = await page.evaluate(
        "() => JSON.parse(localStorage.getItem('ariaforge.tokens'))")
    return str(tokens["access_token"])


async def project_with(page: Page, base: str, name: str, score: Score) -> str:
    """A project made through the web app, its score put through the API; opened."""
    await page.goto(f"{base}/projects/")
    await page.get_by_label("New project name").fill(name)
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    project_id = page.url.split("=")[-1]
    put = await page.request.put(
        f"{base}/api/v1/projects/{project_id}/score",
        headers={"Authorization": f"Bearer {await access_token(page)}"},
        data={"score": score.model_dump(mode="json"), "revision": 1})
    assert put.status == 200, await put.text()
    await page.reload()
    return project_id
