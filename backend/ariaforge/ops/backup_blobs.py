"""Blob stores as backups see them: the app's object storage (read for a backup, written
by a restore) and the backup destination, each a local folder or an S3 bucket + prefix.

`ariaforge.core.storage` serves the app and has no listing; a backup must list every
object, and streams whole stores, so it reads them here, synchronously.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from ariaforge.ops.backup_errors import BackupError

# Files LocalStorage is still writing (it renames them when complete).
_PARTIAL_SUFFIX = ".partial"
GCS_ENDPOINT = "https://storage.googleapis.com"


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class BlobStore(Protocol):
    @property
    def display(self) -> str: ...
    def list_keys(self, prefix: str = "") -> Iterator[str]: ...
    def open(self, key: str) -> Readable: ...
    def put(self, key: str, source: Readable) -> None: ...
    def delete(self, keys: list[str]) -> None: ...


class BlobMissingError(BackupError):
    pass


class LocalBlobs:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def display(self) -> str:
        return urlunsplit(("file", "", str(self.root), "", ""))

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        base = self.root / prefix if prefix else self.root
        if not base.is_dir():
            return
        for folder, dirs, files in os.walk(base):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith(_PARTIAL_SUFFIX) and not name.startswith("."):
                    yield (Path(folder) / name).relative_to(self.root).as_posix()

    def open(self, key: str) -> IO[bytes]:
        try:
            return (self.root / key).open("rb")
        except FileNotFoundError:
            raise BlobMissingError(f"{key} is missing from {self.display}") from None

    def put(self, key: str, source: Readable) -> None:
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}{_PARTIAL_SUFFIX}")
        with partial.open("wb") as handle:
            shutil.copyfileobj(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(target)

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            (self.root / key).unlink(missing_ok=True)
        for folder in {(self.root / key).parent for key in keys}:
            if folder != self.root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


class S3Blobs:
    def __init__(self, bucket: str, prefix: str, client: Any, scheme: str = "s3") -> None:
        self.scheme = scheme
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client

    @property
    def display(self) -> str:
        root = f"{self.scheme}://{self.bucket}"
        return f"{root}/{self.prefix}" if self.prefix else root

    def _full(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        start = self._full(prefix) if prefix else (f"{self.prefix}/" if self.prefix else "")
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start)
        cut = len(self.prefix) + 1 if self.prefix else 0
        for page in pages:
            for item in page.get("Contents", []):
                yield str(item["Key"])[cut:]

    def open(self, key: str) -> Readable:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._full(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise BlobMissingError(f"{key} is missing from {self.display}") from None
            raise
        body: Readable = answer["Body"]
        return body

    def put(self, key: str, source: Readable) -> None:
        # Multipart for large parts; a stream needs no temporary file.
        self.client.upload_fileobj(source, self.bucket, self._full(key))

    def delete(self, keys: list[str]) -> None:
        if self.scheme == "gs":  # GCS's XML API has no multi-object delete
            for key in keys:
                self.client.delete_object(Bucket=self.bucket, Key=self._full(key))
            return
        for start in range(0, len(keys), 1000):  # S3's limit per request
            batch = [{"Key": self._full(key)} for key in keys[start:start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch})


def _client(endpoint_url: str | None, access_key_id: str | None,
            secret_access_key: str | None, gcs: bool) -> Any:
    import boto3

    options: dict[str, Any] = {"endpoint_url": endpoint_url or None}
    if access_key_id and secret_access_key:
        options.update(aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key)
    if gcs:  # GCS's S3-interoperable XML API, configured as ariaforge.core.storage does
        from botocore.config import Config

        options.update(endpoint_url=endpoint_url or GCS_ENDPOINT, region_name=os.environ.get(
            "AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or "auto", config=Config(
            signature_version="s3v4", s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required"))
    return boto3.client("s3", **options)


def open_store(url: str, *, endpoint_url: str | None = None,
               access_key_id: str | None = None, secret_access_key: str | None = None,
               what: str = "STORAGE_URL") -> BlobStore:
    """A store for `s3://bucket/prefix`, `gs://bucket/prefix` or `file:///path`."""
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.path:
        return LocalBlobs(Path(parts.path))
    if parts.scheme in ("s3", "gs") and parts.netloc:
        gcs = parts.scheme == "gs"
        client = _client(endpoint_url, access_key_id, secret_access_key, gcs)
        return S3Blobs(parts.netloc, parts.path, client, scheme=parts.scheme)
    raise BackupError(f"{what} must be s3://bucket/prefix, gs://bucket/prefix or file:///path")
