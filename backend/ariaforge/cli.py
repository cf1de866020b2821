"""The `ariaforge` command: up, api, worker, migrate, version.

prometheus_client decides at import time whether metrics are multiprocess, so nothing
here imports the app at module level: the environment is prepared first.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from ariaforge import __version__

app = typer.Typer(
    help="AriaForge: open, self-hostable AI music composition.",
    no_args_is_help=True,
    add_completion=False,
)

HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="Data folder for the embedded database, Redis and files "
                 "[env: ARIAFORGE_HOME; default: your user data folder]."),
]
HostOption = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
WorkersOption = Annotated[int, typer.Option(
    "--workers", min=1, max=64, help="API worker processes (metrics aggregate across them).")]


def _settings(home: Path | None):  # type: ignore[no-untyped-def]  # imported lazily
    if home is not None:
        os.environ["ARIAFORGE_HOME"] = str(home.expanduser().resolve())
    from ariaforge.config import ConfigurationError, get_settings

    get_settings.cache_clear()
    settings = get_settings()
    try:
        settings.check_production_safety()
    except ConfigurationError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    return settings


def _prepare_metrics_dir(home: Path) -> None:
    """Per-process metric files, wiped at start so counters begin from zero."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    directory = home / "run" / "prometheus"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


@contextmanager
def _services(settings, *, migrate: bool) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from ariaforge.core.embedded import EmbeddedServiceError
    from ariaforge.core.logging import configure_logging
    from ariaforge.core.services import provide_services

    configure_logging(settings.log_level)
    try:
        with provide_services(settings) as urls:
            # Child processes (uvicorn workers, the job worker) read these.
            os.environ["DATABASE_URL"] = urls.database_url
            os.environ["REDIS_URL"] = urls.redis_url
            from ariaforge.config import get_settings

            get_settings.cache_clear()
            if migrate:
                from ariaforge.core.migrations import upgrade

                upgrade(urls.database_url)
            yield
    except EmbeddedServiceError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _exit_cleanly(signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _serve(host: str, port: int, workers: int, log_level: str) -> None:
    import uvicorn

    # uvicorn shuts down gracefully on SIGTERM and then re-raises the signal; with the
    # default handler that would kill us before the embedded servers and the worker are
    # stopped. As SystemExit it unwinds through our cleanup instead.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run("ariaforge.main:create_app", factory=True, host=host, port=port,
                workers=workers, log_config=None, log_level=log_level.lower(),
                proxy_headers=True, server_header=False)


def _spawn_worker() -> subprocess.Popen[bytes]:
    from ariaforge.core.embedded import _die_with_parent

    return subprocess.Popen(
        [sys.executable, "-m", "ariaforge", "worker"],
        preexec_fn=_die_with_parent,
    )


@app.command()
def up(host: HostOption = "127.0.0.1", port: PortOption = 8000, home: HomeOption = None,
       workers: WorkersOption = 1) -> None:
    """Run everything: embedded PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL are
    set), migrations, the API and a job worker. Ctrl-C stops it all cleanly."""
    settings = _settings(home)
    _prepare_metrics_dir(settings.ariaforge_home)
    with _services(settings, migrate=True):
        worker = _spawn_worker()
        typer.echo(f"AriaForge {__version__} at http://{host}:{port} "
                   f"(data: {settings.ariaforge_home})", err=True)
        try:
            _serve(host, port, workers, settings.log_level)
        finally:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()


@app.command()
def api(host: HostOption = "127.0.0.1", port: PortOption = 8000, home: HomeOption = None,
        workers: WorkersOption = 1,
        migrate: Annotated[bool, typer.Option(
            help="Upgrade the schema before serving (safe with several replicas: "
                 "migrations take a database lock).")] = True) -> None:
    """Run only the API. Uses DATABASE_URL / REDIS_URL, else the embedded servers of a
    running `ariaforge up` on the same data folder, else starts its own."""
    settings = _settings(home)
    _prepare_metrics_dir(settings.ariaforge_home)
    with _services(settings, migrate=migrate):
        _serve(host, port, workers, settings.log_level)


@app.command()
def worker(home: HomeOption = None,
           metrics_port: Annotated[int | None, typer.Option(
               min=1, max=65535, help="Serve this worker's Prometheus metrics (queue size, "
               "render times) on this port; under `ariaforge up` the API shows them.")] = None,
           ) -> None:
    """Run only a job worker (compose, render, export jobs), on the same services as `api`."""
    signal.signal(signal.SIGTERM, _exit_cleanly)  # until the loop installs its own handler
    settings = _settings(home)
    if metrics_port is not None:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)  # this process serves its own
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="0.0.0.0")  # noqa: S104 - scraped in-cluster
    with _services(settings, migrate=False):
        asyncio.run(_run_worker(os.environ["REDIS_URL"], os.environ["DATABASE_URL"]))


