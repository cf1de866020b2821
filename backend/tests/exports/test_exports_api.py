"""Mix settings, exports through real workers, downloads, previews, S3 storage."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from fastapi import FastAPI
from moto.server import ThreadedMotoServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.audio.options import MixSettings
from ariaforge.config import Settings
from ariaforge.core.embedded import free_port
from ariaforge.exports.previews import preview_key
from ariaforge.exports.service import PREVIEW_JOB
from ariaforge.main import create_app
from ariaforge.models import Export, Job, ProjectScore
from ariaforge.music.interchange import read_midi, write_midi
from ariaforge.music.score import Key, Mode, Note, Role, Score, Track
from ariaforge.queue.worker import Worker, WorkerConfig
from ariaforge.tasks import all_handlers
from tests.conftest import BASE_URL, assert_error, new_user
from tests.ops.test_ops import metric_value

API = "/api/v1"
FAST = WorkerConfig(visibility_timeout_s=2.0, heartbeat_s=0.3, block_s=0.2, retry_base_s=0.0)
WAIT_LIMIT_S = 120.0


def song(bars: int = 2, tempo: float = 120) -> Score:
    melody = [Note(pitch=p, start=i * 480, duration=480, velocity=100) for i, p in
              enumerate([67, 69, 71, 72, 74, 72, 71, 69] * (bars // 2 or 1))]
    bass = [Note(pitch=43 + 5 * (i % 2), start=i * 1920, duration=1920) for i in range(bars)]
    drums = [Note(pitch=36 if i % 2 == 0 else 38, start=i * 480, duration=120)
             for i in range(4 * bars)]
    return Score(tempo=tempo, key=Key(tonic="G", mode=Mode.MAJOR), bars=bars, tracks=[
        Track(id="lead", name="Lead", role=Role.MELODY, program=73, notes=melody),
        Track(id="bass", name="Bass", role=Role.BASS, program=33, notes=bass),
        Track(id="kit", name="Kit", role=Role.DRUMS, is_drum=True, notes=drums)])


async def project_with_song(client: httpx.AsyncClient,
                            score: Score | None = None) -> tuple[str, dict[str, str]]:
    _, owner = await new_user(client, "owner")
    project = (await client.post(f"{API}/projects", headers=owner,
                                 json={"name": "Export me"})).json()["id"]
    upload = await client.post(f"{API}/projects/{project}/import", headers=owner, files={
        "file": ("song.mid", write_midi(score or song()), "audio/midi")})
    assert upload.status_code == 200, upload.text
    return project, owner


async def share(client: httpx.AsyncClient, project: str, owner: dict[str, str],
                role: str) -> dict[str, str]:
    email, headers = await new_user(client, role)
    await client.post(f"{API}/projects/{project}/members", headers=owner,
                      json={"email": email, "role": role})
    return headers


@pytest.fixture
def sessions(app: FastAPI) -> async_sessionmaker[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    return maker


async def work_until_finished(app: FastAPI, client: httpx.AsyncClient, url: str,
                              headers: dict[str, str]) -> dict[str, Any]:
    """Run a worker in this process until the resource at `url` (an export, a session)
    reports a final status."""
    worker = Worker(app.state.redis, app.state.sessionmaker, handlers=all_handlers(),
                    config=FAST, settings=app.state.settings)
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        await worker.run_once(block_s=0.2)
        body: dict[str, Any] = (await client.get(url, headers=headers)).json()
        if body["status"] in ("succeeded", "failed", "dead", "cancelled"):
            return body
    raise AssertionError(f"{url} did not finish")


async def work_until_done(app: FastAPI, client: httpx.AsyncClient, export_id: str,
                          headers: dict[str, str]) -> dict[str, Any]:
    return await work_until_finished(app, client, f"{API}/exports/{export_id}", headers)


# --- mix ----------------------------------------------------------------------------


async def test_mix_settings_are_validated_and_versioned(client: httpx.AsyncClient) -> None:
    project, owner = await project_with_song(client)
    viewer = await share(client, project, owner, "viewer")
    tracks = [t["id"] for t in (await client.get(f"{API}/projects/{project}/tracks",
                                                 headers=owner)).json()]
    default = (await client.get(f"{API}/projects/{project}/mix", headers=viewer)).json()
    assert default["revision"] == 0
    settings = {"master": {"gain_db": -1.0}, "tracks": {tracks[0]: {
        "gain_db": 2.0, "fx": [{"type": "eq", "low_shelf_hz": 120, "low_shelf_gain_db": -3},
                               {"type": "compressor", "threshold_db": -18, "ratio": 3},
                               {"type": "reverb", "room_size": 0.4, "wet_level": 0.2}]}}}
    saved = await client.put(f"{API}/projects/{project}/mix", headers=owner,
                             json={"settings": settings})
    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"] == 1
    again = (await client.get(f"{API}/projects/{project}/mix", headers=owner)).json()
    assert again["settings"]["tracks"][tracks[0]]["fx"][1]["ratio"] == 3
    assert_error(await client.put(f"{API}/projects/{project}/mix", headers=owner,
                                  json={"settings": settings, "revision": 0}), 409, "CONFLICT")
    for bad in ({"tracks": {tracks[0]: {"fx": [{"type": "flanger"}]}}},
                {"tracks": {tracks[0]: {"fx": [{"type": "compressor", "ratio": 50}]}}},
                {"tracks": {tracks[0]: {"fx": [{"type": "reverb", "room_size": 2}]}}},
                {"tracks": {"no-such-track": {"gain_db": 1}}},
                {"master": {"gain_db": 99}}):
        assert_error(await client.put(f"{API}/projects/{project}/mix", headers=owner,
                                      json={"settings": bad}), 422, "VALIDATION_ERROR")
    assert_error(await client.put(f"{API}/projects/{project}/mix", headers=viewer,
                                  json={"settings": settings}), 403, "AUTHORIZATION_ERROR")


# --- exports ------------------------------------------------------------------------


async def test_export_everything_and_download_it(app: FastAPI,
                                                 client: httpx.AsyncClient) -> None:
    project, owner = await project_with_song(client)
    viewer = await share(client, project, owner, "viewer")
    before = metric_value((await client.get("/metrics")).text,
                          "audio_processing_duration_seconds_count")
    answer = await client.post(f"{API}/projects/{project}/exports", headers=viewer, json={
        "format": "mp3", "include_stems": True, "include_midi": True,
        "include_musicxml": True})
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "queued"
    export = await work_until_done(app, client, answer.json()["id"], viewer)
    assert export["status"] == "succeeded", export
    kinds = sorted(f["kind"] for f in export["files"])
    assert kinds == ["bundle", "midi", "mix", "musicxml", "stem", "stem", "stem"]
    quality = export["quality"]
    assert abs(quality["integrated_lufs"] - (-14.0)) <= 0.5
    assert quality["true_peak_dbtp"] <= -1.0
    for item in export["files"]:
        download = await client.get(item["url"], headers=viewer)
        assert download.status_code == 200, item
        assert len(download.content) == item["bytes"] > 0
    midi = next(f for f in export["files"] if f["kind"] == "midi")
    midi_bytes = (await client.get(midi["url"], headers=viewer)).content
    assert len(read_midi(midi_bytes).pitched_notes()) == len(song().pitched_notes())
    bundle = next(f for f in export["files"] if f["kind"] == "bundle")
    archive = zipfile.ZipFile(io.BytesIO((await client.get(bundle["url"],
                                                           headers=viewer)).content))
    assert len(archive.namelist()) == len(export["files"]) - 1
    after = metric_value((await client.get("/metrics")).text,
                         "audio_processing_duration_seconds_count")
    assert after - before == 1
    _, stranger = await new_user(client, "stranger")
    assert_error(await client.get(f"{API}/exports/{export['id']}", headers=stranger), 404,
                 "NOT_FOUND")
    assert_error(await client.get(midi["url"], headers=stranger), 404, "NOT_FOUND")
    listed = (await client.get(f"{API}/projects/{project}/exports", headers=owner)).json()
    assert [e["id"] for e in listed] == [export["id"]]


async def test_bad_export_requests_and_bad_scores(app: FastAPI,
                                                  client: httpx.AsyncClient) -> None:
    project, owner = await project_with_song(client)
    for body in ({"format": "aiff"}, {"sample_rate": 22050}, {"start_bar": 3, "end_bar": 2},
                 {"end_bar": 99}, {"include_stems": "maybe"}, {"target_lufs": 3}):
        assert_error(await client.post(f"{API}/projects/{project}/exports", headers=owner,
                                       json=body), 422, "VALIDATION_ERROR")
    _, stranger = await new_user(client, "stranger")
    assert_error(await client.post(f"{API}/projects/{project}/exports", headers=stranger,
                                   json={}), 404, "NOT_FOUND")
    empty = (await client.post(f"{API}/projects", headers=owner,
                               json={"name": "Silence"})).json()["id"]
    # Nothing to render: refused at once, not accepted as a job that can only fail.
    error = assert_error(await client.post(f"{API}/projects/{empty}/exports", headers=owner,
                                           json={}), 422, "VALIDATION_ERROR")
    assert "note" in error["message"]
    assert (await client.get(f"{API}/projects/{empty}/exports", headers=owner)).json() == []


@contextlib.asynccontextmanager
async def background_worker(app: FastAPI,
                            settings: Settings | None = None) -> AsyncIterator[None]:
    """A worker in this process for as long as the block runs (previews are jobs). Its
    `settings` must be the API's where they shape a preview (PREVIEW_MAX_SECONDS)."""
    worker = Worker(app.state.redis, app.state.sessionmaker, handlers=all_handlers(),
                    config=FAST, settings=settings or app.state.settings)
    stop = asyncio.Event()

    async def run() -> None:
        while not stop.is_set():
            await worker.run_once(block_s=0.2)

    task = asyncio.create_task(run())
    try:
        yield
    finally:
        stop.set()
        await task


