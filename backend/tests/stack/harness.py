"""The production-like stack on 127.0.0.1, usable from pytest (tests/stack) and from a bench:

    with start_stack(workdir, apis=2, workers=2) as stack:
        httpx.get(f"{stack.nginx_url}/health")
        stack.restart_api(0); stack.kill_worker(1); stack.restart_redis()

nginx (the repository's nginx/ariaforge/*.conf, included as they are) → N × `ariaforge api
--no-migrate` → M × `ariaforge worker --metrics-port`, all from the wheel built from backend/
in a virtualenv of the production lock (runtime.py), over PostgreSQL and Redis used as
external services (DATABASE_URL, REDIS_URL), with moto in server mode as the shared S3
storage, and ENVIRONMENT=production. Every server listens on 127.0.0.1 on a free port.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from ariaforge.core.embedded import EmbeddedPostgres, EmbeddedRedis, free_port
from tests.stack.front import start_nginx
from tests.stack.processes import (
    STOP_LIMIT_S,
    Service,
    moto_server,
    wait_for_answer,
    wait_for_log,
)
from tests.stack.runtime import WEB_DIR, runtime_venv

BUCKET = "ariaforge-stack"
AWS_ENV = {"AWS_ACCESS_KEY_ID": "stack-test", "AWS_SECRET_ACCESS_KEY": "stack-test",
           "AWS_DEFAULT_REGION": "us-east-1"}


@dataclass
class Stack:
    workdir: Path
    venv: Path
    nginx_url: str
    s3_endpoint: str
    storage_url: str
    database_url: str
    redis_url: str
    env: dict[str, str]
    apis: list[Service]
    workers: list[Service]
    postgres: EmbeddedPostgres
    redis: EmbeddedRedis
    nginx: subprocess.Popen[bytes]
    bucket: str = BUCKET
    _logs: list[Any] = field(default_factory=list, repr=False)

    # --- processes ------------------------------------------------------------------

    def start(self, service: Service) -> None:
        """Start (or start again, on the same ports) one API or worker; wait until an API
        answers /ready, or a worker answers its metrics."""
        assert not service.running, f"{service.name} is already running"
        logged = service.log.stat().st_size if service.log.exists() else 0
        handle = service.log.open("ab")
        self._logs.append(handle)
        # Each process has its own data folder (its Prometheus files among them).
        env = {**self.env, "ARIAFORGE_HOME": str(self.workdir / service.name)}
        service.process = subprocess.Popen(service.argv, env=env, stdout=handle,
                                           stderr=subprocess.STDOUT, cwd=self.workdir)
        probe = f"{service.url}/ready" if service.port else service.metrics_url
        wait_for_answer(probe, service)
        if service.port is None:
            # The metrics port opens before the worker has reached Redis; a drill that
            # starts now must find it consuming, not still starting.
            wait_for_log(service, "consuming", logged)

    def stop(self, service: Service, signum: int = signal.SIGTERM) -> int:
        """Send `signum` and wait for the process to end; its exit status."""
        assert service.process is not None
        if service.process.poll() is None:
            service.process.send_signal(signum)
        try:
            return service.process.wait(STOP_LIMIT_S)
        except subprocess.TimeoutExpired:
            service.process.kill()
            return service.process.wait()

    def stop_all(self) -> None:
        """SIGTERM every API and worker at once, then wait for each (a shutdown in turn
        would add up their grace periods)."""
        services = [service for service in [*self.apis, *self.workers] if service.running]
        for service in services:
            assert service.process is not None
            service.process.send_signal(signal.SIGTERM)
        for service in services:
            self.stop(service)

    def restart_api(self, index: int) -> None:
        """SIGTERM (graceful: in-flight requests finish), then start again on its port."""
        self.stop(self.apis[index])
        self.start(self.apis[index])

    def kill_worker(self, index: int) -> int:
        """SIGKILL a worker (no cleanup: its job's lease must expire); its exit status."""
        return self.stop(self.workers[index], signal.SIGKILL)

    def signal_workers(self, signum: int) -> None:
        """E.g. SIGSTOP to hold every job in the queue, SIGCONT to let them run."""
        for worker in self.workers:
            assert worker.process is not None
            worker.process.send_signal(signum)

    def stop_redis(self) -> None:
        """SIGTERM: Redis flushes its append-only file and exits."""
        self.redis.stop()

    def start_redis(self) -> None:
        """Start Redis again on the same port, password and data (AOF)."""
        self.redis.start()

    def restart_redis(self, down_s: float = 0.0) -> None:
        self.stop_redis()
        time.sleep(down_s)
        self.start_redis()

    def close_logs(self) -> None:
        for handle in self._logs:
            handle.close()

    # --- clients ----------------------------------------------------------------------

    def s3(self) -> Any:
        """A boto3 S3 client of the shared storage."""
        return s3_client(self.s3_endpoint)

    def stored_keys(self, prefix: str = "") -> list[str]:
        prefix = f"{self.storage_url.split('/', 3)[3]}/{prefix}".rstrip("/")
        listing = self.s3().list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def sql(self, query: str) -> str:
        """Run one SQL statement with psql; its output, tab-separated, one row a line."""
        return self.postgres._psql(query, "ariaforge")


def s3_client(endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=endpoint,
                        aws_access_key_id=AWS_ENV["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=AWS_ENV["AWS_SECRET_ACCESS_KEY"],
                        region_name=AWS_ENV["AWS_DEFAULT_REGION"])


def _has_api_metrics_port(venv: Path) -> bool:
    # `ariaforge api --metrics-port` is newer than the stack test; without it an API's
    # metrics are read from /metrics on its own port.
    help_text = subprocess.run([str(venv / "bin" / "ariaforge"), "api", "--help"],
                               capture_output=True, text=True, env={"COLUMNS": "200"}).stdout
    return "--metrics-port" in help_text


def _process_env(venv: Path, workdir: Path, urls: dict[str, str],
                 extra: dict[str, str]) -> dict[str, str]:
    keep = {name: value for name, value in os.environ.items()
            if name in {"HOME", "LANG", "LC_ALL", "TMPDIR", "TZ",
                        "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB",
                        "REQUESTS_PER_HOUR"}}
    return {
        **keep, "PATH": f"{venv / 'bin'}:/usr/bin:/bin", "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ARIAFORGE_HOME": str(workdir / "home"), "WEB_DIR": str(WEB_DIR),
        # The lowest Argon2 cost, as in the other tests (a production hash is ~0.6 s of CPU).
        "PASSWORD_HASH_TIME_COST": keep.get("PASSWORD_HASH_TIME_COST", "1"),
        "PASSWORD_HASH_MEMORY_KIB": keep.get("PASSWORD_HASH_MEMORY_KIB", "32"),
        # A SIGKILLed worker's job is taken over after this lease, not the default 30 s.
        "JOB_VISIBILITY_TIMEOUT_S": "6", "JOB_HEARTBEAT_S": "1",
        # As in docker-compose.yml: downloads stream through nginx and an API rather than
        # redirecting to the storage (which browsers may not reach).
        "STORAGE_SIGNED_URLS": "false",
        "SHUTDOWN_GRACE_SECONDS": "20", "LOG_LEVEL": "INFO", **AWS_ENV, **urls, **extra}


@contextmanager
def start_stack(workdir: Path, apis: int = 2, workers: int = 2,
                env: dict[str, str] | None = None) -> Iterator[Stack]:
    """The whole stack under `workdir` (use a folder outside pytest's tmp as root: the
    PostgreSQL user must traverse it); `env` adds to or overrides the processes' settings.
    Everything is stopped on exit."""
    workdir.mkdir(parents=True, exist_ok=True)
    venv = runtime_venv()
    with ExitStack() as cleanup:
        postgres, redis = EmbeddedPostgres(workdir / "db"), EmbeddedRedis(workdir / "db")
        postgres.start()
        cleanup.callback(postgres.stop)
        redis.start()  # appendonly yes, everysec (ariaforge.core.embedded)
        cleanup.callback(redis.stop)
        s3_endpoint = cleanup.enter_context(moto_server(workdir))
        storage_url = f"s3://{BUCKET}/stack"
        urls = {"DATABASE_URL": postgres.url(), "REDIS_URL": redis.url(),
                "STORAGE_URL": storage_url, "STORAGE_ENDPOINT_URL": s3_endpoint}
        process_env = _process_env(venv, workdir, urls, env or {})
        s3_client(s3_endpoint).create_bucket(Bucket=BUCKET)
        ariaforge = str(venv / "bin" / "ariaforge")
        migrated = subprocess.run([ariaforge, "migrate"], env=process_env, cwd=workdir,
                                  capture_output=True, text=True)
        if migrated.returncode:
            raise RuntimeError(f"ariaforge migrate failed:\n{migrated.stderr[-3000:]}")
        api_metrics = _has_api_metrics_port(venv)
        api_services = []
        for number in range(1, apis + 1):
            port = free_port()
            metrics_port = free_port() if api_metrics else port
            argv = [ariaforge, "api", "--host", "127.0.0.1", "--port", str(port),
                    "--no-migrate", *(["--metrics-port", str(metrics_port)] if api_metrics
                                      else [])]
            api_services.append(Service(f"api-{number}", argv, workdir / f"api-{number}.log",
                                        metrics_port, port=port))
        worker_services = []
        for number in range(1, workers + 1):
            metrics_port = free_port()
            argv = [ariaforge, "worker", "--metrics-port", str(metrics_port),
                    "--metrics-host", "127.0.0.1"]
            worker_services.append(Service(f"worker-{number}", argv,
                                           workdir / f"worker-{number}.log", metrics_port))
        nginx_port = free_port()
        nginx = cleanup.enter_context(start_nginx(
            workdir / "nginx", nginx_port,
            [f"127.0.0.1:{service.port}" for service in api_services]))
        stack = Stack(workdir=workdir, venv=venv, nginx_url=f"http://127.0.0.1:{nginx_port}",
                      s3_endpoint=s3_endpoint, storage_url=storage_url,
                      database_url=postgres.url(), redis_url=redis.url(), env=process_env,
                      apis=api_services, workers=worker_services, postgres=postgres,
                      redis=redis, nginx=nginx)
        cleanup.callback(stack.close_logs)
        cleanup.callback(stack.stop_all)
        for service in [*api_services, *worker_services]:
            stack.start(service)
        yield stack
