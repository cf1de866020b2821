"""What a backup or restore works on, read from the settings and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ariaforge.config import Environment, Settings
from ariaforge.ops.backup_blobs import BlobStore, LocalBlobs, open_store
from ariaforge.ops.backup_crypto import BackupKey, parse_key
from ariaforge.ops.backup_database import tool_directory
from ariaforge.ops.backup_errors import BackupError


@dataclass(frozen=True)
class BackupConfig:
    database_url: str
    storage: BlobStore
    destination: BlobStore
    key: BackupKey | None  # encrypts new sets; None only outside production
    old_keys: tuple[BackupKey, ...]  # still read: sets made before a key rotation
    keep: int | None
    tools: Path

    def readable_keys(self) -> tuple[BackupKey, ...]:
        return ((self.key,) if self.key else ()) + self.old_keys


def storage_of(settings: Settings) -> BlobStore:
    if not settings.storage_url:  # as ariaforge.core.storage decides
        return LocalBlobs(settings.ariaforge_home / "storage")
    return open_store(settings.storage_url, endpoint_url=settings.storage_endpoint_url)


def destination_of(settings: Settings) -> BlobStore:
    production = settings.environment is Environment.PRODUCTION
    if not settings.backup_url:
        if production:
            raise BackupError("BACKUP_URL must name the off-site destination "
                              "(s3://bucket/prefix in another account, or file:///path)")
        return LocalBlobs(settings.ariaforge_home / "backups")
    return open_store(settings.backup_url, endpoint_url=settings.backup_endpoint_url,
                      access_key_id=settings.backup_access_key_id,
                      secret_access_key=settings.backup_secret_access_key, what="BACKUP_URL")


def _keys(settings: Settings) -> tuple[BackupKey | None, tuple[BackupKey, ...]]:
    key = (parse_key(settings.backup_encryption_key)
           if settings.backup_encryption_key else None)
    if key is None and settings.environment is Environment.PRODUCTION:
        raise BackupError("BACKUP_ENCRYPTION_KEY is required in ENVIRONMENT=production: "
                          "create one with `ariaforge backup --generate-key` and keep a copy "
                          "outside the cluster (without it no backup can be restored)")
    old = tuple(parse_key(text, "BACKUP_PREVIOUS_KEYS")
                for text in (settings.backup_previous_keys or "").split(",") if text.strip())
    return key, old


def _check_apart(storage: BlobStore, destination: BlobStore) -> None:
    inner, outer = sorted((storage.display.rstrip("/") + "/",
                           destination.display.rstrip("/") + "/"), key=len)
    if outer.startswith(inner):
        raise BackupError(f"BACKUP_URL ({destination.display}) overlaps STORAGE_URL "
                          f"({storage.display}): back up to another bucket or folder")


def load(settings: Settings, database_url: str) -> BackupConfig:
    storage, destination = storage_of(settings), destination_of(settings)
    _check_apart(storage, destination)
    key, old = _keys(settings)
    return BackupConfig(database_url=database_url, storage=storage, destination=destination,
                        key=key, old_keys=old, keep=settings.backup_keep,
                        tools=tool_directory(settings.pg_bin_dir))
