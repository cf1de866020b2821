"""In-browser playback in real Chromium against a real API process: Play starts an
AudioContext that runs spessasynth's AudioWorklet synthesizer on the server's SoundFont
(fetched from /api/v1/soundfont) and the score is heard; a note placed in the piano roll
sounds at once; the metronome and the count-in click (or stay silent when off); the
playhead advances with the audio clock; the loop toggle sets a region.

Chromium runs with --mute-audio: the graph still renders, and the page's output is read
through the AnalyserNode the player exposes (`window.__ariaforgeAudioLevel()`, RMS 0…1)."""

from __future__ import annotations

import re

from playwright.async_api import Browser, Page, expect

from tests.e2e.support import WIDE, Console, shot, sign_up

LIMIT_MS = 30_000
# RMS of the page's output: a lone auditioned flute note peaks near 6e-4 (-64 dBFS), the
# band near 0.05; after a stop it falls below 1e-5.
HEARD = 0.0002

# The loudest output level seen over `ms` milliseconds, sampled every few milliseconds in
# the page (a click lasts ~45 ms).
LOUDEST_OVER = """async (ms) => {
  let loudest = 0;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    loudest = Math.max(loudest, window.__ariaforgeAudioLevel ? window.__ariaforgeAudioLevel() : 0);
    await new Promise((resolve) => setTimeout(resolve, 4));
  }
  return loudest;
}"""
HEARD_NOW = f"() => (window.__ariaforgeAudioLevel ? window.__ariaforgeAudioLevel() : 0) > {HEARD}"
SILENT_NOW = "() => window.__ariaforgeAudioLevel && window.__ariaforgeAudioLevel() < 1e-5"


def _song() -> bytes:
    """Two bars at 100 bpm: a flute melody and a drum kit."""
    from ariaforge.music.interchange import write_midi
    from ariaforge.music.score import Key, Note, Role, Score, Track

    melody = [Note(pitch=p, start=480 * i, duration=480, velocity=100)
              for i, p in enumerate([72, 74, 76, 77, 79, 77, 76, 74])]
    kit = [Note(pitch=36 if beat % 2 == 0 else 38, start=beat * 480, duration=120)
           for beat in range(8)]
    return write_midi(Score(tempo=100, key=Key(tonic="C"), bars=2, tracks=[
        Track(id="lead", name="Lead", role=Role.MELODY, program=73, notes=melody),
        Track(id="kit", name="Kit", role=Role.DRUMS, is_drum=True, notes=kit)]))


async def _loudest(page: Page, ms: int) -> float:
    return float(await page.evaluate(LOUDEST_OVER, ms))


async def _stop_and_wait_for_silence(page: Page) -> None:
    if await page.get_by_test_id("play").get_attribute("data-playing") == "true":
        await page.get_by_test_id("play").click()
    await expect(page.get_by_test_id("play")).to_have_attribute("data-playing", "false")
    await page.wait_for_function(SILENT_NOW, timeout=LIMIT_MS)


async def _playhead_x(page: Page) -> float:
    return float(await page.get_by_test_id("playhead").first.get_attribute("x1") or 0)


