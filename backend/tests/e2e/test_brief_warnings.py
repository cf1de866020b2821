"""The web app shows what the brief reader could not honour: in real Chromium against a
real API and worker, a brief naming an unknown and a substituted instrument ends with
both named in the session's Warnings list. The style picker offers every style the API
knows."""

from __future__ import annotations

import re

from playwright.async_api import Browser, expect

from ariaforge.composer.vocabulary import Style
from tests.e2e.support import WIDE, Console, accessibility_problems, sign_up

UNPLAYABLE = "a tango for bandoneon, mellophone and piano"


async def test_the_warnings_list_names_instruments_the_brief_could_not_have(
        server: str, browser: Browser, clean: None) -> None:
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, server, "warned@example.com", "Wanda")
    await page.get_by_label("New project name").fill("Tango sketch")
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))

    await page.get_by_label("Describe the music").fill(UNPLAYABLE)
    await page.get_by_text("Options (each wins over the text)").click()
    picker = page.get_by_role("combobox", name=re.compile(r"^Style"))
    offered = await picker.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert offered == ["", *(style.value for style in Style)]
    await picker.select_option("tango")
    await page.get_by_label("Bars", exact=True).fill("4")
    await page.get_by_test_id("generate").click()
    await expect(page.get_by_test_id("session-status")).to_contain_text("done", timeout=90_000)

    warnings = page.get_by_role("list", name="Warnings").get_by_role("listitem")
    await expect(warnings.filter(has_text="unknown instrument 'mellophone': left out")) \
        .to_have_count(1)
    await expect(warnings.filter(has_text="no bandoneon sound: played on Tango Accordion")) \
        .to_have_count(1)
    understood = page.locator("dl dd")
    await expect(understood.filter(has_text=re.compile(r"^tango$"))).to_have_count(1)
    await expect(understood.filter(has_text="Bandoneon")).to_have_count(1)
    assert await accessibility_problems(page) == []
    assert console.errors == []
    await context.close()
