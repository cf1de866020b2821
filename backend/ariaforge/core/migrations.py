"""Run Alembic from code (used by `ariaforge up` / `migrate` and by the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from ariaforge.core.checkpoints import drop_checkpoints, setup_checkpoints

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _script_location() -> Path:
    source_tree = _PACKAGE_DIR.parent / "migrations"
    return source_tree if source_tree.is_dir() else _PACKAGE_DIR / "_migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_script_location()))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
    if revision == "head":  # LangGraph's own tables follow the current schema only
        setup_checkpoints(database_url)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)
    if revision == "base":
        drop_checkpoints(database_url)


def check(database_url: str) -> None:
    """Raise if the models and the migrated schema differ (a migration is missing)."""
    command.check(alembic_config(database_url))
