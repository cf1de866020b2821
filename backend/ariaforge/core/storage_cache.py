"""A size-bounded local cache in front of remote object storage.

In production the home folder (a pod's emptyDir) holds nothing durable: stored files live
in object storage (STORAGE_URL). What is worth keeping near the API is what it serves over
and over and never changes: previews, whose keys are content hashes. Those are copied to
`ARIAFORGE_HOME/cache/storage` on first read; beyond CACHE_MAX_MB the entries read least
recently go first, so the volume cannot fill up and get the pod evicted.

Several uvicorn processes share the folder: files appear by atomic rename, and an entry
evicted by another process between two steps is simply fetched from storage again.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import suppress
from pathlib import Path

from anyio import to_thread

from ariaforge.core.storage import CHUNK, ObjectNotFoundError, S3Storage, check_key

# Keys whose content never changes once written (exports/previews.py: content-addressed).
IMMUTABLE_PREFIXES = ("previews/",)
# One object may take at most this share of the cache: a few huge files must not flush
# everything else out.
MAX_ENTRY_SHARE = 4


class DiskCache:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def lookup(self, key: str) -> Path | None:
        """The cached file, marked as just used (its mtime orders eviction)."""
        path = self.path(key)
        try:
            os.utime(path)
        except FileNotFoundError:
            return None
        return path

    def admits(self, size: int) -> bool:
        return size * MAX_ENTRY_SHARE <= self.max_bytes

    def partial(self, key: str) -> Path:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")

    def commit(self, key: str, partial: Path) -> Path:
        target = self.path(key)
        partial.replace(target)
        self.evict()
        return target

    def discard(self, prefix: str) -> None:
        root = self.path(prefix)
        for path in sorted(root.rglob("*"), reverse=True) if root.is_dir() else []:
            if path.is_file():
                path.unlink(missing_ok=True)

    def entries(self) -> list[tuple[float, int, Path]]:
        """(mtime, size, path) of every file, partial downloads included."""
        found = []
        for path in self.root.rglob("*") if self.root.is_dir() else []:
            try:
                stat = path.stat()
            except FileNotFoundError:  # evicted by another process meanwhile
                continue
            if path.is_file():
                found.append((stat.st_mtime, stat.st_size, path))
        return found

    def size(self) -> int:
        return sum(size for _, size, _ in self.entries())

    def evict(self) -> None:
        """Delete the least recently used files until the cache fits its limit."""
        entries = sorted(self.entries())
        total = sum(size for _, size, _ in entries)
        for _, size, path in entries:
            if total <= self.max_bytes:
                return
            path.unlink(missing_ok=True)
            total -= size


class CachedStorage:
    """Remote storage whose immutable objects are read through a local DiskCache."""

    def __init__(self, remote: S3Storage, cache: DiskCache) -> None:
        self.remote = remote
        self.cache = cache

    async def put_file(self, key: str, path: Path, content_type: str) -> int:
        return await self.remote.put_file(key, path, content_type)

    async def size(self, key: str) -> int | None:
        cached = self.cache.lookup(key) if key.startswith(IMMUTABLE_PREFIXES) else None
        if cached is not None:
            try:
                return cached.stat().st_size
            except FileNotFoundError:
                pass
        return await self.remote.size(key)

    async def _fill(self, key: str) -> Path | None:
        """The object copied into the cache; None when it is not cached (too large)."""
        size = await self.remote.size(key)
        if size is None:
            raise ObjectNotFoundError(key)
        if not self.cache.admits(size):
            return None
        partial = await to_thread.run_sync(self.cache.partial, key)
        try:
            await self.remote.download(key, partial)
            return await to_thread.run_sync(self.cache.commit, key, partial)
        except FileNotFoundError:  # evicted half-way by another process
            return None
        finally:
            partial.unlink(missing_ok=True)

    async def _cached_file(self, key: str) -> Path | None:
        if not key.startswith(IMMUTABLE_PREFIXES):
            return None
        return await to_thread.run_sync(self.cache.lookup, key) or await self._fill(key)

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        path = await self._cached_file(key)
        handle = None
        if path is not None:
            with suppress(FileNotFoundError):  # evicted by another process since
                handle = await to_thread.run_sync(path.open, "rb")
        if handle is None:
            async for chunk in self.remote.stream(key):
                yield chunk
            return
        with handle:
            while chunk := await to_thread.run_sync(handle.read, CHUNK):
                yield chunk

    async def delete_prefix(self, prefix: str) -> None:
        await self.remote.delete_prefix(prefix)
        await to_thread.run_sync(self.cache.discard, prefix)

    async def signed_url(self, key: str, filename: str, expires_s: int) -> str | None:
        return await self.remote.signed_url(key, filename, expires_s)
