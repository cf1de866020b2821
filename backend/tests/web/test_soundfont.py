"""The SoundFont the browser player loads: the very file the worker renders with, public,
content-addressed and cacheable for ever; 404 for another hash, 503 when the configured
file is gone."""

from __future__ import annotations

import hashlib
import os
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
from fastapi import FastAPI

from ariaforge.audio.soundfont import default_soundfont_path
from ariaforge.web.soundfont import default_soundfont
from tests.conftest import assert_error, overridden_settings

API = "/api/v1"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def serving(app: FastAPI, soundfont: Path | None) -> AbstractContextManager[None]:
    """The app with SOUNDFONT_PATH set to `soundfont` for the duration."""
    return overridden_settings(app, soundfont_path=soundfont)


def test_the_light_lookup_finds_the_renderers_default_file() -> None:
    assert default_soundfont() == default_soundfont_path()


async def test_the_info_names_the_render_soundfont_without_an_account(
        client: httpx.AsyncClient) -> None:
    expected = default_soundfont_path()
    answer = await client.get(f"{API}/soundfont")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    digest = sha256_of(expected)
    assert body == {"url": f"{API}/soundfont/{digest}.sf2", "sha256": digest,
                    "bytes": expected.stat().st_size, "name": "TimGM6mb.sf2"}


async def test_the_file_is_the_same_bytes_cached_for_a_year(client: httpx.AsyncClient) -> None:
    info = (await client.get(f"{API}/soundfont")).json()
    answer = await client.get(info["url"])
    assert answer.status_code == 200
    assert answer.content == default_soundfont_path().read_bytes()
    assert hashlib.sha256(answer.content).hexdigest() == info["sha256"]
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert answer.headers["etag"] == f'"{info["sha256"]}"'
    assert answer.headers["content-type"] == "application/octet-stream"

    again = await client.get(info["url"], headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


async def test_another_hash_is_not_found_and_a_malformed_one_is_refused(
        client: httpx.AsyncClient) -> None:
    info = (await client.get(f"{API}/soundfont")).json()
    other = "0" * 64 if info["sha256"] != "0" * 64 else "1" * 64
    assert_error(await client.get(f"{API}/soundfont/{other}.sf2"), 404, "NOT_FOUND")
    assert_error(await client.get(f"{API}/soundfont/{info['sha256'].upper()}.sf2"), 422,
                 "VALIDATION_ERROR")
    assert_error(await client.get(f"{API}/soundfont/abc.sf2"), 422, "VALIDATION_ERROR")


async def test_a_configured_soundfont_is_served_and_a_changed_file_gets_a_new_name(
        client: httpx.AsyncClient, app: FastAPI, tmp_path: Path) -> None:
    custom = tmp_path / "Band.sf2"
    custom.write_bytes(default_soundfont_path().read_bytes()[:4096])
    with serving(app, custom):
        first = (await client.get(f"{API}/soundfont")).json()
        assert first["name"] == "Band.sf2"
        assert first["sha256"] == sha256_of(custom)
        assert (await client.get(first["url"])).content == custom.read_bytes()

        custom.write_bytes(b"RIFF" + bytes(8000))
        stat = custom.stat()
        os.utime(custom, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        second = (await client.get(f"{API}/soundfont")).json()
        assert second["sha256"] == sha256_of(custom) != first["sha256"]
        assert second["bytes"] == 8004
        assert_error(await client.get(first["url"]), 404, "NOT_FOUND")


async def test_a_missing_configured_file_is_an_outage_not_a_crash(
        client: httpx.AsyncClient, app: FastAPI, tmp_path: Path) -> None:
    with serving(app, tmp_path / "gone.sf2"):
        assert_error(await client.get(f"{API}/soundfont"), 503, "SERVICE_UNAVAILABLE")
        assert_error(await client.get(f"{API}/soundfont/{'a' * 64}.sf2"), 503,
                     "SERVICE_UNAVAILABLE")