async def preview_jobs(sessions: async_sessionmaker[AsyncSession]) -> list[Job]:
    async with sessions() as session:
        return list((await session.execute(
            select(Job).where(Job.kind == PREVIEW_JOB))).scalars())


async def test_preview_is_cached_by_content(app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_song(client)
    async with background_worker(app):
        first = await client.get(f"{API}/projects/{project}/preview", headers=owner)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "audio/mpeg"
    assert len(first.content) > 1000
    etag = first.headers["etag"]
    cached = await client.get(f"{API}/projects/{project}/preview",
                              headers={**owner, "If-None-Match": etag})
    assert cached.status_code == 304
    again = await client.get(f"{API}/projects/{project}/preview", headers=owner)
    assert again.headers["etag"] == etag and again.content == first.content
    tracks = (await client.get(f"{API}/projects/{project}/tracks", headers=owner)).json()
    await client.patch(f"{API}/projects/{project}/tracks/{tracks[0]['id']}", headers=owner,
                       json={"mute": True})
    async with background_worker(app):
        changed = await client.get(f"{API}/projects/{project}/preview", headers=owner)
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != etag
    silent = (await client.post(f"{API}/projects", headers=owner,
                                json={"name": "Empty"})).json()["id"]
    assert_error(await client.get(f"{API}/projects/{silent}/preview", headers=owner), 422,
                 "VALIDATION_ERROR")


async def test_a_stored_preview_is_served_without_a_job(
        app: FastAPI, client: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession], tmp_path: Path) -> None:
    project, owner = await project_with_song(client)
    async with sessions() as session:
        row = await session.get(ProjectScore, uuid.UUID(project))
        assert row is not None
        score = Score.model_validate(row.data)
    key = preview_key(uuid.UUID(project), score, MixSettings(), app.state.settings)
    stored = tmp_path / "preview.mp3"
    stored.write_bytes(b"ID3 stored preview")
    await app.state.storage.put_file(key, stored, "audio/mpeg")
    answer = await client.get(f"{API}/projects/{project}/preview", headers=owner)
    assert answer.status_code == 200, answer.text
    assert answer.content == b"ID3 stored preview"
    assert await preview_jobs(sessions) == []


