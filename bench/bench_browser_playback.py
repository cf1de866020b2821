"""Edit → hear it: in-browser playback against the server preview, in the same run.

Starts `ariaforge up` (API, worker, embedded PostgreSQL and Redis) serving the built web
app (frontend/out), opens a project in headless Chromium, and times, in the page
(`performance.now()`):

* **browser**: an edit made in the page (the first note moved a semitone with the
  keyboard) → Play pressed → the first non-silent block at the player's output (RMS read
  through its AnalyserNode), with the SoundFont cached and the audio engine started, as
  after the first Play of a visit;
* **first play after a reload**: Play pressed on a freshly loaded page (SoundFont from
  Cache Storage, engine started by that very click) → the first non-silent block;
* **server**: the same edit sent to the API (POST notes/batch) → GET /preview answered with
  the rendered MP3 (asking again while it renders) → decoded by `decodeAudioData`, the
  path every Play took before in-browser playback.

Prints medians and the ratio server / browser. Goal (issue 16): browser < 100 ms.
Needs the web app built (`make frontend`) and Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import call, free_port, start_up, stop, wait_ready

REPO = Path(__file__).resolve().parents[1]
WEB_DIR = REPO / "frontend" / "out"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--autoplay-policy=no-user-gesture-required",
        "--mute-audio"]
ROUNDS = 12
SERVER_ROUNDS = 6
GOAL_MS = 100.0
PASSWORD = "a-Long-and-unusual-passphrase-42"  # noqa: S105 (a throwaway bench account)

# Edit (ArrowUp/ArrowDown on the focused first note), press Play, wait for sound.
BROWSER_ROUND = """async (key) => {
  const level = () => window.__ariaforgeAudioLevel ? window.__ariaforgeAudioLevel() : 0;
  const note = document.querySelector(
    '[data-testid=piano-roll-grid] [data-note-id][data-start="0"]');
  note.focus();
  const t0 = performance.now();
  if (key) note.dispatchEvent(new KeyboardEvent('keydown', { key, code: key, bubbles: true }));
  document.querySelector('[data-testid=play]').click();
  while (level() <= 0.003) {
    if (performance.now() - t0 > 10000) return null;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now() - t0;
}"""
FIRST_PLAY = """async () => {
  const level = () => window.__ariaforgeAudioLevel ? window.__ariaforgeAudioLevel() : 0;
  const t0 = performance.now();
  document.querySelector('[data-testid=play]').dispatchEvent(
    new PointerEvent('pointerdown', { bubbles: true }));
  document.querySelector('[data-testid=play]').click();
  while (level() <= 0.003) {
    if (performance.now() - t0 > 20000) return null;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now() - t0;
}"""
SERVER_ROUND = """async ({ project, noteId, pitch }) => {
  const token = JSON.parse(localStorage.getItem('ariaforge.tokens')).access_token;
  const auth = { Authorization: `Bearer ${token}` };
  const base = `/api/v1/projects/${project}`;
  const revision = (await (await fetch(`${base}/score`, { headers: auth })).json()).revision;
  const context = new AudioContext();
  const t0 = performance.now();
  const edit = await fetch(`${base}/notes/batch`, { method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ revision, operations: [{ op: 'update', note_id: noteId, pitch }] }) });
  if (!edit.ok) return { error: `edit ${edit.status}` };
  for (let attempt = 0; attempt < 120; attempt++) {
    const answer = await fetch(`${base}/preview`, { headers: auth });
    if (answer.status === 503) {
      const wait = Number(answer.headers.get('Retry-After') || 1) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 250)));
      continue;
    }
    if (!answer.ok) return { error: `preview ${answer.status}` };
    const audio = await context.decodeAudioData(await answer.arrayBuffer());
    const elapsed = performance.now() - t0;
    await context.close();
    return { ms: elapsed, seconds: audio.duration };
  }
  return { error: 'preview never came' };
}"""


def song() -> dict[str, Any]:
    """Eight bars of four tracks, the first lead note at tick 0 (the one edited)."""
    lead = [{"pitch": 72 + (i % 5), "start": i * 480, "duration": 480, "velocity": 100}
            for i in range(32)]
    pad = [{"pitch": p, "start": bar * 1920, "duration": 1920, "velocity": 70}
           for bar in range(8) for p in (60, 64, 67)]
    bass = [{"pitch": 36 + (bar % 4) * 2, "start": bar * 1920 + beat * 960, "duration": 900,
             "velocity": 90} for bar in range(8) for beat in range(2)]
    kit = [{"pitch": 36 if beat % 2 == 0 else 38, "start": beat * 480, "duration": 120,
            "velocity": 100} for beat in range(32)]
    return {"tempo": 110, "bars": 8, "tracks": [
        {"id": "lead", "name": "Lead", "role": "melody", "program": 73, "notes": lead},
        {"id": "pad", "name": "Pad", "role": "pad", "program": 89, "notes": pad},
        {"id": "bass", "name": "Bass", "role": "bass", "program": 33, "notes": bass},
        {"id": "kit", "name": "Kit", "role": "drums", "is_drum": True, "notes": kit}]}


def set_up(api: str) -> tuple[str, str, str]:
    """A user, a project with the song; (project id, the first lead note's id, e-mail)."""
    email = "bench-playback@example.com"
    call("POST", f"{api}/api/v1/auth/register", {"email": email, "password": PASSWORD})
    tokens = call("POST", f"{api}/api/v1/auth/login", {"email": email, "password": PASSWORD})
    token = tokens["access_token"]
    project = call("POST", f"{api}/api/v1/projects", {"name": "Bench playback"}, token)["id"]
    current = call("GET", f"{api}/api/v1/projects/{project}/score", token=token)
    saved = call("PUT", f"{api}/api/v1/projects/{project}/score",
                 {"score": song(), "revision": current["revision"]}, token)
    note = next(n for n in saved["score"]["tracks"][0]["notes"] if n["start"] == 0)
    return project, note["id"], email


async def measure(api: str, project: str, note_id: str, email: str) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright, expect

    results: dict[str, list[float]] = {"browser": [], "play": [], "first": [], "server": []}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await page.goto(f"{api}/login/")
        await page.get_by_label("E-mail").fill(email)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page).to_have_url(f"{api}/projects/")
        workspace = f"{api}/workspace/?project={project}"
        first_note = '[data-testid=piano-roll-grid] [data-note-id][data-start="0"]'

        async def open_workspace() -> None:
            await page.goto(workspace)
            await expect(page.locator(first_note)).to_be_attached(timeout=60_000)
            await page.wait_for_timeout(500)

        async def stop_and_rest() -> None:
            await page.get_by_test_id("stop").click()
            await page.wait_for_function(
                "() => window.__ariaforgeAudioLevel && window.__ariaforgeAudioLevel() === 0",
                timeout=30_000)
            # A stop mutes at once, but events already handed to the synth (the 0.12 s
            # look-ahead) run out first: a Play within that time starts after it. A person
            # does not press Play again that fast; the rounds wait it out too.
            await page.wait_for_timeout(300)

        # Warm-up: the SoundFont downloads once into Cache Storage.
        await open_workspace()
        await page.get_by_test_id("play").click()
        await page.wait_for_function(
            "() => window.__ariaforgeAudioLevel && window.__ariaforgeAudioLevel() > 0.003",
            timeout=60_000)
        await stop_and_rest()
        for _ in range(3):  # a fresh page, the SoundFont from the cache
            await open_workspace()
            first = await page.evaluate(FIRST_PLAY)
            if first is not None:
                results["first"].append(float(first))
            await stop_and_rest()
        for round_ in range(ROUNDS):
            elapsed = await page.evaluate(BROWSER_ROUND,
                                          "ArrowUp" if round_ % 2 == 0 else "ArrowDown")
            if elapsed is not None:
                results["browser"].append(float(elapsed))
            await stop_and_rest()
        for _ in range(ROUNDS // 2):  # Play alone, without an edit before it
            elapsed = await page.evaluate(BROWSER_ROUND, None)
            if elapsed is not None:
                results["play"].append(float(elapsed))
            await stop_and_rest()
        for round_ in range(SERVER_ROUNDS):
            answer = await page.evaluate(SERVER_ROUND, {"project": project, "noteId": note_id,
                                                        "pitch": 60 + round_})
            if "ms" in answer:
                results["server"].append(float(answer["ms"]))
            else:
                print(f"  server round failed: {answer}")
        await browser.close()
    return results


def main() -> None:
    if not (WEB_DIR / "index.html").exists():
        print("skipped: build the web app first (make frontend)")
        return
    with tempfile.TemporaryDirectory(prefix="bench-playback-") as folder:
        home = Path(folder)
        port = free_port()
        api = f"http://127.0.0.1:{port}"
        process = start_up(home, port, WEB_DIR=str(WEB_DIR))
        try:
            if not wait_ready(f"{api}/ready", process):
                print("skipped: ariaforge up did not become ready; see", home / "up.log")
                return
            with urllib.request.urlopen(f"{api}/api/v1/soundfont") as answer:  # noqa: S310
                font = json.loads(answer.read())
            project, note_id, email = set_up(api)
            results = asyncio.run(measure(api, project, note_id, email))
        finally:
            stop(process)
    report(results, font)


def report(results: dict[str, list[float]], font: dict[str, Any]) -> None:
    print(f"SoundFont: {font['name']} ({font['bytes'] / 1e6:.1f} MB, cached by hash)")
    medians = {name: statistics.median(values) for name, values in results.items() if values}
    for name, label in (("browser", "edit → Play → first sound, in the browser"),
                        ("play", "Play → first sound (no edit before it)"),
                        ("first", "first Play after a reload (SoundFont cached)"),
                        ("server", "edit → server preview rendered, fetched, decoded")):
        values = results[name]
        if values:
            print(f"  {label:52s} median {medians[name]:8.1f} ms  "
                  f"min {min(values):8.1f}  max {max(values):8.1f}  (n={len(values)})")
        else:
            print(f"  {label:52s} no measurement")
    if "browser" in medians and "server" in medians:
        print(f"  server / browser: {medians['server'] / medians['browser']:.1f}x; "
              f"browser goal < {GOAL_MS:.0f} ms: "
              f"{'met' if medians['browser'] < GOAL_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
