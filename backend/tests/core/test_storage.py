"""Object storage: the local folder, and S3 through a real moto server on loopback."""

from __future__ import annotations

from pathlib import Path

import boto3
import httpx
import pytest

from ariaforge.core.storage import (
    LocalStorage,
    ObjectNotFoundError,
    S3Storage,
    Storage,
    StorageError,
    create_storage,
)


@pytest.fixture
def s3(moto_endpoint: str, aws_env: None) -> S3Storage:
    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(Bucket="renders")
    storage = create_storage("s3://renders/ariaforge", Path("/unused"), moto_endpoint)
    assert isinstance(storage, S3Storage)
    return storage


async def _read(storage: Storage, key: str) -> bytes:
    return b"".join([chunk async for chunk in storage.stream(key)])


async def _round_trip(storage: Storage, tmp_path: Path) -> None:
    source = tmp_path / "song.mp3"
    source.write_bytes(b"ID3" + bytes(range(256)) * 2000)
    assert await storage.put_file("exports/abc/song.mp3", source, "audio/mpeg") == 512_003
    assert await storage.size("exports/abc/song.mp3") == 512_003
    assert await _read(storage, "exports/abc/song.mp3") == source.read_bytes()
    source.write_bytes(b"second")  # writes overwrite: retried jobs stay idempotent
    await storage.put_file("exports/abc/song.mp3", source, "audio/mpeg")
    assert await _read(storage, "exports/abc/song.mp3") == b"second"
    assert await storage.size("exports/abc/missing.wav") is None
    with pytest.raises(ObjectNotFoundError):
        await _read(storage, "exports/abc/missing.wav")
    await storage.delete_prefix("exports/abc")
    assert await storage.size("exports/abc/song.mp3") is None


async def test_local_storage(tmp_path: Path) -> None:
    await _round_trip(LocalStorage(tmp_path / "store"), tmp_path)
    assert await LocalStorage(tmp_path).signed_url("a/b.wav", "b.wav", 60) is None


async def test_s3_storage_against_moto_server(s3: S3Storage, tmp_path: Path) -> None:
    await _round_trip(s3, tmp_path)


async def test_s3_signed_urls_expire_and_name_the_file(s3: S3Storage, tmp_path: Path) -> None:
    source = tmp_path / "mix.flac"
    source.write_bytes(b"fLaC-data")
    await s3.put_file("exports/x/mix.flac", source, "audio/flac")
    url = await s3.signed_url("exports/x/mix.flac", "My Song.flac", 120)
    assert url is not None
    assert "Expires=" in url  # signature v2 or v4, both carry the expiry
    async with httpx.AsyncClient() as http:
        answer = await http.get(url)
    assert answer.status_code == 200
    assert answer.content == b"fLaC-data"
    assert 'filename="My Song.flac"' in answer.headers["content-disposition"]


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a//b", "a/../b", "", "a b", ".x"])
async def test_bad_keys_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(StorageError):
        await LocalStorage(tmp_path).size(key)


def test_storage_urls(tmp_path: Path) -> None:
    assert isinstance(create_storage(None, tmp_path), LocalStorage)
    assert isinstance(create_storage(f"file://{tmp_path}", tmp_path), LocalStorage)
    with pytest.raises(StorageError):
        create_storage("ftp://somewhere", tmp_path)
