"""The note editor's basics in real Chromium against a real API process and worker: box
selection, copy and paste at another bar, quantize, the velocity lane, a drum row added from
the GM kit, recording from a MIDI keyboard, and the first drag after a load landing on the
pitch under the pointer. Every result is checked in the score the REST API returns.

Chromium here has no virtual MIDI port (no ALSA sequencer, and `--use-fake-midi-manager`
is gone from current builds), so the MIDI test gives the page, before any of its scripts
run, a `navigator.requestMIDIAccess` that resolves to a MIDIAccess-like object with one
input port, and plays that port from the test by calling its `onmidimessage` with raw MIDI
bytes (running status and a velocity-0 note-off included). Everything after the port (the
app's parser, the recorder, the save) is the real code."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, FloatRect, Page, expect

from tests.e2e.support import WIDE, Console, shot, sign_up

LOAD_LIMIT_MS = 30_000
# Live edits reach the score row after a pause in editing; REST edits at once.
API_POLLS = 60
FIRST_DRAG_RUNS = 3

FAKE_MIDI = """(() => {
  const port = { id: "virtual-keys", name: "Virtual Keys", manufacturer: "AriaForge tests",
                 type: "input", state: "connected", connection: "open",
                 onmidimessage: null, addEventListener() {}, removeEventListener() {} };
  const access = { inputs: new Map([[port.id, port]]), outputs: new Map(),
                   sysexEnabled: false, onstatechange: null };
  Object.defineProperty(Navigator.prototype, "requestMIDIAccess", {
    configurable: true, value: () => Promise.resolve(access) });
  window.__playMidi = (bytes) => {
    if (!port.onmidimessage) return false;
    port.onmidimessage({ data: new Uint8Array(bytes), timeStamp: performance.now() });
    return true;
  };
})();"""


def _song() -> bytes:
    """Eight bars of 4/4 at 120 bpm: three notes in bar 1 (leaving its first beat free),
    an off-grid note in bar 2, a long note to drag, and a drum kit playing every bar."""
    from ariaforge.music.interchange import write_midi
    from ariaforge.music.score import Key, Note, Role, Score, Track

    melody = [Note(pitch=64, start=480, duration=240, velocity=80),
              Note(pitch=67, start=960, duration=240, velocity=80),
              Note(pitch=71, start=1440, duration=240, velocity=80),
              Note(pitch=72, start=1920 + 70, duration=240, velocity=80),
              Note(pitch=60, start=2880, duration=480, velocity=80)]
    kit = [Note(pitch=36, start=bar * 1920, duration=120) for bar in range(8)]
    return write_midi(Score(tempo=120, key=Key(tonic="C"), bars=8, tracks=[
        Track(id="lead", name="Lead", role=Role.MELODY, program=0, notes=melody),
        Track(id="kit", name="Kit", role=Role.DRUMS, is_drum=True, notes=kit)]))


async def _open_song(browser: Browser, base: str, email: str,
                     midi: bool = False) -> tuple[Page, Console, str]:
    context = await browser.new_context(viewport=WIDE)
    if midi:
        await context.add_init_script(FAKE_MIDI)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, email, "Ed")
    await page.get_by_label("New project name").fill("Editor basics")
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    project_id = page.url.split("=")[-1]
    await page.get_by_test_id("open-import").click()
    await page.get_by_label("Choose a file to import").set_input_files(
        {"name": "song.mid", "mimeType": "audio/midi", "buffer": _song()})
    await page.get_by_test_id("import-start").click()
    await expect(_note(page, 64, 480)).to_be_attached(timeout=LOAD_LIMIT_MS)
    await page.keyboard.press("Escape")
    return page, console, project_id


def _note(page: Page, pitch: int, start: int) -> Any:
    return page.get_by_test_id("piano-roll-grid").locator(
        f'[data-note-id][data-pitch="{pitch}"][data-start="{start}"]')


async def _api_notes(page: Page, base: str, project_id: str,
                     track: str) -> list[dict[str, Any]]:
    tokens: dict[str, Any] = await page.evaluate(
        "() => JSON.parse(localStorage.getItem('ariaforge.tokens'))")
    answer = await page.request.get(
        f"{base}/api/v1/projects/{project_id}/score",
        headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert answer.status == 200, await answer.text()
    tracks = (await answer.json())["score"]["tracks"]
    return [n for t in tracks if t["name"] == track for n in t["notes"]]


async def _wait_for_api(page: Page, base: str, project_id: str, track: str,
                        done: Any) -> list[dict[str, Any]]:
    """The track's notes once `done(notes)` holds (edits may reach the row after a pause)."""
    notes: list[dict[str, Any]] = []
    for _ in range(API_POLLS):
        notes = await _api_notes(page, base, project_id, track)
        if done(notes):
            return notes
        await page.wait_for_timeout(500)
    raise AssertionError(f"the API's {track} notes never got there: {notes}")


