"""The Originality tab in real Chromium against a real API, worker and a small reference
corpus: a song whose melody quotes a corpus tune (transposed) is found too close to it, the
matched bars are shown side by side with the aligned notes highlighted and a variation is
offered; another project with the same tune is found by "Find similar"; notes selected in
the piano roll are searched as a phrase. Takes build/e2e/originality.png (docs/images has a
copy)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from ariaforge.config import Settings
from ariaforge.music.score import Meter, Note, Role, Score, Section, Track
from ariaforge.music.similarity.reference import ReferenceTune, load_reference
from ariaforge.similarity.indexing import ingest_reference
from ariaforge.similarity.service import reference_status
from tests.e2e.support import (
    SHOTS,
    WIDE,
    Console,
    access_token,
    accessibility_problems,
    project_with,
    shot,
    sign_up,
    web_stack,
)

CORPUS = 12  # REFERENCE_CORPUS_LIMIT of this module's API and worker
BARS = 8
SPAN = "\\d+\u2013\\d+"  # a span of bars, as the panel writes it
TALL: ViewportSize = {"width": 1280, "height": 1240}


@pytest.fixture(scope="module")
def server(settings: Settings, web_build: Path, tmp_path_factory: pytest.TempPathFactory,
           app: Any) -> Iterator[str]:
    """The API and a worker with a small reference corpus."""
    with web_stack(settings, app.state.secret_key, web_build,
                   tmp_path_factory.mktemp("metrics"),
                   REFERENCE_CORPUS_LIMIT=str(CORPUS)) as stack:
        yield stack.base


def quoted_tune() -> ReferenceTune:
    """The first 4/4 tune of the small corpus that fills eight bars."""
    for tune in load_reference(CORPUS):
        if tune.meter == (4, 4) and tune.notes and tune.notes[-1][1] >= BARS * tune.bar_ticks:
            return tune
    raise AssertionError("no 4/4 tune of eight bars in the test corpus")


def quoting_song(tune: ReferenceTune) -> Score:
    """The tune's first eight bars a tone higher, as a lead line in two sections."""
    end = BARS * tune.bar_ticks
    melody = [Note(pitch=pitch + 2, start=start, duration=min(duration, end - start))
              for pitch, start, duration in tune.notes if start < end]
    return Score(tempo=96, bars=BARS, meter=Meter(numerator=4, denominator=4),
                 sections=[Section(name="Verse", start_bar=1, bars=4),
                           Section(name="Chorus", start_bar=5, bars=4)],
                 tracks=[Track(id="lead", name="Lead", role=Role.MELODY, program=73,
                               notes=melody)])


async def corpus_ingested(app: Any) -> None:
    """The test corpus in the database (`clean` emptied it; the worker may be at it too:
    whoever holds the ingest lock, it ends with the same tunes)."""
    for _ in range(600):
        await ingest_reference(app.state.sessionmaker, CORPUS)
        async with app.state.sessionmaker() as session:
            if (await reference_status(session, CORPUS)).ready:
                return
        await asyncio.sleep(0.2)
    raise AssertionError("the reference corpus was not ingested")


async def versions_indexed(page: Page, base: str, count: int) -> None:
    """The worker's sweep has indexed `count` versions (for "Find similar")."""
    for _ in range(600):
        answer = await page.request.get(
            f"{base}/api/v1/similarity/status",
            headers={"Authorization": f"Bearer {await access_token(page)}"})
        assert answer.status == 200, await answer.text()
        if (await answer.json())["indexed_versions"] >= count:
            return
        await asyncio.sleep(0.2)
    raise AssertionError("the worker did not index the projects' versions")


