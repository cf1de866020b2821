"""A newcomer's first run, in real Chromium against a real API process: the landing page,
sign-up with a demo project composed by a real worker, a reload in the middle of that
composition (progress kept, Generate held back, then the music), the brief and the brief
as understood kept across reloads, Generate asking before it replaces edited music, and
the theory check saying which style it judged by.

The API here starts without a worker, so that a composition is reliably still waiting
when the page reloads; the test starts the worker when it wants the music."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from ariaforge.config import Settings
from ariaforge.onboarding.service import DEMO_BRIEF, DEMO_NAME
from tests.e2e.support import (
    PASSWORD,
    WIDE,
    Console,
    WebStack,
    accessibility_problems,
    shot,
    sign_up,
    web_stack,
)

COMPOSE_LIMIT_MS = 120_000
SAVE_POLLS = 120  # a quarter second apart: how long an edit may take to reach history


@pytest.fixture(scope="module")
def first_run(settings: Settings, web_build: Path, tmp_path_factory: pytest.TempPathFactory,
              app: Any) -> Iterator[WebStack]:
    """The API with demo projects on, and no worker until a test starts one."""
    with web_stack(settings, app.state.secret_key, web_build,
                   tmp_path_factory.mktemp("metrics"), worker=False,
                   DEMO_PROJECT="1") as stack:
        yield stack


async def api_get(page: Page, path: str) -> Any:
    """A GET with the page's own sign-in, as the web app makes it."""
    return await page.evaluate("""async (path) => {
        const tokens = JSON.parse(localStorage.getItem("ariaforge.tokens"));
        const answer = await fetch(path, {headers: {
            Authorization: `Bearer ${tokens.access_token}`}});
        return answer.json(); }""", path)


async def opened_project(page: Page) -> str:
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    return page.url.split("=")[-1]


async def latest_reason(page: Page, project_id: str) -> str:
    page_of_versions = await api_get(page, f"/api/v1/projects/{project_id}/versions?limit=1")
    return str(page_of_versions["items"][0]["reason"])


async def drag_a_note_up(page: Page) -> str:
    """Move a note two rows up in the piano roll; returns its id. The note is one the
    pointer can reach where it grabs it (the roll scrolls, and the velocity lane covers
    its bottom rows)."""
    note_id = str(await page.evaluate("""() => {
        const grid = document.querySelector("[data-testid=piano-roll-grid]");
        for (const note of grid.querySelectorAll("[data-note-id]")) {
            const box = note.getBoundingClientRect();
            if (document.elementFromPoint(box.x + 3, box.y + box.height / 2) === note)
                return note.getAttribute("data-note-id");
        }
        return null; }"""))
    note = page.locator(f'[data-note-id="{note_id}"]')
    pitch_before = await note.get_attribute("data-pitch")
    box = await note.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + 3, box["y"] + box["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(box["x"] + 3, box["y"] + box["height"] / 2 - 2.2 * box["height"],
                          steps=8)
    await page.mouse.up()
    await expect(page.locator(f'[data-note-id="{note_id}"]')).not_to_have_attribute(
        "data-pitch", str(pitch_before))
    return note_id


async def test_the_landing_page_says_what_ariaforge_is(first_run: WebStack,
                                                       browser: Browser, clean: None) -> None:
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await page.goto(f"{first_run.base}/")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Sketch a song")
    await expect(page.get_by_role("heading", name="Yours, on your own machine")).to_be_visible()
    assert await page.locator("main li h3").count() >= 3  # the feature highlights
    await expect(page.locator("code", has_text="ariaforge up")).to_be_visible()
    await shot(page, "16-landing")
    assert await accessibility_problems(page) == []
    await page.get_by_test_id("landing-sign-up").click()
    await expect(page).to_have_url(f"{first_run.base}/signup/")

    # Signed in, the front door opens the projects instead.
    await sign_up(page, first_run.base, "landing@example.com", "Lena")
    await page.goto(f"{first_run.base}/")
    await expect(page).to_have_url(f"{first_run.base}/projects/")
    assert console.errors == [], console.errors
    await context.close()


