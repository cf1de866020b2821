"""The embedded servers: persistence across restarts, one owner per data folder, no orphans."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest
import redis

from ariaforge.core.embedded import EmbeddedServices, HomeInUseError, running_services


def test_data_survives_a_restart_and_nothing_is_left_running(embedded_home: Path) -> None:
    home = embedded_home / "home"
    with EmbeddedServices(home) as services:
        services.start(database=True, redis=True)
        assert services.postgres and services.redis
        services.postgres._psql("CREATE TABLE notes (body text); "
                                "INSERT INTO notes VALUES ('kept')", "ariaforge")
        client = redis.Redis.from_url(services.redis.url())
        client.set("kept", "yes")
        client.close()
        pids = [services.postgres.process.pid, services.redis.process.pid]  # type: ignore[union-attr]
        assert running_services(home) is not None
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
                   for pid in pids)
    assert running_services(home) is None

    with EmbeddedServices(home) as services:
        services.start(database=True, redis=True)
        assert services.postgres and services.redis
        assert services.postgres._psql("SELECT body FROM notes", "ariaforge") == "kept"
        client = redis.Redis.from_url(services.redis.url())
        assert client.get("kept") == b"yes"
        client.close()


def test_a_second_owner_of_the_same_folder_is_refused(embedded_home: Path) -> None:
    with EmbeddedServices(embedded_home) as first:
        first.start(database=False, redis=True)
        with pytest.raises(HomeInUseError, match="already running"):
            EmbeddedServices(embedded_home).start(database=False, redis=True)
        shared = running_services(embedded_home)
        assert shared is not None and shared["redis_url"] == first.redis_url


def test_servers_listen_on_loopback_with_a_password(embedded_home: Path) -> None:
    with EmbeddedServices(embedded_home) as services:
        services.start(database=False, redis=True)
        assert services.redis is not None
        anonymous = redis.Redis(host="127.0.0.1", port=services.redis.port)
        with pytest.raises(redis.AuthenticationError):
            anonymous.ping()
        anonymous.close()
        listening = {conn.laddr.ip for conn in psutil.net_connections("tcp")
                     if conn.laddr and conn.laddr.port == services.redis.port
                     and conn.status == psutil.CONN_LISTEN}
        assert listening == {"127.0.0.1"}
    assert (embedded_home / "redis.password").stat().st_mode & 0o777 == 0o600
