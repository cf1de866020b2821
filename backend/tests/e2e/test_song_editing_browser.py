"""Song editing in real Chromium, against a real API process and worker: the chord track is
edited in place (a typed symbol, a picked suggestion, a dragged edge), the tempo and key in
the arrangement's header, and a section is added, renamed, resized and given its own key and
tempo. Each change reaches the score the REST API serves, and a reload shows it all."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from playwright.async_api import Browser, Locator, Page, expect

from tests.e2e.support import WIDE, Console, accessibility_problems, shot, sign_up

API = "/api/v1"
# Live edits reach the score row after a pause in editing (about 2 s); poll up to 30 s.
SAVE_POLLS = 60
# The arrangement's default zoom: a quarter note is 12 px, a 4/4 bar 48 px.
PX_PER_QUARTER = 12
BAR_PX = 4 * PX_PER_QUARTER


# A chord on every beat of the last two bars, with long symbols: at the default zoom each
# has 12 px, where the old ruler drew the symbols over each other.
DENSE = [(7 * 1920 - 1920 + beat * 480, symbol) for beat, symbol in enumerate(
    ["Bbmaj7/D", "F#m7b5", "C#dim7", "Ebmaj9", "Abmaj7/C", "G7sus4", "Dbadd9", "Bm7b5"])]
EARLY = 6 * 1920


def _song() -> dict[str, Any]:
    """Eight bars of C major in 4/4 with a chords track, chords on bars 1 and 3, and dense
    ones in bars 7 and 8."""
    chords = [{"id": f"c{bar}-{i}", "pitch": pitch, "start": bar * 1920, "duration": 1920,
               "velocity": 80} for bar in range(8) for i, pitch in enumerate((48, 52, 55))]
    return {
        "bars": 8, "tempo": 100, "key": {"tonic": "C", "mode": "major"},
        "meter": {"numerator": 4, "denominator": 4},
        "chord_symbols": [{"tick": 0, "symbol": "C"}, {"tick": 3840, "symbol": "F"}]
        + [{"tick": tick, "symbol": symbol} for tick, symbol in DENSE],
        "tracks": [{"id": "keys", "name": "Keys", "role": "chords", "program": 0,
                    "notes": chords}],
    }


class Api:
    """The signed-in page's own API calls (its token)."""

    def __init__(self, page: Page, base: str, project: str) -> None:
        self.page, self.base, self.project = page, base, project

    async def _headers(self) -> dict[str, str]:
        tokens: dict[str, Any] = await self.page.evaluate(
            "() => JSON.parse(localStorage.getItem('ariaforge.tokens'))")
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    async def score(self) -> dict[str, Any]:
        answer = await self.page.request.get(
            f"{self.base}{API}/projects/{self.project}/score", headers=await self._headers())
        assert answer.status == 200, await answer.text()
        body: dict[str, Any] = await answer.json()
        return body

    async def put_score(self, score: dict[str, Any]) -> None:
        revision = (await self.score())["revision"]
        answer = await self.page.request.put(
            f"{self.base}{API}/projects/{self.project}/score", headers=await self._headers(),
            data={"score": score, "revision": revision, "message": "A song to edit"})
        assert answer.status == 200, await answer.text()

    async def until(self, check: Any) -> dict[str, Any]:
        """The score once `check(score)` holds (edits are saved a moment after them)."""
        score: dict[str, Any] = {}
        for _ in range(SAVE_POLLS):
            score = (await self.score())["score"]
            if check(score):
                return score
            await self.page.wait_for_timeout(500)
        raise AssertionError(f"the saved score never matched: {score}")


def _chords(score: dict[str, Any]) -> list[tuple[int, str]]:
    """The chords of the first six bars (the dense ones after them stay as they were)."""
    chords = [(c["tick"], c["symbol"]) for c in score.get("chord_symbols", [])]
    assert [c for c in chords if c[0] >= EARLY] == DENSE, chords
    return [c for c in chords if c[0] < EARLY]


# The drawn chord labels (those with any text), left to right, as [left, right] pixels.
LABEL_BOXES = """() => [...document.querySelectorAll('[data-testid=chord] > span')]
    .filter((span) => span.textContent)
    .map((span) => { const r = span.getBoundingClientRect(); return [r.left, r.right]; })
    .sort((a, b) => a[0] - b[0])"""


async def _drag(page: Page, handle: Locator, dx: float) -> None:
    """Drags an edge by `dx` pixels, in steps, as a hand would."""
    box = await handle.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + dx / 2, y, steps=4)
    await page.mouse.move(x + dx, y, steps=4)
    await page.mouse.up()


