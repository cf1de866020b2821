"""Export quotas and rate limits, refusals at request time, and bounded previews, over a
real uvicorn (the live API with default settings, or one of our own with small limits)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text

from ariaforge.audio.encode import decode
from ariaforge.config import Settings
from ariaforge.core import quotas
from ariaforge.core.errors import RateLimited
from ariaforge.exports.limits import preview_score
from ariaforge.exports.service import EXPIRE_DUE_KEY
from ariaforge.music.interchange import write_midi
from ariaforge.music.score import MAX_BARS, PPQ, Meter, Note, Score, Track
from ariaforge.queue.worker import Worker
from ariaforge.tasks import all_handlers
from tests.conftest import api_process, assert_error, new_user
from tests.exports.test_exports_api import FAST, background_worker, share, song

API = "/api/v1"
WAIT_LIMIT_S = 120.0
# The limits of our own server (see `limited`).
ACTIVE = 2
PER_HOUR = 4
STORAGE_BYTES = 2 * 1_048_576
PREVIEW_SECONDS = 10
IMPORTS = 3
# What a 2-bar WAV export of `song()` is estimated at: 4 s + 2 s of tail, 16-bit stereo.
SONG_WAV_ESTIMATE = 6 * 44100 * 2 * 2


@pytest.fixture(scope="module")
def limited(settings: Settings, app: FastAPI,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An `ariaforge api` with small export limits, storing files where this process's
    workers (and `settings`) do."""
    home = tmp_path_factory.mktemp("limited-api")
    with api_process(settings, app.state.secret_key, home,
                     EXPORTS_ACTIVE_PER_USER=str(ACTIVE), EXPORTS_PER_HOUR=str(PER_HOUR),
                     EXPORT_STORAGE_BYTES_PER_USER=str(STORAGE_BYTES),
                     PREVIEW_MAX_SECONDS=str(PREVIEW_SECONDS), UPLOADS_PER_HOUR=str(IMPORTS),
                     STORAGE_URL=f"file://{settings.ariaforge_home / 'storage'}") as (base, _):
        yield base


@pytest.fixture
async def http(limited: str, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=limited, timeout=WAIT_LIMIT_S) as client:
        yield client