async def _into_view(locator: Any) -> None:
    """Scrolls the roll (and the page) so the element is in the middle of the view, clear of
    the sticky ruler, keys and velocity lane."""
    await locator.evaluate("(el) => el.scrollIntoView({block: 'center', inline: 'nearest'})")


async def _box(page: Page) -> FloatRect:
    box = await page.get_by_test_id("piano-roll-grid").bounding_box()
    assert box is not None
    return box


async def _centre(locator: Any) -> tuple[float, float]:
    box = await locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def test_box_select_copy_paste_quantize_and_velocity(server: str, browser: Browser,
                                                          clean: None) -> None:
    base = server
    page, console, project_id = await _open_song(browser, base, "boxes@example.com")

    # A box drawn from the free first beat of bar 1 over its three notes selects them.
    await _into_view(_note(page, 67, 960))
    first = await (_note(page, 71, 1440)).bounding_box()
    low = await (_note(page, 64, 480)).bounding_box()
    assert first and low
    start_x, start_y = low["x"] - 12, first["y"] - 10
    end_x, end_y = first["x"] + first["width"] + 4, low["y"] + low["height"] + 6
    await page.mouse.move(start_x, start_y)
    await page.mouse.down()
    await page.mouse.move((start_x + end_x) / 2, (start_y + end_y) / 2, steps=5)
    await page.mouse.move(end_x, end_y, steps=5)
    await expect(page.get_by_test_id("selection-box")).to_be_attached()
    await page.mouse.up()
    grid = page.get_by_test_id("piano-roll-grid")
    await expect(grid.locator("[data-selected]")).to_have_count(3)
    await shot(page, "16-editor-box-selection")

    # Copy, seek to bar 3 on the ruler, paste: the copies land there, in the API's score.
    await page.keyboard.press("Control+c")
    ruler = page.get_by_test_id("roll-ruler")
    ruler_box = await ruler.bounding_box()
    assert ruler_box is not None
    bar3_x = (await _box(page))["x"] + 3840 * (36 / 480)   # default zoom: 36 px a beat
    await page.mouse.click(bar3_x + 1, ruler_box["y"] + ruler_box["height"] / 2)
    await expect(page.get_by_test_id("playhead")).to_be_attached()
    await page.keyboard.press("Control+v")
    await expect(_note(page, 64, 3840)).to_have_count(1)
    pasted = {(64, 3840 + 0), (67, 3840 + 480), (71, 3840 + 960)}
    notes = await _wait_for_api(page, base, project_id, "Lead", lambda ns: pasted <= {
        (n["pitch"], n["start"]) for n in ns})
    assert {(n["pitch"], n["start"]) for n in notes} >= pasted | {(64, 480), (67, 960)}
    assert len(notes) == 8, notes

    # Quantize the off-grid note (start 1990) to 1/8: its start becomes 1920 in the API.
    await _note(page, 72, 1990).click()
    await page.get_by_role("button", name="Quantize…").click()
    panel = page.get_by_role("dialog", name="Quantize")
    await panel.get_by_test_id("quantize-grid").select_option("1/8")
    await shot(page, "16-editor-quantize")
    await panel.get_by_role("button", name=re.compile(r"^Quantize 1 selected")).click()
    await expect(_note(page, 72, 1920)).to_have_count(1)
    await _wait_for_api(page, base, project_id, "Lead", lambda ns: any(
        n["pitch"] == 72 and n["start"] == 1920 for n in ns))

    # The velocity lane: drag the long note's bar to the top of the lane → 127.
    await _note(page, 60, 2880).click()
    await page.get_by_test_id("velocity-lane").scroll_into_view_if_needed()
    bar = page.locator('[data-velocity-bar] line').nth(0)   # ensure the lane is drawn
    await expect(bar).to_be_attached()
    lane = page.get_by_test_id("velocity-lane")
    lane_box = await lane.bounding_box()
    assert lane_box is not None
    bar_x = (await _box(page))["x"] + 2880 * (36 / 480) + 1
    await page.mouse.move(bar_x, lane_box["y"] + lane_box["height"] - 6)
    await page.mouse.down()
    await page.mouse.move(bar_x, lane_box["y"] + 20, steps=4)
    await page.mouse.move(bar_x, lane_box["y"] - 30, steps=4)
    await page.mouse.up()
    await expect(page.locator('[data-velocity-bar][data-velocity="127"]')).to_have_count(1)
    await shot(page, "16-editor-velocity-lane")
    notes = await _wait_for_api(page, base, project_id, "Lead", lambda ns: any(
        n["pitch"] == 60 and n["start"] == 2880 and n["velocity"] == 127 for n in ns))
    assert all(n["velocity"] == 80 for n in notes if n["pitch"] != 60), notes
    assert console.errors == []


