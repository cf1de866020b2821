"""Composition sessions: the REST API, real workers, checkpointed resume, and the live
WebSocket served by another API replica than the one that took the request."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest
import websockets
from fastapi import FastAPI

from ariaforge.composer.graph import ComposeContext, build_graph
from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose_async
from ariaforge.config import Settings
from ariaforge.core.checkpoints import open_checkpointer
from ariaforge.core.embedded import free_port
from ariaforge.music.score import Score
from ariaforge.music.theory.keyfinding import estimate_key
from ariaforge.queue import events
from tests.conftest import assert_error, new_user, stop_process, wait_until_healthy
from tests.exports.test_exports_api import WAIT_LIMIT_S, share, work_until_finished
from tests.ops.test_ops import metric_value

API = "/api/v1"
WALTZ = "a melancholic waltz in D minor for piano and strings, 90 bpm"


async def new_project(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    _, owner = await new_user(client, "composer")
    answer = await client.post(f"{API}/projects", headers=owner, json={"name": "Sketches"})
    return answer.json()["id"], owner


async def run_session(app: FastAPI, client: httpx.AsyncClient, session_id: str,
                      headers: dict[str, str]) -> dict[str, Any]:
    return await work_until_finished(app, client, f"{API}/sessions/{session_id}", headers)


async def current_score(client: httpx.AsyncClient, project: str,
                        headers: dict[str, str]) -> Score:
    body = (await client.get(f"{API}/projects/{project}/score", headers=headers)).json()
    return Score.model_validate(body["score"])


async def test_a_brief_becomes_a_new_version(app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    before = metric_value((await client.get("/metrics")).text, "compositions_created_total")
    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"prompt": WALTZ, "bars": 16})
    assert answer.status_code == 202, answer.text
    started = answer.json()
    assert started["status"] == "queued" and started["progress"] == 0
    done = await run_session(app, client, started["id"], owner)
    assert done["status"] == "succeeded", done
    assert done["brief"]["style"] == "waltz" and done["brief"]["tempo"] == 90
    assert done["validation"]["errors"] == 0
    score = await current_score(client, project, owner)
    assert done["version"] >= 2 and score.bars == 16 and str(score.meter) == "3/4"
    assert estimate_key(score.pitched_notes()).key.tonic == "D"
    versions = (await client.get(f"{API}/projects/{project}/versions", headers=owner)).json()
    assert versions["items"][0]["reason"] == "generated"
    after = metric_value((await client.get("/metrics")).text, "compositions_created_total")
    assert after == before + 1
    listed = (await client.get(f"{API}/projects/{project}/sessions", headers=owner)).json()
    assert [s["id"] for s in listed] == [started["id"]]
    assert done["preview_job_id"]  # the preview render was queued after the version


async def test_same_seed_and_brief_give_the_same_music(app: FastAPI,
                                                       client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    scores = []
    for _ in range(2):
        answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                                   json={"prompt": "a bossa nova in F", "seed": 42, "bars": 8})
        await run_session(app, client, answer.json()["id"], owner)
        scores.append(await current_score(client, project, owner))
    assert [(n.pitch, n.start, n.duration) for _, n in scores[0].all_notes()] == \
        [(n.pitch, n.start, n.duration) for _, n in scores[1].all_notes()]
    offline = (await compose_async(ComposeRequest(prompt="a bossa nova in F", seed=42,
                                                  bars=8))).score
    assert [(n.pitch, n.start) for _, n in offline.all_notes()] == \
        [(n.pitch, n.start) for _, n in scores[0].all_notes()]


async def test_operations_on_the_current_score(app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    first = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                              json={"prompt": "a folk song in G, verse chorus", "seed": 3})
    await run_session(app, client, first.json()["id"], owner)
    original = await current_score(client, project, owner)
    melody_id = next(t.id for t in original.tracks if t.role.value == "melody")

    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"operation": "continue", "extra_bars": 4})
    assert answer.status_code == 202, answer.text
    assert (await run_session(app, client, answer.json()["id"], owner))["status"] == "succeeded"
    longer = await current_score(client, project, owner)
    assert longer.bars == original.bars + 4
    assert [t.id for t in longer.tracks] == [t.id for t in original.tracks]
    old_end = original.end_tick
    old_melody = [(n.pitch, n.start) for n in original.track(melody_id).notes]
    kept = [(n.pitch, n.start) for n in longer.track(melody_id).notes if n.start < old_end]
    assert kept[:len(old_melody) - 1] == old_melody[:-1]  # only a last note may be cut
    assert any(n.start >= old_end for n in longer.track(melody_id).notes)

    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"operation": "reharmonize", "seed": 11})
    await run_session(app, client, answer.json()["id"], owner)
    reharmonized = await current_score(client, project, owner)
    assert [(n.pitch, n.start) for n in reharmonized.track(melody_id).notes] == \
        [(n.pitch, n.start) for n in longer.track(melody_id).notes]

    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"operation": "restyle", "style": "jazz"})
    done = await run_session(app, client, answer.json()["id"], owner)
    assert done["status"] == "succeeded" and done["brief"]["style"] == "jazz"
    restyled = await current_score(client, project, owner)
    straight = reharmonized.track(melody_id).notes
    swung = restyled.track(melody_id).notes
    # The melody keeps its notes and takes jazz's feel: straight off-beat eighths move to
    # the triplet position, nothing else moves.
    assert [n.pitch for n in swung] == [n.pitch for n in straight]
    assert all(a.start == b.start or (b.start % 480, a.start - b.start) == (240, 80)
               for a, b in zip(swung, straight, strict=True))
    assert any(a.start != b.start for a, b in zip(swung, straight, strict=True))

    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"operation": "regenerate", "section": 0, "seed": 5})
    await run_session(app, client, answer.json()["id"], owner)
    regenerated = await current_score(client, project, owner)
    first_section_end = restyled.bar_start(restyled.sections[0].start_bar
                                           + restyled.sections[0].bars)
    def after(score: Score) -> list[tuple[int, int]]:
        return [(n.pitch, n.start) for n in score.track(melody_id).notes
                if n.start >= first_section_end]
    assert after(regenerated) == after(restyled)  # the other sections are untouched
    assert [(n.pitch, n.start) for n in regenerated.track(melody_id).notes
            if n.start < first_section_end] != \
        [(n.pitch, n.start) for n in restyled.track(melody_id).notes
         if n.start < first_section_end]

    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"operation": "variation", "section": 1, "seed": 9})
    assert (await run_session(app, client, answer.json()["id"], owner))["status"] == "succeeded"


async def test_bad_requests_get_clear_errors(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    url = f"{API}/projects/{project}/sessions"
    for body in ({"prompt": "x" * 3000}, {"prompt": "pop", "tempo": 5},
                 {"prompt": "pop", "key": "H minor"}, {"prompt": "pop", "surprise": 1},
                 {"prompt": ""}, {"operation": "remix"},
                 {"prompt": "pop", "instruments": ["kazoo-o-phone"]},
                 {"prompt": "pop", "seed": -1}, {"prompt": "pop", "extra_bars": 0}):
        assert_error(await client.post(url, headers=owner, json=body), 422, "VALIDATION_ERROR")
    for operation in ("continue", "reharmonize", "variation"):  # the score is still empty
        assert_error(await client.post(url, headers=owner, json={"operation": operation}),
                     422, "VALIDATION_ERROR")
    viewer = await share(client, project, owner, "viewer")
    assert_error(await client.post(url, headers=viewer, json={"prompt": "pop"}), 403,
                 "AUTHORIZATION_ERROR")
    _, stranger = await new_user(client, "stranger")
    assert_error(await client.post(url, headers=stranger, json={"prompt": "pop"}), 404,
                 "NOT_FOUND")
    assert_error(await client.get(f"{API}/sessions/not-a-uuid", headers=owner), 422,
                 "VALIDATION_ERROR")
    assert_error(await client.get(f"{API}/sessions/{project}", headers=owner), 404, "NOT_FOUND")


async def test_an_operation_merges_with_an_edit_made_meanwhile(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    """People keep editing (live or through REST) while an AI operation runs: its result is
    replayed onto the edited score, so the edit stands and the operation's work lands."""
    project, owner = await new_project(client)
    first = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                              json={"prompt": "a reel in D", "bars": 8, "seed": 1})
    await run_session(app, client, first.json()["id"], owner)
    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"operation": "continue", "extra_bars": 4})
    current = (await client.get(f"{API}/projects/{project}/score", headers=owner)).json()
    edited = {**current["score"], "tempo": 99.0}
    saved = await client.put(f"{API}/projects/{project}/score", headers=owner,
                             json={"score": edited, "revision": current["revision"]})
    assert saved.status_code == 200, saved.text
    done = await run_session(app, client, answer.json()["id"], owner)
    assert done["status"] == "succeeded", done
    after = await current_score(client, project, owner)
    assert after.tempo == 99.0 and after.bars == 12  # the edit stands, the bars were added
    versions = (await client.get(f"{API}/projects/{project}/versions", headers=owner)).json()
    assert "merged with edits" in versions["items"][0]["summary"]


