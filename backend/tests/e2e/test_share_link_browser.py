"""Share links in real Chromium against a real API: the owner creates a public link in the
Share dialog; a fresh browser context with no account opens it and sees the song's name,
its notation and arrangement, with nothing to edit and no way into the workspace; the
owner revokes the link and the page then says it is no longer valid."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.async_api import Browser, Request, expect

from ariaforge.music.score import Note, Role, Score, Section, Track
from tests.e2e.support import (
    WIDE,
    Console,
    accessibility_problems,
    project_with,
    shot,
    sign_up,
)
from tests.e2e.test_playback_browser import HEARD_NOW

# Controls of the workspace that must not exist on the public page.
EDIT_CONTROLS = ("Import", "Share", "History", "Generate", "Add track", "+ Track", "Save",
                 "Delete", "Undo", "Sign out")


def song() -> Score:
    melody = [Note(pitch=p, start=i * 480, duration=480)
              for i, p in enumerate([64, 67, 69, 67, 64, 62, 60, 62] * 2)]
    bass = [Note(pitch=p, start=i * 1920, duration=1920) for i, p in enumerate([36, 43, 41, 43])]
    return Score(tempo=92, bars=4, sections=[Section(name="Verse", start_bar=1, bars=4)],
                 tracks=[Track(id="lead", name="Whistle", role=Role.MELODY, program=78,
                               notes=melody),
                         Track(id="low", name="Upright", role=Role.BASS, program=32,
                               notes=bass)])


async def test_public_link_opens_read_only_and_revocation_closes_it(
        server: str, browser: Browser, clean: None) -> None:
    base = server
    owner_ctx = await browser.new_context(viewport=WIDE)
    owner = await owner_ctx.new_page()
    owner_console = Console(owner)
    await sign_up(owner, base, "sasha@example.com", "Sasha Sharer")
    await project_with(owner, base, "Harbour Lights", song())

    # The owner makes a public link with a label; its address is shown once, to copy.
    await owner.get_by_test_id("open-share").click()
    links = owner.get_by_test_id("public-links")
    await links.get_by_label("Label (who it is for)").fill("for the band")
    await links.get_by_role("button", name="Create link").click()
    address = links.get_by_test_id("public-link-url")
    await expect(address).to_have_value(re.compile(
        rf"^{re.escape(base)}/listen/#[A-Za-z0-9_-]{{43}}$"))
    url = await address.input_value()
    await expect(links.get_by_role("list", name="Public links")).to_contain_text("for the band")
    await shot(owner, "16-share-public-link")

    # Someone without an account opens it in a browser that never signed in.
    guest_ctx = await browser.new_context(viewport=WIDE)
    guest = await guest_ctx.new_page()
    guest_console = Console(guest)
    sent_credentials: list[str] = []

    def watch(request: Request) -> None:
        if "authorization" in request.headers or "/api/v1/projects" in request.url:
            sent_credentials.append(request.url)
        assert url.split("#")[1] not in request.url  # the token never travels in a URL

    guest.on("request", watch)
    fetched: list[str] = []
    guest.on("response", lambda r: fetched.append(urlsplit(r.url).path) if r.ok else None)
    await guest.goto(url)
    await expect(guest.get_by_test_id("shared-name")).to_have_text("Harbour Lights")
    image = guest.get_by_test_id("notation-image")
    await expect(image).to_have_attribute("alt", "Notation of all tracks, page 1 of 1")
    await expect(guest.get_by_role("figure", name="Arrangement overview")).to_contain_text(
        "Whistle")
    await expect(guest.get_by_role("img", name=re.compile(r"^Upright: 4 notes"))).to_be_visible()
    # Play starts the in-browser player, which loads the public SoundFont (no account).
    await guest.get_by_role("button", name="Play").click()
    await expect(guest.get_by_text("Loading the instruments…")).to_have_count(0)
    await expect(guest.get_by_role("alert").filter(has_text="play")).to_have_count(0)
    assert any(path.startswith("/api/v1/soundfont") for path in fetched), fetched
    # ...and the shared song is heard: the page's output is not silent while it plays.
    await guest.wait_for_function(HEARD_NOW, timeout=30_000)
    await guest.get_by_role("button", name="Stop").click()
    await guest.get_by_label("Part").select_option(label="Upright")
    await expect(image).to_have_attribute("alt", re.compile(r"^Notation of Upright, page 1"))
    await shot(guest, "16-listen-page")

    # Read only: none of the workspace's controls, nothing editable, no link into it.
    for name in EDIT_CONTROLS:
        await expect(guest.get_by_role("button", name=name, exact=True)).to_have_count(0)
    await expect(guest.locator("[contenteditable='true'], textarea")).to_have_count(0)
    await expect(guest.locator("input:not([type=hidden])")).to_have_count(0)
    await expect(guest.get_by_test_id("piano-roll-grid")).to_have_count(0)
    await expect(guest.locator("a[href*='workspace'], a[href*='projects']")).to_have_count(0)
    assert await accessibility_problems(guest) == []
    assert sent_credentials == []
    assert guest_console.errors == []

    # The owner revokes it; the page (reloaded: a client route of the static export)
    # now says the link is no longer valid.
    await links.get_by_role("button", name="Revoke for the band").click()
    await expect(links).to_contain_text("No public links.")
    await guest.reload()
    gone = guest.get_by_test_id("share-gone")
    await expect(gone).to_contain_text("This link is no longer valid")
    await expect(guest.get_by_test_id("shared-name")).to_have_count(0)
    await expect(guest.get_by_test_id("notation-image")).to_have_count(0)
    await shot(guest, "16-listen-revoked")

    assert owner_console.errors == []
    await guest_ctx.close()
    await owner_ctx.close()
