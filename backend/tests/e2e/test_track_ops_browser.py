"""Track operations and takes in real Chromium, against a real API process and worker: "+
Track" with "Write a part for it" fills the new track; regenerating one track in one section
changes only that section of that track; a chord edited in the chord lane changes what the
composer writes (the bass follows it); the take bar's Discard restores the score
from before the operation and Keep keeps the take."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, Page, expect

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose_async
from ariaforge.music.score import ChordSymbol, Role, Score
from ariaforge.music.theory.chords import parse_chord_symbol
from tests.e2e.support import WIDE, Console, shot, sign_up

API = "/api/v1"
SESSION_LIMIT_MS = 90_000
SAVE_POLLS = 60
# Far from the song's own C major: a bass that ignored the chord track would miss them.
EDITED = ("Ab", "Db", "C/E", "F#m")


async def _song(chords: tuple[str, ...]) -> Score:
    score = (await compose_async(ComposeRequest(
        prompt="a pop song in C major for piano, bass and drums", bars=12, seed=11))).score
    return _with_chords(score, chords)


def _with_chords(score: Score, chords: tuple[str, ...]) -> Score:
    symbols = [ChordSymbol(tick=score.bar_start(bar), symbol=chords[(bar - 1) % len(chords)])
               for bar in range(1, score.bars + 1)]
    return score.model_copy(update={"chord_symbols": symbols})


class Api:
    """The signed-in page's own API calls (its token), to set up and check the score."""

    def __init__(self, page: Page, base: str, project: str) -> None:
        self.page, self.base, self.project = page, base, project

    async def _headers(self) -> dict[str, str]:
        tokens: dict[str, Any] = await self.page.evaluate(
            "() => JSON.parse(localStorage.getItem('ariaforge.tokens'))")
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    async def get(self, path: str) -> Any:
        answer = await self.page.request.get(f"{self.base}{API}/projects/{self.project}{path}",
                                             headers=await self._headers())
        assert answer.ok, await answer.text()
        return await answer.json()

    async def score(self) -> tuple[int, Score]:
        body = await self.get("/score")
        return int(body["revision"]), Score.model_validate(body["score"])

    async def until(self, check: Any) -> Score:
        """The stored score once `check(score)` holds (a live edit is saved a moment later)."""
        score = (await self.score())[1]
        for _ in range(SAVE_POLLS):
            if check(score):
                return score
            await self.page.wait_for_timeout(500)
            score = (await self.score())[1]
        raise AssertionError(f"the saved score never matched: {score.chord_symbols}")

    async def put(self, score: Score) -> None:
        revision, _ = await self.score()
        answer = await self.page.request.put(
            f"{self.base}{API}/projects/{self.project}/score", headers=await self._headers(),
            data={"score": score.model_dump(mode="json"), "revision": revision})
        assert answer.ok, await answer.text()


async def _workspace_with_song(browser: Browser, base: str, email: str,
                               chords: tuple[str, ...]) -> tuple[Page, Console, Api, Score]:
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, email, "Tess Takes")
    await page.get_by_label("New project name").fill("Takes")
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    api = Api(page, base, page.url.split("=")[-1])
    song = await _song(chords)
    await api.put(song)
    await page.reload()
    for track in song.tracks:
        await expect(_lane(page, track.id)).to_be_visible()
    _, stored = await api.score()
    return page, console, api, stored


def _lane(page: Page, track_id: str) -> Any:
    return page.locator(f'[data-testid="arrangement-lane"][data-track-id="{track_id}"]')


def _track(score: Score, role: Role) -> str:
    return next(t.id for t in score.tracks if t.role is role)


def _follows_chords(score: Score, track_id: str) -> bool:
    notes = sorted(score.track(track_id).notes, key=lambda n: (n.start, n.pitch))
    for symbol in score.chord_symbols:
        heard = [n for n in notes if n.start <= symbol.tick]
        if not heard or heard[-1].pitch % 12 != parse_chord_symbol(symbol.symbol).bass_pc:
            return False
    return True


async def _part(page: Page, track_id: str, *, section: str | None = None,
                hint: str = "", screenshot: str | None = None) -> None:
    """The track header's ✦: where, a hint, go; then wait for the take it makes."""
    await _lane(page, track_id).get_by_test_id("track-part").click()
    dialog = page.get_by_role("dialog")
    if section is not None:
        await dialog.get_by_test_id("part-where").select_option(label=f"…in section {section}")
    if hint:
        await dialog.get_by_test_id("part-hint").fill(hint)
    if screenshot:
        await shot(page, screenshot)
    await dialog.get_by_test_id("part-submit").click()
    await expect(page.get_by_test_id("take-bar")).to_be_visible(timeout=SESSION_LIMIT_MS)


