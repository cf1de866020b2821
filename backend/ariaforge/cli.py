"""The `ariaforge` command: up, api, worker, migrate, version.

prometheus_client decides at import time whether metrics are multiprocess, so nothing
here imports the app at module level: the environment is prepared first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from ariaforge import __version__
from ariaforge.cli_backup import register as _register_backup

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
# How long `up` waits for the API to answer on its port before giving up.
START_LIMIT_S = 300.0


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
            _use_services(urls.database_url, urls.redis_url, migrate=migrate)
            yield
    except EmbeddedServiceError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _use_services(database_url: str, redis_url: str, *, migrate: bool) -> None:
    # Child processes (uvicorn workers, the job worker) read these.
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    from ariaforge.config import get_settings

    get_settings.cache_clear()
    if migrate:
        from ariaforge.core.migrations import upgrade

        upgrade(database_url)


@contextmanager
def _up_services(settings):  # type: ignore[no-untyped-def]  # imported lazily
    """Like `_services`, but yields the embedded servers that this process owns, so that
    `up` can supervise them. Servers run by another `up` on the same data folder are
    used as they are: that one supervises them."""
    from ariaforge.core.embedded import (
        EmbeddedServiceError,
        EmbeddedServices,
        running_services,
    )
    from ariaforge.core.logging import configure_logging

    configure_logging(settings.log_level)
    database_url, redis_url = settings.database_url, settings.redis_url
    shared = None if database_url and redis_url else running_services(settings.ariaforge_home)
    if shared is not None:
        database_url = database_url or shared.get("database_url")
        redis_url = redis_url or shared.get("redis_url")
    try:
        if database_url and redis_url:
            _use_services(database_url, redis_url, migrate=True)
            yield None
            return
        with EmbeddedServices(settings.ariaforge_home) as embedded:
            embedded.start(database=not database_url, redis=not redis_url)
            _use_services(database_url or embedded.database_url or "",
                          redis_url or embedded.redis_url or "", migrate=True)
            yield embedded
    except EmbeddedServiceError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _exit_cleanly(signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _serve(host: str, port: int, workers: int, log_level: str) -> None:
    import uvicorn

    from ariaforge.core.supervisor import RuntimeSettings

    # uvicorn shuts down gracefully on SIGTERM and then re-raises the signal; with the
    # default handler that would kill us before the embedded servers are stopped. As
    # SystemExit it unwinds through our cleanup instead.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    # Requests still running after the grace period are cancelled: a slow or stuck
    # request cannot hold up a shutdown (or a rolling deploy) forever.
    uvicorn.run("ariaforge.main:create_app", factory=True, host=host, port=port,
                workers=workers, log_config=None, log_level=log_level.lower(),
                proxy_headers=True, server_header=False,
                timeout_graceful_shutdown=RuntimeSettings().shutdown_grace_seconds,
                # A WebSocket peer that vanished (no TCP close) is noticed within 15 s:
                # live co-editing drops its presence then (uvicorn's default: 40 s).
                ws_ping_interval=5.0, ws_ping_timeout=10.0,
                # Compressing every small Yjs update for every socket costs more CPU
                # than the bytes it saves.
                ws_per_message_deflate=False,
                ws="websockets-sansio",
                # Requests the HTTP parser refuses answer 400 in the API's error shape.
                http="ariaforge.core.http_protocol:ErrorShapeHttpToolsProtocol")


def _port_in_use(host: str, port: int) -> bool:
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def _port_answers(host: str, port: int) -> bool:
    import socket

    # Listening on every address: ask the loopback one.
    address = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    try:
        with socket.create_connection((address, port), timeout=0.5):
            return True
    except OSError:
        return False


def _supervise_up(embedded, host: str, port: int, workers: int,  # type: ignore[no-untyped-def]
                  job_workers: int, home: Path) -> int:
    """Run the API and job workers beside the embedded servers, restarting whatever
    dies, until a signal; then stop everything within the grace period. Exit code."""
    from ariaforge.core.supervisor import (
        CommandChild,
        RuntimeSettings,
        ServerChild,
        StartupError,
        Supervisor,
    )

    state_file = home / "run" / f"supervisor-{os.getpid()}.json"
    state_file.parent.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(state_file=state_file)
    if embedded is not None and embedded.postgres is not None:  # SIGINT: fast shutdown
        supervisor.add(ServerChild("postgres", embedded.postgres, signal.SIGINT), server=True)
    if embedded is not None and embedded.redis is not None:
        supervisor.add(ServerChild("redis", embedded.redis, signal.SIGTERM), server=True)
    command = [sys.executable, "-m", "ariaforge"]
    for number in range(1, job_workers + 1):
        supervisor.add(CommandChild(f"worker-{number}", [*command, "worker"], os.environ))
    # Under `up` the API is ready only with a live worker and everything else running.
    api_env = {**os.environ, "READY_REQUIRES_WORKER": "true",
               "SUPERVISOR_STATE_FILE": str(state_file)}
    supervisor.add(CommandChild("api", [
        *command, "api", "--host", host, "--port", str(port), "--workers", str(workers),
        "--no-migrate"], api_env))
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, supervisor.request_stop)
    try:
        if supervisor.start(lambda: _port_answers(host, port), timeout_s=START_LIMIT_S):
            typer.echo(f"AriaForge {__version__} at http://{host}:{port} "
                       f"(data: {home})", err=True)
            supervisor.watch()
        return 0
    except StartupError as error:
        typer.echo(f"error: {error}", err=True)
        return 1
    finally:
        supervisor.shutdown(RuntimeSettings().shutdown_grace_seconds)
        state_file.unlink(missing_ok=True)


JobWorkersOption = Annotated[int, typer.Option(
    "--job-workers", min=1, max=32, help="Job worker processes (compose, render, export).")]


@app.command()
def up(host: HostOption = "127.0.0.1", port: PortOption = 8000, home: HomeOption = None,
       workers: WorkersOption = 1, job_workers: JobWorkersOption = 1) -> None:
    """Run everything: embedded PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL are
    set), migrations, the API and job workers. Whatever of them dies is restarted (with
    back-off; /ready and /metrics show it). Ctrl-C or SIGTERM stops it all, cancelling
    requests still running after SHUTDOWN_GRACE_SECONDS."""
    settings = _settings(home)
    if _port_in_use(host, port):  # else `up` would take another server for its API
        typer.echo(f"error: {host}:{port} is already in use; choose another --port", err=True)
        raise typer.Exit(1)
    _prepare_metrics_dir(settings.ariaforge_home)
    with _up_services(settings) as embedded:
        code = _supervise_up(embedded, host, port, workers, job_workers,
                             settings.ariaforge_home)
    raise typer.Exit(code)


@app.command()
def api(host: HostOption = "127.0.0.1", port: PortOption = 8000, home: HomeOption = None,
        workers: WorkersOption = 1,
        migrate: Annotated[bool, typer.Option(
            help="Upgrade the schema before serving (safe with several replicas: "
                 "migrations take a database lock).")] = True,
        metrics_port: Annotated[int | None, typer.Option(
            min=1, max=65535, help="Serve /metrics (all workers' together) on this port, on "
            "the same --host, instead of the API's port, where /metrics then answers 404.")
        ] = None) -> None:
    """Run only the API. Uses DATABASE_URL / REDIS_URL, else the embedded servers of a
    running `ariaforge up` on the same data folder, else starts its own."""
    # The flag alone decides (the app's processes read it as METRICS_PORT): `up` runs
    # `api` without it, so /metrics stays on the app port there.
    if metrics_port is None:
        os.environ.pop("METRICS_PORT", None)
    else:
        os.environ["METRICS_PORT"] = str(metrics_port)
    settings = _settings(home)
    _prepare_metrics_dir(settings.ariaforge_home)
    if metrics_port is not None:
        _start_metrics_port(host, metrics_port, health=None)
    with _services(settings, migrate=migrate):
        _serve(host, port, workers, settings.log_level)


def _start_metrics_port(host: str, port: int, health):  # type: ignore[no-untyped-def]
    from ariaforge.core.metrics_server import start_metrics_server

    try:
        start_metrics_server(port, host, health)
    except OSError as error:
        typer.echo(f"error: metrics port {host}:{port}: {error}", err=True)
        raise typer.Exit(1) from None


@app.command()
def worker(home: HomeOption = None,
           metrics_port: Annotated[int | None, typer.Option(
               min=1, max=65535, help="Serve this worker's Prometheus metrics (/metrics) and "
               "its liveness (/healthz: 503 once the job loop stalls for "
               "WORKER_LIVENESS_TIMEOUT_S) on this port; under `ariaforge up` the API shows "
               "the metrics.")] = None,
           metrics_host: Annotated[str, typer.Option(
               help="Address of the metrics port: all interfaces by default, for "
               "Prometheus and the kubelet in the cluster.")] = "0.0.0.0",  # noqa: S104
           ) -> None:
    """Run only a job worker (compose, render, export jobs), on the same services as `api`."""
    signal.signal(signal.SIGTERM, _exit_cleanly)  # until the loop installs its own handler
    settings = _settings(home)
    from ariaforge.queue.heartbeat import LoopHeartbeat

    heartbeat = LoopHeartbeat()
    if metrics_port is not None:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)  # this process serves its own
        limit = settings.worker_liveness_timeout_s

        def health() -> str | None:
            stalled = heartbeat.age_s()
            return None if stalled <= limit else (
                f"the job loop has not ticked for {stalled:.0f} s (limit {limit:g} s)")

        _start_metrics_port(metrics_host, metrics_port, health)
    with _services(settings, migrate=False):
        asyncio.run(_run_worker(os.environ["REDIS_URL"], os.environ["DATABASE_URL"],
                                heartbeat))


async def _run_worker(redis_url: str, database_url: str,  # type: ignore[no-untyped-def]
                      heartbeat=None) -> None:  # a LoopHeartbeat, imported lazily
    import threading

    from ariaforge.config import get_settings
    from ariaforge.core.db import create_engine, create_sessionmaker
    from ariaforge.queue.worker import Worker, WorkerConfig, create_worker_redis
    from ariaforge.tasks import all_handlers, preload_product_tasks

    settings = get_settings()
    # A misnamed extra task module fails the start before Redis or the database is opened.
    # The product's handlers load in the background: the worker is live in about a second.
    handlers = all_handlers(settings.job_extra_task_modules, deferred=True)
    config = WorkerConfig(visibility_timeout_s=settings.job_visibility_timeout_s,
                          heartbeat_s=settings.job_heartbeat_s,
                          retry_base_s=settings.job_retry_base_s)
    redis = create_worker_redis(redis_url, config)
    engine = create_engine(database_url, pool_size=2)
    job_worker = Worker(redis, create_sessionmaker(engine), handlers=handlers, config=config,
                        settings=settings, heartbeat=heartbeat)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, job_worker.stop)
    # A thread of its own (not the loop's executor, which resolves host names): its low
    # priority stays with it, and the worker never waits for it.
    threading.Thread(target=preload_product_tasks, name="preload-tasks", daemon=True).start()
    similarity = asyncio.create_task(_similarity_background(job_worker, settings))
    try:
        await job_worker.run()
    finally:
        similarity.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await similarity
        await redis.aclose()
        await engine.dispose()


async def _similarity_background(job_worker, settings) -> None:  # type: ignore[no-untyped-def]
    """Reference corpus ingest and version indexing (similarity/indexing.py), beside the
    job loop: the API and the worker are up before the corpus is in."""
    from ariaforge.similarity.indexing import run_background

    stopping = asyncio.Event()
    try:
        await run_background(job_worker.sessionmaker, settings.reference_corpus_limit, stopping)
    except asyncio.CancelledError:
        stopping.set()
        raise
    except Exception:
        logging.getLogger(__name__).exception("similarity background work stopped")


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


# `backup` and `restore` (cli_backup.py; light at import like the commands above).
_register_backup(app)


if __name__ == "__main__":
    app()
