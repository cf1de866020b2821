"""Long native/CPU work (engraving, parsing imports) is bounded in time and stoppable.

Unit tests of `core.isolation` with real worker processes, then a dedicated real
`ariaforge api` (uvicorn, real Verovio) started with a small engraving time limit.
Time bounds here are generous hang detectors, never speed targets.
"""

from __future__ import annotations

import asyncio
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
from fastapi import FastAPI

from ariaforge.config import Settings
from ariaforge.core.isolation import WorkFailed, WorkPool, WorkTimedOut
from ariaforge.music.interchange import InterchangeError, read_any
from ariaforge.music.score import Note, Score, Track
from ariaforge.scores import files
from tests.conftest import api_process as start_api
from tests.conftest import assert_error, new_user

API = "/api/v1/projects"
HANG_S = 90  # far beyond any limit used here: only catches a hang


def gone(pid: int) -> bool:
    """True once `pid` has exited (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def wait_gone(pids: set[int], within: float = HANG_S) -> None:
    deadline = time.monotonic() + within
    while not all(gone(pid) for pid in pids):
        assert time.monotonic() < deadline, f"still running: {pids}"
        time.sleep(0.1)


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(child) for child in text)
    return found


# --- the runner ---------------------------------------------------------------------


@pytest.fixture
def pool() -> Iterator[WorkPool]:
    work = WorkPool("test", preload=(), processes=1)
    yield work
    work.close()


def test_a_call_past_its_limit_is_stopped_and_its_worker_killed(pool: WorkPool) -> None:
    assert pool.call(30, math.factorial, (5,)) == 120  # warm: one worker
    (worker,) = pool.worker_pids()
    started = time.monotonic()
    with pytest.raises(WorkTimedOut):
        pool.call(0.5, time.sleep, (HANG_S,))
    assert time.monotonic() - started < HANG_S
    wait_gone({worker})
    # The pool goes on with a fresh worker.
    assert pool.call(30, math.factorial, (6,)) == 720
    assert worker not in pool.worker_pids()


def test_errors_come_back_as_themselves(pool: WorkPool) -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        pool.call(30, int, ("not a number",))
    with pytest.raises(InterchangeError, match=r"not ABC|no K:"):
        pool.call(30, read_any, ("x.abc", b"X:1\nT:no key field\nCDEF|\n"))
    # An exception that cannot travel arrives as WorkFailed, with its type's name only.
    with pytest.raises(WorkFailed) as failed:
        pool.call(30, _raise_unpicklable, ())
    assert failed.value.type_name == "_Unpicklable"
    assert pool.call(30, math.factorial, (3,)) == 6  # the worker survived all three


class _Unpicklable(Exception):
    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("no")


def _raise_unpicklable() -> None:
    raise _Unpicklable("cannot be sent back")


async def test_the_event_loop_keeps_running_and_cancelling_kills_the_worker(
        pool: WorkPool) -> None:
    await pool.run(30, math.factorial, 4)
    (worker,) = pool.worker_pids()
    ticks = 0
    with anyio.move_on_after(1.0):
        async with anyio.create_task_group() as group:
            group.start_soon(pool.run, HANG_S, time.sleep, HANG_S)
            while True:  # the loop is free while the worker sleeps
                await anyio.sleep(0.05)
                ticks += 1
    assert ticks >= 5
    wait_gone({worker})
    assert await pool.run(30, math.factorial, 5) == 120


def test_an_idle_worker_killed_meanwhile_is_replaced(pool: WorkPool) -> None:
    pool.call(30, math.factorial, (2,))
    (worker,) = pool.worker_pids()
    os.kill(worker, signal.SIGKILL)  # as the OOM killer would
    wait_gone({worker})
    assert pool.call(30, math.factorial, (4,)) == 24
    assert worker not in pool.worker_pids()


def test_a_closed_pool_leaves_no_process(pool: WorkPool) -> None:
    pool.call(30, math.factorial, (1,))
    pids = pool.worker_pids()
    pool.close()
    wait_gone(pids)


# --- imports --------------------------------------------------------------------------


def hostile_abc(notes: int = 190_000, per_bar: int = 16, chord: str = "") -> bytes:
    """~200 KB of ABC: short notes in many bars (music21 re-barred and beamed them in
    quadratic time: 23.7 minutes for 193 KB). A `chord` symbol before every note costs
    music21 some milliseconds each."""
    symbol = f'"{chord}"' if chord else ""
    bar = "".join(symbol + letter for letter in ("CDEFGABcdefgabcB" * 8)[:per_bar])
    body = "|".join([bar] * (notes // per_bar)) + "|"
    lines = [body[i:i + 76] for i in range(0, len(body), 76)]
    text = "X:1\nT:Hostile\nM:4/4\nL:1/64\nQ:1/4=1000\nK:C\n" + "\n".join(lines) + "\n"
    return text.encode()


async def test_a_hostile_abc_import_is_refused_or_finished_within_its_limit() -> None:
    data = hostile_abc()
    assert 180_000 < len(data) < 260_000
    limit = 20.0
    started = time.monotonic()
    try:
        score = await files.readers.run(limit, read_any, "hostile.abc", data)
    except (InterchangeError, WorkTimedOut):
        pass  # refused: too many notes, or not within the limit
    else:
        assert sum(len(track.notes) for track in score.tracks) > 0
    assert time.monotonic() - started < limit + HANG_S


async def test_many_bars_of_abc_import_without_beaming() -> None:
    # 4,000 notes in 250 bars: the re-barring and beaming steps took ~20 s on their own.
    score = await files.readers.run(HANG_S, read_any, "tune.abc",
                                    hostile_abc(notes=4_000))
    assert sum(len(track.notes) for track in score.tracks) == 4_000
    assert score.bars >= 250 // 4  # 16 sixty-fourths a bar: a quarter of a 4/4 bar


# --- a real server ----------------------------------------------------------------


def hostile_page() -> Score:
    """One page whose notes overlap in dozens of voices: Verovio needs many seconds."""
    notes = [Note(pitch=40 + (i * 7) % 50, start=i * 5, duration=150) for i in range(6_000)]
    return Score(bars=16, tempo=200, tracks=[Track(id="t", name="Cluster", notes=notes)])


@contextmanager
def api_process(settings: Settings, app: FastAPI, home: Path,
                **limits: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A dedicated `ariaforge api` (real uvicorn) with its own time limits."""
    with start_api(settings, app.state.secret_key, home, **limits) as started:
        yield started


