"""The web app end to end, in real Chromium, against a real API process, a real worker,
embedded PostgreSQL and Redis: sign up, create a project, compose from a brief, edit,
play, validate, export and download, share read-only with a second person.

Screenshots of each main screen go to `build/e2e/` (not committed)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from playwright.async_api import (
    Browser,
    expect,
)

from ariaforge.audio.encode import ffmpeg_path, probe
from tests.e2e.support import (
    PASSWORD,
    PHONE,
    WIDE,
    Console,
    accessibility_problems,
    shot,
    sign_up,
)


async def test_compose_edit_play_validate_export_and_share(server: str, browser: Browser,
                                                     clean: None) -> None:
    base = server
    owner_ctx = await browser.new_context(viewport=WIDE, accept_downloads=True)
    page = await owner_ctx.new_page()
    console = Console(page)

    # Sign-in mistakes are explained, then an account is made.
    await page.goto(f"{base}/login/")
    await shot(page, "01-sign-in")
    assert await accessibility_problems(page) == []
    await page.get_by_label("E-mail").fill("nobody@example.com")
    await page.get_by_label("Password").fill("wrong-password-123")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("auth-error")).to_contain_text("Wrong e-mail or password")
    console.errors.clear()  # the refused sign-in (401) was the point of that step
    await sign_up(page, base, "owner@example.com", "Olivia")
    await shot(page, "02-projects")
    assert await accessibility_problems(page) == []

    # A project, and a composition from a brief with live progress.
    await page.get_by_label("New project name").fill("Rainy waltz")
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    project_id = page.url.split("=")[-1]
    await page.get_by_label("Describe the music").fill(
        "a melancholic waltz in D minor for piano and strings, 90 bpm, 16 bars")
    await page.get_by_test_id("generate").click()
    await expect(page.get_by_test_id("session-status")).to_contain_text("done", timeout=90_000)
    notes = page.locator("[data-note-id]")
    await expect(notes.first).to_be_visible(timeout=30_000)
    assert await notes.count() > 10
    await shot(page, "03-workspace")
    assert await accessibility_problems(page) == []

    # Reload keeps the session signed in and the music where it was.
    await page.reload()
    await expect(page.locator("[data-note-id]").first).to_be_visible(timeout=30_000)

    # Move a note: drag it up two rows; the API sees the new pitch.
    note = page.locator("[data-note-id]").first
    note_id = await note.get_attribute("data-note-id")
    pitch_before = int(await note.get_attribute("data-pitch") or 0)
    box = await note.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + 3, box["y"] + box["height"] / 2)
    await page.mouse.down()
    await page.mouse.move(box["x"] + 3, box["y"] + box["height"] / 2 - 2.2 * box["height"],
                          steps=8)
    await page.mouse.up()
    moved = page.locator(f'[data-note-id="{note_id}"]')
    await expect(moved).not_to_have_attribute("data-pitch", str(pitch_before), timeout=15_000)

    # Play: the playhead moves.
    await page.get_by_test_id("play").click()
    playhead = page.get_by_test_id("playhead").first
    await expect(playhead).to_be_attached(timeout=60_000)  # the preview is rendered
    start = float(await playhead.get_attribute("x1") or 0)
    await page.wait_for_function(  # the line moves on as the audio plays
        "start => Number(document.querySelector('[data-testid=playhead]')"
        ".getAttribute('x1')) > start + 20", arg=start, timeout=60_000)
    await page.get_by_test_id("play").click()

    # Validate, then jump to a violation (or see a clean report).
    await page.get_by_test_id("tab-theory").click()
    await page.get_by_test_id("validate").click()
    await expect(page.get_by_test_id("validation-score")).to_be_visible(timeout=30_000)
    violations = page.get_by_test_id("violation")
    await expect(violations.first).to_be_visible()  # this seeded waltz has one warning
    await violations.first.click()
    await expect(page.locator("[data-highlighted='true']").first).to_be_visible()
    await shot(page, "04-theory")

    # Notation of the melody, engraved by the server.
    await page.get_by_test_id("tab-notation").click()
    await expect(page.get_by_role("img", name=re.compile("Notation of"))).to_be_visible(
        timeout=60_000)
    await shot(page, "04b-notation")

    # History: the generated version and the edit are there, with who and why.
    await page.get_by_test_id("open-history").click()
    await expect(page.get_by_role("button", name="Restore version 2")).to_be_visible()
    await shot(page, "04c-history")
    await page.keyboard.press("Escape")

    # Export an MP3 and download it: a real, non-silent file.
    await page.get_by_test_id("open-export").click()
    await page.get_by_test_id("export-start").click()
    link = page.get_by_test_id("download").first
    await expect(link).to_be_visible(timeout=120_000)
    await shot(page, "05-export")
    async with page.expect_download() as download_info:
        await link.click()
    path = Path(await (await download_info.value).path())
    assert probe(path).codec == "mp3"
    seconds, peak = _decoded(path)
    assert seconds > 10 and peak > 0.01  # 16 bars of 3/4 at 90 bpm: 32 s, not silent
    await page.keyboard.press("Escape")

    # Share read-only with a second person, who sees the workspace but cannot edit.
    viewer_ctx = await browser.new_context(viewport=PHONE)
    viewer = await viewer_ctx.new_page()
    viewer_console = Console(viewer)
    await sign_up(viewer, base, "viewer@example.com", "Victor")
    await page.get_by_test_id("open-share").click()
    await page.get_by_label("E-mail of a registered account").fill("viewer@example.com")
    await page.get_by_label("Role").select_option("viewer")
    await page.get_by_role("button", name="Invite").click()
    await expect(page.get_by_text("viewer@example.com")).to_be_visible()
    await page.keyboard.press("Escape")
    await viewer.goto(f"{base}/workspace/?project={project_id}")
    await expect(viewer.locator("[data-note-id]").first).to_be_attached(timeout=30_000)
    await expect(viewer.get_by_test_id("generate")).to_be_disabled()
    await shot(viewer, "06-viewer-phone")
    assert await accessibility_problems(viewer) == []
    # The check itself can fail: a button with no name is caught.
    await viewer.evaluate("document.body.append(document.createElement('button'))")
    assert any(p.startswith("button-name") for p in await accessibility_problems(viewer))
    assert console.errors == [], console.errors
    assert viewer_console.errors == [], viewer_console.errors
    await viewer_ctx.close()
    await owner_ctx.close()


def _decoded(path: Path) -> tuple[float, float]:
    """Seconds of audio and the loudest sample (0..1), decoded with FFmpeg at 44.1 kHz."""
    import numpy as np

    raw = subprocess.run([ffmpeg_path(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", "44100", "-"], capture_output=True, check=True, timeout=60).stdout
    samples = np.frombuffer(raw, dtype=np.int16)
    peak = float(np.abs(samples.astype(np.int32)).max()) / 32768 if samples.size else 0.0
    return samples.size / 44100, peak


def _import_song() -> bytes:
    """A two-bar song with a melody and a drum kit, as MIDI."""
    from ariaforge.music.interchange import write_midi
    from ariaforge.music.score import Key, Note, Role, Score, Track

    melody = [Note(pitch=60 + step, start=step * 480, duration=480) for step in range(8)]
    kit = [Note(pitch=36, start=bar * 1920, duration=120) for bar in range(2)]
    return write_midi(Score(tempo=100, key=Key(tonic="C"), bars=2, tracks=[
        Track(id="lead", name="Lead", role=Role.MELODY, program=73, notes=melody),
        Track(id="kit", name="Kit", role=Role.DRUMS, is_drum=True, notes=kit)]))


async def test_accounts_projects_import_drums_and_undo(server: str, browser: Browser,
                                                       clean: None) -> None:
    base = server
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, "maker@example.com", "Mara")

    # A taken e-mail is explained.
    other = await context.new_page()
    await other.goto(f"{base}/signup/")
    await other.get_by_label("E-mail").fill("maker@example.com")
    await other.get_by_label("Password").fill(PASSWORD)
    await other.get_by_role("button", name="Create your account").click()
    await expect(other.get_by_test_id("auth-error")).to_contain_text("already exists")
    await other.close()
    console.errors.clear()  # that page's 409 was the point

    # An expired access token is refreshed quietly: a reload stays signed in.
    spent = await page.evaluate("""() => {
        const tokens = JSON.parse(localStorage.getItem("ariaforge.tokens"));
        tokens.access_token = "expired"; tokens.expires_at = 0;
        localStorage.setItem("ariaforge.tokens", JSON.stringify(tokens));
        return tokens.refresh_token; }""")
    await page.reload()
    await expect(page.get_by_test_id("signed-in-as")).to_have_text("Mara")
    fresh = await page.evaluate("() => JSON.parse(localStorage.getItem('ariaforge.tokens'))")
    assert fresh["access_token"] != "expired" and fresh["refresh_token"] != spent

    # Projects: create two, search, rename, archive and filter, delete with confirmation.
    for name in ("Alpha", "Beta"):
        await page.goto(f"{base}/projects/")
        await page.get_by_label("New project name").fill(name)
        await page.get_by_role("button", name="Create").click()
        await expect(page).to_have_url(re.compile(r"/workspace/"))
    await page.goto(f"{base}/projects/")
    rows = page.get_by_test_id("project-row")
    await expect(rows).to_have_count(2)
    await page.get_by_label("Search projects").fill("alp")
    await expect(rows).to_have_count(1)
    await rows.first.get_by_role("button", name="Rename").click()
    await rows.first.get_by_label("Project name").fill("Alpha Two")
    await rows.first.get_by_role("button", name="Save").click()
    await expect(rows.first.get_by_role("link", name="Alpha Two")).to_be_visible()
    await page.get_by_label("Search projects").fill("")
    beta = rows.filter(has_text="Beta")
    await beta.get_by_role("button", name="Archive").click()
    await page.get_by_label("Status").select_option("archived")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Beta")
    await rows.first.get_by_role("button", name="Delete").click()
    await page.get_by_test_id("confirm-delete").click()
    await expect(rows).to_have_count(0)
    await page.get_by_label("Status").select_option("")
    await expect(rows).to_have_count(1)
    await shot(page, "07-projects-managed")

    # Import: a broken file is explained; a real MIDI file becomes the score.
    await rows.first.get_by_role("link", name="Alpha Two").click()
    await page.get_by_test_id("open-import").click()
    chooser = page.get_by_label("Choose a file to import")
    await chooser.set_input_files({"name": "broken.mid", "mimeType": "audio/midi",
                                   "buffer": b"this is not MIDI"})
    await page.get_by_test_id("import-start").click()
    await expect(page.get_by_test_id("import-error")).to_be_visible()
    console.errors.clear()  # the refused upload (422) was the point
    await chooser.set_input_files({"name": "song.mid", "mimeType": "audio/midi",
                                   "buffer": _import_song()})
    await page.get_by_test_id("import-start").click()
    await expect(page.locator("[data-note-id]").first).to_be_visible(timeout=30_000)

    # The drum kit in the step sequencer: toggle a step, undo and redo it.
    await page.get_by_role("group", name=re.compile("^Kit")).or_(
        page.get_by_label(re.compile(r"^Kit: "))).first.click()
    grid = page.get_by_test_id("drum-grid")
    await expect(grid).to_be_visible()
    cell = grid.get_by_role("button", name=re.compile(r"^Kick, bar 1 step 3"))
    await expect(cell).to_have_attribute("aria-pressed", "false")
    await cell.click()
    await expect(cell).to_have_attribute("aria-pressed", "true")
    await shot(page, "08-drum-grid")
    await page.keyboard.press("Control+z")
    await expect(cell).to_have_attribute("aria-pressed", "false")
    await page.keyboard.press("Control+Shift+z")
    await expect(cell).to_have_attribute("aria-pressed", "true")

    # The mixer: mute the kit; the choice is saved and survives a reload.
    await page.get_by_test_id("tab-mixer").click()
    mute = page.get_by_role("button", name="Mute Kit")
    await mute.click()
    await expect(mute).to_have_attribute("aria-pressed", "true")
    await page.reload()
    await page.get_by_test_id("tab-mixer").click()
    await expect(page.get_by_role("button", name="Mute Kit")).to_have_attribute(
        "aria-pressed", "true", timeout=30_000)

    # Continue the imported song by four bars through a composition session.
    await page.get_by_label("Bars to add").fill("4")
    await page.get_by_role("button", name="Continue").click()
    await expect(page.get_by_test_id("session-status")).to_contain_text("done", timeout=90_000)
    await expect(page.get_by_test_id("song-bars")).to_have_value("6", timeout=30_000)

    # Tracks: add one, then delete it again.
    await page.get_by_test_id("add-track").click()
    dialog = page.get_by_role("dialog", name="Add a track")
    await dialog.get_by_label("Name").fill("Cello line")
    # An empty track, deleted at once: no part for it (test_track_ops_browser writes parts).
    await dialog.get_by_test_id("add-track-write-part").uncheck()
    await dialog.get_by_role("button", name="Add track").click()
    lane = page.get_by_label(re.compile(r"^Cello line: "))
    await expect(lane).to_be_visible()
    await page.get_by_role("button", name="Delete Cello line").click()
    await page.get_by_test_id("confirm-delete-track").click()
    await expect(lane).to_have_count(0)

    # History: restoring the first (empty) version takes the notes away.
    await page.get_by_test_id("open-history").click()
    await page.get_by_role("button", name="Restore version 1").first.click()
    await page.get_by_role("alertdialog").get_by_role(
        "button", name="Restore version 1").click()
    await expect(page.locator("[data-note-id]")).to_have_count(0, timeout=30_000)
    await page.keyboard.press("Escape")

    # Sign out ends the session.
    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{base}/login/")
    assert console.errors == [], console.errors
    await context.close()