async def test_cancel_a_queued_session(app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"prompt": "a march"})
    session_id = answer.json()["id"]
    cancelled = await client.post(f"{API}/sessions/{session_id}/cancel", headers=owner)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    done = await run_session(app, client, session_id, owner)
    assert done["status"] == "cancelled" and done["version"] is None
    assert_error(await client.post(f"{API}/sessions/{session_id}/cancel", headers=owner), 409,
                 "CONFLICT")


async def test_an_interrupted_run_resumes_from_its_checkpoint(
        app: FastAPI, client: httpx.AsyncClient, settings: Settings) -> None:
    """A run stopped after the melody (as a crashed worker leaves it) resumes there: the
    worker runs only the remaining nodes, and the music is what an unbroken run makes."""
    project, owner = await new_project(client)
    body = {"prompt": "an energetic rock song in E minor", "seed": 77, "bars": 12}
    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner, json=body)
    session_id, job_id = answer.json()["id"], answer.json()["job_id"]
    request = ComposeRequest.model_validate(body)
    assert settings.database_url
    config: Any = {"configurable": {"thread_id": session_id}}
    async with open_checkpointer(settings.database_url) as saver:
        graph = build_graph(saver)
        await graph.ainvoke({"prompt": request.prompt, "request": request.model_dump(
            mode="json", exclude_none=True), "base": None, "previous_brief": None}, config,
            context=ComposeContext(), interrupt_before=["arrange"], durability="sync")
        assert (await graph.aget_state(config)).next == ("arrange",)
    seen: list[str] = []

    async def listen() -> None:
        async for event in events.subscribe(app.state.redis, job_id):
            if event.get("node"):
                seen.append(event["node"])
            if event.get("finished"):
                return
    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.2)  # subscribed before the worker starts
    done = await run_session(app, client, session_id, owner)
    await asyncio.wait_for(listener, 30)
    assert done["status"] == "succeeded", done
    assert "arrange" in seen and not {"interpret", "plan", "harmony", "melody"} & set(seen)
    resumed = await current_score(client, project, owner)
    unbroken = (await compose_async(request)).score
    assert [(n.pitch, n.start, n.duration) for _, n in resumed.all_notes()] == \
        [(n.pitch, n.start, n.duration) for _, n in unbroken.all_notes()]


