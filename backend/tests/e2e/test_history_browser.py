"""The history panel in real Chromium against a real API and worker, with edits coalescing
as in production (VERSION_COALESCE_S=600): quick live edits become one version; a
version is named, compared with the current score (added and removed notes on a small
piano roll), heard in the browser's own player, and restored."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from ariaforge.config import Settings
from tests.e2e.support import WIDE, Console, shot, sign_up, web_stack

LIVE_LIMIT_MS = 30_000
MATERIALISE_POLLS = 60
API = "/api/v1/projects"


@pytest.fixture(scope="module")
def history_server(settings: Settings, web_build: Path,
                   tmp_path_factory: pytest.TempPathFactory, app: Any) -> Iterator[str]:
    """The app's API and worker (as `server`), with edits coalescing."""
    with web_stack(settings, app.state.secret_key, web_build,
                   tmp_path_factory.mktemp("metrics"), VERSION_COALESCE_S="600") as stack:
        yield stack.base


def _song() -> bytes:
    from ariaforge.music.interchange import write_midi
    from ariaforge.music.score import Key, Note, Role, Score, Track

    melody = [Note(pitch=p, start=480 * (i + 1), duration=480)
              for i, p in enumerate([67, 69, 71, 72, 74, 72, 71])]
    return write_midi(Score(tempo=100, key=Key(tonic="C"), bars=2, tracks=[
        Track(id="lead", name="Lead", role=Role.MELODY, program=0, notes=melody)]))


async def _token(page: Page) -> str:
    tokens: dict[str, Any] = await page.evaluate(
        "() => JSON.parse(localStorage.getItem('ariaforge.tokens'))")
    return str(tokens["access_token"])


async def _get(page: Page, url: str) -> Any:
    answer = await page.request.get(url, headers={
        "Authorization": f"Bearer {await _token(page)}"})
    assert answer.status == 200, await answer.text()
    return await answer.json()


def _roll_note(page: Page, pitch: int, start: int) -> Any:
    return page.get_by_test_id("piano-roll-grid").locator(
        f'[data-note-id][data-pitch="{pitch}"][data-start="{start}"]')


def _lead(score: dict[str, Any]) -> set[tuple[int, int]]:
    return {(n["pitch"], n["start"]) for t in score["tracks"] if t["name"] == "Lead"
            for n in t["notes"]}