async def test_a_newcomer_gets_a_demo_that_survives_a_reload_mid_composition(
        first_run: WebStack, browser: Browser, clean: None) -> None:
    base = first_run.base
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)

    # Sign up with the demo box ticked (its default): the demo project is there at once.
    await page.goto(f"{base}/signup/")
    await expect(page.get_by_test_id("demo-project")).to_be_checked()
    await page.get_by_label("E-mail").fill("newcomer@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create your account").click()
    await expect(page).to_have_url(f"{base}/projects/")
    rows = page.get_by_test_id("project-row")
    await expect(rows).to_have_count(1)
    await rows.first.get_by_role("link", name=DEMO_NAME).click()
    project_id = await opened_project(page)

    # No worker yet: the demo's composition waits. The panel follows it honestly.
    status = page.get_by_test_id("session-status")
    generate = page.get_by_test_id("generate")
    await expect(status).to_contain_text("Composing…")
    await expect(generate).to_be_disabled()
    await expect(page.get_by_label("Describe the music")).to_have_value(DEMO_BRIEF.prompt)
    await shot(page, "16-demo-composing")

    # A reload in the middle keeps following the same session, Generate still held back.
    await page.reload()
    await expect(status).to_contain_text("Composing…")
    await expect(status).to_have_attribute("data-restored", "true")
    await expect(generate).to_be_disabled()
    # The transport says the music is on its way, not "Nothing to play yet".
    await expect(page.get_by_test_id("transport-composing")).to_be_visible()
    await expect(page.get_by_text("Nothing to play yet", exact=False)).to_have_count(0)
    sessions = await api_get(page, f"/api/v1/projects/{project_id}/sessions")
    assert [s["status"] for s in sessions] == ["queued"]

    # The worker starts; the music arrives in the page that reloaded.
    first_run.start_worker()
    await expect(status).to_contain_text("done", timeout=COMPOSE_LIMIT_MS)
    await expect(page.locator("[data-note-id]").first).to_be_visible()
    await expect(generate).to_be_enabled()
    await expect(page.get_by_test_id("brief-understood")).to_be_visible()

    # The brief and the brief as understood are the project's: a reload shows them again.
    await page.reload()
    await expect(page.get_by_label("Describe the music")).to_have_value(DEMO_BRIEF.prompt)
    await expect(page.get_by_test_id("brief-understood")).to_be_visible()
    await expect(status).to_contain_text("Last composition")
    await expect(page.get_by_role("definition").filter(has_text="jazz").first).to_be_visible()
    assert console.errors == [], console.errors
    await context.close()


async def test_generate_asks_before_replacing_an_edit_and_theory_says_its_style(
        first_run: WebStack, browser: Browser, clean: None) -> None:
    base = first_run.base
    first_run.start_worker()
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, "editor@example.com", "Eda", demo=True)
    await page.get_by_test_id("project-row").first.get_by_role("link", name=DEMO_NAME).click()
    project_id = await opened_project(page)
    status = page.get_by_test_id("session-status")
    await expect(status).to_contain_text("done", timeout=COMPOSE_LIMIT_MS)
    await expect(page.locator("[data-note-id]").first).to_be_visible()

    # The theory check judges the demo as jazz, and says so; another style is one pick away.
    await page.get_by_test_id("tab-theory").click()
    await page.get_by_test_id("validate").click()
    used = page.get_by_test_id("theory-style-used")
    await expect(used).to_have_text("Checked as jazz: the project's style.")
    await expect(page.get_by_test_id("theory-idioms")).to_contain_text(
        "chromatic approach notes")
    await shot(page, "16-theory-style")
    await page.get_by_label("Rules of").select_option("common-practice")
    await page.get_by_test_id("validate").click()
    await expect(used).to_have_text(
        "Checked as common-practice: your choice (the project's style is jazz).")
    await page.reload()  # the choice is kept for this project
    await page.get_by_test_id("tab-theory").click()
    await expect(page.get_by_label("Rules of")).to_have_value("common-practice")

    # An edit, then Generate: it asks first, and Cancel keeps the edit.
    await expect(page.locator("[data-note-id]").first).to_be_visible()
    note_id = await drag_a_note_up(page)
    moved = page.locator(f'[data-note-id="{note_id}"]')
    edited_pitch = await moved.get_attribute("data-pitch")
    for _ in range(SAVE_POLLS):
        if await latest_reason(page, project_id) == "edited":
            break
        await asyncio.sleep(0.25)
    assert await latest_reason(page, project_id) == "edited"
    await page.get_by_test_id("generate").click()
    dialog = page.get_by_role("dialog", name="Replace the edited music?")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text("History")
    await shot(page, "16-confirm-generate")
    assert await accessibility_problems(page) == []
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()
    await expect(moved).to_have_attribute("data-pitch", str(edited_pitch))
    assert len(await api_get(page, f"/api/v1/projects/{project_id}/sessions")) == 1

    # Replace: a new composition runs; the old music stays in History.
    await page.get_by_test_id("generate").click()
    await dialog.get_by_role("button", name="Replace").click()
    await expect(status).to_contain_text("done", timeout=COMPOSE_LIMIT_MS)
    sessions = await api_get(page, f"/api/v1/projects/{project_id}/sessions")
    assert [s["status"] for s in sessions] == ["succeeded", "succeeded"]
    assert await latest_reason(page, project_id) == "generated"
    assert console.errors == [], console.errors
    await context.close()
