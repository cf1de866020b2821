"""Notation in real Chromium against a real API: the full-score view opens from the
workspace header, zoom changes the rendered size (buttons and Ctrl +/-), page turning
moves through a long score (buttons and PageUp/PageDown), and the part view shows one
track's staff where the full score shows every track's."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from defusedxml import ElementTree
from playwright.async_api import Browser, Locator, Response, expect

from ariaforge.music.score import Note, Role, Score, Track
from tests.e2e.support import WIDE, Console, project_with, shot, sign_up

SVG = "{http://www.w3.org/2000/svg}"
BARS = 48  # three tracks at 13 bars a page: four pages


def long_score(bars: int = BARS) -> Score:
    melody = [Note(pitch=67 + (i * 5) % 12, start=i * 480, duration=480)
              for i in range(bars * 4)]
    bass = [Note(pitch=36 + (i * 7) % 12, start=i * 1920, duration=1920) for i in range(bars)]
    kit = [Note(pitch=(36, 42, 38, 42)[i % 4], start=i * 480, duration=240)
           for i in range(bars * 4)]
    return Score(tempo=110, bars=bars, tracks=[
        Track(id="lead", name="Flute", role=Role.MELODY, program=73, notes=melody),
        Track(id="low", name="Bass", role=Role.BASS, program=33, notes=bass),
        Track(id="kit", name="Kit", role=Role.DRUMS, is_drum=True, notes=kit)])


def notation_request(query: str) -> Callable[[Response], bool]:
    """Matches the notation response of exactly this query (e.g. "page=1&track=low")."""
    wanted = dict(parse_qsl(query))

    def matches(response: Response) -> bool:
        parts = urlsplit(response.url)
        return parts.path.endswith("/notation.svg") and dict(parse_qsl(parts.query)) == wanted
    return matches


async def staves_in_first_bar(response: Response) -> int:
    """Staves in the first measure of an engraved page (the SVG the <img> shows: it is
    drawn from a blob: URL, which the site's CSP rightly keeps `fetch` from reading)."""
    assert response.status == 200, response.status
    root = ElementTree.fromstring(await response.body())
    measure = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "measure")
    return sum(1 for g in measure if g.get("class") == "staff")


async def rendered_width(image: Locator) -> float:
    box = await image.bounding_box()
    assert box is not None
    return box["width"]


async def test_full_score_zoom_pages_and_parts(server: str, browser: Browser,
                                               clean: None) -> None:
    base = server
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, "nora@example.com", "Nora Notes")
    await project_with(page, base, "Long Road", long_score())

    # The side tab shows a part; the header opens the full score over the window.
    await page.get_by_test_id("tab-notation").click()
    await expect(page.get_by_role("img", name=re.compile("Notation of"))).to_be_visible()
    async with page.expect_response(notation_request("page=1")) as full_score:
        await page.get_by_test_id("open-full-score").click()
    view = page.get_by_role("dialog", name="Full score")
    await expect(view).to_be_visible()
    image = view.get_by_test_id("notation-image")
    await expect(image).to_have_attribute("alt", "Notation of all tracks, page 1 of 4")
    await expect(view.get_by_test_id("notation-page")).to_have_text("Page 1 of 4")
    assert await staves_in_first_bar(await full_score.value) == 3
    await shot(page, "16-full-score")

    # Zoom: the buttons and Ctrl +/- change the drawn size; Fit goes back to the width.
    fitted = await rendered_width(image)
    await view.get_by_role("button", name="Zoom in").click()
    await view.get_by_role("button", name="Zoom in").click()
    await expect(view.get_by_role("button", name="Fit")).to_have_attribute(
        "aria-pressed", "false")
    larger = await rendered_width(image)
    assert larger > fitted * 1.1, (fitted, larger)
    zoom_text = await view.get_by_test_id("notation-zoom").inner_text()
    await page.keyboard.press("Control+Minus")
    await expect(view.get_by_test_id("notation-zoom")).not_to_have_text(zoom_text)
    assert await rendered_width(image) < larger
    await page.keyboard.press("Control+Equal")
    await expect(view.get_by_test_id("notation-zoom")).to_have_text(zoom_text)
    await shot(page, "16-full-score-zoomed")
    await view.get_by_role("button", name="Fit").click()
    await expect(view.get_by_role("button", name="Fit")).to_have_attribute(
        "aria-pressed", "true")
    assert abs(await rendered_width(image) - fitted) < 2

    # Pages: the buttons and PageDown/PageUp turn through the score, each a new engraving.
    first_page = await image.get_attribute("src")
    await view.get_by_role("button", name="Next page").click()
    await expect(image).to_have_attribute("alt", "Notation of all tracks, page 2 of 4")
    assert await image.get_attribute("src") != first_page
    await page.keyboard.press("PageDown")
    await page.keyboard.press("PageDown")
    await expect(view.get_by_test_id("notation-page")).to_have_text("Page 4 of 4")
    await expect(view.get_by_role("button", name="Next page")).to_be_disabled()
    await page.keyboard.press("PageUp")
    await expect(image).to_have_attribute("alt", "Notation of all tracks, page 3 of 4")
    await shot(page, "16-full-score-page-3")

    # A part: one track's staff only, paged on its own.
    async with page.expect_response(notation_request("page=1&track=low")) as part:
        await view.get_by_label("Part").select_option(label="Bass")
    await expect(image).to_have_attribute("alt", re.compile(r"^Notation of Bass, page 1 of "))
    assert await staves_in_first_bar(await part.value) == 1
    part_pages = await view.get_by_test_id("notation-page").inner_text()
    assert part_pages != "Page 1 of 4"  # one staff fits more bars on a page
    await shot(page, "16-part-view")

    await page.keyboard.press("Escape")
    await expect(view).to_be_hidden()
    assert console.errors == []
    await context.close()