async def test_parts_are_written_over_the_chord_track(server: str, browser: Browser,
                                                     clean: None) -> None:
    page, console, api, song = await _workspace_with_song(browser, server, "tess@example.com",
                                                          EDITED)
    # "+ Track" with "Write a part for it" (on by default): the new pad gets notes.
    await page.get_by_test_id("add-track").click()
    dialog = page.get_by_role("dialog", name="Add a track")
    await dialog.get_by_label("Role").select_option("pad")
    await dialog.get_by_label("Name").fill("Strings")
    await expect(dialog.get_by_test_id("add-track-write-part")).to_be_checked()
    await shot(page, "16-add-track-part")
    await dialog.get_by_role("button", name="Add track").click()
    await expect(page.get_by_test_id("take-bar")).to_be_visible(timeout=SESSION_LIMIT_MS)
    await expect(page.get_by_test_id("take-bar")).to_contain_text("New part for Strings")
    _, with_pad = await api.score()
    strings = next(t for t in with_pad.tracks if t.name == "Strings")
    assert strings.role is Role.PAD and len(strings.notes) > 0
    assert all(with_pad.track(t.id) == t for t in song.tracks)  # nothing else moved
    lane_name = re.compile(rf"^Strings: Pad, .*, {len(strings.notes)} notes")
    await expect(_lane(page, strings.id).get_by_role("button", name=lane_name)).to_be_visible()
    await shot(page, "16-take-bar")
    await page.get_by_test_id("take-keep").click()
    await expect(page.get_by_test_id("take-bar")).to_be_hidden()

    # Regenerate the bass in one section only: that section's bass notes change, nothing else.
    bass = _track(song, Role.BASS)
    section = with_pad.sections[1]
    start, end = with_pad.bar_start(section.start_bar), with_pad.bar_start(section.end_bar)
    await _part(page, bass, section=section.name, hint="busier",
                screenshot="16-regenerate-track")
    _, regenerated = await api.score()

    def inside(score: Score, track_id: str) -> list[tuple[int, int, int]]:
        return sorted((n.pitch, n.start, n.duration) for n in score.track(track_id).notes
                      if start <= n.start < end)

    def outside(score: Score, track_id: str) -> list[tuple[str, int, int]]:
        return [(n.id, n.pitch, n.start) for n in score.track(track_id).notes
                if not start <= n.start < end]

    assert outside(regenerated, bass) == outside(with_pad, bass)
    assert inside(regenerated, bass) and inside(regenerated, bass) != inside(with_pad, bass)
    assert all(regenerated.track(t.id) == t for t in with_pad.tracks if t.id != bass)
    await page.get_by_test_id("take-keep").click()

    # Edit a chord in the chord lane (bar 1: Ab becomes E) and regenerate the bass: it
    # follows the edited chord track, which the bass before did not.
    chord_lane = page.get_by_role("group", name="Chord track")
    await chord_lane.get_by_role("button", name="Chord Ab at bar 1 beat 1").click()
    editor = page.get_by_role("dialog", name="Chord at bar 1 beat 1")
    await editor.get_by_test_id("chord-input").fill("E")
    await editor.get_by_test_id("chord-input").press("Enter")
    changed = await api.until(lambda s: s.chord_symbols[0].symbol == "E")
    assert not _follows_chords(changed, bass)
    await _part(page, bass)
    _, followed = await api.score()
    assert [c.symbol for c in followed.chord_symbols] == [c.symbol for c in changed.chord_symbols]
    assert _follows_chords(followed, bass)
    assert sorted(followed.track(bass).notes, key=lambda n: n.start)[0].pitch % 12 == 4  # E
    assert console.errors == []


async def test_the_take_bar_discards_or_keeps_a_take(server: str, browser: Browser,
                                                     clean: None) -> None:
    page, console, api, song = await _workspace_with_song(browser, server, "kim@example.com",
                                                          EDITED)
    drums = _track(song, Role.DRUMS)
    before_revision, before = await api.score()
    await _part(page, drums, hint="simpler")
    bar = page.get_by_test_id("take-bar")
    await expect(bar).to_contain_text("A: before")
    await expect(bar).to_contain_text("B: new take")
    after_revision, after = await api.score()
    assert after.track(drums) != before.track(drums)

    # B plays the take's own version (loaded for the in-browser player).
    async with page.expect_response(re.compile(rf"/versions/{after_revision}$")) as loaded:
        await page.get_by_test_id("take-play-b").click()
    assert (await loaded.value).ok
    await page.get_by_test_id("take-discard").click()
    await expect(bar).to_be_hidden()
    restored_revision, restored = await api.score()
    assert restored_revision > after_revision
    assert restored.tracks == before.tracks
    versions = (await api.get("/versions"))["items"]
    assert versions[0]["reason"] == "restored"
    assert before_revision < after_revision

    await _part(page, drums, hint="busier")
    _, kept = await api.score()
    await page.get_by_test_id("take-keep").click()
    await expect(bar).to_be_hidden()
    _, still = await api.score()
    assert still.tracks == kept.tracks and kept.track(drums) != before.track(drums)
    assert (await api.get("/versions"))["items"][0]["reason"] == "generated"
    assert console.errors == []