async def project_with(client: httpx.AsyncClient, score: Score,
                       owner: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    if owner is None:
        _, owner = await new_user(client, "owner")
    project = (await client.post(f"{API}/projects", headers=owner,
                                 json={"name": "Limits"})).json()["id"]
    current = (await client.get(f"{API}/projects/{project}/score", headers=owner)).json()
    saved = await client.put(f"{API}/projects/{project}/score", headers=owner, json={
        "score": score.model_dump(mode="json"), "revision": current["revision"]})
    assert saved.status_code == 200, saved.text
    return project, owner


async def export(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                 **options: Any) -> httpx.Response:
    return await client.post(f"{API}/projects/{project}/exports", headers=headers,
                             json=options)


def assert_too_many(response: httpx.Response, at_most: int) -> dict[str, Any]:
    error = assert_error(response, 429, "RATE_LIMIT_EXCEEDED")
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= at_most, retry_after
    assert error["details"] == {"retry_after": retry_after}
    return error


# --- refused at once ----------------------------------------------------------------


async def test_nothing_to_render_is_refused_at_once(live_client: httpx.AsyncClient) -> None:
    _, owner = await new_user(live_client)
    empty = (await live_client.post(f"{API}/projects", headers=owner,
                                    json={"name": "Silence"})).json()["id"]
    error = assert_error(await export(live_client, empty, owner), 422, "VALIDATION_ERROR")
    assert "no notes" in error["message"]
    late = Score(bars=4, tracks=[Track(id="t", notes=[Note(pitch=60, start=3 * 1920,
                                                           duration=480)])])
    project, owner = await project_with(live_client, late, owner)
    assert_error(await export(live_client, project, owner, start_bar=1, end_bar=2), 422,
                 "VALIDATION_ERROR")
    assert (await export(live_client, project, owner, start_bar=4)).status_code == 202
    for project_id in (empty, project):  # nothing refused was queued
        listed = (await live_client.get(f"{API}/projects/{project_id}/exports",
                                        headers=owner)).json()
        assert len(listed) == (1 if project_id == project else 0)


def big_band(bars: int = 128, tracks: int = 10) -> Score:
    """The hostile review's 1.3 GB export: 128 bars, 10 tracks."""
    return Score(bars=bars, tracks=[
        Track(id=f"t{t}", program=t * 8, notes=[
            Note(pitch=48 + t * 3 + i % 5, start=i * 480, duration=480)
            for i in range(bars * 4)]) for t in range(tracks)])


async def test_an_export_too_large_to_store_is_refused(live_client: httpx.AsyncClient) -> None:
    project, owner = await project_with(live_client, big_band())
    viewer = await share(live_client, project, owner, "viewer")
    hostile = {"format": "wav", "sample_rate": 48000, "bit_depth": 24,
               "include_stems": True, "include_midi": True, "include_musicxml": True}
    error = assert_error(await export(live_client, project, viewer, **hostile), 422,
                         "VALIDATION_ERROR")
    detail = error["details"][0]
    assert detail["type"] == "export_too_large"
    assert detail["estimated_bytes"] > 1_000_000_000 > detail["limit_bytes"]
    # The same music as one MP3 is fine, for a viewer too (under the viewer's quota).
    answer = await export(live_client, project, viewer, format="mp3")
    assert answer.status_code == 202, answer.text
    assert answer.json()["expires_at"] > answer.json()["created_at"]


async def test_many_tracks_with_effects_over_a_long_score(
        app: FastAPI, client: httpx.AsyncClient, tmp_path: Path) -> None:
    """64 tracks with reverb over 28 minutes: the export would hold ~38 GB of audio while
    rendering (refused at once); the preview renders only what sounds (one beat). Over
    the in-process API, whose storage its worker shares."""
    tracks = [Track(id=f"t{t}", program=t, notes=[Note(pitch=40 + t, start=0, duration=480)])
              for t in range(64)]
    project, owner = await project_with(client, Score(tempo=140, bars=1000,
                                                           tracks=tracks))
    reverb = {"fx": [{"type": "reverb", "room_size": 0.5, "wet_level": 0.3}]}
    mixed = await client.put(f"{API}/projects/{project}/mix", headers=owner, json={
        "settings": {"tracks": {t.id: reverb for t in tracks}}, "revision": 0})
    assert mixed.status_code == 200, mixed.text
    error = assert_error(await export(client, project, owner, format="mp3"), 422,
                         "VALIDATION_ERROR")
    assert error["details"][0]["type"] == "render_too_large"
    assert await preview_seconds(app, client, project, owner, tmp_path) < 10


# --- quotas -------------------------------------------------------------------------


async def cancel(client: httpx.AsyncClient, answer: httpx.Response,
                 headers: dict[str, str]) -> None:
    job = answer.json()["job_id"]
    cancelled = await client.post(f"{API}/jobs/{job}/cancel", headers=headers)
    assert cancelled.json()["status"] == "cancelled", cancelled.text


async def test_exports_waiting_at_once_and_per_hour_are_limited(
        http: httpx.AsyncClient) -> None:
    project, owner = await project_with(http, song())
    viewer = await share(http, project, owner, "viewer")
    waiting = [await export(http, project, owner) for _ in range(ACTIVE)]
    assert [a.status_code for a in waiting] == [202] * ACTIVE
    error = assert_too_many(await export(http, project, owner), 60)
    assert "at once" in error["message"]
    # Quotas are per user: the viewer may still export.
    assert (await export(http, project, viewer)).status_code == 202
    # A finished (here: cancelled) export frees its place; the refusal above did not
    # use up one of the hour's exports.
    for _ in range(PER_HOUR - ACTIVE):
        await cancel(http, waiting.pop(0), owner)
        waiting.append(await export(http, project, owner))
        assert waiting[-1].status_code == 202, waiting[-1].text
    await cancel(http, waiting.pop(0), owner)
    error = assert_too_many(await export(http, project, owner), 3600)
    assert f"at most {PER_HOUR} per 60 minutes" in error["message"]


async def test_a_burst_of_parallel_exports_gets_exactly_the_quota(
        http: httpx.AsyncClient) -> None:
    project, owner = await project_with(http, song())
    answers = await asyncio.gather(*(export(http, project, owner) for _ in range(8)))
    accepted = [a for a in answers if a.status_code == 202]
    assert len(accepted) == ACTIVE, [a.text for a in answers]
    for answer in answers:
        if answer.status_code != 202:
            assert_too_many(answer, 60)
    listed = (await http.get(f"{API}/projects/{project}/exports", headers=owner)).json()
    assert len(listed) == ACTIVE


async def work_until(app: FastAPI, condition: Any, what: str) -> None:
    """Run a worker in this process until `condition()` holds (a hang detector bounds it)."""
    worker = Worker(app.state.redis, app.state.sessionmaker, handlers=all_handlers(),
                    config=FAST, settings=app.state.settings)
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        await worker.run_once(block_s=0.2)
        if await condition():
            return
    raise AssertionError(f"gave up waiting for {what}")


async def test_stored_bytes_count_until_the_export_expires(
        app: FastAPI, settings: Settings, http: httpx.AsyncClient) -> None:
    project, owner = await project_with(http, song())
    first = await export(http, project, owner, format="wav")
    assert first.status_code == 202, first.text
    # The waiting export counts its estimate: a second one would pass the quota.
    error = assert_too_many(await export(http, project, owner, format="wav"), 7 * 86400)
    assert "quota" in error["message"]
    assert 2 * SONG_WAV_ESTIMATE > STORAGE_BYTES >= SONG_WAV_ESTIMATE
    url = f"{API}/exports/{first.json()['id']}"

    async def finished() -> bool:
        status: str = (await http.get(url, headers=owner)).json()["status"]
        return status == "succeeded"

    await work_until(app, finished, "the first export")
    done = (await http.get(url, headers=owner)).json()
    stored = sum(f["bytes"] for f in done["files"])
    assert 0 < stored <= SONG_WAV_ESTIMATE  # the estimate is an upper bound
    mix = done["files"][0]["url"]
    assert (await http.get(mix, headers=owner)).status_code == 200
    folder = settings.ariaforge_home / "storage" / "exports" / done["id"]
    assert folder.is_dir()

    # Eight days later the export has expired: it no longer counts, and its files go.
    async with app.state.engine.begin() as connection:
        await connection.execute(text(
            "UPDATE exports SET created_at = created_at - interval '8 days' WHERE id = :id"),
            {"id": uuid.UUID(done["id"])})
    expired = (await http.get(url, headers=owner)).json()
    assert expired["files"] == [] and expired["expires_at"] < expired["finished_at"]
    assert_error(await http.get(mix, headers=owner), 404, "NOT_FOUND")
    redis: Redis = app.state.redis
    await redis.delete(EXPIRE_DUE_KEY)  # the hourly clean-up is due again
    second = await export(http, project, owner, format="wav")
    assert second.status_code == 202, second.text

    async def deleted() -> bool:
        return not folder.exists()

    await work_until(app, deleted, "the expired export's files to be deleted")


async def test_take_counts_parallel_requests_exactly(settings: Settings) -> None:
    """The upload limit's building block (quotas.take, behind `count_upload`)."""
    assert settings.redis_url
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    subject = uuid.uuid4().hex
    try:
        results = await asyncio.gather(
            *(quotas.take(redis, "imports", subject, 3, "imports") for _ in range(10)),
            return_exceptions=True)
        refused = [r for r in results if isinstance(r, RateLimited)]
        assert len(refused) == 7 and results.count(None) == 3
        assert all(0 < r.details["retry_after"] <= 3600 for r in refused)
        await quotas.take(redis, "imports", uuid.uuid4().hex, 3, "imports")  # per subject
    finally:
        await redis.aclose()


# --- previews -----------------------------------------------------------------------


async def preview_seconds(app: FastAPI, client: httpx.AsyncClient, project: str,
                          headers: dict[str, str], tmp_path: Path,
                          preview_max_seconds: int | None = None) -> float:
    """The length of the preview, rendered by a worker in this process with the API's
    PREVIEW_MAX_SECONDS (which shapes the preview and names it)."""
    settings = app.state.settings
    if preview_max_seconds is not None:
        settings = settings.model_copy(update={"preview_max_seconds": preview_max_seconds})
    async with background_worker(app, settings):
        answer = await client.get(f"{API}/projects/{project}/preview", headers=headers)
    assert answer.status_code == 200, answer.text
    path = tmp_path / f"{uuid.uuid4().hex}.mp3"
    path.write_bytes(answer.content)
    return len(decode(path, 44100)) / 44100


def test_a_note_ringing_past_the_last_bar_keeps_the_preview_within_the_bars() -> None:
    """Found by the read-path property test: a last note may ring on past the last bar
    (the score allows a tail), and the preview's score must keep the bars it had."""
    bars = MAX_BARS
    ringing = Note(pitch=60, start=(bars - 1) * 4 * PPQ, duration=12 * 4 * PPQ)
    score = Score(bars=bars, tempo=240, tracks=[Track(id="t", program=0, notes=[ringing])])
    heard = preview_score(score, 3600.0)
    assert heard.bars == bars
    assert heard.tracks[0].notes[0].end == ringing.end  # its release is heard


async def test_previews_follow_the_music_not_the_nominal_length(
        app: FastAPI, http: httpx.AsyncClient, tmp_path: Path) -> None:
    one_note = [Track(id="t", notes=[Note(pitch=60, start=0, duration=480)])]
    # 1000 bars (28 minutes) holding one note; a 32/1 bar that lasts 12.8 minutes.
    long_and_empty = Score(tempo=140, bars=1000, tracks=one_note)
    huge_bar = Score(tempo=10, meter=Meter(numerator=32, denominator=1), bars=2,
                     tracks=one_note)
    project, owner = await project_with(http, long_and_empty)
    assert await preview_seconds(app, http, project, owner, tmp_path, PREVIEW_SECONDS) < 5
    project, owner = await project_with(http, huge_bar, owner)
    # The note lasts 6 s at 10 bpm; the rest of its bar passes fast.
    assert 6 <= await preview_seconds(app, http, project, owner, tmp_path,
                                      PREVIEW_SECONDS) < 20
    # Music all the way: the preview stops at PREVIEW_MAX_SECONDS (plus the release).
    project, owner = await project_with(http, song(bars=32), owner)
    assert PREVIEW_SECONDS - 0.5 <= await preview_seconds(
        app, http, project, owner, tmp_path, PREVIEW_SECONDS) <= PREVIEW_SECONDS + 3


async def test_imports_per_hour_are_limited_per_user(http: httpx.AsyncClient) -> None:
    """POST /import answers 429 with Retry-After past UPLOADS_PER_HOUR, for that user only."""
    _, owner = await new_user(http, "importer")
    _, other = await new_user(http, "other")
    project = (await http.post(f"{API}/projects", headers=owner,
                               json={"name": "Imports"})).json()["id"]
    data = write_midi(song())

    async def upload(headers: dict[str, str], target: str) -> httpx.Response:
        return await http.post(f"{API}/projects/{target}/import", headers=headers,
                               files={"file": ("tune.mid", data, "audio/midi")})

    for _ in range(IMPORTS):
        accepted = await upload(owner, project)
        assert accepted.status_code == 200, accepted.text
    refused = await upload(owner, project)
    assert_error(refused, 429, "RATE_LIMIT_EXCEEDED")
    assert int(refused.headers["Retry-After"]) > 0
    theirs = (await http.post(f"{API}/projects", headers=other,
                              json={"name": "Mine"})).json()["id"]
    assert (await upload(other, theirs)).status_code == 200
