"""The `ariaforge` command as a person uses it, run as real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pytest
from alembic.script import ScriptDirectory

from ariaforge import __version__
from ariaforge.core.embedded import EmbeddedServices, free_port
from ariaforge.core.migrations import alembic_config
from tests.conftest import PASSWORD, TEST_SECRET, alive_pids, wait_until_healthy
from tests.ops.test_ops import metric_value

CLI = [sys.executable, "-m", "ariaforge"]
START_LIMIT_S = 120


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ENVIRONMENT",
                        "PROMETHEUS_MULTIPROC_DIR", "ARIAFORGE_HOME"}}
    return {**env, **extra}


@contextmanager
def running(args: list[str], env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [*CLI, *args, "--port", str(port)], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, process)
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _ctrl_c(process: subprocess.Popen[bytes]) -> int:
    """What a terminal does on Ctrl-C: SIGINT to the whole foreground process group."""
    os.killpg(process.pid, signal.SIGINT)
    return process.wait(timeout=60)


@pytest.mark.parametrize("command", ["up", "api", "worker", "migrate", "render", "compose",
                                     "openapi", "version"])
def test_every_command_has_useful_help(command: str) -> None:
    result = subprocess.run([*CLI, command, "--help"], capture_output=True, text=True,
                            env=_env(), check=True)
    assert "Usage:" in result.stdout
    summary = result.stdout.split("Usage:")[1]
    assert len(summary.strip().splitlines()) >= 3


def test_top_level_help_lists_commands_and_version_prints() -> None:
    result = subprocess.run([*CLI, "--help"], capture_output=True, text=True, env=_env(),
                            check=True)
    for command in ("up", "api", "worker", "migrate", "version"):
        assert command in result.stdout
    version = subprocess.run([*CLI, "version"], capture_output=True, text=True, env=_env(),
                             check=True)
    assert version.stdout.strip() == __version__


def test_installed_entry_point_runs() -> None:
    entry = Path(sys.executable).parent / "ariaforge"
    result = subprocess.run([str(entry), "version"], capture_output=True, text=True,
                            env=_env(), check=True)
    assert result.stdout.strip() == __version__


def test_up_persists_across_restarts_and_ctrl_c_leaves_no_process(embedded_home: Path) -> None:
    env = _env(ARIAFORGE_HOME=str(embedded_home / "home"))
    email = "persist@example.com"
    with running(["up"], env) as (base, process):
        assert httpx.post(f"{base}/api/v1/auth/register",
                          json={"email": email, "password": PASSWORD}).status_code == 201
        token = httpx.post(f"{base}/api/v1/auth/login",
                           json={"email": email, "password": PASSWORD}).json()["access_token"]
        created = httpx.post(f"{base}/api/v1/projects", json={"name": "Survivor"},
                             headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 201
        children = [child.pid for child in psutil.Process(process.pid).children(recursive=True)]
        names = {psutil.Process(pid).name() for pid in children}
        assert "postgres" in names and "redis-server" in names
        assert _ctrl_c(process) == 0
        assert alive_pids(children) == []

    with running(["up"], env) as (base, process):
        login = httpx.post(f"{base}/api/v1/auth/login",
                           json={"email": email, "password": PASSWORD})
        assert login.status_code == 200
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        projects = httpx.get(f"{base}/api/v1/projects", headers=headers).json()
        assert [item["name"] for item in projects["items"]] == ["Survivor"]
        # A token from before the restart is still honoured: the secret key persisted.
        assert httpx.get(f"{base}/api/v1/me",
                         headers={"Authorization": f"Bearer {token}"}).status_code == 200
        children = [child.pid for child in psutil.Process(process.pid).children(recursive=True)]
        process.send_signal(signal.SIGTERM)  # what systemd or Kubernetes sends
        assert process.wait(timeout=60) == 0
        assert alive_pids(children) == []


def test_external_services_and_metrics_across_workers(services: EmbeddedServices,
                                                      embedded_home: Path) -> None:
    home = embedded_home / "home"
    assert services.database_url and services.redis_url
    env = _env(ARIAFORGE_HOME=str(home), DATABASE_URL=services.database_url,
               REDIS_URL=services.redis_url, SECRET_KEY=TEST_SECRET)
    with running(["api", "--workers", "2", "--no-migrate"], env) as (base, process):
        requests = 40
        with httpx.Client() as http:  # a fresh connection per request spreads the load
            for _ in range(requests):
                assert http.get(f"{base}/health", headers={"Connection": "close"}
                                ).status_code == 200
        text = httpx.get(f"{base}/metrics").text
        assert metric_value(text, "http_requests_total", endpoint="/health",
                            status="200") == requests
        workers = psutil.Process(process.pid).children(recursive=True)
        assert len([w for w in workers if "python" in w.name()]) >= 2
        assert _ctrl_c(process) == 0
    # Nothing embedded was started for external services.
    assert not (home / "postgres").exists()
    assert not (home / "redis").exists()


def test_production_refuses_to_start_without_secret_or_services(embedded_home: Path) -> None:
    result = subprocess.run([*CLI, "up", "--port", str(free_port())], capture_output=True,
                            text=True, timeout=60,
                            env=_env(ENVIRONMENT="production",
                                     ARIAFORGE_HOME=str(embedded_home / "home")))
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr and "DATABASE_URL" in result.stderr
    assert not (embedded_home / "home" / "postgres").exists()


def test_migrate_on_the_embedded_database(embedded_home: Path) -> None:
    env = _env(ARIAFORGE_HOME=str(embedded_home / "home"))
    result = subprocess.run([*CLI, "migrate"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "head" in result.stdout
    with EmbeddedServices(embedded_home / "home") as embedded:
        embedded.start(database=True, redis=False)
        assert embedded.postgres is not None
        head = ScriptDirectory.from_config(alembic_config("unused")).get_current_head()
        assert embedded.postgres._psql("SELECT version_num FROM alembic_version",
                                       "ariaforge") == head


def test_render_a_midi_file_to_mp3_with_stems(tmp_path: Path) -> None:
    from ariaforge.audio.encode import probe
    from ariaforge.music.interchange import write_midi
    from ariaforge.music.score import Note, Role, Score, Track

    score = Score(bars=2, tracks=[
        Track(id="piano", role=Role.MELODY, notes=[
            Note(pitch=60 + i, start=i * 480, duration=480) for i in range(8)]),
        Track(id="kit", role=Role.DRUMS, is_drum=True, notes=[
            Note(pitch=36, start=i * 960, duration=120) for i in range(4)])])
    source = tmp_path / "song.mid"
    source.write_bytes(write_midi(score))
    output = tmp_path / "out" / "song.mp3"
    result = subprocess.run([*CLI, "render", str(source), "-o", str(output), "--stems"],
                            capture_output=True, text=True, env=_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "LUFS" in result.stdout
    assert probe(output).codec == "mp3"
    stems = sorted(p.name for p in output.parent.glob("song.*.mp3"))
    assert len(stems) == 2
    bad = subprocess.run([*CLI, "render", str(source), "-o", str(tmp_path / "x.aiff")],
                         capture_output=True, text=True, env=_env(), timeout=60)
    assert bad.returncode == 2 and "unknown output format" in bad.stderr
    junk = tmp_path / "junk.mid"
    junk.write_bytes(b"not midi")
    broken = subprocess.run([*CLI, "render", str(junk), "-o", str(tmp_path / "x.wav")],
                            capture_output=True, text=True, env=_env(), timeout=60)
    assert broken.returncode == 1 and "cannot read" in broken.stderr


def test_compose_offline_to_midi_musicxml_and_audio(tmp_path: Path) -> None:
    from ariaforge.audio.encode import probe
    from ariaforge.music.interchange import read_midi, read_musicxml
    from ariaforge.music.theory.keyfinding import estimate_key

    output = tmp_path / "out" / "waltz.mid"
    audio = tmp_path / "out" / "waltz.mp3"
    env = _env(ARIAFORGE_HOME=str(tmp_path / "home"))  # no database, no Redis, no server
    result = subprocess.run(
        [*CLI, "compose", "a melancholic waltz in D minor for piano and strings, 90 bpm",
         "-o", str(output), "--musicxml", "--audio", str(audio), "--bars", "16"],
        capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "waltz, melancholic: D minor, 90 bpm, 3/4, 16 bars" in result.stdout
    score = read_midi(output.read_bytes())
    assert str(score.meter) == "3/4" and round(score.tempo) == 90
    assert estimate_key(score.pitched_notes()).key.tonic == "D"
    sheet = read_musicxml(output.with_suffix(".musicxml").read_bytes())
    assert len(sheet.pitched_notes()) == len(score.pitched_notes())
    assert probe(audio).codec == "mp3"
    again = subprocess.run([*CLI, "compose", "a melancholic waltz in D minor for piano and "
                            "strings, 90 bpm", "-o", str(tmp_path / "again.mid"), "--bars",
                            "16"], capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0 and (tmp_path / "again.mid").read_bytes() == \
        output.read_bytes()  # the same brief gives the same music
    for args, message in ((["-o", str(tmp_path / "x.wav")], "unknown output format"),
                          (["-o", str(tmp_path / "x.mid"), "--tempo", "900"], "tempo"),
                          (["-o", str(tmp_path / "x.mid"), "--key", "H#"], "key")):
        bad = subprocess.run([*CLI, "compose", "a jig", *args], capture_output=True,
                             text=True, env=env, timeout=120)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr


def test_a_worker_serves_its_own_metrics(services: EmbeddedServices,
                                         embedded_home: Path) -> None:
    assert services.database_url and services.redis_url
    port = free_port()
    env = _env(ARIAFORGE_HOME=str(embedded_home), DATABASE_URL=services.database_url,
               REDIS_URL=services.redis_url, SECRET_KEY=TEST_SECRET)
    process = subprocess.Popen([*CLI, "worker", "--metrics-port", str(port),
                                "--metrics-host", "127.0.0.1"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_LIMIT_S
        text = ""
        while time.monotonic() < deadline and "audio_processing_queue_size " not in text:
            try:
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1).text
            except httpx.HTTPError:
                time.sleep(0.2)
        assert "audio_processing_queue_size " in text
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
