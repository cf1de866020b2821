"""`ariaforge backup` and `ariaforge restore` (ops/backup_*.py does the work).

Every failure exits non-zero with one message and no traceback; messages and output never
hold a password (URLs are shown without theirs).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:  # the commands import what they use when they run
    from ariaforge.config import Settings
    from ariaforge.ops.backup_config import BackupConfig

T = TypeVar("T")

HomeOption = Annotated[Path | None, typer.Option(
    "--home", help="Data folder (embedded database, local storage); env ARIAFORGE_HOME.")]
UnencryptedOption = Annotated[bool, typer.Option(
    "--allow-unencrypted", help="Accept a set made without a key although a key is set.")]


def _say(line: str) -> None:
    typer.echo(line)


def _settings(home: Path | None) -> Settings:
    if home is not None:
        os.environ["ARIAFORGE_HOME"] = str(home.expanduser().resolve())
    from ariaforge.config import get_settings

    get_settings.cache_clear()
    return get_settings()


@contextmanager
def _database_url(settings: Settings) -> Iterator[str]:
    """DATABASE_URL, or the embedded database of the data folder (that of a running
    `ariaforge up`, else started for the command)."""
    if settings.database_url:
        yield settings.database_url
        return
    from ariaforge.core.embedded import EmbeddedServiceError
    from ariaforge.core.services import provide_services

    try:
        with provide_services(settings) as urls:
            yield urls.database_url
    except EmbeddedServiceError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _guarded(action: Callable[[], T]) -> T:
    """Run `action`; any failure becomes one redacted line on stderr and exit code 1."""
    from ariaforge.ops.backup_errors import BackupError, redact

    try:
        return action()
    except BackupError as error:
        message = str(error)
    except Exception as error:  # storage, network, database: said, not dumped
        message = f"{type(error).__name__}: {error}"
    typer.echo(f"error: {redact(message)}", err=True)
    raise typer.Exit(1)


def backup(
    home: HomeOption = None,
    list_sets: Annotated[bool, typer.Option(
        "--list", help="List the backup sets at BACKUP_URL and exit.")] = False,
    verify: Annotated[str | None, typer.Option(
        "--verify", metavar="BACKUP_ID|latest",
        help="Read a set back and check every checksum; writes nothing.")] = None,
    generate_key: Annotated[bool, typer.Option(
        "--generate-key", help="Print a new BACKUP_ENCRYPTION_KEY and exit.")] = False,
    allow_unencrypted: UnencryptedOption = False,
) -> None:
    """Back up the database and every stored object, encrypted, to BACKUP_URL.

    One set: a pg_dump, the objects of STORAGE_URL with their manifest (key, size,
    sha256), and an index; then sets beyond BACKUP_KEEP are deleted. Exits non-zero on
    any failure."""
    if generate_key:
        from ariaforge.ops.backup_crypto import generate_key as new_key

        typer.echo(new_key())
        return
    from ariaforge.ops.backup_config import load

    settings = _settings(home)
    if list_sets or verify is not None:  # the destination and the key, no database
        config = _guarded(lambda: load(settings, settings.database_url or ""))
        if list_sets:
            _guarded(lambda: _print_sets(config))
        else:
            from ariaforge.ops.backup_restore import verify_backup

            _guarded(lambda: verify_backup(config, verify or "latest", _say,
                                           allow_unencrypted=allow_unencrypted))
        return
    started = time.monotonic()
    with _database_url(settings) as database_url:
        from ariaforge.ops.backup_write import write_backup

        config = _guarded(lambda: load(settings, database_url))
        _guarded(lambda: write_backup(config, _say))
    _say(f"backup done in {time.monotonic() - started:.1f} s")


def _print_sets(config: BackupConfig) -> None:
    from ariaforge.ops import backup_sets as sets

    listing = sets.list_sets(config.destination)
    _say(f"backup sets in {config.destination.display} (oldest first):")
    for set_id in listing.complete:
        index = sets.read_index(config.destination, set_id)
        size = sum(int(part.get("bytes", 0)) for part in index["parts"].values())
        key = (index.get("encryption") or {}).get("key_id", "NOT ENCRYPTED")
        _say(f"  {set_id}  {size / 1_048_576:9.1f} MiB  {index['objects']['count']:6d} objects"
             f"  schema {index.get('schema_revision')}  key {key}  "
             f"app {index.get('ariaforge_version')}")
    for set_id in listing.incomplete:
        _say(f"  {set_id}  incomplete (a run that failed; deleted by the next backup)")
    if not listing.complete:
        _say("  (no complete set)")


def restore(
    backup_id: Annotated[str, typer.Argument(
        metavar="BACKUP_ID|latest", help="The set to restore.")] = "latest",
    home: HomeOption = None,
    migrate: Annotated[bool, typer.Option(
        "--migrate", help="Run `ariaforge migrate` after the restore.")] = False,
    allow_unencrypted: UnencryptedOption = False,
) -> None:
    """Restore a backup set into an empty database and STORAGE_URL.

    The database (DATABASE_URL) must hold no tables: restoring over data is refused.
    Every checksum is verified; pg_restore stops at the first error, in one transaction."""
    started = time.monotonic()
    settings = _settings(home)
    with _database_url(settings) as database_url:
        from ariaforge.ops.backup_config import load
        from ariaforge.ops.backup_restore import restore_backup

        config = _guarded(lambda: load(settings, database_url))
        _guarded(lambda: restore_backup(config, backup_id, _say,
                                        allow_unencrypted=allow_unencrypted))
        if migrate:
            from ariaforge.core.migrations import upgrade

            _guarded(lambda: upgrade(database_url))
            _say("  migrated to the newest schema")
        else:
            _say("next: `ariaforge migrate`, then start the API and workers")
    _say(f"restore done in {time.monotonic() - started:.1f} s")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)

