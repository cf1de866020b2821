"""The happy path through nginx: account, composition, export, download from shared
storage whichever API answers, the live WebSocket, and every process's metrics."""

from __future__ import annotations

import json
import re
import signal
from typing import Any

import httpx
from websockets.sync.client import connect

from tests.stack.flows import (
    API,
    metric_total,
    new_account,
    start_export,
    start_session,
    wait_final,
)
from tests.stack.harness import Stack


def _fetch(client: httpx.Client, url: str, headers: dict[str, str]) -> bytes:
    """A download, streamed from the shared storage by whichever API nginx picks."""
    answer = client.get(url, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "audio/wav"
    return answer.content


def test_the_web_app_is_served_through_nginx(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    found = re.search(r'src="(/_next/static/[^"]+\.js)"', page.text)
    assert found, page.text[:500]  # the built web app (WEB_DIR), not the API's start page
    script = client.get(found.group(1))
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]


def test_sign_up_and_log_in_through_nginx(client: httpx.Client) -> None:
    headers = new_account(client, "happy")
    me = client.get(f"{API}/me", headers=headers)
    assert me.status_code == 200 and me.json()["email"].startswith("happy-")


def test_compose_export_and_download_through_nginx(stack: Stack, client: httpx.Client,
                                                   owner: dict[str, str],
                                                   project: str) -> None:
    versions = client.get(f"{API}/projects/{project}/versions", headers=owner)
    assert versions.status_code == 200 and versions.json()["total"] >= 1  # composed
    started = start_export(client, owner, project)
    export = wait_final(client, f"{API}/exports/{started['id']}", owner)
    assert export["status"] == "succeeded", export
    [mix] = [entry for entry in export["files"] if entry["kind"] == "mix"]
    assert mix["format"] == "wav" and mix["bytes"] > 44

    # Through nginx, several times (its round robin reaches both APIs), then from each API
    # directly: all serve the same bytes from the one shared bucket (with a storage folder
    # per process, half of these were 404).
    downloads = [_fetch(client, mix["url"], owner) for _ in range(4)]
    served_by = {line.split(" upstream=")[1].split(" ")[0]
                 for line in (stack.workdir / "nginx" / "access.log").read_text().splitlines()
                 if f"GET {mix['url']} " in line}
    assert served_by == {f"127.0.0.1:{api.port}" for api in stack.apis}
    for api in stack.apis:
        with httpx.Client(base_url=api.url, timeout=60) as direct:
            downloads.append(_fetch(direct, mix["url"], owner))
    assert {len(body) for body in downloads} == {mix["bytes"]}
    assert len(set(downloads)) == 1
    audio = downloads[0]
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    assert any(audio[44:])  # not silence
    assert stack.stored_keys(f"exports/{export['id']}/") == [
        f"stack/exports/{export['id']}/{mix['name']}"]


def test_session_progress_over_a_websocket_through_nginx(stack: Stack, client: httpx.Client,
                                                         owner: dict[str, str],
                                                         project: str) -> None:
    ws_url = stack.nginx_url.replace("http://", "ws://")
    messages: list[dict[str, Any]] = []
    # The workers are paused until the socket is open, so the run cannot end unheard.
    stack.signal_workers(signal.SIGSTOP)
    try:
        session = start_session(client, owner, project)
        with connect(f"{ws_url}{API}/sessions/{session['id']}/ws", open_timeout=30) as socket:
            socket.send(json.dumps({"type": "auth",
                                    "token": owner["Authorization"].removeprefix("Bearer ")}))
            messages.append(json.loads(socket.recv(timeout=30)))
            stack.signal_workers(signal.SIGCONT)
            for _ in range(10_000):  # bounded; a run sends a few dozen
                messages.append(json.loads(socket.recv(timeout=120)))
                if messages[-1]["type"] in {"result", "error"}:
                    break
    finally:
        stack.signal_workers(signal.SIGCONT)
    assert messages[0]["type"] == "session" and messages[0]["session"]["id"] == session["id"]
    assert messages[-1]["type"] == "result", messages[-1]
    assert messages[-1]["session"]["status"] == "succeeded"
    nodes = {m["node"] for m in messages if m["type"] == "progress"}
    assert {"harmony", "melody", "finalize"} <= nodes


def test_every_process_serves_its_metrics(stack: Stack, client: httpx.Client) -> None:
    assert client.get("/metrics").status_code == 404  # not public through nginx
    finished = 0.0
    for api in stack.apis:
        answer = httpx.get(api.metrics_url, timeout=10)
        assert answer.status_code == 200
        assert "# TYPE http_requests_total counter" in answer.text
    for worker in stack.workers:
        answer = httpx.get(worker.metrics_url, timeout=10)
        assert answer.status_code == 200
        assert "# TYPE ariaforge_jobs_finished_total counter" in answer.text
        # The same port tells whether the worker's job loop is ticking (its liveness).
        assert httpx.get(worker.metrics_url.replace("/metrics", "/healthz"),
                         timeout=10).status_code == 200
        finished += metric_total(answer.text, "ariaforge_jobs_finished_total",
                                 kind="export.render", outcome="succeeded")
    assert finished >= 1  # the export above, counted by whichever worker ran it