async def test_history_coalesces_names_compares_plays_and_restores(
        history_server: str, browser: Browser, clean: None) -> None:
    base = history_server
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, "hana@example.com", "Hana History")
    await page.get_by_label("New project name").fill("Rainy waltz")
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    project = page.url.split("=")[-1]
    await page.get_by_test_id("open-import").click()
    await page.get_by_label("Choose a file to import").set_input_files(
        {"name": "waltz.mid", "mimeType": "audio/midi", "buffer": _song()})
    await page.get_by_test_id("import-start").click()
    await expect(_roll_note(page, 67, 480)).to_be_attached(timeout=LIVE_LIMIT_MS)
    await page.keyboard.press("Escape")
    await expect(page.get_by_test_id("collab-status")).to_have_text("Live",
                                                                    timeout=LIVE_LIMIT_MS)

    # Several quick edits: a C4 added at the start and moved up twice, a note deleted.
    await page.get_by_test_id("piano-roll-grid").focus()
    await page.keyboard.press("Enter")
    await expect(_roll_note(page, 60, 0)).to_have_count(1)
    await page.keyboard.press("ArrowUp")
    await page.keyboard.press("ArrowUp")
    await expect(_roll_note(page, 62, 0)).to_have_count(1)
    await _roll_note(page, 74, 2400).focus()
    await page.keyboard.press("Enter")
    await page.keyboard.press("Delete")
    await expect(_roll_note(page, 74, 2400)).to_have_count(0)

    # They reach the score row (after the live pause), and the history: one version.
    notes: set[tuple[int, int]] = set()
    for _ in range(MATERIALISE_POLLS):
        notes = _lead((await _get(page, f"{base}{API}/{project}/score"))["score"])
        if (62, 0) in notes and (74, 2400) not in notes:
            break
        await page.wait_for_timeout(500)
    assert (62, 0) in notes and (74, 2400) not in notes, notes
    versions = (await _get(page, f"{base}{API}/{project}/versions"))["items"]
    assert [v["reason"] for v in versions] == ["edited", "imported", "created"], versions
    imported = versions[1]["number"]

    await page.get_by_test_id("open-history").click()
    rows = page.get_by_test_id("history-table").locator("tbody tr")
    await expect(rows).to_have_count(3)
    await expect(rows.first).to_contain_text("Edited")
    # The newest version is the current score (even before the workspace has caught up
    # with the revision its live edits were saved at): nothing to compare or restore.
    await expect(rows.first).to_have_attribute("aria-current", "true")
    await expect(rows.first.get_by_role("button", name=re.compile("^(Restore|Compare)"))
                 ).to_have_count(0)

    # Name the imported version.
    await page.get_by_role("button", name=f"Name version {imported}").click()
    await page.get_by_label(f"Name of version {imported}").fill("  first take  ")
    await page.get_by_label(f"Name of version {imported}").press("Enter")
    await expect(page.locator(f'tr[data-version="{imported}"]').get_by_test_id(
        "version-name")).to_have_text("first take")
    listed = (await _get(page, f"{base}{API}/{project}/versions"))["items"]
    assert [v["name"] for v in listed] == ["", "first take", ""]

    # Compare it with the current score: the added note green, the deleted one red.
    await page.get_by_role("button",
                           name=f"Compare version {imported} with the current score").click()
    compare = page.get_by_test_id("version-compare")
    lead = compare.locator('[data-testid="compare-track"][data-track-id]').filter(
        has_text="Lead")
    await expect(lead).to_have_count(1)
    added = lead.locator('rect[data-kind="added"]')
    removed = lead.locator('rect[data-kind="removed"]')
    await expect(added).to_have_count(1)
    await expect(added).to_have_attribute("data-pitch", "62")
    await expect(added).to_have_attribute("data-start", "0")
    await expect(removed).to_have_count(1)
    await expect(removed).to_have_attribute("data-pitch", "74")
    await expect(removed).to_have_attribute("data-start", "2400")
    await expect(lead).to_contain_text("notes: 1 added, 1 removed")
    await shot(page, "16-history-compare")

    # Listen: the version's score is fetched and the browser's player plays it.
    async with page.expect_response(
            lambda r: r.url.endswith(f"/versions/{imported}") and r.status == 200):
        await page.get_by_role("button", name=f"Listen to version {imported}").click()
    stop = page.get_by_role("button", name=f"Stop version {imported}")
    await expect(stop).to_have_attribute("aria-pressed", "true", timeout=LIVE_LIMIT_MS)
    await page.wait_for_function(
        "() => window.__ariaforgeAudioState && window.__ariaforgeAudioState() === 'running'",
        timeout=LIVE_LIMIT_MS)
    await stop.click()
    await expect(page.get_by_role("button", name=f"Listen to version {imported}")
                 ).to_have_attribute("aria-pressed", "false")
    await shot(page, "16-history")

    # Restore it (after the confirmation): the old notes are back.
    await page.get_by_role("button", name=f"Restore version {imported}").click()
    await page.get_by_role("alertdialog").get_by_role(
        "button", name=f"Restore version {imported}").click()
    await expect(page.get_by_test_id("history-table")).to_have_count(0)
    current = await _get(page, f"{base}{API}/{project}/score")
    assert (74, 2400) in _lead(current["score"]) and (62, 0) not in _lead(current["score"])
    version = await _get(page, f"{base}{API}/{project}/versions/{imported}")
    assert _lead(current["score"]) == _lead(version["score"])
    latest = (await _get(page, f"{base}{API}/{project}/versions"))["items"][0]
    assert latest["reason"] == "restored"

    assert console.errors == [], console.errors
    await context.close()
