"""The backup drill: data made through the real app (users, projects, imported scores,
versions, an export rendered into S3 storage), `ariaforge backup` to an off-site bucket,
then `ariaforge restore latest` into a FRESH PostgreSQL server and an empty bucket,
`ariaforge migrate`, and every row and every object compared by checksum. Restores that
must not happen (into live data, from a changed part, with the wrong key) fail and
change nothing.

S3 is a moto server on 127.0.0.1; PostgreSQL is the embedded PostgreSQL 18.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import httpx
import psycopg
import pytest
from moto.server import ThreadedMotoServer

from ariaforge.config import Environment, Settings
from ariaforge.core.dsn import libpq_url
from ariaforge.core.embedded import EmbeddedPostgres, EmbeddedServices, free_port
from ariaforge.ops.backup_crypto import generate_key
from tests.conftest import (
    BASE_URL,
    TEST_SECRET,
    bearer,
    login,
    migrated_services,
    new_user,
    outside_pytest_tmp,
)
from tests.drills.snapshots import database_snapshot, objects_snapshot, user_tables

API = "/api/v1"
AWS = {"AWS_ACCESS_KEY_ID": "drill-id", "AWS_SECRET_ACCESS_KEY": "drill-aws-secret-value",
       "AWS_DEFAULT_REGION": "us-east-1"}
STORAGE, OFFSITE, RESTORED = "app-storage", "offsite-backups", "restored-storage"
CLI_LIMIT_S = 300
WORK_LIMIT_S = 120.0


@dataclass(frozen=True)
class Filled:
    settings: Settings
    owner_email: str
    export_id: str


@dataclass
class Source:
    endpoint: str
    database_url: str
    redis_url: str
    key: str
    backup_output: str
    rows: dict[str, Any]
    objects: dict[str, tuple[int, str]]
    secrets: list[str]
    owner_email: str = ""
    export_id: str = ""

    def env(self, **values: str) -> dict[str, str]:
        base = {name: value for name, value in os.environ.items()
                if not name.startswith(("DATABASE_", "STORAGE_", "BACKUP_", "REDIS_"))}
        return {**base, **AWS, "ENVIRONMENT": "production", "SECRET_KEY": TEST_SECRET,
                "STORAGE_ENDPOINT_URL": self.endpoint, "BACKUP_ENDPOINT_URL": self.endpoint,
                "BACKUP_URL": f"s3://{OFFSITE}/drill", "BACKUP_ENCRYPTION_KEY": self.key,
                **values}


def ariaforge(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ariaforge", *args], env=env, text=True,
                          capture_output=True, timeout=CLI_LIMIT_S, check=False)


def _song(pitches: list[int]) -> bytes:
    from ariaforge.music.interchange import write_midi
    from ariaforge.music.score import Key, Mode, Note, Role, Score, Track

    notes = [Note(pitch=p, start=i * 480, duration=480, velocity=90)
             for i, p in enumerate(pitches)]
    return write_midi(Score(tempo=110, key=Key(tonic="C", mode=Mode.MAJOR), bars=2, tracks=[
        Track(id="lead", name="Lead", role=Role.MELODY, program=0, notes=notes),
        Track(id="bass", name="Bass", role=Role.BASS, program=33,
              notes=[Note(pitch=36, start=0, duration=1920)])]))


async def _fill(settings: Settings) -> tuple[str, str]:
    """Two users, two projects with imported scores, edits (versions), a shared member, a
    mix, and an export rendered by a real worker into the S3 storage. Returns the owner's
    e-mail and the export's id."""
    from ariaforge.main import create_app
    from ariaforge.queue.worker import Worker, WorkerConfig
    from ariaforge.tasks import all_handlers

    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
        owner_email, owner = await new_user(client, "owner")
        guest_email, _ = await new_user(client, "guest")
        projects = []
        for name, pitches in (("Waltz", [60, 64, 67, 72]), ("Étude", [62, 65, 69, 74, 72])):
            answer = await client.post(f"{API}/projects", headers=owner, json={"name": name})
            assert answer.status_code == 201, answer.text
            project = answer.json()["id"]
            imported = await client.post(f"{API}/projects/{project}/import", headers=owner,
                                         files={"file": ("song.mid", _song(pitches),
                                                         "audio/midi")})
            assert imported.status_code == 200, imported.text
            tracks = (await client.get(f"{API}/projects/{project}/tracks",
                                       headers=owner)).json()
            renamed = await client.patch(f"{API}/projects/{project}/tracks/{tracks[0]['id']}",
                                         headers=owner, json={"name": f"{name} lead"})
            assert renamed.status_code == 200, renamed.text
            projects.append(project)
        shared = await client.post(f"{API}/projects/{projects[0]}/members", headers=owner,
                                   json={"email": guest_email, "role": "editor"})
        assert shared.status_code == 201, shared.text
        mixed = await client.put(f"{API}/projects/{projects[0]}/mix", headers=owner,
                                 json={"settings": {"master": {"gain_db": -2.0}}})
        assert mixed.status_code == 200, mixed.text
        export = await client.post(f"{API}/projects/{projects[0]}/exports", headers=owner,
                                   json={"format": "mp3", "include_stems": True,
                                         "include_midi": True})
        assert export.status_code == 202, export.text
        worker = Worker(app.state.redis, app.state.sessionmaker, handlers=all_handlers(),
                        config=WorkerConfig(block_s=0.2), settings=settings)
        deadline = time.monotonic() + WORK_LIMIT_S
        status = "queued"
        while status not in ("succeeded", "failed", "dead") and time.monotonic() < deadline:
            await worker.run_once(block_s=0.2)
            status = (await client.get(f"{API}/exports/{export.json()['id']}",
                                       headers=owner)).json()["status"]
        assert status == "succeeded"
    return owner_email, export.json()["id"]


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in AWS.items():
            patch.setenv(name, value)
        client = boto3.client("s3", endpoint_url=endpoint)
        for bucket in (STORAGE, OFFSITE, RESTORED):
            client.create_bucket(Bucket=bucket)
        try:
            yield endpoint
        finally:
            server.stop()