async def test_originality_check_similar_and_phrase(server: str, browser: Browser,
                                                   clean: None, app: Any) -> None:
    base = server
    await corpus_ingested(app)
    tune = quoted_tune()
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, "olga@example.com", "Olga Original")
    earlier = await project_with(page, base, "Old Demo", quoting_song(tune))
    await project_with(page, base, "New Song", quoting_song(tune))
    await versions_indexed(page, base, 2)

    await page.get_by_test_id("tab-originality").click()
    panel = page.get_by_role("tabpanel", name="Originality")
    await expect(panel.get_by_test_id("corpus-status")).to_have_text(
        f"Reference corpus: {CORPUS} tunes")

    # The check: too close to the quoted tune, 4+ bars of melody, transposed.
    await panel.get_by_role("button", name="Check originality").click()
    # Both the tune and the older project decide; the badge names the reference tune.
    await expect(panel.get_by_test_id("originality-badge")).to_have_text(
        f"Too close to {tune.title} and 1 more")
    matches = panel.get_by_role("list", name="Matches of this song")
    quoted = matches.get_by_test_id("match").filter(
        has=page.get_by_test_id("match-title").get_by_text(tune.title, exact=True)).first
    await expect(quoted).to_contain_text("Reference tune · ")
    await expect(quoted.get_by_test_id("match-bars")).to_contain_text(
        re.compile(rf"your bars {SPAN} ↔ their bars {SPAN} · yours is 2 semitones higher"))
    # The other project with the same melody is a match too, with a link to it.
    own = matches.get_by_test_id("match").filter(has_text="Your project")
    await expect(own.first).to_contain_text("Old Demo")
    await expect(own.first.get_by_role("link", name="open")).to_have_attribute(
        "href", re.compile(rf"/workspace/?\?project={earlier}$"))

    # The bars side by side, the aligned notes highlighted on both sides.
    await quoted.get_by_role("button", name="Compare the bars").click()
    yours = quoted.get_by_test_id("roll-yours")
    theirs = quoted.get_by_test_id("roll-theirs")
    await expect(yours).to_be_visible()
    await expect(theirs).to_have_attribute("aria-label", re.compile(rf"^{re.escape(tune.title)}"))
    assert await yours.locator("rect[data-aligned]").count() >= 4
    assert await theirs.locator("rect[data-aligned]").count() >= 4

    # A suggestion to vary the bars, naming the section they lie in.
    await expect(panel.get_by_test_id("vary-bars").first).to_be_enabled()
    await expect(panel.get_by_test_id("vary-bars").first).to_have_attribute(
        "aria-label", re.compile(rf"^Vary bars {SPAN} \(section (Verse|Chorus)\)$"))
    # The picture for the docs: the verdict, the suggestion and the bars side by side.
    await page.set_viewport_size(TALL)
    await panel.get_by_test_id("originality-badge").evaluate("""element => {
        let box = element.parentElement;
        while (box && !(box.scrollHeight > box.clientHeight
                        && /auto|scroll/.test(getComputedStyle(box).overflowY))) {
            box = box.parentElement;
        }
        // Just under the tabs (they stay put at the top of the column).
        const tabs = box && box.querySelector("[role=tablist]");
        const top = tabs ? tabs.getBoundingClientRect().bottom
            : box ? box.getBoundingClientRect().top : 0;
        if (box) box.scrollTop += element.getBoundingClientRect().top - top - 12;
    }""")
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / "originality.png"))
    await page.set_viewport_size(WIDE)

    # Find similar in my projects: the older project, as a link.
    await panel.get_by_role("button", name="Find similar in my projects").click()
    similar = panel.get_by_role("list", name="Similar projects")
    await expect(similar.get_by_role("link", name="Old Demo")).to_have_attribute(
        "href", re.compile(rf"/workspace/?\?project={earlier}$"))

    # Search by phrase: all of the lead's notes, selected in the piano roll.
    await page.get_by_test_id("piano-roll-grid").click(position={"x": 5, "y": 5})
    await page.get_by_role("toolbar", name="Edit tools").get_by_role(
        "button", name="Select all").click()
    await expect(panel.get_by_test_id("phrase-selection")).to_have_text(
        re.compile(r"^\d+ notes selected in Lead$"))
    await panel.get_by_role("radio", name=re.compile("^Selected notes")).check()
    await panel.get_by_role("button", name="Search", exact=True).click()
    phrase = panel.get_by_role("list", name="Matches of the phrase")
    await expect(phrase.get_by_test_id("match-title").first).to_be_visible()
    await expect(phrase).to_contain_text(tune.title)

    assert await accessibility_problems(page) == []
    await shot(page, "originality-full")
    assert console.errors == []
    await context.close()
