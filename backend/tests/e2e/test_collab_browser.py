"""Live co-editing in real Chromium: two people (the owner, and an editor added through the
members API) in one project, each in their own browser context, against a real API process
and worker. A note added in one page appears in the other, each sees the other's avatar,
selection and playhead, undo undoes only one's own edit, and mute is each listener's own."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.e2e.support import WIDE, Console, shot, sign_up

LIVE_LIMIT_MS = 30_000
MATERIALISE_POLLS = 60


def _song() -> bytes:
    """Two bars: a melody that leaves C4 at the very start free, and a drum kit."""
    from ariaforge.music.interchange import write_midi
    from ariaforge.music.score import Key, Note, Role, Score, Track

    melody = [Note(pitch=p, start=480 * (i + 1), duration=480)
              for i, p in enumerate([67, 69, 71, 72, 74, 72, 71])]
    kit = [Note(pitch=36, start=bar * 1920, duration=120) for bar in range(2)]
    return write_midi(Score(tempo=100, key=Key(tonic="C"), bars=2, tracks=[
        Track(id="lead", name="Lead", role=Role.MELODY, program=73, notes=melody),
        Track(id="kit", name="Kit", role=Role.DRUMS, is_drum=True, notes=kit)]))


async def _person(browser: Browser, base: str, email: str,
                  name: str) -> tuple[BrowserContext, Page, Console]:
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, email, name)
    return context, page, console


async def _token(page: Page) -> str:
    tokens: dict[str, Any] = await page.evaluate(
        "() => JSON.parse(localStorage.getItem('ariaforge.tokens'))")
    return str(tokens["access_token"])


def _roll_note(page: Page, pitch: int, start: int) -> Any:
    return page.get_by_test_id("piano-roll-grid").locator(
        f'[data-note-id][data-pitch="{pitch}"][data-start="{start}"]')


async def test_two_people_edit_one_song_live(server: str, browser: Browser,
                                             clean: None) -> None:
    base = server
    owner_ctx, owner, owner_console = await _person(browser, base, "olivia@example.com",
                                                    "Olivia Owner")
    editor_ctx, editor, editor_console = await _person(browser, base, "eddie@example.com",
                                                       "Eddie Editor")

    # The owner makes a project with a song; the editor joins it through the members API.
    await owner.get_by_label("New project name").fill("Duet")
    await owner.get_by_role("button", name="Create").click()
    await expect(owner).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    project_id = owner.url.split("=")[-1]
    await owner.get_by_test_id("open-import").click()
    await owner.get_by_label("Choose a file to import").set_input_files(
        {"name": "duet.mid", "mimeType": "audio/midi", "buffer": _song()})
    await owner.get_by_test_id("import-start").click()
    await expect(_roll_note(owner, 67, 480)).to_be_attached(timeout=LIVE_LIMIT_MS)
    await owner.keyboard.press("Escape")
    added = await owner.request.post(
        f"{base}/api/v1/projects/{project_id}/members",
        headers={"Authorization": f"Bearer {await _token(owner)}"},
        data={"email": "eddie@example.com", "role": "editor"})
    assert added.status == 201, await added.text()
    await editor.goto(f"{base}/workspace/?project={project_id}")
    await expect(_roll_note(editor, 67, 480)).to_be_attached(timeout=LIVE_LIMIT_MS)

    # Both are live and each sees both people: themselves and the other.
    for page in (owner, editor):
        await expect(page.get_by_test_id("collab-status")).to_have_text(
            "Live", timeout=LIVE_LIMIT_MS)
    await expect(owner.get_by_test_id("presence-avatar")).to_have_count(2)
    await expect(editor.get_by_test_id("presence-avatar")).to_have_count(2)
    await expect(owner.get_by_test_id("presence").get_by_label(
        re.compile(r"^Eddie Editor \(editor\)"))).to_be_visible()
    await expect(editor.get_by_test_id("presence").get_by_label(
        re.compile(r"^Olivia Owner \(owner\)"))).to_be_visible()

    # The owner adds a C4 at the start (Enter on the empty grid): it appears for the
    # editor, outlined as the owner's selection (a new note is selected).
    await owner.get_by_test_id("piano-roll-grid").focus()
    await owner.keyboard.press("Enter")
    await expect(_roll_note(owner, 60, 0)).to_have_count(1)
    added_note = _roll_note(editor, 60, 0)
    await expect(added_note).to_have_count(1, timeout=LIVE_LIMIT_MS)
    await expect(added_note).to_have_attribute("data-remote-selected", "Olivia Owner",
                                               timeout=LIVE_LIMIT_MS)

    # The editor moves another note up a semitone; the owner sees the move.
    await _roll_note(editor, 67, 480).focus()
    await editor.keyboard.press("Enter")
    await editor.keyboard.press("ArrowUp")
    await expect(_roll_note(editor, 68, 480)).to_have_count(1)
    await expect(_roll_note(owner, 68, 480)).to_have_count(1, timeout=LIVE_LIMIT_MS)
    await expect(_roll_note(owner, 68, 480)).to_have_attribute(
        "data-remote-selected", "Eddie Editor", timeout=LIVE_LIMIT_MS)
    await shot(owner, "10-collab-remote-selection")

    # Undo in the owner's page takes back the owner's note, not the editor's later move.
    await _roll_note(owner, 60, 0).focus()
    await owner.keyboard.press("Control+z")
    await expect(_roll_note(owner, 60, 0)).to_have_count(0, timeout=LIVE_LIMIT_MS)
    await expect(_roll_note(editor, 60, 0)).to_have_count(0, timeout=LIVE_LIMIT_MS)
    for page in (owner, editor):
        await expect(_roll_note(page, 68, 480)).to_have_count(1)
        await expect(_roll_note(page, 67, 480)).to_have_count(0)

    # The owner places the playhead (a click on the ruler): the editor sees it as a line.
    ruler = owner.locator("section[aria-label^='Piano roll'] svg[role=presentation]").first
    await ruler.click(position={"x": 150, "y": 10})
    await expect(editor.get_by_test_id("remote-playhead")).to_have_count(
        1, timeout=LIVE_LIMIT_MS)
    await shot(editor, "09-collab-presence")

    # Mute is each listener's own: the owner mutes the kit, the editor still hears it.
    for page in (owner, editor):
        await page.get_by_test_id("tab-mixer").click()
    await owner.get_by_role("button", name="Mute Kit").click()
    await expect(owner.get_by_role("button", name="Mute Kit")).to_have_attribute(
        "aria-pressed", "true")
    await owner.wait_for_timeout(1_000)  # a wrongly shared mute would have arrived by now
    await expect(editor.get_by_role("button", name="Mute Kit")).to_have_attribute(
        "aria-pressed", "false")

    # The edits reach the score row (materialised after a pause in editing): the REST API
    # sees the editor's move, not the undone note, and no mute.
    lead_notes: set[tuple[int, int]] = set()
    for _ in range(MATERIALISE_POLLS):
        score = await owner.request.get(
            f"{base}/api/v1/projects/{project_id}/score",
            headers={"Authorization": f"Bearer {await _token(owner)}"})
        assert score.status == 200
        tracks = (await score.json())["score"]["tracks"]
        lead_notes = {(n["pitch"], n["start"])
                      for t in tracks if t["name"] == "Lead" for n in t["notes"]}
        if (68, 480) in lead_notes:
            break
        await owner.wait_for_timeout(500)
    assert (68, 480) in lead_notes and (67, 480) not in lead_notes, lead_notes
    assert (60, 0) not in lead_notes
    assert all(t["mute"] is False for t in tracks)

    assert owner_console.errors == [], owner_console.errors
    assert editor_console.errors == [], editor_console.errors
    await editor_ctx.close()
    await owner_ctx.close()