async def test_drum_row_from_the_gm_kit_and_midi_recording(server: str, browser: Browser,
                                                           clean: None) -> None:
    base = server
    page, console, project_id = await _open_song(browser, base, "keys@example.com",
                                                 midi=True)

    before = {n["id"] for n in await _api_notes(page, base, project_id, "Lead")}
    # The virtual port is listed once MIDI is connected.
    await page.get_by_test_id("midi-menu").click()
    await expect(page.get_by_test_id("midi-input")).to_contain_text("Virtual Keys")
    await page.keyboard.press("Escape")

    # Record from the (virtual) MIDI keyboard into the lead, from bar 3.
    ruler = page.get_by_test_id("roll-ruler")
    ruler_box = await ruler.bounding_box()
    assert ruler_box is not None
    bar3_x = (await _box(page))["x"] + 3840 * (36 / 480)
    await page.mouse.click(bar3_x + 1, ruler_box["y"] + ruler_box["height"] / 2)
    record = page.get_by_test_id("midi-record")
    await record.click()
    await expect(record).to_have_attribute("aria-pressed", "true")
    # A phrase: E5, G5 (running status), C6 ended by a velocity-0 note-on, then a chord.
    phrase = [[0x90, 76, 100], [0x80, 76, 0], [0x90, 79, 90], [79, 0], [0x90, 84, 110],
              [0x90, 84, 0], [0x90, 72, 80, 76, 80], [0x80, 72, 0, 0x80, 76, 0]]
    for message in phrase:
        assert await page.evaluate("(bytes) => window.__playMidi(bytes)", message)
        await page.wait_for_timeout(120)
    await expect(record).to_contain_text("Stop (5)")
    await shot(page, "16-editor-midi-recording")
    await record.click()
    await expect(record).to_have_attribute("aria-pressed", "false")
    notes = await _wait_for_api(page, base, project_id, "Lead", lambda ns: len(ns) >= 10)
    taken = sorted((n for n in notes if n["id"] not in before), key=lambda n: n["start"])
    assert all(n["start"] >= 3840 for n in taken), taken
    assert [n["pitch"] for n in taken][:3] == [76, 79, 84], taken
    assert sorted(n["pitch"] for n in taken) == [72, 76, 76, 79, 84]
    assert {n["velocity"] for n in taken if n["pitch"] in (79, 84)} == {90, 110}
    assert all(n["duration"] >= 1 for n in taken)
    # One take is one undo step: Ctrl+Z removes all five.
    await page.get_by_test_id("piano-roll-grid").focus()
    await page.keyboard.press("Control+z")
    await _wait_for_api(page, base, project_id, "Lead", lambda ns: len(ns) == 5)

    # The drum kit: add a Cowbell row from the GM kit and place a hit on it.
    await page.get_by_role("group", name=re.compile("^Kit")).or_(
        page.get_by_label(re.compile(r"^Kit: "))).first.click()
    grid = page.get_by_test_id("drum-grid")
    await expect(grid).to_be_visible()
    assert await grid.locator('[data-pitch-row="56"]').count() == 0
    await page.get_by_test_id("add-drum-row").select_option("56")
    await expect(grid.get_by_role("button", name=re.compile(r"^Cowbell, bar 2 step 5$"))
                 ).to_have_attribute("aria-pressed", "false")
    cell = grid.locator('[data-pitch-row="56"] [data-start="2400"]')
    await cell.click()
    await expect(cell).to_have_attribute("aria-pressed", "true")
    await shot(page, "16-editor-drum-row")
    await _wait_for_api(page, base, project_id, "Kit", lambda ns: any(
        n["pitch"] == 56 and n["start"] == 1920 + 480 for n in ns))
    assert console.errors == []


async def test_first_drag_after_a_load_lands_two_rows_up(server: str, browser: Browser,
                                                         clean: None) -> None:
    base = server
    page, console, project_id = await _open_song(browser, base, "drag@example.com")
    pitch = 60
    for run in range(FIRST_DRAG_RUNS):
        await page.reload()
        note = _note(page, pitch, 2880)
        await expect(note).to_be_attached(timeout=LOAD_LIMIT_MS)
        await _into_view(note)
        grid_before = await _box(page)
        x, y = await _centre(note)
        row = 14
        await page.mouse.move(x, y)
        await page.mouse.down()
        # The first selection after the load must not move the grid under the pointer.
        await expect(note).to_have_attribute("data-selected", "true")
        grid_pressed = await _box(page)
        assert grid_pressed["y"] == grid_before["y"], (run, grid_before, grid_pressed)
        await page.mouse.move(x, y - row, steps=3)
        await page.mouse.move(x, y - 2 * row, steps=3)
        await page.mouse.up()
        await expect(_note(page, pitch + 2, 2880)).to_have_count(1)
        await _wait_for_api(page, base, project_id, "Lead", lambda ns, p=pitch + 2: any(
            n["start"] == 2880 and n["pitch"] == p for n in ns))
        notes = await _api_notes(page, base, project_id, "Lead")
        assert [n["pitch"] for n in notes if n["start"] == 2880] == [pitch + 2], (run, notes)
        pitch += 2
    assert console.errors == []
