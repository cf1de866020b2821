from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ariaforge.config import (
    ConfigurationError,
    Environment,
    Settings,
    load_or_create_secret_key,
)
from ariaforge.core.db import async_database_url
from ariaforge.main import create_app


def test_env_names_from_the_seed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://ariaforge:pw@db:5432/ariaforge")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379")
    monkeypatch.setenv("ENVIRONMENT", "staging")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("ALLOWED_HOSTS", "api.example,*.example")
    monkeypatch.setenv("ARIAFORGE_HOME", str(tmp_path))
    settings = Settings()
    assert settings.environment is Environment.STAGING
    assert settings.log_level == "DEBUG"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.allowed_hosts == ["api.example", "*.example"]
    assert not settings.uses_embedded_database and not settings.uses_embedded_redis
    assert settings.ariaforge_home == tmp_path.resolve()


def test_bad_log_level_is_refused() -> None:
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        Settings(log_level="chatty")


def test_password_hash_cost_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSWORD_HASH_TIME_COST", "4")
    monkeypatch.setenv("PASSWORD_HASH_MEMORY_KIB", "131072")
    settings = Settings()
    assert (settings.password_hash_time_cost, settings.password_hash_memory_kib) == (4, 131072)


@pytest.mark.parametrize(("name", "value"), [
    ("PASSWORD_HASH_TIME_COST", "0"),
    ("PASSWORD_HASH_TIME_COST", "three"),
    ("PASSWORD_HASH_MEMORY_KIB", "31"),  # under 8 KiB for each of the 4 lanes
    ("PASSWORD_HASH_MEMORY_KIB", str(4 * 1_048_576 + 1)),
])
def test_bad_password_hash_costs_are_refused(name: str, value: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name.lower()):
        Settings()


@pytest.mark.parametrize(("changes", "complaint"), [
    ({"secret_key": None}, "SECRET_KEY"),
    ({"secret_key": "change-me"}, "SECRET_KEY"),
    ({"secret_key": "short"}, "SECRET_KEY"),
    ({"database_url": None}, "DATABASE_URL"),
    ({"redis_url": None}, "REDIS_URL"),
    ({"allowed_hosts": ["*"]}, "ALLOWED_HOSTS"),
    ({"storage_url": None}, "STORAGE_URL"),
    ({"storage_url": "file:///srv/ariaforge"}, "STORAGE_URL"),
])
def test_production_refuses_unsafe_settings(changes: dict[str, Any], complaint: str,
                                            tmp_path: Path) -> None:
    safe: dict[str, Any] = {"environment": Environment.PRODUCTION, "secret_key": "k" * 40,
            "database_url": "postgresql://db/x", "redis_url": "redis://r",
            "allowed_hosts": ["api.example"], "ariaforge_home": tmp_path,
            "storage_url": "s3://bucket/ariaforge"}
    Settings(**safe).check_production_safety()  # the safe baseline passes
    settings = Settings(**{**safe, **changes})
    with pytest.raises(ConfigurationError, match=complaint):
        settings.check_production_safety()
    with pytest.raises(ConfigurationError, match=complaint):
        create_app(settings)


def test_development_secret_is_generated_once_and_private(tmp_path: Path) -> None:
    settings = Settings(ariaforge_home=tmp_path / "home", secret_key=None)
    first = load_or_create_secret_key(settings)
    assert len(first) >= 48
    assert load_or_create_secret_key(settings) == first
    assert (tmp_path / "home" / "secret_key").stat().st_mode & 0o777 == 0o600
    other = Settings(ariaforge_home=tmp_path / "other", secret_key=None)
    assert load_or_create_secret_key(other) != first


@pytest.mark.parametrize(("given", "expected"), [
    ("postgresql://u:p@h:5432/d", "postgresql+asyncpg://u:p@h:5432/d"),
    ("postgres://u:p@h/d", "postgresql+asyncpg://u:p@h/d"),
    ("postgresql+asyncpg://u@h/d", "postgresql+asyncpg://u@h/d"),
    ("postgresql://u@h/d?sslmode=require", "postgresql+asyncpg://u@h/d?ssl=require"),
])
def test_database_urls_from_the_seed_use_asyncpg(given: str, expected: str) -> None:
    assert async_database_url(given) == expected