async def test_play_audition_metronome_count_in_and_the_playhead(
        server: str, browser: Browser, clean: None) -> None:
    base = server
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, "player@example.com", "Paula")
    await page.get_by_label("New project name").fill("Flute and drums")
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    await page.get_by_test_id("open-import").click()
    await page.get_by_label("Choose a file to import").set_input_files(
        {"name": "duet.mid", "mimeType": "audio/midi", "buffer": _song()})
    await page.get_by_test_id("import-start").click()
    roll = page.get_by_test_id("piano-roll-grid")
    await expect(roll.locator("[data-note-id]").first).to_be_attached(timeout=LIMIT_MS)
    await page.keyboard.press("Escape")
    assert await _loudest(page, 200) == 0  # nothing sounds before Play

    # Play: an AudioContext runs the synthesizer and the score is heard, with no server
    # render asked for; the playhead follows the audio clock.
    previews: list[str] = []
    page.on("request", lambda r: previews.append(r.url) if "/preview" in r.url else None)
    await page.get_by_test_id("play").click()
    await expect(page.get_by_test_id("play")).to_have_attribute("data-playing", "true",
                                                                timeout=LIMIT_MS)
    await page.wait_for_function("() => window.__ariaforgeAudioState?.() === 'running'",
                                 timeout=LIMIT_MS)
    await page.wait_for_function(HEARD_NOW, timeout=LIMIT_MS)
    playhead = page.get_by_test_id("playhead").first
    await expect(playhead).to_be_attached(timeout=LIMIT_MS)
    start = await _playhead_x(page)
    await page.wait_for_function(
        "start => Number(document.querySelector('[data-testid=playhead]')"
        ".getAttribute('x1')) > start + 20", arg=start, timeout=LIMIT_MS)
    await shot(page, "16-playback")
    assert previews == [], previews
    # The SoundFont came from our API, under its hash, as the server renders with it.
    fonts = await page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.includes('/api/v1/soundfont'))")
    assert any(re.search(r"/api/v1/soundfont/[0-9a-f]{64}\.sf2$", url) for url in fonts), fonts
    await _stop_and_wait_for_silence(page)

    # A note placed in the piano roll sounds at once (the player is stopped).
    # Four rows above the last note (D5 at beat 8): F#5 there is empty.
    last = await roll.locator('[data-note-id][data-start="3360"]').bounding_box()
    assert last is not None
    await page.mouse.click(last["x"] + last["width"] / 2,
                           last["y"] + last["height"] / 2 - 4 * last["height"])
    await expect(roll.locator("[data-note-id]")).to_have_count(9, timeout=LIMIT_MS)
    assert await page.get_by_test_id("play").get_attribute("data-playing") == "false"
    await page.wait_for_function(HEARD_NOW, timeout=LIMIT_MS)
    await page.wait_for_function(SILENT_NOW, timeout=LIMIT_MS)

    # With both tracks muted for this listener, only the metronome can sound.
    await page.get_by_test_id("tab-mixer").click()
    await page.get_by_role("button", name="Mute Lead").click()
    await page.get_by_role("button", name="Mute Kit").click()
    await page.get_by_test_id("play").click()
    await expect(page.get_by_test_id("play")).to_have_attribute("data-playing", "true")
    assert await _loudest(page, 1_500) <= HEARD  # muted tracks, no metronome: silence
    await _stop_and_wait_for_silence(page)

    await page.get_by_test_id("metronome").click()
    await expect(page.get_by_test_id("metronome")).to_have_attribute("aria-pressed", "true")
    await page.get_by_test_id("stop").click()
    await page.get_by_test_id("play").click()
    assert await _loudest(page, 1_500) > HEARD  # the clicks
    await _stop_and_wait_for_silence(page)
    await page.get_by_test_id("metronome").click()
    await expect(page.get_by_test_id("metronome")).to_have_attribute("aria-pressed", "false")

    # A one-bar count-in clicks before the music (still muted, metronome off); the playhead
    # waits at the start until the count-in has passed, then moves.
    await page.get_by_test_id("stop").click()
    await page.get_by_test_id("count-in").select_option("1")
    await page.get_by_test_id("play").click()
    assert await _loudest(page, 1_000) > HEARD
    await page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=playhead]')?.getAttribute('x1')) > 30",
        timeout=LIMIT_MS)
    await _stop_and_wait_for_silence(page)
    await page.get_by_test_id("count-in").select_option("0")

    # The loop toggle sets a region (bars 1 to 1 here) that the transport shows.
    await page.get_by_test_id("loop-region").select_option("-1")
    await page.get_by_test_id("loop-out").fill("1")
    await page.get_by_test_id("loop-toggle").click()
    await expect(page.get_by_test_id("loop-toggle")).to_have_attribute("aria-pressed", "true")
    await expect(page.get_by_test_id("loop-label")).to_have_text("bar 1")
    await shot(page, "16-transport-loop")

    assert console.errors == [], console.errors
    await context.close()