@pytest.fixture
async def impatient_app(settings: Settings) -> AsyncIterator[FastAPI]:
    """The API with a short preview wait, and no worker anywhere."""
    application = create_app(settings.model_copy(update={"preview_wait_seconds": 1.0}))
    async with application.router.lifespan_context(application):
        yield application


async def test_a_cold_preview_is_one_job_and_without_a_worker_the_answer_is_retry(
        impatient_app: FastAPI, client: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession]) -> None:
    project, owner = await project_with_song(client)
    transport = httpx.ASGITransport(app=impatient_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as impatient:
        answers = await asyncio.gather(*(
            impatient.get(f"{API}/projects/{project}/preview", headers=owner)
            for _ in range(6)))
    for answer in answers:
        error = assert_error(answer, 503, "SERVICE_UNAVAILABLE")
        assert "rendering" in error["message"]
        assert int(answer.headers["retry-after"]) > 0
    jobs = await preview_jobs(sessions)
    assert len(jobs) == 1
    assert jobs[0].status == "queued" and jobs[0].project_id == uuid.UUID(project)
    # Asked again, the request joins the job rather than adding one; a worker then
    # renders it and the waiting request gets the audio.
    async with background_worker(impatient_app), httpx.AsyncClient(
            transport=transport, base_url=BASE_URL) as impatient:
        for _ in range(20):
            answer = await impatient.get(f"{API}/projects/{project}/preview", headers=owner)
            if answer.status_code == 200:
                break
            assert_error(answer, 503, "SERVICE_UNAVAILABLE")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "audio/mpeg"
    assert [job.status for job in await preview_jobs(sessions)] == ["succeeded"]


async def test_a_newer_preview_cancels_the_projects_older_one(
        impatient_app: FastAPI, client: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession]) -> None:
    """An editor changing notes while asking for previews queues one render, not one per
    change: only the newest content is worth rendering."""
    project, owner = await project_with_song(client)
    transport = httpx.ASGITransport(app=impatient_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as impatient:
        assert_error(await impatient.get(f"{API}/projects/{project}/preview", headers=owner),
                     503, "SERVICE_UNAVAILABLE")
        current = (await client.get(f"{API}/projects/{project}", headers=owner)).json()
        changed = await client.patch(f"{API}/projects/{project}", headers=owner,
                                     json={"tempo": current["tempo"] + 7,
                                           "revision": current["revision"]})
        assert changed.status_code == 200, changed.text
        assert_error(await impatient.get(f"{API}/projects/{project}/preview", headers=owner),
                     503, "SERVICE_UNAVAILABLE")
    jobs = sorted(await preview_jobs(sessions), key=lambda job: job.created_at)
    assert [job.status for job in jobs] == ["cancelled", "queued"]
    assert jobs[0].payload["key"] != jobs[1].payload["key"]


async def test_a_worker_with_other_sound_settings_fails_the_preview_by_name(
        impatient_app: FastAPI, client: httpx.AsyncClient, settings: Settings,
        sessions: async_sessionmaker[AsyncSession]) -> None:
    """The API and its workers must agree on what shapes a preview; a worker that does
    not fails the job at once, and the request says which settings to align."""
    project, owner = await project_with_song(client)
    transport = httpx.ASGITransport(app=impatient_app, raise_app_exceptions=False)
    other = settings.model_copy(update={"preview_max_seconds": 123.0})
    async with background_worker(impatient_app, other), httpx.AsyncClient(
            transport=transport, base_url=BASE_URL) as impatient:
        for _ in range(20):
            answer = await impatient.get(f"{API}/projects/{project}/preview", headers=owner)
            if answer.status_code != 503:
                break
    error = assert_error(answer, 422, "VALIDATION_ERROR")
    assert "PREVIEW_MAX_SECONDS" in error["message"]
    assert error["details"][0]["type"] == "unrenderable"
    assert [job.status for job in await preview_jobs(sessions)] == ["failed"]


# --- S3 -----------------------------------------------------------------------------


@pytest.fixture
async def s3_app(settings: Settings,
                 monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FastAPI]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="exports")
    s3_settings = settings.model_copy(update={"storage_url": "s3://exports/test",
                                              "storage_endpoint_url": endpoint})
    monkeypatch.setenv("STORAGE_URL", "s3://exports/test")
    monkeypatch.setenv("STORAGE_ENDPOINT_URL", endpoint)
    from ariaforge.config import get_settings

    get_settings.cache_clear()
    application = create_app(s3_settings)
    try:
        async with application.router.lifespan_context(application):
            yield application
    finally:
        get_settings.cache_clear()
        server.stop()