@pytest.fixture
def limited_api(settings: Settings, app: FastAPI,
                tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Engravings and imports stop after 2 s."""
    with api_process(settings, app, tmp_path / "home", ENGRAVE_TIMEOUT_S="2",
                     IMPORT_TIMEOUT_S="2") as running:
        yield running


@pytest.fixture
def patient_api(settings: Settings, app: FastAPI,
                tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A limit far beyond the hang bound: only a shutdown can end a long engraving."""
    with api_process(settings, app, tmp_path / "home", ENGRAVE_TIMEOUT_S="600") as running:
        yield running


async def hostile_project(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    _, owner = await new_user(client)
    project = (await client.post(API, headers=owner, json={"name": "Cluster"})).json()["id"]
    response = await client.put(f"{API}/{project}/score", headers=owner, json={
        "score": hostile_page().model_dump(mode="json"), "revision": 1})
    assert response.status_code == 200, response.text
    return project, owner


@pytest.fixture
async def limited_client(limited_api: tuple[str, subprocess.Popen[bytes]],
                         clean: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=limited_api[0], timeout=HANG_S) as client:
        yield client


async def test_engraving_stops_at_its_limit_while_the_api_keeps_answering(
        limited_client: httpx.AsyncClient) -> None:
    project, owner = await hostile_project(limited_client)
    engraving = asyncio.create_task(
        limited_client.get(f"{API}/{project}/notation.svg", headers=owner))
    answered = 0
    while not engraving.done():
        health = await limited_client.get("/health")
        assert health.status_code == 200
        answered += 1
        await asyncio.sleep(0.1)
    assert answered >= 3  # the API answered throughout
    error = assert_error(engraving.result(), 422, "VALIDATION_ERROR")
    assert "within 2 s" in error["message"]
    assert error["details"][0]["type"] == "engraving_timeout"
    # A page past the end is refused at once, without engraving.
    missing = assert_error(
        await limited_client.get(f"{API}/{project}/notation.svg", headers=owner,
                                 params={"page": 9_999}), 404, "NOT_FOUND")
    assert missing["details"] == {"page_count": 1}


async def test_an_import_past_its_limit_is_refused_while_the_api_keeps_answering(
        limited_client: httpx.AsyncClient) -> None:
    _, owner = await new_user(limited_client)
    project = (await limited_client.post(API, headers=owner, json={"name": "Big"})).json()["id"]
    # Under every size and note limit (295 KB, 48,000 notes), and yet about three minutes
    # of music21 on a busy machine: a chord symbol costs it milliseconds.
    data = hostile_abc(notes=48_000, chord="Cm7")
    importing = asyncio.create_task(limited_client.post(
        f"{API}/{project}/import", headers=owner,
        files={"file": ("big.abc", data, "text/vnd.abc")}))
    answered = 0
    while not importing.done():
        assert (await limited_client.get("/health")).status_code == 200
        answered += 1
        await asyncio.sleep(0.1)
    assert answered >= 3
    error = assert_error(importing.result(), 422, "VALIDATION_ERROR")
    assert "longer than 2 s" in error["message"]
    assert error["details"][0]["type"] == "import_timeout"
    # Nothing was imported; a small file still is.
    score = (await limited_client.get(f"{API}/{project}/score", headers=owner)).json()
    assert score["revision"] == 1
    small = await limited_client.post(
        f"{API}/{project}/import", headers=owner,
        files={"file": ("small.abc", hostile_abc(notes=64), "text/vnd.abc")})
    assert small.status_code == 200, small.text


async def test_the_193_kb_abc_is_answered_over_http(client: httpx.AsyncClient) -> None:
    _, owner = await new_user(client)
    project = (await client.post(API, headers=owner, json={"name": "Big"})).json()["id"]
    response = await client.post(f"{API}/{project}/import", headers=owner, files={
        "file": ("hostile.abc", hostile_abc(), "text/vnd.abc")})
    # Refused (422, a clear message) or imported (200): never a 500 or a hang.
    if response.status_code == 422:
        assert "cannot import hostile.abc" in assert_error(
            response, 422, "VALIDATION_ERROR")["message"]
    else:
        assert response.status_code == 200, response.text


async def test_sigterm_during_an_engraving_exits_promptly_without_children(
        patient_api: tuple[str, subprocess.Popen[bytes]], clean: None, tmp_path: Path) -> None:
    base, process = patient_api
    async with httpx.AsyncClient(base_url=base, timeout=HANG_S) as client:
        project, owner = await hostile_project(client)
        engraving = asyncio.create_task(
            client.get(f"{API}/{project}/notation.svg", headers=owner))
        workers = await _engraver_started(process.pid)
        process.send_signal(signal.SIGTERM)
        # The engraving is killed and answered at once, so uvicorn can finish.
        assert_error(await engraving, 503, "SERVICE_UNAVAILABLE")
    exit_code = await anyio.to_thread.run_sync(lambda: process.wait(HANG_S))
    assert exit_code == 0
    await anyio.to_thread.run_sync(wait_gone, workers)
    log_text = (tmp_path / "home" / "api.log").read_text(errors="replace")
    assert "Traceback" not in log_text, log_text[-3000:]


async def _engraver_started(pid: int) -> set[int]:
    """The API's worker processes, once one exists (an engraving has begun)."""
    deadline = time.monotonic() + HANG_S
    while time.monotonic() < deadline:
        workers = children_of(pid)
        if workers:
            await asyncio.sleep(1.0)  # let the page reach Verovio
            return children_of(pid) | workers
        await asyncio.sleep(0.1)
    raise AssertionError("no worker process started")


def test_no_worker_outlives_a_killed_parent(tmp_path: Path) -> None:
    """Even SIGKILL of the API leaves no worker behind (the kernel's parent-death signal)."""
    script = (
        "import sys, time\n"
        "from ariaforge.core.isolation import WorkPool\n"
        "pool = WorkPool('orphans', preload=())\n"
        "pool.call(30, time.sleep, (0,))\n"
        "print(*pool.worker_pids(), flush=True)\n"
        "pool.call(600, time.sleep, (600,))\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    try:
        assert parent.stdout is not None
        workers = {int(pid) for pid in parent.stdout.readline().split()}
        assert workers
        time.sleep(0.5)
        parent.kill()
        parent.wait(HANG_S)
        wait_gone(workers)
    finally:
        if parent.poll() is None:
            parent.kill()
