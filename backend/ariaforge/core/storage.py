"""Object storage behind one interface: a local folder, or S3-compatible (boto3).

`STORAGE_URL` chooses: unset → `ARIAFORGE_HOME/storage`; `file:///path` → that folder;
`s3://bucket/prefix` → S3 (credentials from the standard AWS variables;
`STORAGE_ENDPOINT_URL` for S3-compatible services such as MinIO); `gs://bucket/prefix` →
Google Cloud Storage through its S3-interoperable XML API (see `GCS_ENDPOINT`). Keys are
relative, slash-separated names chosen by us; writes overwrite, so retried jobs stay
idempotent.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from anyio import to_thread

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
CHUNK = 256 * 1024


class StorageError(RuntimeError):
    pass


class ObjectNotFoundError(StorageError):
    pass


def check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key.split("/") or len(key) > 512:
        raise StorageError(f"invalid storage key {key!r}")
    return key


class Storage(Protocol):
    async def put_file(self, key: str, path: Path, content_type: str) -> int: ...
    async def size(self, key: str) -> int | None: ...
    def stream(self, key: str) -> AsyncIterator[bytes]: ...
    async def delete_prefix(self, prefix: str) -> None: ...
    async def signed_url(self, key: str, filename: str, expires_s: int) -> str | None: ...


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put_file(self, key: str, path: Path, content_type: str) -> int:
        target = self._path(key)

        def copy() -> int:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(path, partial)
            partial.replace(target)  # readers never see half a file
            return target.stat().st_size

        return await to_thread.run_sync(copy)

    async def size(self, key: str) -> int | None:
        path = self._path(key)
        return await to_thread.run_sync(lambda: path.stat().st_size if path.is_file() else None)

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            handle = await to_thread.run_sync(path.open, "rb")
        except FileNotFoundError:
            raise ObjectNotFoundError(key) from None
        with handle:
            while chunk := await to_thread.run_sync(handle.read, CHUNK):
                yield chunk

    async def delete_prefix(self, prefix: str) -> None:
        await to_thread.run_sync(lambda: shutil.rmtree(self._path(prefix), ignore_errors=True))

    async def signed_url(self, key: str, filename: str, expires_s: int) -> str | None:
        return None  # served through the API, which checks the project's roles


# GCS is reached through its XML API, which speaks the S3 protocol, with HMAC keys of a
# service account in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. The alternative, the
# google-cloud-storage client, would be a second code path and a second dependency tree
# for the same five operations, and could not be tested against the moto server that
# tests S3; what the XML API lacks is handled here: no multi-object delete, and none of
# the CRC checksums that boto3 adds to requests by default (GCS refuses those requests).
GCS_ENDPOINT = "https://storage.googleapis.com"


def _gcs_config() -> Any:
    from botocore.config import Config

    return Config(signature_version="s3v4", s3={"addressing_style": "path"},
                  request_checksum_calculation="when_required",
                  response_checksum_validation="when_required")


class S3Storage:
    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None = None,
                 *, gcs: bool = False, signed_urls: bool = True) -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.gcs = gcs
        self.signed_urls = signed_urls
        if gcs:
            # GCS signs with any region name; "auto" is what its documentation uses.
            region = os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")
            self.client: Any = boto3.client(
                "s3", endpoint_url=endpoint_url or GCS_ENDPOINT,
                region_name=region or "auto", config=_gcs_config())
        else:
            self.client = boto3.client("s3", endpoint_url=endpoint_url)

    def _key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    async def put_file(self, key: str, path: Path, content_type: str) -> int:
        def upload() -> int:
            self.client.upload_file(str(path), self.bucket, self._key(key),
                                    ExtraArgs={"ContentType": content_type})
            return path.stat().st_size

        return await to_thread.run_sync(upload)

    async def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = await to_thread.run_sync(
                lambda: self.client.head_object(Bucket=self.bucket, Key=self._key(key)))
        except ClientError:
            return None
        return int(head["ContentLength"])

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            answer = await to_thread.run_sync(
                lambda: self.client.get_object(Bucket=self.bucket, Key=self._key(key)))
        except ClientError as error:
            raise ObjectNotFoundError(key) from error
        body = answer["Body"]
        try:
            while chunk := await to_thread.run_sync(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    async def download(self, key: str, path: Path) -> None:
        """Copy one object into a local file (for the read cache)."""
        from botocore.exceptions import ClientError

        try:
            await to_thread.run_sync(
                self.client.download_file, self.bucket, self._key(key), str(path))
        except ClientError as error:
            raise ObjectNotFoundError(key) from error

    async def delete_prefix(self, prefix: str) -> None:
        def delete() -> None:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self._key(prefix) + "/")
            for page in pages:
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if self.gcs:  # the XML API has no multi-object delete
                    for item in keys:
                        self.client.delete_object(Bucket=self.bucket, Key=item["Key"])
                elif keys:
                    self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})

        await to_thread.run_sync(delete)

    async def signed_url(self, key: str, filename: str, expires_s: int) -> str | None:
        """A short-lived URL; the caller has already checked the user's role. None when
        signed URLs are off: the API streams the file instead."""
        if not self.signed_urls:
            return None
        url: str = await to_thread.run_sync(lambda: self.client.generate_presigned_url(
            "get_object", ExpiresIn=expires_s, Params={
                "Bucket": self.bucket, "Key": self._key(key),
                "ResponseContentDisposition": f'attachment; filename="{filename}"'}))
        return url


def create_storage(url: str | None, home: Path, endpoint_url: str | None = None,
                   *, cache_max_mb: int = 0, signed_urls: bool = True) -> Storage:
    """The storage STORAGE_URL names. With `cache_max_mb`, remote storage keeps a local
    read cache of immutable objects under `home/cache` (core/storage_cache.py)."""
    if not url:
        return LocalStorage(home / "storage")
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalStorage(Path(parts.path))
    if parts.scheme in {"s3", "gs"} and parts.netloc:
        remote = S3Storage(parts.netloc, parts.path, endpoint_url, gcs=parts.scheme == "gs",
                           signed_urls=signed_urls)
        if cache_max_mb <= 0:
            return remote
        from ariaforge.core.storage_cache import CachedStorage, DiskCache

        return CachedStorage(remote, DiskCache(home / "cache" / "storage",
                                               cache_max_mb * 1_048_576))
    raise StorageError("STORAGE_URL must be s3://bucket/prefix, gs://bucket/prefix or "
                       f"file:///path, not {url!r}")