# --- the WebSocket, across processes ----------------------------------------------------


def _process(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ariaforge", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def replica_env(settings: Settings, app: FastAPI, tmp_path: Any) -> dict[str, str]:
    assert settings.database_url and settings.redis_url
    return {**os.environ, "DATABASE_URL": settings.database_url,
            "REDIS_URL": settings.redis_url, "SECRET_KEY": app.state.secret_key,
            "ARIAFORGE_HOME": str(settings.ariaforge_home), "JOB_HEARTBEAT_S": "0.3",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}


async def test_live_progress_over_a_websocket_on_another_replica(
        client: httpx.AsyncClient, replica_env: dict[str, str]) -> None:
    project, owner = await new_project(client)
    port = free_port()
    replica = _process(["api", "--host", "127.0.0.1", "--port", str(port)], replica_env)
    worker: subprocess.Popen[bytes] | None = None
    try:
        await asyncio.to_thread(wait_until_healthy, f"http://127.0.0.1:{port}", replica)
        answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                                   json={"prompt": WALTZ, "bars": 16})
        session_id = answer.json()["id"]
        url = f"ws://127.0.0.1:{port}{API}/sessions/{session_id}/ws"
        async with websockets.connect(url) as socket:
            await socket.send(json.dumps({"type": "auth",
                                          "token": owner["Authorization"][7:]}))
            hello = json.loads(await socket.recv())
            assert hello["type"] == "session" and hello["session"]["id"] == session_id
            worker = _process(["worker"], replica_env)  # the run starts only now
            messages = []
            async with asyncio.timeout(WAIT_LIMIT_S):
                async for raw in socket:
                    messages.append(json.loads(raw))
                    if messages[-1]["type"] == "result":
                        break
        nodes = [m["node"] for m in messages if m["type"] == "progress"]
        assert {"interpret", "harmony", "melody", "arrange", "validate", "finalize"} <= set(nodes)
        percents = [m["percent"] for m in messages if m["type"] == "progress"
                    and m["percent"] is not None]
        assert percents == sorted(percents)
        result = messages[-1]["session"]
        assert result["status"] == "succeeded" and result["version"] >= 2
    finally:
        for process in (worker, replica):
            if process is not None:
                stop_process(process)


async def test_websocket_refuses_without_a_valid_token(
        client: httpx.AsyncClient, replica_env: dict[str, str]) -> None:
    project, owner = await new_project(client)
    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"prompt": "a march"})
    session_id = answer.json()["id"]
    _, stranger = await new_user(client, "stranger")
    port = free_port()
    replica = _process(["api", "--host", "127.0.0.1", "--port", str(port)], replica_env)
    try:
        await asyncio.to_thread(wait_until_healthy, f"http://127.0.0.1:{port}", replica)
        base = f"ws://127.0.0.1:{port}{API}/sessions"
        cases = [(f"{base}/{session_id}/ws", {"type": "auth", "token": "not-a-jwt"},
                  "AUTHENTICATION_ERROR"),
                 (f"{base}/{session_id}/ws", {"type": "hello"}, "AUTHENTICATION_ERROR"),
                 (f"{base}/{session_id}/ws", {"type": "auth",
                                               "token": stranger["Authorization"][7:]},
                  "NOT_FOUND"),
                 (f"{base}/nonsense/ws", {"type": "auth",
                                          "token": owner["Authorization"][7:]}, "NOT_FOUND")]
        for url, first, code in cases:
            async with websockets.connect(url) as socket:
                await socket.send(json.dumps(first))
                reply = json.loads(await socket.recv())
                assert reply["type"] == "error" and reply["error"]["code"] == code, reply
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await socket.recv()
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
        headers = {"Authorization": owner["Authorization"]}
        async with websockets.connect(f"{base}/{session_id}/ws",
                                      additional_headers=headers) as socket:
            assert json.loads(await socket.recv())["type"] == "session"
    finally:
        stop_process(replica)