async def test_exports_on_s3_download_through_signed_urls(s3_app: FastAPI,
                                                          client: httpx.AsyncClient) -> None:
    transport = httpx.ASGITransport(app=s3_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        project, owner = await project_with_song(http)
        answer = await http.post(f"{API}/projects/{project}/exports", headers=owner,
                                 json={"format": "flac"})
        export = await work_until_done(s3_app, http, answer.json()["id"], owner)
        assert export["status"] == "succeeded", export
        link = await http.get(export["files"][0]["url"], headers=owner)
        assert link.status_code == 307
        async with httpx.AsyncClient() as outside:  # straight to the object store
            signed = await outside.get(link.headers["location"])
        assert signed.status_code == 200
        assert signed.content[:4] == b"fLaC"
        assert len(signed.content) == export["files"][0]["bytes"]


# --- crash safety -------------------------------------------------------------------


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ariaforge", "worker"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def test_sigkill_mid_render_and_the_export_completes_once(
        settings: Settings, client: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession], tmp_path: Path) -> None:
    assert settings.database_url and settings.redis_url
    project, owner = await project_with_song(client, song(bars=48, tempo=100))
    env = {**os.environ, "DATABASE_URL": settings.database_url,
           "REDIS_URL": settings.redis_url, "SECRET_KEY": "x" * 40,
           "ARIAFORGE_HOME": str(settings.ariaforge_home), "JOB_VISIBILITY_TIMEOUT_S": "2",
           "JOB_HEARTBEAT_S": "0.3", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    workers = [_worker(env), _worker(env)]
    try:
        answer = await client.post(f"{API}/projects/{project}/exports", headers=owner,
                                   json={"format": "wav", "include_stems": True})
        export_id = answer.json()["id"]
        job_id = answer.json()["job_id"]
        first = await _wait_for(sessions, job_id, lambda job: job.status == "running"
                                and job.progress > 0)
        victim = next(w for w in workers if f"-{w.pid}-" in (first.worker or ""))
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        job = await _wait_for(sessions, job_id, lambda job: job.status == "succeeded")
        assert job.attempts == 2 and job.worker != first.worker
        async with sessions() as session:
            export = await session.get(Export, export_id)
            assert export is not None
            names = [f["name"] for f in export.files]
        assert len(names) == len(set(names)) == 5  # mix, 3 stems, bundle: each once
        stored = sorted(p.name for p in (settings.ariaforge_home / "storage" / "exports" /
                                         export_id).iterdir())
        assert stored == sorted(names)
    finally:
        for process in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)


async def _wait_for(sessions: async_sessionmaker[AsyncSession], job_id: str,
                    condition: Any) -> Job:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        async with sessions() as session:
            job = await session.get(Job, job_id)
        if job is not None and condition(job):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError("gave up waiting for the job")
