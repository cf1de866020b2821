"""Remote object storage as production uses it: GCS through its S3-compatible XML API, the
local read cache with its size guard, and the STORAGE_URL forms Settings accepts. Against a
real moto server on loopback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from ariaforge.config import Settings
from ariaforge.core.storage import GCS_ENDPOINT, S3Storage, Storage, create_storage
from ariaforge.core.storage_cache import CachedStorage

MB = 1_048_576


def _bucket(endpoint: str, name: str) -> Any:
    client = boto3.client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket=name)
    return client


async def _read(storage: Storage, key: str) -> bytes:
    return b"".join([chunk async for chunk in storage.stream(key)])


def _file(folder: Path, name: str, size: int, fill: int = 1) -> Path:
    path = folder / name
    path.write_bytes(bytes([fill]) * size)
    return path


# --- GCS ------------------------------------------------------------------------------


def test_gcs_goes_to_the_xml_api_by_default(aws_env: None, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    storage = create_storage("gs://media-bucket/ariaforge", tmp_path)
    assert isinstance(storage, S3Storage) and storage.gcs
    assert storage.client.meta.endpoint_url == GCS_ENDPOINT
    assert storage.client.meta.region_name == "auto"
    assert (storage.bucket, storage.prefix) == ("media-bucket", "ariaforge")
    s3 = create_storage("s3://media-bucket/ariaforge", tmp_path)
    assert isinstance(s3, S3Storage) and not s3.gcs


async def test_gcs_requests_avoid_what_the_xml_api_refuses(
        moto_endpoint: str, aws_env: None, tmp_path: Path) -> None:
    """No multi-object delete and no CRC checksum headers: GCS rejects both."""
    _bucket(moto_endpoint, "gcs-bucket")
    storage = create_storage("gs://gcs-bucket/app", tmp_path, moto_endpoint)
    assert isinstance(storage, S3Storage)
    operations: list[str] = []
    headers: list[dict[str, str]] = []
    storage.client.meta.events.register(
        "before-call.s3", lambda model, **_: operations.append(model.name))
    storage.client.meta.events.register(
        "before-send.s3", lambda request, **_: headers.append(dict(request.headers)))

    source = _file(tmp_path, "mix.mp3", 300_000)
    assert await storage.put_file("exports/e1/mix.mp3", source, "audio/mpeg") == 300_000
    await storage.put_file("exports/e1/score.mid", _file(tmp_path, "s.mid", 10), "audio/midi")
    assert await _read(storage, "exports/e1/mix.mp3") == source.read_bytes()
    url = await storage.signed_url("exports/e1/mix.mp3", "mix.mp3", 60)
    assert url is not None and "X-Amz-Signature=" in url and "/gcs-bucket/app/" in url
    await storage.delete_prefix("exports/e1")
    assert await storage.size("exports/e1/mix.mp3") is None
    assert await storage.size("exports/e1/score.mid") is None

    assert "DeleteObjects" not in operations
    assert operations.count("DeleteObject") == 2
    for sent in headers:
        names = {name.lower() for name in sent}
        assert not any(name.startswith("x-amz-checksum") for name in names), sent
        assert "x-amz-sdk-checksum-algorithm" not in names, sent
        assert "aws-chunked" not in str(sent.get("Content-Encoding", "")), sent


# --- the read cache and its size guard --------------------------------------------------


@pytest.fixture
def cached(moto_endpoint: str, aws_env: None, tmp_path: Path) -> CachedStorage:
    _bucket(moto_endpoint, "cached")
    storage = create_storage("s3://cached/app", tmp_path / "home", moto_endpoint,
                             cache_max_mb=1)
    assert isinstance(storage, CachedStorage)
    return storage


async def test_previews_are_read_through_the_cache(cached: CachedStorage,
                                                   tmp_path: Path) -> None:
    key = "previews/p1/abc.mp3"
    source = _file(tmp_path, "abc.mp3", 100_000, fill=7)
    await cached.put_file(key, source, "audio/mpeg")
    assert await _read(cached, key) == source.read_bytes()
    local = tmp_path / "home" / "cache" / "storage" / key
    assert local.read_bytes() == source.read_bytes()
    # Removed from the bucket behind the cache's back: the copy still serves it.
    cached.remote.client.delete_object(Bucket="cached", Key=f"app/{key}")
    assert await cached.size(key) == 100_000
    assert await _read(cached, key) == source.read_bytes()
    # Deleting through the storage forgets the copy too.
    await cached.delete_prefix("previews/p1")
    assert not local.exists()
    assert await cached.size(key) is None


async def test_exports_are_not_cached(cached: CachedStorage, tmp_path: Path) -> None:
    key = "exports/e1/mix.flac"
    await cached.put_file(key, _file(tmp_path, "mix.flac", 50_000), "audio/flac")
    assert len(await _read(cached, key)) == 50_000
    assert not (tmp_path / "home" / "cache").exists()


async def test_cache_evicts_the_least_recently_read(cached: CachedStorage,
                                                    tmp_path: Path) -> None:
    keys = [f"previews/p{number}/take.mp3" for number in range(6)]
    for number, key in enumerate(keys):
        await cached.put_file(key, _file(tmp_path, f"{number}.mp3", 250_000, number),
                              "audio/mpeg")
    root = tmp_path / "home" / "cache" / "storage"
    for number, key in enumerate(keys[:4]):  # 4 x 250 KB: fits in 1 MiB
        assert await _read(cached, key) == bytes([number]) * 250_000
        os.utime(root / key, (1_000 + number, 1_000 + number))  # a clear reading order
    # Read again, the oldest becomes the newest; then two more push two entries out.
    assert len(await _read(cached, keys[0])) == 250_000
    for key in keys[4:]:
        assert len(await _read(cached, key)) == 250_000
    present = {key for key in keys if (root / key).exists()}
    assert present == {keys[0], keys[3], keys[4], keys[5]}
    assert cached.cache.size() <= MB
    # Evicted entries are still served, from the bucket.
    assert await _read(cached, keys[1]) == bytes([1]) * 250_000


async def test_objects_too_large_for_the_cache_stream_from_storage(
        cached: CachedStorage, tmp_path: Path) -> None:
    key = "previews/big/take.mp3"
    await cached.put_file(key, _file(tmp_path, "big.mp3", 400_000), "audio/mpeg")
    assert len(await _read(cached, key)) == 400_000
    assert not (tmp_path / "home" / "cache" / "storage" / key).exists()


async def test_downloads_stream_when_signed_urls_are_off(
        moto_endpoint: str, aws_env: None, tmp_path: Path) -> None:
    """For storage that browsers cannot reach (MinIO inside compose): no URL to redirect
    to, so the download endpoint streams the file through the API."""
    _bucket(moto_endpoint, "inside")
    for cache_max_mb in (0, 1):
        storage = create_storage("s3://inside/app", tmp_path, moto_endpoint,
                                 cache_max_mb=cache_max_mb, signed_urls=False)
        await storage.put_file("exports/e/mix.flac", _file(tmp_path, "m.flac", 10), "audio/flac")
        assert await storage.signed_url("exports/e/mix.flac", "mix.flac", 60) is None
        assert await _read(storage, "exports/e/mix.flac") == bytes([1]) * 10
    assert Settings(ariaforge_home=tmp_path).storage_signed_urls


def test_cache_can_be_turned_off(aws_env: None, tmp_path: Path) -> None:
    assert isinstance(create_storage("s3://b/p", tmp_path, cache_max_mb=0), S3Storage)


# --- STORAGE_URL forms ---------------------------------------------------------------


@pytest.mark.parametrize("url", ["s3://bucket", "s3://bucket/a/prefix", "gs://bucket/p",
                                 "file:///srv/ariaforge/files"])
def test_storage_urls_settings_accept(url: str, tmp_path: Path) -> None:
    assert Settings(storage_url=url, ariaforge_home=tmp_path).storage_url == url


@pytest.mark.parametrize("url", ["bucket/prefix", "s3:///prefix", "gcs://bucket/p",
                                 "file://relative/path", "https://minio:9000/bucket"])
def test_storage_urls_settings_refuse(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="STORAGE_URL"):
        Settings(storage_url=url, ariaforge_home=tmp_path)