async def _run_worker(redis_url: str, database_url: str) -> None:
    from ariaforge.config import get_settings
    from ariaforge.core.db import create_engine, create_sessionmaker
    from ariaforge.jobs.worker import Worker, WorkerConfig, create_worker_redis

    settings = get_settings()
    config = WorkerConfig(visibility_timeout_s=settings.job_visibility_timeout_s,
                          heartbeat_s=settings.job_heartbeat_s,
                          retry_base_s=settings.job_retry_base_s)
    redis = create_worker_redis(redis_url, config)
    engine = create_engine(database_url, pool_size=2)
    job_worker = Worker(redis, create_sessionmaker(engine), config=config, settings=settings)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, job_worker.stop)
    try:
        await job_worker.run()
    finally:
        await redis.aclose()
        await engine.dispose()


@app.command("migrate")
def migrate_command(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    home: HomeOption = None,
) -> None:
    """Upgrade the database schema (to the newest revision unless one is named)."""
    settings = _settings(home)
    with _services(settings, migrate=False):
        from ariaforge.core.migrations import upgrade

        upgrade(os.environ["DATABASE_URL"], revision)
        typer.echo(f"database at revision {revision}")


@app.command()
def render(
    source: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                           help="A MIDI, MusicXML or ABC file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help=(
        "The audio file to write; its extension picks the format: "
        ".wav .mp3 .flac .ogg .opus"))],
    sample_rate: Annotated[int, typer.Option(help="44100 or 48000")] = 44100,
    lufs: Annotated[float, typer.Option(help="Loudness target (integrated LUFS).")] = -14.0,
    stems: Annotated[bool, typer.Option(help="Also write one file per track.")] = False,
    soundfont: Annotated[Path | None, typer.Option(
        help="An .sf2/.sf3 SoundFont [env: SOUNDFONT_PATH; default: bundled GM set].")] = None,
) -> None:
    """Render a score file to audio with the same pipeline as exports, offline."""
    from ariaforge.cli_render import render_file

    raise typer.Exit(render_file(source, output, sample_rate=sample_rate, lufs=lufs,
                                 stems=stems, soundfont=soundfont))


@app.command()
def compose(
    prompt: Annotated[str, typer.Argument(help='The brief, e.g. "a melancholic waltz in D '
                                          'minor for piano and strings, 90 bpm".')],
    output: Annotated[Path, typer.Option("-o", "--output", help=(
        "The score file to write; its extension picks the format: .mid .musicxml .json"))],
    audio: Annotated[Path | None, typer.Option(
        help="Also render audio to this file (.wav .mp3 .flac .ogg .opus).")] = None,
    musicxml: Annotated[bool, typer.Option(
        "--musicxml", help="Also write MusicXML next to the output.")] = False,
    style: Annotated[str | None, typer.Option(help="Overrides the brief's style.")] = None,
    key: Annotated[str | None, typer.Option(help='e.g. "D minor", "F#".')] = None,
    tempo: Annotated[int | None, typer.Option(help="Quarter-note bpm.")] = None,
    bars: Annotated[int | None, typer.Option(help="Length in bars.")] = None,
    seed: Annotated[int | None, typer.Option(
        help="Same seed and brief: same music.")] = None,
) -> None:
    """Compose from a brief, offline: no server, database or API key needed."""
    from ariaforge.cli_compose import compose_file

    raise typer.Exit(compose_file(prompt, output, audio=audio, musicxml=musicxml, fields={
        "style": style, "key": key, "tempo": tempo, "bars": bars, "seed": seed}))


@app.command()
def openapi(output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write here instead of standard output.")] = None) -> None:
    """Print the API's OpenAPI schema (the web app's client is generated from it)."""
    import json
    import tempfile

    from ariaforge.config import Settings
    from ariaforge.main import create_app

    with tempfile.TemporaryDirectory(prefix="ariaforge-openapi-") as home:
        schema = create_app(Settings(ariaforge_home=Path(home))).openapi()
    text = json.dumps(schema, indent=1, sort_keys=True) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)


@app.command()
def version() -> None:
    """Print the AriaForge version."""
    typer.echo(__version__)


if __name__ == "__main__":
    app()