@pytest.fixture(scope="module")
def source_services() -> Iterator[EmbeddedServices]:
    with migrated_services() as services:
        yield services


@pytest.fixture(scope="module")
async def filled(source_services: EmbeddedServices, moto_endpoint: str) -> Filled:
    settings = Settings(environment=Environment.TESTING, secret_key=TEST_SECRET,
                        database_url=source_services.database_url,
                        redis_url=source_services.redis_url,
                        ariaforge_home=source_services.home, storage_url=f"s3://{STORAGE}/app",
                        storage_endpoint_url=moto_endpoint)
    owner, export = await _fill(settings)
    return Filled(settings, owner, export)


@pytest.fixture(scope="module")
def source(filled: Filled, source_services: EmbeddedServices, moto_endpoint: str) -> Source:
    """The running system, filled through the app, then backed up by the CLI."""
    settings = filled.settings
    assert settings.database_url and settings.redis_url and source_services.postgres
    key = generate_key()
    made = Source(moto_endpoint, settings.database_url, settings.redis_url, key, "", {}, {},
                  [source_services.postgres.password, key, AWS["AWS_SECRET_ACCESS_KEY"]])
    done = ariaforge(made.env(DATABASE_URL=settings.database_url,
                              STORAGE_URL=f"s3://{STORAGE}/app"), "backup")
    assert done.returncode == 0, done.stderr
    made.backup_output = done.stdout + done.stderr
    made.rows = database_snapshot(settings.database_url)
    made.objects = objects_snapshot(moto_endpoint, STORAGE, "app")
    made.owner_email, made.export_id = filled.owner_email, filled.export_id
    return made


@pytest.fixture(scope="module")
def fresh_server() -> Iterator[EmbeddedPostgres]:
    """A second PostgreSQL server, new and empty, as after losing the first."""
    with outside_pytest_tmp() as home:
        server = EmbeddedPostgres(home)
        server.start()
        try:
            yield server
        finally:
            server.stop()


