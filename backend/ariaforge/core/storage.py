"""Object storage behind one interface: a local folder, or S3-compatible (boto3).

`STORAGE_URL` chooses: unset → `ARIAFORGE_HOME/storage`; `file:///path` → that folder;
`s3://bucket/prefix` → S3 (credentials from the standard AWS variables;
`STORAGE_ENDPOINT_URL` for S3-compatible services such as MinIO). Keys are relative,
slash-separated names chosen by us; writes overwrite, so retried jobs stay idempotent.
"""

from __future__ import annotations

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


class S3Storage:
    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None = None) -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url)

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

    async def delete_prefix(self, prefix: str) -> None:
        def delete() -> None:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self._key(prefix) + "/")
            for page in pages:
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if keys:
                    self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})

        await to_thread.run_sync(delete)

    async def signed_url(self, key: str, filename: str, expires_s: int) -> str | None:
        """A short-lived URL; the caller has already checked the user's role."""
        url: str = await to_thread.run_sync(lambda: self.client.generate_presigned_url(
            "get_object", ExpiresIn=expires_s, Params={
                "Bucket": self.bucket, "Key": self._key(key),
                "ResponseContentDisposition": f'attachment; filename="{filename}"'}))
        return url


def create_storage(url: str | None, home: Path, endpoint_url: str | None = None) -> Storage:
    if not url:
        return LocalStorage(home / "storage")
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalStorage(Path(parts.path))
    if parts.scheme == "s3" and parts.netloc:
        return S3Storage(parts.netloc, parts.path, endpoint_url)
    raise StorageError(f"STORAGE_URL must be s3://bucket/prefix or file:///path, not {url!r}")
