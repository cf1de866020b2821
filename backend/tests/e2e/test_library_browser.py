"""The Library and Stats tabs in real Chromium, against a real API process and worker: a
loop made with FFmpeg is uploaded (its tempo and key detected and shown), previewed, added to
the song (an audio track with the clip appears in the arrangement and is saved in the
score), and the Stats tab counts the project's revisions. Takes build/e2e/library.png and
stats.png (the pictures in docs/images)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import imageio_ffmpeg
from playwright.async_api import Browser, Page, expect

from ariaforge.music.score import Role, Score
from tests.e2e.support import SHOTS, WIDE, Console, accessibility_problems, sign_up

API = "/api/v1"
SAVE_POLLS = 60
BPM = 120


def loop_wav(folder: Path) -> Path:
    """Four bars at 120 bpm: a click on every beat over an A minor triad (A3, C4, E4),
    rendered by FFmpeg as 16-bit mono WAV."""
    target = folder / "Minor groove.wav"
    beat = 60 / BPM
    expression = (f"0.5*exp(-mod(t\\,{beat})*30)*sin(2*PI*1000*t)"
                  "+0.15*sin(2*PI*220*t)+0.15*sin(2*PI*261.63*t)+0.15*sin(2*PI*329.63*t)")
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"aevalsrc={expression}:d={16 * beat}:s=44100:c=mono", "-c:a", "pcm_s16le",
                    str(target)], check=True, capture_output=True, timeout=60)
    return target


async def _token(page: Page) -> str:
    tokens: dict[str, Any] = await page.evaluate(
        "() => JSON.parse(localStorage.getItem('ariaforge.tokens'))")
    return str(tokens["access_token"])


async def _saved_score(page: Page, base: str, project: str, check: Any) -> Score:
    """The stored score once `check(score)` holds (a live edit is saved a moment later)."""
    score = None
    for _ in range(SAVE_POLLS):
        answer = await page.request.get(f"{base}{API}/projects/{project}/score",
                                        headers={"Authorization": f"Bearer {await _token(page)}"})
        assert answer.ok, await answer.text()
        score = Score.model_validate((await answer.json())["score"])
        if check(score):
            return score
        await page.wait_for_timeout(500)
    raise AssertionError(f"the saved score never matched: {score}")


async def _panel_shot(page: Page, name: str) -> None:
    """The workspace with the side panel showing, in build/e2e (docs/images has a copy)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"))


async def test_upload_add_to_song_and_stats(server: str, browser: Browser, clean: None,
                                            tmp_path: Path) -> None:
    base = server
    wav = loop_wav(tmp_path)
    context = await browser.new_context(viewport=WIDE)
    page = await context.new_page()
    console = Console(page)
    await sign_up(page, base, "lina@example.com", "Lina Library")
    await page.get_by_label("New project name").fill("Loops")
    await page.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/workspace/\?project=[0-9a-f-]{36}$"))
    project = page.url.split("=")[-1]

    # The Library tab opens on Samples: none yet, and what may be uploaded.
    await page.get_by_test_id("tab-library").click()
    panel = page.get_by_role("tabpanel", name="Library")
    await expect(panel.get_by_role("status").filter(has_text="No samples yet")).to_be_visible()
    await expect(panel.get_by_test_id("library-drop")).to_contain_text("At most 16 MB a file")

    # Upload: the sample is listed first with its detected tempo and key.
    await panel.get_by_test_id("library-file").set_input_files(str(wav))
    await expect(panel.get_by_text("Uploaded Minor groove.wav.")).to_be_visible()
    item = panel.get_by_test_id("sample-item").filter(has_text="Minor groove")
    await expect(item).to_have_count(1)
    await expect(item.get_by_test_id("sample-bpm")).to_have_text(re.compile(r"^\d+(\.\d)? bpm$"))
    await expect(item.get_by_test_id("sample-key")).to_have_text(
        re.compile(r"^[A-G](#|b)? (major|minor)$"))
    await expect(item).to_contain_text("8.0 s")

    # Preview: the audio is fetched with the token and plays (the button turns into Stop).
    await item.get_by_role("button", name="Preview Minor groove").click()
    await expect(item.get_by_role("button", name="Stop Minor groove")).to_be_visible()
    await item.get_by_role("button", name="Stop Minor groove").click()

    # Add to song: a new audio track named after the sample, its clip at bar 1, stretched.
    await item.get_by_role("button", name="Add Minor groove to the song").click()
    clip = page.get_by_test_id("audio-clip")
    await expect(clip).to_have_count(1)
    await expect(clip).to_contain_text("Minor groove")
    await expect(clip).to_have_attribute("aria-label", re.compile(r"^Clip Minor groove at bar 1 "))
    lane = page.get_by_test_id("arrangement-lane").filter(has=clip)
    await expect(lane.get_by_test_id("audio-track-label")).to_have_text("Audio · 1 clip")
    score = await _saved_score(page, base, project, lambda s: any(
        t.role is Role.AUDIO and t.clips for t in s.tracks))
    track = next(t for t in score.tracks if t.role is Role.AUDIO)
    assert track.name == "Minor groove" and track.notes == []
    assert len(track.clips) == 1 and track.clips[0].start == 0 and track.clips[0].stretch
    sample_id = await item.get_attribute("data-sample-id")
    assert track.clips[0].sample_id == sample_id

    # The filters find it by key and by text; a key it is not in hides it.
    key = (await item.get_by_test_id("sample-key").inner_text()).strip()
    key_filter = panel.get_by_role("combobox", name=re.compile("^Key"))
    await key_filter.select_option(key)
    await expect(panel.get_by_test_id("sample-item")).to_have_count(1)
    await panel.get_by_label("Search samples").fill("groove")
    await expect(panel.get_by_test_id("sample-item")).to_have_count(1)
    other = "C# major" if key != "C# major" else "D major"
    await key_filter.select_option(other)
    await expect(panel.get_by_role("status").filter(
        has_text="No samples match these filters.")).to_be_visible()
    await key_filter.select_option("")
    await panel.get_by_label("Search samples").fill("")
    await expect(panel.get_by_test_id("sample-item")).to_have_count(1)
    for dismiss in await page.get_by_role("button", name="Dismiss notification").all():
        await dismiss.click()
    await item.scroll_into_view_if_needed()
    await _panel_shot(page, "library")
    assert await accessibility_problems(page) == []

    # Stats: the revisions the edits made, the versions, and the chart of the month.
    await page.get_by_test_id("tab-stats").click()
    stats = page.get_by_role("tabpanel", name="Stats")
    revisions = stats.get_by_test_id("stats-revisions")
    await expect(revisions).to_have_text(re.compile(r"^[1-9]\d*$"))
    await expect(stats.get_by_test_id("stats-chart")).to_have_attribute(
        "aria-label", re.compile(r"^Revisions: [1-9]\d* in total over 30 days"))
    await stats.get_by_role("button", name="7 days").click()
    await expect(stats.get_by_test_id("stats-chart")).to_have_attribute(
        "aria-label", re.compile(r"over 7 days"))
    await expect(stats.get_by_role("table")).to_contain_text("Lina Library")
    await _panel_shot(page, "stats")
    assert await accessibility_problems(page) == []
    assert console.errors == []
    await context.close()