def _new_database(server: EmbeddedPostgres, name: str) -> str:
    with psycopg.connect(libpq_url(server.url("postgres")), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.url(name)


def _assert_no_secret(source: Source, *outputs: str) -> None:
    for output in outputs:
        for secret in source.secrets:
            assert secret not in output
        assert "Traceback" not in output


async def _download_export(settings: Settings, email: str,
                           export_id: str) -> tuple[str, str, bytes]:
    """The export's mix as its owner downloads it from the app on `settings`: its name,
    the signed URL it came from and its bytes."""
    from ariaforge.main import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
        owner = bearer(await login(client, email))
        export = (await client.get(f"{API}/exports/{export_id}", headers=owner)).json()
        mix = next(item for item in export["files"] if item["kind"] == "mix")
        link = await client.get(mix["url"], headers=owner)
        assert link.status_code == 307, link.text  # a signed URL of the restored bucket
        async with httpx.AsyncClient() as outside:
            audio = await outside.get(link.headers["location"])
        assert audio.status_code == 200
        return mix["name"], link.headers["location"], audio.content


async def test_restore_into_a_fresh_server_reproduces_every_row_and_object(
        source: Source, fresh_server: EmbeddedPostgres) -> None:
    # The data is what a drill needs: users, projects, versions, an export, its audio.
    for table in ("users", "projects", "score_versions", "project_members", "project_mixes",
                  "exports", "jobs"):
        assert source.rows[table][0] >= 1, table
    assert len(source.objects) >= 4
    assert any(key.endswith(".mp3") for key in source.objects)
    assert re.search(r"objects\.bin\.enc: \d+ bytes", source.backup_output)
    target = fresh_server.url()
    env = source.env(DATABASE_URL=target, STORAGE_URL=f"s3://{RESTORED}/app")
    listed = ariaforge(env, "backup", "--list")
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^\s+\d{8}T\d{6}Z-[0-9a-f]{6} .* schema \S+", listed.stdout, re.M)
    verified = ariaforge(env, "backup", "--verify", "latest")
    assert verified.returncode == 0, verified.stderr
    assert user_tables(target) == []  # verifying writes nothing
    restored = ariaforge(env, "restore", "latest")
    assert restored.returncode == 0, restored.stderr
    # The new infrastructure's Redis (`migrate` checks the production settings).
    migrated = ariaforge({**env, "REDIS_URL": source.redis_url}, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    print(source.backup_output, restored.stdout, listed.stdout, sep="\n")  # for CI logs
    assert database_snapshot(target) == source.rows
    assert objects_snapshot(source.endpoint, RESTORED, "app") == source.objects
    # The restored system serves what the lost one did: the owner logs in and downloads.
    restored_app = Settings(environment=Environment.TESTING, secret_key=TEST_SECRET,
                            database_url=target, redis_url=source.redis_url,
                            ariaforge_home=fresh_server.root, storage_url=f"s3://{RESTORED}/app",
                            storage_endpoint_url=source.endpoint)
    name, url, audio = await _download_export(restored_app, source.owner_email,
                                              source.export_id)
    assert url.startswith(f"{source.endpoint}/{RESTORED}/app/exports/{source.export_id}/")
    assert source.objects[f"exports/{source.export_id}/{name}"] == (
        len(audio), hashlib.sha256(audio).hexdigest())
    _assert_no_secret(source, source.backup_output, listed.stdout + listed.stderr,
                      verified.stdout + verified.stderr, restored.stdout + restored.stderr)


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(
        source: Source) -> None:
    env = source.env(DATABASE_URL=source.database_url, STORAGE_URL=f"s3://{STORAGE}/app")
    refused = ariaforge(env, "restore", "latest")
    assert refused.returncode != 0
    assert "refusing to restore" in refused.stderr
    assert database_snapshot(source.database_url) == source.rows
    assert objects_snapshot(source.endpoint, STORAGE, "app") == source.objects
    _assert_no_secret(source, refused.stdout + refused.stderr)


def _copy_set(endpoint: str, into: str) -> list[str]:
    """The newest set copied under another prefix of the off-site bucket; its keys."""
    client = boto3.client("s3", endpoint_url=endpoint)
    keys = [item["Key"] for item in client.list_objects_v2(
        Bucket=OFFSITE, Prefix="drill/")["Contents"]]
    for key in keys:
        client.copy_object(Bucket=OFFSITE, Key=f"{into}/{key.removeprefix('drill/')}",
                           CopySource={"Bucket": OFFSITE, "Key": key})
    return [f"{into}/{key.removeprefix('drill/')}" for key in keys]


@pytest.mark.parametrize("part", ["database.dump.enc", "objects.bin.enc", "manifest.json.enc"])
def test_a_changed_part_fails_the_restore(source: Source, fresh_server: EmbeddedPostgres,
                                          part: str) -> None:
    client = boto3.client("s3", endpoint_url=source.endpoint)
    copied = _copy_set(source.endpoint, f"tampered-{part.split('.')[0]}")
    victim = next(key for key in copied if key.endswith(f"/{part}"))
    data = bytearray(client.get_object(Bucket=OFFSITE, Key=victim)["Body"].read())
    data[len(data) // 2] ^= 0x01
    client.put_object(Bucket=OFFSITE, Key=victim, Body=bytes(data))
    target = _new_database(fresh_server, f"tampered_{part.split('.')[0]}")
    storage = f"s3://{RESTORED}/tampered-{part.split('.')[0]}"
    env = source.env(DATABASE_URL=target, STORAGE_URL=storage,
                     BACKUP_URL=f"s3://{OFFSITE}/{victim.split('/')[0]}")
    verified = ariaforge(env, "backup", "--verify", "latest")
    assert verified.returncode != 0
    failed = ariaforge(env, "restore", "latest")
    assert failed.returncode != 0
    for done in (verified, failed):
        assert "fails authentication" in done.stderr or "checksum" in done.stderr
        _assert_no_secret(source, done.stdout + done.stderr)
    assert user_tables(target) == []


def test_the_wrong_key_fails_cleanly(source: Source, fresh_server: EmbeddedPostgres) -> None:
    target = _new_database(fresh_server, "wrong_key")
    env = source.env(DATABASE_URL=target, STORAGE_URL=f"s3://{RESTORED}/wrong-key",
                     BACKUP_ENCRYPTION_KEY=generate_key())
    failed = ariaforge(env, "restore", "latest")
    assert failed.returncode != 0
    assert "was encrypted with key id" in failed.stderr
    assert user_tables(target) == []
    assert objects_snapshot(source.endpoint, RESTORED, "wrong-key") == {}
    _assert_no_secret(source, failed.stdout + failed.stderr)