async def test_chords_tempo_key_and_sections_edited_in_place(server: str, browser: Browser,
                                                             clean: None) -> None:
    base = server
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, "songwriter@example.com", "Sam Songwriter")
    await page.get_by_label("New project name").fill("Chord sketch")
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    api = Api(page, base, page.url.split("=")[-1])
    await api.put_score(_song())
    await page.reload()
    chord_lane = page.get_by_role("group", name="Chord track")
    await expect(chord_lane.get_by_role("button", name="Chord F at bar 3 beat 1")).to_be_visible()

    # Labels never collide: each is fitted (compact, cut or hidden) inside its own chord,
    # whose full name stays in the tooltip and the accessible name.
    boxes = await page.evaluate(LABEL_BOXES)
    assert len(boxes) >= 2
    assert all(left[1] <= right[0] for left, right in pairwise(boxes)), boxes
    await expect(chord_lane.get_by_role("button", name="Chord Bbmaj7/D at bar 7 beat 1")
                 ).to_have_attribute("title", re.compile(r"^Bbmaj7/D"))

    # A typed chord at bar 2 (double-click inside C's span, on bar 2's first beat): an
    # unknown symbol is refused on the spot, a valid one is saved.
    first = chord_lane.get_by_role("button", name="Chord C at bar 1 beat 1")
    await first.dblclick(position={"x": BAR_PX + 4, "y": 8})
    editor = page.get_by_role("dialog", name="Chord at bar 2 beat 1")
    await editor.get_by_test_id("chord-input").fill("Dzz7")
    await editor.get_by_test_id("chord-input").press("Enter")
    await expect(editor.get_by_role("alert")).to_contain_text("Unknown chord quality")
    await editor.get_by_test_id("chord-input").fill("Dm7")
    await editor.get_by_test_id("chord-input").press("Enter")
    await expect(chord_lane.get_by_role("button", name="Chord Dm7 at bar 2 beat 1")).to_be_visible()
    await api.until(lambda s: (1920, "Dm7") in _chords(s))

    # A suggestion picked for bar 3: the borrowed bVI of C major, auditioned on hover.
    await chord_lane.get_by_role("button", name="Chord F at bar 3 beat 1").click()
    editor = page.get_by_role("dialog", name="Chord at bar 3 beat 1")
    await expect(editor.get_by_role("button", name="G7 (V7)")).to_be_visible()
    await expect(editor.get_by_role("button", name="E7 (V7/vi)")).to_be_visible()
    borrowed = editor.get_by_role("button", name="Ab (bVI)")
    await borrowed.hover()
    await shot(page, "16-song-editing")
    await borrowed.click()
    await api.until(lambda s: _chords(s) == [(0, "C"), (1920, "Dm7"), (3840, "Ab")])

    # Dragging Dm7's right edge one beat later moves the next chord's start to bar 3 beat 2.
    dm7 = chord_lane.get_by_role("button", name="Chord Dm7 at bar 2 beat 1")
    await _drag(page, dm7.get_by_test_id("chord-resize"), PX_PER_QUARTER)
    await expect(chord_lane.get_by_role("button", name="Chord Ab at bar 3 beat 2")).to_be_visible()
    await api.until(lambda s: _chords(s) == [(0, "C"), (1920, "Dm7"), (4320, "Ab")])

    # Tempo and key in the header.
    tempo = page.get_by_label("Song tempo (bpm)")
    await tempo.fill("132")
    await tempo.press("Enter")
    await page.get_by_label("Song key").select_option("G")
    await api.until(lambda s: s["tempo"] == 132 and s["key"]["tonic"] == "G")

    # A section from the playhead's bar (a click on the ruler at bar 3), renamed inline,
    # resized by its edge to five bars, then given its own key and tempo.
    await page.get_by_role("img", name=re.compile(r"^Bars 1 to 8")).click(
        position={"x": 2 * BAR_PX + 6, "y": 8})
    await page.get_by_role("button", name="+ Section").click()
    rename = page.get_by_test_id("section-rename")
    await rename.fill("Chorus")
    await rename.press("Enter")
    sections = page.get_by_role("group", name="Song sections")
    chorus = sections.get_by_role("button", name="Section Chorus, bars 3 to 6")
    await expect(chorus).to_be_visible()
    await _drag(page, chorus.get_by_test_id("section-resize"), BAR_PX)
    chorus = sections.get_by_role("button", name="Section Chorus, bars 3 to 7")
    await expect(chorus).to_be_visible()
    await chorus.click(position={"x": 20, "y": 8})
    popover = page.get_by_role("dialog", name=re.compile(r"^Section Chorus"))
    await popover.get_by_test_id("section-tonic").select_option("E")
    await popover.get_by_test_id("section-mode").select_option("minor")
    await popover.get_by_test_id("section-tempo").fill("140")
    await popover.get_by_role("button", name="Save").click()
    saved = await api.until(lambda s: s.get("sections") == [
        {"name": "Chorus", "start_bar": 3, "bars": 5, "key": {"tonic": "E", "mode": "minor"}}]
        and s.get("tempo_changes") == [{"tick": 3840, "bpm": 140}])
    assert saved["tempo"] == 132 and saved["key"] == {"tonic": "G", "mode": "major"}
    assert _chords(saved) == [(0, "C"), (1920, "Dm7"), (4320, "Ab")]

    # A reload shows it all.
    await page.reload()
    await expect(sections.get_by_role(
        "button", name="Section Chorus, bars 3 to 7, in E minor")).to_be_visible()
    for name in ("Chord C at bar 1 beat 1", "Chord Dm7 at bar 2 beat 1",
                 "Chord Ab at bar 3 beat 2"):
        await expect(chord_lane.get_by_role("button", name=name)).to_be_visible()
    await expect(page.get_by_label("Song tempo (bpm)")).to_have_value("132")
    await expect(page.get_by_label("Song key")).to_have_value("G")
    # Keyboard: arrows walk the chords, Enter opens the editor of the one focused.
    await chord_lane.get_by_role("button", name="Chord C at bar 1 beat 1").focus()
    await page.keyboard.press("ArrowRight")
    await expect(chord_lane.get_by_role("button", name="Chord Dm7 at bar 2 beat 1")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("dialog", name="Chord at bar 2 beat 1")).to_be_visible()
    assert await accessibility_problems(page) == []
    await page.keyboard.press("Escape")

    assert console.errors == [], console.errors
    await context.close()
