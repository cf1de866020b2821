"""Bad input on the score endpoints (score, tracks, note batches, versions, validation,
import and export) answers a 4xx in the one error shape, never a 500, and changes nothing.

As in test_bad_input.py, one module-scoped `world` (an owner, a viewer, a stranger, a
project whose score has three tracks, notes, a section, a chord symbol and four versions)
serves every test, so argon2 hashing runs a handful of times, not once per test. That is
also why conftest's `client` (whose `clean` fixture truncates every table) is not used.

Every request aimed at the world's main project must be refused; the last test fires a
barrage at it and compares the whole score, its history, its tracks and the project with
what was stored at creation. Tests that expose a bug (so that, today, the request gets
through) aim at a separate scratch project, so that they cannot spoil that comparison.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from ariaforge.music.interchange import MAX_MXL_MEMBERS, write_midi
from ariaforge.music.score import MAX_BARS, MAX_NOTES, MAX_TICK, MAX_TRACKS, Note, Score, Track
from ariaforge.scores.files import MAX_IMPORT_BYTES
from ariaforge.scores.schemas import (
    MAX_OPERATIONS,
    NoteBatch,
    ScorePut,
    TrackCreate,
    TrackUpdate,
)
from tests.conftest import BASE_URL, assert_error, bearer, login, register, unique_email

API = "/api/v1/projects"
JSON = "application/json"
MIB = 1_048_576
MAX_BODY = MIB  # Settings.max_request_bytes default: every route but the three below
# Settings.max_upload_bytes: /score, /notes/batch, /import (16 MiB files + framing room)
MAX_LARGE_BODY = 17 * MIB
VALIDATION = "VALIDATION_ERROR"
CONFLICT = "CONFLICT"
NOT_FOUND = "NOT_FOUND"
FORBIDDEN = "AUTHORIZATION_ERROR"
UNAUTHENTICATED = "AUTHENTICATION_ERROR"
TOO_LARGE = "PAYLOAD_TOO_LARGE"
HUGE = 300_000
GHOST_PROJECT = "00000000-0000-0000-0000-000000000000"
MISSING: Any = object()  # a mutation value: delete the key instead of setting it


def _note(note_id: str, pitch: int, start: int, duration: int,
          velocity: int = 90) -> dict[str, Any]:
    return {"id": note_id, "pitch": pitch, "start": start, "duration": duration,
            "velocity": velocity}


# Non-default values everywhere, so that a refused request that still wrote something
# (a default, a re-sorted list) shows up in the final comparison.
FIRST_SCORE: dict[str, Any] = {
    "tempo": 96.0, "key": {"tonic": "D", "mode": "dorian"},
    "meter": {"numerator": 3, "denominator": 4}, "bars": 8,
    "tempo_changes": [{"tick": 2880, "bpm": 100.0}],
    "meter_changes": [{"bar": 5, "meter": {"numerator": 4, "denominator": 4}}],
    "sections": [{"name": "A", "start_bar": 1, "bars": 4}],
    "chord_symbols": [{"tick": 0, "symbol": "Dm"}],
    "tracks": [
        {"id": "piano", "name": "Piano", "role": "melody", "program": 0, "pan": -10,
         "colour": "#22aa88",
         "notes": [_note("n1", 62, 0, 480), _note("n2", 65, 480, 960, 70)]},
        {"id": "bass", "name": "Bass", "role": "bass", "program": 33, "volume": 90,
         "notes": [_note("b1", 38, 0, 1440)]},
    ],
}


@dataclass(frozen=True)
class World:
    owner: dict[str, str]  # auth headers
    viewer: dict[str, str]
    stranger: dict[str, str]
    project_id: str
    scratch_id: str  # the owner's second project, for requests that a bug lets through
    revision: int  # the main project's current score revision
    score: dict[str, Any]  # GET /score, whole
    versions: dict[str, Any]  # GET /versions?limit=100, whole
    tracks: list[dict[str, Any]]
    project: dict[str, Any]

    def url(self, path: str, project: str | None = None) -> str:
        return f"{API}/{project or self.project_id}{path}"

    @property
    def if_match(self) -> dict[str, str]:
        return {**self.owner, "If-Match": f'"{self.revision}"'}


def _http(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL)


def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
async def world(app: FastAPI) -> World:
    # Rate-limit counters left by an earlier module's last test must not throttle us.
    redis: Redis = app.state.redis
    await redis.flushdb()
    async with _http(app) as http:
        owner = bearer(await login(http, await register(http, unique_email("owner"))))
        viewer_email = await register(http, unique_email("viewer"))
        viewer = bearer(await login(http, viewer_email))
        stranger = bearer(await login(http, await register(http, unique_email("stranger"))))
        project = _ok(await http.post(API, headers=owner, json={
            "name": "Dorian study", "tempo": 96, "key": "D", "mode": "dorian",
            "meter": "3/4"}), 201)["id"]
        scratch = _ok(await http.post(API, headers=owner, json={"name": "Scratch"}), 201)["id"]
        base = f"{API}/{project}"
        _ok(await http.post(f"{base}/members", headers=owner,
                            json={"email": viewer_email, "role": "viewer"}), 201)
        # Four versions: created, a whole score, a new track (If-Match), a note batch.
        _ok(await http.put(f"{base}/score", headers=owner, json={
            "score": FIRST_SCORE, "revision": 1, "message": "first idea"}))
        _ok(await http.post(f"{base}/tracks", headers={**owner, "If-Match": '"2"'},
                            json={"id": "strings", "name": "Strings", "role": "pad"}), 201)
        _ok(await http.post(f"{base}/notes/batch", headers=owner, json={
            "revision": 3, "operations": [
                {"op": "add", "track_id": "strings", "id": "s1", "pitch": 57, "start": 0,
                 "duration": 1440}]}))
        score = _ok(await http.get(f"{base}/score", headers=owner))
        versions = _ok(await http.get(f"{base}/versions?limit=100", headers=owner))
        tracks = (await http.get(f"{base}/tracks", headers=owner)).json()
        settings = _ok(await http.get(base, headers=owner))
    assert score["revision"] == 4 and versions["total"] == 4
    return World(owner=owner, viewer=viewer, stranger=stranger, project_id=project,
                 scratch_id=scratch, revision=score["revision"], score=score,
                 versions=versions, tracks=tracks, project=settings)


@pytest.fixture
async def api(app: FastAPI, world: World) -> AsyncIterator[httpx.AsyncClient]:
    """A client that, unlike conftest's `client`, leaves the database alone."""
    async with _http(app) as http:
        yield http


def _mutated(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `body` with the dotted `path` set to `value` (deleted if MISSING)."""
    result = copy.deepcopy(body)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = result
    for part in parents:
        node = node[part]
    if value is MISSING:
        del node[last]
    else:
        node[last] = value
    return result


def _params(cases: list[tuple[str, Any]]) -> list[Any]:
    def name(path: str, value: Any) -> str:
        text = "MISSING" if value is MISSING else repr(value)
        return f"{path}={text[:24]}{'...' if len(text) > 24 else ''}"

    return [pytest.param(path, value, id=name(path, value)) for path, value in cases]


def _chunks(data: bytes, size: int = 1 << 20) -> AsyncIterator[bytes]:
    """An async iterator body: httpx then sends it chunked, without Content-Length."""

    async def generate() -> AsyncIterator[bytes]:
        for start in range(0, len(data), size):
            yield data[start:start + size]

    return generate()


def _score_body(world: World) -> dict[str, Any]:
    """A PUT /score body that would be accepted: the stored score at its revision."""
    return {"score": copy.deepcopy(world.score["score"]), "revision": world.revision}


async def _scratch_revision(api: httpx.AsyncClient, world: World) -> int:
    response = await api.get(world.url("/score", world.scratch_id), headers=world.owner)
    revision: int = _ok(response)["revision"]
    return revision


async def test_the_bodies_the_tests_break_are_valid_as_they_are(world: World) -> None:
    """Each parametrized test below breaks one thing in a valid body or header; were the
    base itself invalid, its 422 would prove nothing."""
    ScorePut.model_validate(_score_body(world))
    TrackCreate.model_validate({"name": "New", "revision": world.revision})
    TrackUpdate.model_validate({"mute": True, "revision": world.revision})
    NoteBatch.model_validate({"operations": [_ADD], "revision": world.revision})
    for _, _, body in IF_MATCH_ROUTES:
        if body is not None and "score" in body:
            ScorePut.model_validate(body)


# --------------------------------------------------------------------------------------
# PUT /score: every field of the whole score
# --------------------------------------------------------------------------------------

def _tracks(count: int) -> list[dict[str, Any]]:
    return [{"id": f"t{i}"} for i in range(count)]


BAD_SCORE_FIELDS = _params([
    # the envelope
    ("score", MISSING), ("score", None), ("score", []), ("score", "x"), ("score", 5),
    ("revision", 0), ("revision", -1), ("revision", 2**31), ("revision", 10**30),
    ("revision", 1.5), ("revision", "abc"), ("revision", [1]),
    # No revision and no If-Match: refused so that a concurrent edit is not overwritten.
    ("revision", None), ("revision", MISSING),
    ("message", "a" * 201), ("message", "a" * HUGE), ("message", "a\x00b"),
    ("message", "two\nlines"), ("message", "red\x1b[31m"), ("message", "del\x7f"),
    ("message", 5), ("message", ["why"]), ("extra", 1), ("Score", {}),
    # score-wide settings
    ("score.ppq", 96), ("score.ppq", None), ("score.tempo", 0), ("score.tempo", 9.99),
    ("score.tempo", 1000.5), ("score.tempo", -120), ("score.tempo", "fast"),
    ("score.tempo", None), ("score.tempo", [120]), ("score.key", None), ("score.key", "D"),
    ("score.key.tonic", "H"), ("score.key.tonic", "d"), ("score.key.tonic", "C###"),
    ("score.key.tonic", ""), ("score.key.tonic", "C\x00"), ("score.key.tonic", "C" * HUGE),
    ("score.key.mode", "bebop"), ("score.key.mode", "DORIAN"), ("score.key.mode", None),
    ("score.meter", "3/4"), ("score.meter", None), ("score.meter.numerator", 0),
    ("score.meter.numerator", 33), ("score.meter.denominator", 3),
    ("score.meter.denominator", 64), ("score.meter.denominator", 0), ("score.bars", 0),
    ("score.bars", MAX_BARS + 1), ("score.bars", 1.5), ("score.bars", None),
    ("score.extra", True),
    # tempo and meter changes must be well formed and in order
    ("score.tempo_changes", None), ("score.tempo_changes", [{"tick": 0}]),
    ("score.tempo_changes", [{"tick": 10, "bpm": 100}, {"tick": 5, "bpm": 100}]),
    ("score.tempo_changes", [{"tick": 5, "bpm": 100}, {"tick": 5, "bpm": 90}]),
    ("score.tempo_changes.0.bpm", 5), ("score.tempo_changes.0.bpm", 1001),
    ("score.tempo_changes.0.tick", -1), ("score.tempo_changes.0.tick", MAX_TICK + 1),
    ("score.tempo_changes.0.tick", 1.5), ("score.tempo_changes.0.extra", 1),
    ("score.meter_changes.0.bar", 1), ("score.meter_changes.0.bar", MAX_BARS + 1),
    ("score.meter_changes.0.meter", {"numerator": 3, "denominator": 5}),
    ("score.meter_changes", [{"bar": 5, "meter": {"numerator": 3, "denominator": 4}},
                             {"bar": 3, "meter": {"numerator": 4, "denominator": 4}}]),
    # sections and chord symbols
    ("score.sections.0.name", ""), ("score.sections.0.name", "a" * 65),
    ("score.sections.0.name", None), ("score.sections.0.start_bar", 0),
    ("score.sections.0.bars", 0), ("score.sections.0.bars", MAX_BARS + 1),
    ("score.chord_symbols.0.symbol", ""), ("score.chord_symbols.0.symbol", "C" * 33),
    ("score.chord_symbols.0.tick", -1), ("score.chord_symbols.0.tick", 1.5),
    ("score.chord_symbols.0.tick", MAX_TICK + 1),
    # tracks
    ("score.tracks", None), ("score.tracks", "piano"), ("score.tracks", {"id": "x"}),
    ("score.tracks", _tracks(MAX_TRACKS + 1)), ("score.tracks.1.id", "piano"),
    ("score.tracks.0.id", ""), ("score.tracks.0.id", "a b"), ("score.tracks.0.id", "a" * 65),
    ("score.tracks.0.id", "caf\u00e9"), ("score.tracks.0.id", "a/b"), ("score.tracks.0.id", None),
    ("score.tracks.0.id", 7), ("score.tracks.0.name", ""), ("score.tracks.0.name", "a" * 101),
    ("score.tracks.0.name", "a" * HUGE), ("score.tracks.0.name", None),
    ("score.tracks.0.name", 5), ("score.tracks.0.role", "lead"),
    ("score.tracks.0.program", 128), ("score.tracks.0.program", -1),
    ("score.tracks.0.volume", 128), ("score.tracks.0.pan", 64), ("score.tracks.0.pan", -65),
    ("score.tracks.0.colour", "red"), ("score.tracks.0.colour", "#12345"),
    ("score.tracks.0.colour", "#gggggg"), ("score.tracks.0.is_drum", "maybe"),
    ("score.tracks.0.mute", None), ("score.tracks.0.notes", None),
    ("score.tracks.0.notes", "n1"), ("score.tracks.0.channel", 1),
    # notes: values out of range, of the wrong type, missing, duplicated
    ("score.tracks.0.notes.0.pitch", -1), ("score.tracks.0.notes.0.pitch", 128),
    ("score.tracks.0.notes.0.pitch", 60.5), ("score.tracks.0.notes.0.pitch", "sixty"),
    ("score.tracks.0.notes.0.pitch", None), ("score.tracks.0.notes.0.pitch", MISSING),
    ("score.tracks.0.notes.0.start", -1), ("score.tracks.0.notes.0.start", 1.5),
    ("score.tracks.0.notes.0.start", MAX_TICK + 1), ("score.tracks.0.notes.0.start", 2**64),
    ("score.tracks.0.notes.0.start", "zero"), ("score.tracks.0.notes.0.start", None),
    ("score.tracks.0.notes.0.start", MISSING), ("score.tracks.0.notes.0.duration", 0),
    ("score.tracks.0.notes.0.duration", -480), ("score.tracks.0.notes.0.duration", 0.5),
    ("score.tracks.0.notes.0.duration", MAX_TICK + 1),
    ("score.tracks.0.notes.0.duration", MISSING), ("score.tracks.0.notes.0.velocity", 0),
    ("score.tracks.0.notes.0.velocity", 128), ("score.tracks.0.notes.0.velocity", -1),
    ("score.tracks.0.notes.0.velocity", None), ("score.tracks.0.notes.0.id", ""),
    ("score.tracks.0.notes.0.id", "a b"), ("score.tracks.0.notes.0.id", "a" * 65),
    ("score.tracks.0.notes.0.id", "n\u00b9"), ("score.tracks.0.notes.0.id", None),
    ("score.tracks.0.notes.0.id", "n2"),  # a duplicate within the track
    ("score.tracks.1.notes.0.id", "n1"),  # a duplicate across tracks
    ("score.tracks.0.notes.0.channel", 1), ("score.tracks.0.notes.0", [62, 0, 480]),
])


@pytest.mark.parametrize(("path", "value"), BAD_SCORE_FIELDS)
async def test_put_score_bad_field(api: httpx.AsyncClient, world: World, path: str,
                                   value: Any) -> None:
    body = _mutated(_score_body(world), path, value)
    response = await api.put(world.url("/score"), headers=world.owner, json=body)
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize(("raw", "status"), [
    # Python's JSON parser accepts these JavaScript literals; the range checks refuse them.
    pytest.param(b'"tempo": NaN', 422, id="tempo-nan"),
    pytest.param(b'"tempo": Infinity', 422, id="tempo-infinity"),
    pytest.param(b'"tempo": -Infinity', 422, id="tempo-minus-infinity"),
    pytest.param(b'"tempo": 1e400', 422, id="tempo-1e400"),
    pytest.param(b'"tempo_changes": [{"tick": 0, "bpm": NaN}]', 422, id="bpm-nan"),
    # a lone surrogate cannot be encoded as UTF-8, so pydantic refuses it as a string
    pytest.param(b'"tracks": [{"id": "t", "name": "\\ud800"}]', 422, id="name-surrogate"),
    pytest.param(b'"sections": [{"name": "\\udfff", "start_bar": 1, "bars": 1}]', 422,
                 id="section-surrogate"),
])
async def test_put_score_non_finite_and_unencodable_values(
        api: httpx.AsyncClient, world: World, raw: bytes, status: int) -> None:
    content = b'{"revision": %d, "score": {%s}}' % (world.revision, raw)
    response = await api.put(world.url("/score"), content=content,
                             headers={**world.owner, "Content-Type": JSON})
    assert_error(response, status, VALIDATION)


def _many_notes(count: int, pad: int = 0) -> bytes:
    """A PUT /score body with `count` notes in one track; `pad` lengthens every note id
    (so the body can be pushed over the 16 MiB limit without adding notes)."""
    notes = b",".join(
        b'{"id":"n%d%s","pitch":60,"start":0,"duration":1}' % (i, b"x" * pad)
        for i in range(count))
    return b'{"revision":%%d,"score":{"tracks":[{"id":"t","notes":[%s]}]}}' % notes


async def test_a_score_with_one_note_too_many_is_422(api: httpx.AsyncClient,
                                                     world: World) -> None:
    # MAX_NOTES + 1 compact notes take a few MB: under the 16 MiB limit of /score, so the
    # body is read and validated, and the note ceiling (MAX_NOTES) refuses it.
    content = _many_notes(MAX_NOTES + 1) % world.revision
    assert MAX_BODY < len(content) < MAX_LARGE_BODY
    response = await api.put(world.url("/score"), content=content,
                             headers={**world.owner, "Content-Type": JSON})
    error = assert_error(response, 422, VALIDATION)
    assert error["details"][0]["loc"] == ["body", "score"]
    assert f"at most {MAX_NOTES} notes" in error["details"][0]["msg"]


async def test_a_score_over_16_mib_is_413_before_it_is_parsed(api: httpx.AsyncClient,
                                                              world: World) -> None:
    # The same notes with ids padded past the limit (over 16 MiB in all): the middleware
    # refuses the body by its Content-Length (or, chunked, as soon as it has read 16 MiB
    # + 1 bytes), before any id is checked.
    content = _many_notes(MAX_NOTES + 1, pad=MAX_LARGE_BODY // MAX_NOTES) % world.revision
    assert len(content) > MAX_LARGE_BODY
    headers = {**world.owner, "Content-Type": JSON}
    assert_error(await api.put(world.url("/score"), content=content, headers=headers), 413,
                 TOO_LARGE)
    assert_error(await api.put(world.url("/score"), content=_chunks(content),
                               headers=headers), 413, TOO_LARGE)


# --------------------------------------------------------------------------------------
# POST /tracks and PATCH /tracks/{track_id}
# --------------------------------------------------------------------------------------

BAD_NEW_TRACK_FIELDS = _params([
    ("name", ""), ("name", "a" * 101), ("name", "a" * HUGE), ("name", None), ("name", 5),
    ("name", "a\x00b"), ("name", "red\x1b[31m"), ("name", "two\nlines"), ("name", "tab\t"),
    ("name", "del\x7f"), ("role", "lead"), ("role", None), ("program", 128),
    ("program", -1), ("program", "x"), ("volume", 128), ("volume", 1.5),
    ("pan", 64), ("pan", -65), ("colour", "red"), ("colour", "#12345"),
    ("colour", "#22aa88\x00"), ("is_drum", "maybe"), ("is_drum", None), ("mute", None),
    ("solo", [True]), ("id", ""), ("id", "a b"), ("id", "a" * 65), ("id", "caf\u00e9"),
    ("id", "a\x00"), ("id", 7), ("revision", 0), ("revision", 2**31), ("revision", "abc"),
    ("extra", 1), ("note_count", 3), ("notes", None), ("notes", "n1"),
    ("notes", [_note("x1", 128, 0, 1)]), ("notes", [_note("x1", 60, -1, 1)]),
    ("notes", [_note("x1", 60, 0, 0)]), ("notes", [_note("x1", 60, 0, 1, 0)]),
    ("notes", [_note("x1", 60, MAX_TICK + 1, 1)]),
    # Ids the resulting score would hold twice: refused by the service, as a whole score.
    ("notes", [_note("x1", 60, 0, 1), _note("x1", 61, 0, 1)]),
    ("notes", [_note("n1", 60, 0, 1)]),
    ("notes", [_note(f"x{i}", 60, 0, 1) for i in range(2)] + [{"pitch": 60}]),
])


@pytest.mark.parametrize(("path", "value"), BAD_NEW_TRACK_FIELDS)
async def test_add_track_bad_field(api: httpx.AsyncClient, world: World, path: str,
                                   value: Any) -> None:
    body = _mutated({"name": "New", "revision": world.revision}, path, value)
    response = await api.post(world.url("/tracks"), headers=world.owner, json=body)
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize(("body", "status", "code"), [
    # An id already taken is a conflict, and so is a stale revision; the revision is
    # checked first (its details name the current revision).
    pytest.param({"id": "piano"}, 409, CONFLICT, id="duplicate-id"),
    pytest.param({"id": "bass", "name": "Other bass"}, 409, CONFLICT, id="duplicate-id-2"),
    pytest.param({"id": "fresh", "revision": 1}, 409, CONFLICT, id="stale-revision"),
    pytest.param({"id": "piano", "revision": 1}, 409, CONFLICT, id="stale-and-duplicate"),
])
async def test_add_track_conflicts(api: httpx.AsyncClient, world: World,
                                   body: dict[str, Any], status: int, code: str) -> None:
    error = assert_error(await api.post(world.url("/tracks"), headers=world.owner,
                                        json=body), status, code)
    if body.get("revision") == 1:
        assert error["details"] == {"current_revision": world.revision, "your_revision": 1}


async def test_adding_a_track_to_a_full_score_is_422(api: httpx.AsyncClient,
                                                     world: World) -> None:
    # The main project has three tracks; the scratch project is filled to the ceiling
    # (that PUT is valid and is the only change this test makes, to the scratch project).
    url = world.url("/score", world.scratch_id)
    full = await api.put(url, headers=world.owner, json={
        "score": {"tracks": _tracks(MAX_TRACKS)},
        "revision": await _scratch_revision(api, world)})
    assert full.status_code == 200, full.text
    response = await api.post(world.url("/tracks", world.scratch_id), headers=world.owner,
                              json={"id": "one-more"})
    error = assert_error(response, 422, VALIDATION)
    assert error["details"][0]["loc"][:2] == ["body", "tracks"]


BAD_TRACK_UPDATES = _params([
    # Every field is optional in the schema; null is refused by the service, except for
    # `colour`, where null means "no colour".
    ("name", None), ("role", None), ("program", None), ("is_drum", None), ("volume", None),
    ("pan", None), ("mute", None), ("solo", None),
    ("name", ""), ("name", "a" * 101), ("name", "a" * HUGE), ("name", "a\x00b"),
    ("name", "red\x1b[31m"), ("name", "two\r\nlines"), ("name", 5), ("role", "lead"),
    ("program", 128), ("program", -1), ("volume", 128), ("volume", "loud"), ("pan", 64),
    ("pan", -65), ("pan", 0.5), ("colour", "red"), ("colour", "#1234567"), ("mute", "maybe"),
    ("solo", [True]), ("revision", 0), ("revision", -1), ("revision", 2**31),
    ("revision", 1.5), ("revision", "abc"),
    # Fields a track has, but that this endpoint does not change: unknown here.
    ("id", "other"), ("notes", []), ("note_count", 0), ("extra", 1),
])


@pytest.mark.parametrize(("path", "value"), BAD_TRACK_UPDATES)
async def test_update_track_bad_field(api: httpx.AsyncClient, world: World, path: str,
                                      value: Any) -> None:
    body = _mutated({"mute": True, "revision": world.revision}, path, value)
    response = await api.patch(world.url("/tracks/piano"), headers=world.owner, json=body)
    assert_error(response, 422, VALIDATION)


async def test_update_track_stale_revision_is_409(api: httpx.AsyncClient,
                                                  world: World) -> None:
    for body, headers in [({"mute": True, "revision": 1}, world.owner),
                          ({"mute": True}, {**world.owner, "If-Match": '"1"'})]:
        error = assert_error(await api.patch(world.url("/tracks/piano"), headers=headers,
                                             json=body), 409, CONFLICT)
        assert error["details"]["current_revision"] == world.revision


# Path segments for {track_id}: (segment as sent, status, code). httpx would resolve a
# literal ".." (and so send the PATCH to /projects/{id}); "%2E%2E" reaches the server and
# is decoded to "..", which matches the id pattern ([A-Za-z0-9_.:-]{1,64}): a plain 404.
BAD_TRACK_IDS = [
    pytest.param("a%20b", 422, VALIDATION, id="space"),
    pytest.param("a" * 65, 422, VALIDATION, id="65-chars"),
    pytest.param("a" * 10_000, 422, VALIDATION, id="10k-chars"),
    pytest.param("caf%C3%A9", 422, VALIDATION, id="unicode"),
    pytest.param("%00", 422, VALIDATION, id="nul"),
    pytest.param("a%0Ab", 422, VALIDATION, id="newline"),
    pytest.param("%2E%2E", 404, NOT_FOUND, id="dot-dot-encoded"),
    # httpx drops a lone ".": PATCH or DELETE /tracks/ matches no route for the method.
    pytest.param(".", 405, "METHOD_NOT_ALLOWED", id="dot"),
    pytest.param("a%2Fb", 404, NOT_FOUND, id="encoded-slash"),  # /tracks/a/b: no route
    pytest.param("ghost", 404, NOT_FOUND, id="unknown-id"),
    pytest.param("PIANO", 404, NOT_FOUND, id="wrong-case"),
]


@pytest.mark.parametrize(("segment", "status", "code"), BAD_TRACK_IDS)
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
async def test_bad_track_id_in_path(api: httpx.AsyncClient, world: World, method: str,
                                    segment: str, status: int, code: str) -> None:
    # A body and If-Match that would be accepted, so that only the path is at fault.
    body = {"mute": True} if method == "PATCH" else None
    response = await api.request(method, world.url(f"/tracks/{segment}"),
                                 headers=world.if_match, json=body)
    error = assert_error(response, status, code)
    if status == 422:
        assert error["details"][0]["loc"] == ["path", "track_id"]


# --------------------------------------------------------------------------------------
# POST /notes/batch
# --------------------------------------------------------------------------------------

_ADD = {"op": "add", "track_id": "piano", "pitch": 60, "start": 0, "duration": 480}

BAD_BATCH_FIELDS = _params([
    # the envelope
    ("operations", MISSING), ("operations", None), ("operations", []),
    ("operations", "delete n1"), ("operations", _ADD), ("operations", [None]),
    ("operations", ["delete"]), ("operations", [[_ADD]]),
    ("revision", MISSING), ("revision", None), ("revision", 0), ("revision", -1),
    ("revision", 2**31), ("revision", 1.5), ("revision", "abc"),
    ("message", "a" * 201), ("message", "a\x00"), ("message", "a\nb"),
    ("message", "\x1b[2J"), ("message", 5), ("extra", 1),
    # the op name
    ("operations.0.op", MISSING), ("operations.0.op", "explode"), ("operations.0.op", "ADD"),
    ("operations.0.op", ""), ("operations.0.op", None), ("operations.0.op", 1),
    ("operations.0.op", ["add"]), ("operations.0.op", "add\x00"),
    # add: values
    ("operations.0.track_id", MISSING), ("operations.0.track_id", None),
    ("operations.0.track_id", "a b"), ("operations.0.track_id", "a" * 65),
    ("operations.0.track_id", ""), ("operations.0.pitch", -1), ("operations.0.pitch", 128),
    ("operations.0.pitch", 60.5), ("operations.0.pitch", "C4"), ("operations.0.pitch", None),
    ("operations.0.pitch", MISSING), ("operations.0.start", -1), ("operations.0.start", 0.5),
    ("operations.0.start", -0.5), ("operations.0.start", MAX_TICK + 1),
    ("operations.0.start", 10**30), ("operations.0.start", MISSING),
    ("operations.0.duration", 0), ("operations.0.duration", -1),
    ("operations.0.duration", MAX_TICK + 1), ("operations.0.duration", MISSING),
    ("operations.0.velocity", 0), ("operations.0.velocity", 128),
    ("operations.0.velocity", None), ("operations.0.id", ""), ("operations.0.id", "a b"),
    ("operations.0.id", "a" * 65), ("operations.0.id", "\u00e9"),
    # fields of other ops are unknown to `add`
    ("operations.0.note_id", "n1"), ("operations.0.channel", 1),
    # update, move, resize, delete
    ("operations", [{"op": "move", "note_id": "n1", "start": -1}]),
    ("operations", [{"op": "move", "note_id": "n1", "start": MAX_TICK + 1}]),
    ("operations", [{"op": "resize", "note_id": "n1", "duration": 0}]),
    ("operations", [{"op": "update", "note_id": "n1", "pitch": 128}]),
    ("operations", [{"op": "update", "note_id": "n1", "velocity": 0}]),
    ("operations", [{"op": "update", "note_id": "n1", "track_id": "a b"}]),
    ("operations", [{"op": "update", "note_id": "a b", "pitch": 60}]),
    ("operations", [{"op": "update", "pitch": 60}]),
    ("operations", [{"op": "update", "note_id": "n1", "id": "n9"}]),
    ("operations", [{"op": "delete"}]), ("operations", [{"op": "delete", "note_id": None}]),
    ("operations", [{"op": "delete", "note_id": "n1", "pitch": 60}]),
    ("operations", [{"op": "delete", "note_id": "n1", "track_id": "piano"}]),
    # one bad operation after good ones still refuses the whole batch
    ("operations", [_ADD, {"op": "delete", "note_id": "n1"}, {**_ADD, "pitch": 128}]),
])


@pytest.mark.parametrize(("path", "value"), BAD_BATCH_FIELDS)
async def test_note_batch_bad_field(api: httpx.AsyncClient, world: World, path: str,
                                    value: Any) -> None:
    body = _mutated({"operations": [dict(_ADD)], "revision": world.revision}, path, value)
    response = await api.post(world.url("/notes/batch"), headers=world.owner, json=body)
    assert_error(response, 422, VALIDATION)


# Operations valid on their own that fail against the score (or an earlier operation):
# (operations, index of the failing operation, field named in details[].loc)
BATCH_SEMANTIC_ERRORS = [
    pytest.param([{**_ADD, "track_id": "ghost"}], 0, "track_id", id="add-unknown-track"),
    pytest.param([{**_ADD, "id": "n1"}], 0, "id", id="add-existing-note-id"),
    pytest.param([{**_ADD, "id": "b1"}], 0, "id", id="add-note-id-of-another-track"),
    pytest.param([{**_ADD, "id": "dup"}, {**_ADD, "id": "dup"}], 1, "id",
                 id="add-same-id-twice"),
    pytest.param([{"op": "delete", "note_id": "ghost"}], 0, "note_id",
                 id="delete-unknown-note"),
    pytest.param([{"op": "delete", "note_id": "n1"}, {"op": "delete", "note_id": "n1"}], 1,
                 "note_id", id="delete-twice"),
    pytest.param([{"op": "delete", "note_id": "n1"}, {"op": "move", "note_id": "n1",
                                                      "start": 0}], 1, "note_id",
                 id="move-deleted-note"),
    pytest.param([{"op": "update", "note_id": "ghost", "pitch": 60}], 0, "note_id",
                 id="update-unknown-note"),
    pytest.param([{"op": "move", "note_id": "n1", "track_id": "ghost"}], 0, "track_id",
                 id="move-to-unknown-track"),
    pytest.param([{"op": "move", "note_id": "n1"}], 0, "op", id="move-nothing"),
    pytest.param([{"op": "update", "note_id": "n1", "pitch": None, "start": None}], 0, "op",
                 id="update-only-nulls"),
    pytest.param([{"op": "delete", "note_id": "n1"}] + [_ADD] * 3 + [
        {"op": "delete", "note_id": "s1"}, {"op": "delete", "note_id": "ghost"}], 5,
        "note_id", id="sixth-of-six"),
    # An id that names a track, not a note.
    pytest.param([{"op": "delete", "note_id": "piano"}], 0, "note_id",
                 id="delete-a-track-id"),
]


@pytest.mark.parametrize(("operations", "index", "field"), BATCH_SEMANTIC_ERRORS)
async def test_note_batch_operation_fails_against_the_score(
        api: httpx.AsyncClient, world: World, operations: list[dict[str, Any]], index: int,
        field: str) -> None:
    response = await api.post(world.url("/notes/batch"), headers=world.owner,
                              json={"operations": operations, "revision": world.revision})
    error = assert_error(response, 422, VALIDATION)
    assert error["details"][0]["loc"] == ["body", "operations", index, field]


async def test_note_batch_of_10_001_operations_is_422(api: httpx.AsyncClient,
                                                      world: World) -> None:
    # About 400 kB: well under the 16 MiB limit of /notes/batch, so the schema's
    # max_length refuses it, before the service touches the database.
    operations = [{"op": "delete", "note_id": "n1"}] * (MAX_OPERATIONS + 1)
    response = await api.post(world.url("/notes/batch"), headers=world.owner,
                              json={"operations": operations, "revision": world.revision})
    error = assert_error(response, 422, VALIDATION)
    assert error["details"][0]["loc"] == ["body", "operations"]
    assert error["details"][0]["type"] == "too_long"


async def test_note_batch_of_10_000_failing_operations_is_422(api: httpx.AsyncClient,
                                                              world: World) -> None:
    # At the ceiling the batch is accepted by the schema and applied in order; the
    # second delete of the same note fails, so nothing is applied.
    operations = [{"op": "delete", "note_id": "n1"}] * MAX_OPERATIONS
    response = await api.post(world.url("/notes/batch"), headers=world.owner,
                              json={"operations": operations, "revision": world.revision})
    error = assert_error(response, 422, VALIDATION)
    assert error["details"][0]["loc"] == ["body", "operations", 1, "note_id"]


async def test_note_batch_stale_revision_is_409(api: httpx.AsyncClient,
                                                world: World) -> None:
    # Checked before the operations are applied: even a batch that would fail is a 409.
    for operations in ([_ADD], [{"op": "delete", "note_id": "ghost"}]):
        response = await api.post(world.url("/notes/batch"), headers=world.owner,
                                  json={"operations": operations, "revision": 1})
        assert_error(response, 409, CONFLICT)
    response = await api.post(world.url("/notes/batch"),
                              headers={**world.owner, "If-Match": 'W/"3"'},
                              json={"operations": [_ADD]})
    assert_error(response, 409, CONFLICT)


# --------------------------------------------------------------------------------------
# If-Match on every write that reads it
# --------------------------------------------------------------------------------------

# (method, path, body without a revision: the header is the only revision sent)
IF_MATCH_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("PUT", "/score", {"score": FIRST_SCORE}),
    ("POST", "/tracks", {"id": "fresh"}),
    ("PATCH", "/tracks/piano", {"mute": True}),
    ("DELETE", "/tracks/piano", None),
    ("POST", "/notes/batch", {"operations": [_ADD]}),
    ("POST", "/versions/1/restore", None),
]
BAD_IF_MATCH = [
    pytest.param("abc", 422, VALIDATION, id="letters"),
    pytest.param("", 422, VALIDATION, id="empty"),
    pytest.param("*", 422, VALIDATION, id="star"),
    pytest.param("W/", 422, VALIDATION, id="weak-prefix-only"),
    pytest.param('"-1"', 422, VALIDATION, id="negative"),
    pytest.param('"1.5"', 422, VALIDATION, id="fraction"),
    pytest.param("0x4", 422, VALIDATION, id="hex"),
    pytest.param('"4", "5"', 422, VALIDATION, id="list-of-etags"),
    pytest.param("9" * 11, 422, VALIDATION, id="11-digits"),
    pytest.param("1" * 65, 422, VALIDATION, id="65-chars"),  # over Header(max_length=64)
    # Well-formed but stale: a conflict, not a validation error.
    pytest.param("9" * 10, 409, CONFLICT, id="10-digits-stale"),
    pytest.param('W/"1"', 409, CONFLICT, id="weak-stale"),
    pytest.param('"0"', 409, CONFLICT, id="revision-0-stale"),
]


@pytest.mark.parametrize(("if_match", "status", "code"), BAD_IF_MATCH)
@pytest.mark.parametrize(("method", "path", "body"), IF_MATCH_ROUTES)
async def test_bad_or_stale_if_match(api: httpx.AsyncClient, world: World, method: str,
                                     path: str, body: dict[str, Any] | None, if_match: str,
                                     status: int, code: str) -> None:
    response = await api.request(method, world.url(path), json=body,
                                 headers={**world.owner, "If-Match": if_match})
    assert_error(response, status, code)


async def test_if_match_with_a_latin1_superscript_digit_is_422(api: httpx.AsyncClient,
                                                               world: World) -> None:
    # "\xb2" (superscript two) passes str.isdigit(); the revision parser must not use it.
    headers = [(k.encode(), v.encode()) for k, v in world.owner.items()]
    for value in (b"\xb2", b'"4\xb2"', b'W/"\xb9"'):
        response = await api.put(world.url("/score"), json={"score": FIRST_SCORE},
                                 headers=[*headers, (b"if-match", value)])
        assert_error(response, 422, VALIDATION)


async def test_bug_malformed_if_match_is_ignored_when_the_body_has_a_revision(
        api: httpx.AsyncClient, world: World) -> None:
    """`expected_revision` takes the body's revision and never parses If-Match when the
    body has one, so a malformed If-Match (refused with 422 when sent alone) is silently
    ignored and the write succeeds. Aimed at the scratch project, as it gets through."""
    url = world.url("/score", world.scratch_id)
    revision = await _scratch_revision(api, world)
    response = await api.put(url, headers={**world.owner, "If-Match": "abc"},
                             json={"score": {"bars": 4}, "revision": revision})
    assert response.status_code == 422, (
        f"BUG: PUT /score with If-Match: abc and a current body revision -> "
        f"{response.status_code} (the write was applied); If-Match: abc alone is a 422")
    assert_error(response, 422, VALIDATION)


# --------------------------------------------------------------------------------------
# Versions: the list's query string, version numbers in paths
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "page=0", "page=-1", "page=abc", "page=", "page=1.5", "page=1e3", "page=100001",
    "page=" + "9" * 30, "page=%00", "limit=0", "limit=101", "limit=-5", "limit=abc",
    "limit=1.5", "limit=", "limit=" + "9" * 30, "foo=1", "page=1&sort=number",
    "page%5B%5D=1", "number=1", "limit=20&" + "x" * 5000 + "=1",
])
async def test_list_versions_bad_query(api: httpx.AsyncClient, world: World,
                                       query: str) -> None:
    # VersionQuery forbids extra fields, so an unknown parameter is a 422, not ignored.
    response = await api.get(world.url(f"/versions?{query}"), headers=world.owner)
    assert_error(response, 422, VALIDATION)


BAD_VERSION_NUMBERS = [
    pytest.param("0", 422, VALIDATION, id="zero"),
    pytest.param("-1", 422, VALIDATION, id="negative"),
    pytest.param(str(2**31), 422, VALIDATION, id="2^31"),
    pytest.param("9" * 30, 422, VALIDATION, id="30-digits"),
    pytest.param("abc", 422, VALIDATION, id="letters"),
    pytest.param("1.5", 422, VALIDATION, id="fraction"),
    pytest.param("1e3", 422, VALIDATION, id="exponent"),
    pytest.param("0x1", 422, VALIDATION, id="hex"),
    pytest.param("%00", 422, VALIDATION, id="nul"),
    pytest.param("%C2%B2", 422, VALIDATION, id="superscript-two"),
    pytest.param(str(2**31 - 1), 404, NOT_FOUND, id="2^31-1"),  # in range, not there
    pytest.param("5", 404, NOT_FOUND, id="next-number"),
]


@pytest.mark.parametrize(("number", "status", "code"), BAD_VERSION_NUMBERS)
@pytest.mark.parametrize(("method", "suffix"), [("GET", ""), ("POST", "/restore")])
async def test_bad_version_number(api: httpx.AsyncClient, world: World, method: str,
                                  suffix: str, number: str, status: int, code: str) -> None:
    # The restore carries a current If-Match, so that only the number is at fault.
    response = await api.request(method, world.url(f"/versions/{number}{suffix}"),
                                 headers=world.if_match)
    error = assert_error(response, status, code)
    if status == 422:
        assert error["details"][0]["loc"] == ["path", "number"]


# --------------------------------------------------------------------------------------
# POST /validate: an optional body
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    pytest.param({"style": "polka"}, id="unknown-style"),
    pytest.param({"style": "Jazz"}, id="style-capitalised"),
    pytest.param({"style": ""}, id="style-empty"),
    pytest.param({"style": 1}, id="style-number"),
    pytest.param({"style": ["jazz"]}, id="style-list"),
    pytest.param({"style": "jazz\x00"}, id="style-nul"),
    pytest.param({"style": "j" * HUGE}, id="style-300k"),
    pytest.param({"disabled_rules": "large-leap"}, id="rules-string"),
    pytest.param({"disabled_rules": None}, id="rules-null"),
    pytest.param({"disabled_rules": [1]}, id="rules-number"),
    pytest.param({"disabled_rules": [None]}, id="rules-list-of-null"),
    pytest.param({"disabled_rules": ["r" * 65]}, id="rule-65-chars"),
    pytest.param({"disabled_rules": ["large-leap"] * 51}, id="51-rules"),
    pytest.param({"disabled_rules": {"large-leap": True}}, id="rules-object"),
    # Well-formed, but the rule names are unknown: refused by the validator, after the
    # project is loaded (so the message can list them).
    pytest.param({"disabled_rules": ["nope"]}, id="unknown-rule"),
    pytest.param({"disabled_rules": ["LARGE-LEAP"]}, id="rule-capitalised"),
    pytest.param({"disabled_rules": ["large-leap", "nope\x00"]}, id="rule-nul"),
    pytest.param({"disabled_rules": [""]}, id="rule-empty"),
    pytest.param({"style": "jazz", "strict": True}, id="extra-field"),
])
async def test_validate_bad_body(api: httpx.AsyncClient, world: World,
                                 body: dict[str, Any]) -> None:
    response = await api.post(world.url("/validate"), headers=world.owner, json=body)
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize(("content", "content_type", "status"), [
    pytest.param(b'{"style": "jazz"', JSON, 422, id="truncated"),
    pytest.param(b"[]", JSON, 422, id="top-level-array"),
    pytest.param(b'"jazz"', JSON, 422, id="top-level-string"),
    pytest.param(b"   ", JSON, 422, id="whitespace-only"),
    pytest.param(b'{"style": "jazz"}', "text/plain", 422, id="text-plain"),
    pytest.param(b"style=jazz", "application/x-www-form-urlencoded", 422, id="form"),
    pytest.param(b'{"style": "\xff"}', JSON, 400, id="invalid-utf8"),
    # The body is optional: no body, or a JSON null, means "the defaults" (a 200 report;
    # validation reads the score and stores nothing).
    pytest.param(b"", JSON, 200, id="empty-is-defaults"),
    pytest.param(b"null", JSON, 200, id="null-is-defaults"),
])
async def test_validate_raw_bodies(api: httpx.AsyncClient, world: World, content: bytes,
                                   content_type: str, status: int) -> None:
    response = await api.post(world.url("/validate"), content=content,
                              headers={**world.owner, "Content-Type": content_type})
    if status == 200:
        assert response.status_code == 200, response.text
        assert response.json()["style"] == "common-practice"
    else:
        assert_error(response, status, VALIDATION)


# --------------------------------------------------------------------------------------
# Malformed bodies, wrong Content-Type, size limits on the JSON write routes
# --------------------------------------------------------------------------------------

JSON_WRITE_ROUTES = [("PUT", "/score"), ("POST", "/tracks"), ("PATCH", "/tracks/piano"),
                     ("POST", "/notes/batch")]
BAD_RAW_BODIES = [
    pytest.param(b'{"score": {}', JSON, 422, id="truncated"),
    pytest.param(b'{"operations": [],}', JSON, 422, id="trailing-comma"),
    pytest.param(b"{'name': 'x'}", JSON, 422, id="single-quotes"),
    pytest.param(b'{"a": 1}{"b": 2}', JSON, 422, id="two-documents"),
    pytest.param(b"\x00", JSON, 422, id="nul-byte"),
    pytest.param(b"   ", JSON, 422, id="whitespace-only"),
    pytest.param(b"", JSON, 422, id="empty-body"),
    pytest.param(b"null", JSON, 422, id="top-level-null"),
    pytest.param(b"[]", JSON, 422, id="top-level-array"),
    pytest.param(b"42", JSON, 422, id="top-level-number"),
    pytest.param(b'{"\\ud800": 1}', JSON, 422, id="lone-surrogate-key"),
    pytest.param(b'{"name": "x"}', "text/plain", 422, id="text-plain"),
    pytest.param(b"name=x", "application/x-www-form-urlencoded", 422, id="form"),
    pytest.param(b"<score/>", "application/xml", 422, id="xml"),
    pytest.param(b'{"name": "x"}', "multipart/form-data; boundary=zz", 422, id="multipart"),
    # bodies the JSON parser itself chokes on: FastAPI answers a generic 400
    pytest.param(b'{"name": "\xff\xfe"}', JSON, 400, id="invalid-utf8"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, JSON, 400, id="nested-100k-deep"),
    pytest.param(b'{"revision": ' + b"9" * 5000 + b"}", JSON, 400, id="5000-digit-number"),
]


@pytest.mark.parametrize(("content", "content_type", "status"), BAD_RAW_BODIES)
@pytest.mark.parametrize(("method", "path"), JSON_WRITE_ROUTES)
async def test_malformed_bodies(api: httpx.AsyncClient, world: World, method: str,
                                path: str, content: bytes, content_type: str,
                                status: int) -> None:
    response = await api.request(method, world.url(path), content=content,
                                 headers={**world.if_match, "Content-Type": content_type})
    assert_error(response, status, VALIDATION)


def _json_of_size(size: int) -> bytes:
    """A well-formed JSON object of exactly `size` bytes (its message is far too long)."""
    body = b'{"message": "' + b"a" * (size - 15) + b'"}'
    assert len(body) == size
    return body


@pytest.mark.parametrize(("method", "path", "limit"), [
    ("PUT", "/score", MAX_LARGE_BODY), ("POST", "/notes/batch", MAX_LARGE_BODY),
    ("POST", "/tracks", MAX_BODY), ("PATCH", "/tracks/piano", MAX_BODY),
    ("POST", "/validate", MAX_BODY), ("DELETE", "/tracks/piano", MAX_BODY),
    ("POST", "/versions/1/restore", MAX_BODY),
])
async def test_body_over_the_route_limit_is_413(api: httpx.AsyncClient, world: World,
                                                method: str, path: str, limit: int) -> None:
    # A stale If-Match: should the limit ever let a body through, the write is still a
    # 409, so the main project cannot be changed by this test.
    content = _json_of_size(limit + 1)
    headers = {**world.owner, "If-Match": '"1"', "Content-Type": JSON}
    assert_error(await api.request(method, world.url(path), content=content,
                                   headers=headers), 413, TOO_LARGE)
    chunked = await api.request(method, world.url(path), content=_chunks(content),
                                headers=headers)
    if method == "DELETE":
        # This endpoint takes no body and never reads it: sent chunked (no Content-Length)
        # nothing is counted against the limit, and the stale If-Match answers.
        assert_error(chunked, 409, CONFLICT)
    else:
        assert_error(chunked, 413, TOO_LARGE)


@pytest.mark.parametrize(("method", "path"), [("PUT", "/score"), ("POST", "/notes/batch")])
async def test_large_routes_read_bodies_over_1_mib(api: httpx.AsyncClient, world: World,
                                                   method: str, path: str) -> None:
    # Over the general 1 MiB limit but under 16 MiB: read, then refused by the schema
    # (the message is far too long), which shows the larger limit applies here.
    response = await api.request(method, world.url(path), content=_json_of_size(2 * MIB),
                                 headers={**world.if_match, "Content-Type": JSON})
    assert_error(response, 422, VALIDATION)


# --------------------------------------------------------------------------------------
# POST /import: multipart uploads
# --------------------------------------------------------------------------------------

def _smf(fmt: int = 1, tracks: int = 1, division: int = 480,
         chunks: bytes = b"MTrk\x00\x00\x00\x04\x00\xff\x2f\x00") -> bytes:
    return struct.pack(">4sLHHH", b"MThd", 6, fmt, tracks, division) + chunks


def _mxl(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _mxl_with_lying_size() -> bytes:
    """A 17 MiB member whose central directory claims 1,000 bytes (under every limit)."""
    member = b"<score-partwise>" + b" " * (17 * MIB) + b"</score-partwise>"
    data = bytearray(_mxl({"score.xml": member}))
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<L", data, central + 24, 1000)  # uncompressed size
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<L", data, local + 22, 1000)
    return bytes(data)


_PARTWISE = (b'<score-partwise version="4.0"><part-list><score-part id="P1"><part-name>P'
             b'</part-name></score-part></part-list><part id="P1"><measure number="1">'
             b"%s</measure></part></score-partwise>")
_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE score-partwise [\n<!ENTITY lol "lol">\n'
           + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                       else b"&lol;") * 10)
                      for i in range(1, 10))
           + b"]>\n" + _PARTWISE % b"<words>&lol9;</words>")
_XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE score-partwise [<!ENTITY xxe SYSTEM '
        b'"file:///etc/passwd">]>\n' + _PARTWISE % b"<words>&xxe;</words>")
_MIDI = write_midi(Score(tracks=[Track(notes=[Note(pitch=60, start=0, duration=480)])]))

BAD_UPLOADS = [
    pytest.param("empty.mid", b"", id="empty-file"),
    pytest.param("notes.txt", b"just some words\n", id="text-file"),
    pytest.param("score.json", b'{"score": {}}', id="json-file"),
    pytest.param("junk.bin", bytes(range(256)) * 64, id="binary-junk"),
    pytest.param("junk.mid", bytes(range(256)) * 64, id="binary-junk-named-mid"),
    pytest.param("../../etc/passwd.mid", b"\x00" * 100, id="path-in-filename"),
    # MIDI: truncated, or a header that cannot be honoured
    pytest.param("cut.mid", _MIDI[:-5], id="midi-truncated"),
    pytest.param("cut.mid", _MIDI[:20], id="midi-cut-in-first-chunk"),
    pytest.param("header.mid", b"MThd\x00\x00\x00\x06\x00", id="midi-cut-in-header"),
    pytest.param("type2.mid", _smf(fmt=2), id="midi-type-2"),
    pytest.param("type9.mid", _smf(fmt=9), id="midi-unknown-type"),
    pytest.param("ppq0.mid", _smf(division=0), id="midi-zero-ppq"),
    pytest.param("smpte.mid", _smf(division=0xE728), id="midi-smpte"),
    pytest.param("many.mid", _smf(tracks=65_535), id="midi-65535-tracks"),
    pytest.param("none.mid", _smf(tracks=0), id="midi-no-tracks"),
    pytest.param("liar.mid", _smf(chunks=b"MTrk\xff\xff\xff\xff\x00"), id="midi-4gb-chunk"),
    pytest.param("status.mid", _smf(chunks=b"MTrk\x00\x00\x00\x02\x00\xf4"),
                 id="midi-bad-status"),
    pytest.param("running.mid", _smf(chunks=b"MTrk\x00\x00\x00\x03\x00\x40\x40"),
                 id="midi-running-status-first"),
    pytest.param("varlen.mid", _smf(chunks=b"MTrk\x00\x00\x00\x06\xff\xff\xff\xff\xff\x00"),
                 id="midi-5-byte-varlen"),
    # MusicXML: hostile or not a score
    pytest.param("laughs.musicxml", _LAUGHS, id="billion-laughs"),
    pytest.param("xxe.musicxml", _XXE, id="external-entity"),
    pytest.param("broken.musicxml", b"<score-partwise><oops", id="not-well-formed"),
    pytest.param("page.xml", b"<html><body>hi</body></html>", id="wrong-root"),
    pytest.param("timewise.xml", b"<score-timewise/>", id="timewise"),
    pytest.param("noparts.xml", b"<score-partwise/>", id="no-parts"),
    pytest.param("deep.xml", b"<a>" * 50_000 + b"</a>" * 50_000, id="nested-50k-deep"),
    # .mxl archives
    pytest.param("many.mxl", _mxl({f"m{i}.xml": b"<a/>" for i in range(MAX_MXL_MEMBERS + 1)}),
                 id="mxl-too-many-members"),
    pytest.param("bomb.mxl", _mxl({"score.xml": b" " * (16 * MIB + 1)}),
                 id="mxl-member-over-16-mib"),
    pytest.param("liar.mxl", _mxl_with_lying_size(), id="mxl-lying-sizes"),
    pytest.param("damaged.mxl", b"PK\x03\x04" + b"\x00" * 200, id="mxl-damaged"),
    pytest.param("empty.mxl", _mxl({"readme.txt": b"hello"}), id="mxl-no-score"),
    pytest.param("nested.mxl", _mxl({"score.xml": _LAUGHS}), id="mxl-billion-laughs"),
    # ABC
    pytest.param("tune.abc", b"X:1\nT:No key\nCDEF|\n", id="abc-no-key"),
    pytest.param("tune.abc", b"X:1\nT:Bin\x01ary\nK:C\nCDEF|\n", id="abc-control-chars"),
    pytest.param("tune.abc", b"X:1\nT:Silence\nK:C\n", id="abc-no-notes"),
    pytest.param("tune.abc", b"X:1\nK:C\n" + b"C" * (MIB + 1), id="abc-over-1-mib"),
]


@pytest.mark.parametrize(("filename", "data"), BAD_UPLOADS)
async def test_import_unreadable_file_is_422(api: httpx.AsyncClient, world: World,
                                             filename: str, data: bytes) -> None:
    response = await api.post(world.url("/import"), headers=world.owner,
                              files={"file": (filename, data, "application/octet-stream")})
    error = assert_error(response, 422, VALIDATION)
    assert error["details"][0]["loc"] == ["body", "file"]
    assert error["details"][0]["type"] == "unreadable_file"


@pytest.mark.parametrize("kwargs", [
    pytest.param({}, id="no-body"),
    pytest.param({"json": {"file": "x"}}, id="json-body"),
    pytest.param({"data": {"file": "not a file"}}, id="form-field-not-a-file"),
    pytest.param({"files": {"upload": ("a.mid", _MIDI)}}, id="wrong-field-name"),
    # An empty filename makes the part a plain form field (Starlette), so "no file".
    pytest.param({"files": {"file": ("", _MIDI)}}, id="empty-filename"),
    pytest.param({"content": b"MThd", "headers": {"Content-Type": "audio/midi"}},
                 id="raw-midi-body"),
    pytest.param({"content": b"--zz--\r\n",
                  "headers": {"Content-Type": "multipart/form-data; boundary=zz"}},
                 id="multipart-no-parts"),
])
async def test_import_without_a_file_is_422(api: httpx.AsyncClient, world: World,
                                            kwargs: dict[str, Any]) -> None:
    kwargs = dict(kwargs)
    headers = {**world.owner, **kwargs.pop("headers", {})}
    response = await api.post(world.url("/import"), headers=headers, **kwargs)
    error = assert_error(response, 422, VALIDATION)
    assert error["details"][0]["loc"] == ["body", "file"]


_MULTIPART = "multipart/form-data; boundary=zz"


@pytest.mark.parametrize(("content", "content_type", "status"), [
    # Starlette's parser gives up: a generic 400 in the error shape.
    pytest.param(b"garbage", _MULTIPART, 400, id="garbage"),
    pytest.param(b"--zz\r\n", "multipart/form-data", 400, id="no-boundary"),
    pytest.param(b'--zz\r\nContent-Disposition: form-data; name="file"; filename="'
                 + b"a" * 5000 + b'.mid"\r\n\r\nMThd\r\n--zz--\r\n', _MULTIPART, 400,
                 id="5000-char-filename"),
    # A part cut off in its headers is dropped: no file.
    pytest.param(b'--zz\r\nContent-Disposition: form-data; name="file"', _MULTIPART, 422,
                 id="cut-in-headers"),
])
async def test_import_malformed_multipart(api: httpx.AsyncClient, world: World,
                                          content: bytes, content_type: str,
                                          status: int) -> None:
    response = await api.post(world.url("/import"), content=content,
                              headers={**world.owner, "Content-Type": content_type})
    assert_error(response, status, VALIDATION)


def _multipart(data: bytes, filename: str = "big.mid") -> tuple[bytes, str]:
    head = (b'--zz\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n" % filename.encode())
    return head + data + b"\r\n--zz--\r\n", "multipart/form-data; boundary=zz"


async def test_import_over_16_mib_is_413(api: httpx.AsyncClient, world: World) -> None:
    # The body limit leaves room for multipart framing; the endpoint refuses the file.
    content, content_type = _multipart(b"M" * (MAX_IMPORT_BYTES + 1))
    headers = {**world.owner, "Content-Type": content_type}
    assert_error(await api.post(world.url("/import"), content=content, headers=headers),
                 413, TOO_LARGE)
    assert_error(await api.post(world.url("/import"), content=_chunks(content),
                                headers=headers), 413, TOO_LARGE)


async def test_a_file_of_exactly_16_mib_reaches_the_format_check(
        api: httpx.AsyncClient, world: World) -> None:
    content, content_type = _multipart(b"M" * MAX_IMPORT_BYTES)
    response = await api.post(world.url("/import"), content=content,
                              headers={**world.owner, "Content-Type": content_type})
    error = assert_error(response, 422, VALIDATION)
    assert "limit is 4 MiB" in error["message"]  # the MIDI reader's own, smaller limit


# --------------------------------------------------------------------------------------
# Bad project ids, and who is told what: the order of the checks
# --------------------------------------------------------------------------------------

ALL_ROUTES: list[tuple[str, str]] = [
    ("GET", "/score"), ("PUT", "/score"), ("GET", "/tracks"), ("POST", "/tracks"),
    ("PATCH", "/tracks/piano"), ("DELETE", "/tracks/piano"), ("POST", "/notes/batch"),
    ("GET", "/versions"), ("GET", "/versions/1"), ("POST", "/versions/1/restore"),
    ("POST", "/validate"), ("POST", "/import"), ("GET", "/export.mid"),
    ("GET", "/export.musicxml"),
]


@pytest.mark.parametrize("project", ["not-a-uuid", "123", "%00", "a" * 5000])
@pytest.mark.parametrize(("method", "path"), ALL_ROUTES)
async def test_bad_project_id_is_422(api: httpx.AsyncClient, world: World, method: str,
                                     path: str, project: str) -> None:
    response = await api.request(method, world.url(path, project), headers=world.owner)
    error = assert_error(response, 422, VALIDATION)
    assert ["path", "project_id"] in [d["loc"] for d in error["details"]]


@pytest.mark.parametrize(("method", "path"), ALL_ROUTES)
async def test_without_credentials_bad_input_is_401(api: httpx.AsyncClient, world: World,
                                                    method: str, path: str) -> None:
    # The auth dependency runs (and raises) before parameter and body errors are raised;
    # only malformed JSON, parsed before any dependency, is reported first (see below).
    body = {"score": 5, "operations": "x", "style": "polka", "mute": "maybe"}
    response = await api.request(method, world.url(path, "not-a-uuid"), json=body)
    assert_error(response, 401, UNAUTHENTICATED)


async def test_malformed_json_is_reported_before_credentials(api: httpx.AsyncClient,
                                                             world: World) -> None:
    response = await api.put(world.url("/score"), content=b'{"score": ',
                             headers={"Content-Type": JSON})
    assert_error(response, 422, VALIDATION)


# The order of checks for a member without write access (viewer) and a non-member
# (stranger). FastAPI validates the path, headers and body against the schema before the
# endpoint runs, and `expected_revision` (If-Match, a missing revision) runs in the
# endpoint before the service authorizes; so those answer 422 to anyone signed in, even
# for a project that does not exist, which is why they leak nothing. Everything the
# service checks (the role, then the revision, then tracks, notes and versions) comes
# after `authorize`: a viewer gets 403, a stranger 404 (as for a missing project).
# Import authorizes before reading the file. Rule names are in the schema (an enum), so an
# unknown one is a schema error like an unknown style.
# (method, path, request keyword arguments, viewer's status, stranger's status)
ORDER_CASES: list[Any] = [
    pytest.param("PUT", "/score", {"json": {"score": 5, "revision": 4}}, 422, 422,
                 id="put-score-schema"),
    pytest.param("PUT", "/score", {"json": {"score": {}}}, 422, 422, id="put-score-no-rev"),
    pytest.param("PUT", "/score", {"json": {"score": {}},
                                   "headers": {"If-Match": "abc"}}, 422, 422,
                 id="put-score-bad-if-match"),
    pytest.param("PUT", "/score", {"json": {"score": {}, "revision": 1}}, 403, 404,
                 id="put-score-stale"),
    pytest.param("POST", "/tracks", {"json": {"name": "a\x00"}}, 422, 422,
                 id="add-track-schema"),
    pytest.param("POST", "/tracks", {"json": {"id": "piano"}}, 403, 404,
                 id="add-track-duplicate"),
    pytest.param("PATCH", "/tracks/a%20b", {"json": {"mute": True}}, 422, 422,
                 id="update-track-bad-path"),
    pytest.param("PATCH", "/tracks/piano", {"json": {"mute": "maybe"}}, 422, 422,
                 id="update-track-schema"),
    pytest.param("PATCH", "/tracks/piano", {"json": {"name": None}}, 403, 404,
                 id="update-track-null"),
    pytest.param("PATCH", "/tracks/ghost", {"json": {"mute": True}}, 403, 404,
                 id="update-unknown-track"),
    pytest.param("DELETE", "/tracks/ghost", {}, 403, 404, id="delete-unknown-track"),
    pytest.param("POST", "/notes/batch", {"json": {"operations": "x", "revision": 4}}, 422,
                 422, id="batch-schema"),
    pytest.param("POST", "/notes/batch", {"json": {"operations": [_ADD]}}, 422, 422,
                 id="batch-no-revision"),
    pytest.param("POST", "/notes/batch", {"json": {"revision": 4, "operations": [
        {"op": "delete", "note_id": "ghost"}]}}, 403, 404, id="batch-unknown-note"),
    pytest.param("POST", "/versions/0/restore", {}, 422, 422, id="restore-version-0"),
    pytest.param("POST", "/versions/99/restore", {"headers": {"If-Match": '"1"'}}, 403, 404,
                 id="restore-missing"),
    pytest.param("POST", "/versions/1/restore", {}, 422, 422, id="restore-no-revision"),
    pytest.param("GET", "/versions?page=0", {}, 422, 422, id="versions-bad-query"),
    pytest.param("GET", "/versions/99", {}, 404, 404, id="version-missing"),
    pytest.param("POST", "/validate", {"json": {"style": "polka"}}, 422, 422,
                 id="validate-style"),
    pytest.param("POST", "/validate", {"json": {"disabled_rules": ["nope"]}}, 422, 422,
                 id="validate-unknown-rule"),
    pytest.param("POST", "/import", {}, 422, 422, id="import-no-file"),
    pytest.param("POST", "/import", {"files": {"file": ("x.mid", b"junk")}}, 403, 404,
                 id="import-junk"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "viewer_status", "stranger_status"),
                         ORDER_CASES)
async def test_order_of_checks_for_viewer_and_stranger(
        api: httpx.AsyncClient, world: World, method: str, path: str, kwargs: dict[str, Any],
        viewer_status: int, stranger_status: int) -> None:
    codes = {403: FORBIDDEN, 404: NOT_FOUND, 422: VALIDATION}
    for who, status in ((world.viewer, viewer_status), (world.stranger, stranger_status)):
        request = dict(kwargs)
        headers = {**who, **request.pop("headers", {})}
        response = await api.request(method, world.url(path), headers=headers, **request)
        assert_error(response, status, codes[status])
    # A schema error is the same for a project that does not exist: nothing leaks.
    if stranger_status == 422:
        request = dict(kwargs)
        headers = {**world.stranger, **request.pop("headers", {})}
        response = await api.request(method, world.url(path, GHOST_PROJECT),
                                     headers=headers, **request)
        assert_error(response, 422, VALIDATION)


# --------------------------------------------------------------------------------------
# Bugs: requests that get through today (aimed at the scratch project)
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "value"), _params([
    ("tracks", [{"id": "t", "name": "a\x00b"}]),
    ("sections", [{"name": "A\x00", "start_bar": 1, "bars": 1}]),
    ("chord_symbols", [{"tick": 0, "symbol": "C\x00"}]),
]))
async def test_bug_put_score_with_nul_in_a_name_is_500(api: httpx.AsyncClient, world: World,
                                                       path: str, value: Any) -> None:
    """Track names, section names and chord symbols in a whole score have no character
    rule (POST/PATCH /tracks refuse control characters in names); PostgreSQL's jsonb
    cannot hold \\u0000, so the UPDATE fails and the answer is 500 INTERNAL_ERROR."""
    url = world.url("/score", world.scratch_id)
    body = {"score": {path: value}, "revision": await _scratch_revision(api, world)}
    response = await api.put(url, headers=world.owner, json=body)
    assert response.status_code != 500, (
        f"BUG: PUT /score with {path}={value!r} -> 500 {response.text}")
    assert_error(response, 422, VALIDATION)


@pytest.mark.parametrize("name", ["red\x1b[31m", "two\nlines", "del\x7f", "bell\x07"])
async def test_bug_put_score_accepts_control_characters_in_track_names(
        api: httpx.AsyncClient, world: World, name: str) -> None:
    """POST and PATCH /tracks refuse these names (pattern ^[^\\x00-\\x1f\\x7f]*$), but
    PUT /score stores them: Track.name in music/score.py has no such rule."""
    url = world.url("/score", world.scratch_id)
    body = {"score": {"tracks": [{"id": "t", "name": name}]},
            "revision": await _scratch_revision(api, world)}
    response = await api.put(url, headers=world.owner, json=body)
    assert response.status_code == 422, (
        f"BUG: PUT /score with track name {name!r} -> {response.status_code} (stored); "
        "POST /tracks refuses the same name with 422")
    assert_error(response, 422, VALIDATION)


async def test_bug_a_note_far_past_the_last_bar_makes_a_huge_musicxml_export(
        api: httpx.AsyncClient, world: World) -> None:
    """Notes are bounded by MAX_TICK (the end of bar 10,000 in the longest meter, 32/1),
    so in 4/4 a note may sit in bar 40,001 although a score has at most MAX_BARS (10,000)
    bars; export.musicxml then writes every bar up to it. Either refusing the note or
    bounding the export would do; today one note yields megabytes (with start=MAX_TICK:
    ~51 MB and ~6 s of CPU; with duration=MAX_TICK: ~134 MB and ~20 s)."""
    start = MAX_TICK // 8  # bar 40,001 in 4/4; MAX_TICK itself takes seconds to export
    url = world.url("/score", world.scratch_id)
    body = {"score": {"bars": 1, "tracks": [{"id": "t", "notes": [
        {"pitch": 60, "start": start, "duration": 1}]}]},
        "revision": await _scratch_revision(api, world)}
    stored = await api.put(url, headers=world.owner, json=body)
    if stored.status_code != 200:  # refused at the edge: fixed that way
        assert_error(stored, 422, VALIDATION)
        return
    exported = await api.get(world.url("/export.musicxml", world.scratch_id),
                             headers=world.owner)
    if exported.status_code != 200:  # refused at export: fixed that way
        assert_error(exported, 422, VALIDATION)
        return
    # A legitimate one-note score of 10,000 bars of 4/4 exports to about 1.6 MB.
    assert len(exported.content) < 3 * MIB, (
        f"BUG: a one-note score (note at tick {start}, bar {start // 1920 + 1} of 4/4) is "
        f"stored and GET /export.musicxml returns {len(exported.content):,} bytes")


# --------------------------------------------------------------------------------------
# Nothing stored changed (runs last: every test above aimed at the main project)
# --------------------------------------------------------------------------------------

async def test_bad_requests_change_nothing_stored(api: httpx.AsyncClient,
                                                  world: World) -> None:
    """Half-valid requests (valid parts next to an invalid one) must roll back whole."""
    owner, revision = world.owner, world.revision
    good = _score_body(world)
    changed = _mutated(good, "score.tempo", 140.0)
    moved_and_broken = [{"op": "move", "note_id": "n1", "start": 960},
                        {"op": "delete", "note_id": "b1"}, {"op": "delete", "note_id": "zz"}]
    json_type = {**owner, "Content-Type": JSON}
    # (method, path, keyword arguments, expected status, expected code)
    barrage: list[tuple[str, str, dict[str, Any], int, str]] = [
        ("PUT", "/score", {"json": _mutated(changed, "score.tracks.0.notes.0.pitch", 128)},
         422, VALIDATION),
        ("PUT", "/score", {"json": _mutated(changed, "score.tracks.1.id", "piano")}, 422,
         VALIDATION),
        ("PUT", "/score", {"json": _mutated(changed, "message", "x\x00")}, 422, VALIDATION),
        ("PUT", "/score", {"json": _mutated(changed, "revision", revision - 1)}, 409,
         CONFLICT),
        ("PUT", "/score", {"json": _mutated(changed, "revision", MISSING)}, 422, VALIDATION),
        ("PUT", "/score", {"content": b'{"score": {"tempo": 140}, "revision": 4',
                           "headers": json_type}, 422, VALIDATION),
        ("PUT", "/score", {"content": _many_notes(MAX_NOTES + 1) % revision,
                           "headers": json_type}, 422, VALIDATION),
        ("POST", "/tracks", {"json": {"id": "piano", "revision": revision}}, 409, CONFLICT),
        ("POST", "/tracks", {"json": {"id": "new", "notes": [_note("n1", 60, 0, 1)],
                                      "revision": revision}}, 422, VALIDATION),
        ("POST", "/tracks", {"json": {"id": "new", "revision": revision - 1}}, 409,
         CONFLICT),
        ("PATCH", "/tracks/piano", {"json": {"mute": True, "name": None,
                                             "revision": revision}}, 422, VALIDATION),
        ("PATCH", "/tracks/piano", {"json": {"mute": True, "pan": 64}}, 422, VALIDATION),
        ("PATCH", "/tracks/ghost", {"json": {"mute": True}}, 404, NOT_FOUND),
        ("DELETE", "/tracks/piano", {"headers": {"If-Match": '"3"'}}, 409, CONFLICT),
        ("DELETE", "/tracks/piano", {"headers": {"If-Match": "x"}}, 422, VALIDATION),
        ("DELETE", "/tracks/ghost", {}, 404, NOT_FOUND),
        ("POST", "/notes/batch", {"json": {"operations": moved_and_broken,
                                           "revision": revision}}, 422, VALIDATION),
        ("POST", "/notes/batch", {"json": {"operations": [_ADD, {**_ADD, "pitch": -1}],
                                           "revision": revision}}, 422, VALIDATION),
        ("POST", "/notes/batch", {"json": {"operations": [_ADD], "revision": 1}}, 409,
         CONFLICT),
        ("POST", "/notes/batch", {"json": {"operations": [_ADD] * (MAX_OPERATIONS + 1),
                                           "revision": revision}}, 422, VALIDATION),
        ("POST", "/versions/1/restore", {"headers": {"If-Match": '"1"'}}, 409, CONFLICT),
        ("POST", "/versions/99/restore", {"headers": {"If-Match": f'"{revision}"'}}, 404,
         NOT_FOUND),
        ("POST", "/versions/1/restore", {}, 422, VALIDATION),  # no revision
        ("POST", "/versions/1/restore", {"json": {"revision": revision - 1}}, 409, CONFLICT),
        ("POST", "/versions/0/restore", {}, 422, VALIDATION),
        ("POST", "/import", {"files": {"file": ("bomb.mxl", _mxl({"s.xml": _LAUGHS}))}},
         422, VALIDATION),
        ("POST", "/import", {"files": {"file": ("cut.mid", _MIDI[:-5])}}, 422, VALIDATION),
        ("POST", "/import", {"files": {"file": ("empty.mid", b"")}}, 422, VALIDATION),
        ("POST", "/validate", {"json": {"disabled_rules": ["nope"]}}, 422, VALIDATION),
    ]
    for method, path, kwargs, status, code in barrage:
        request = dict(kwargs)
        headers = {**owner, **request.pop("headers", {})}
        response = await api.request(method, world.url(path), headers=headers, **request)
        assert response.status_code != 500, (method, path, response.text)
        assert_error(response, status, code)
    # The viewer and the stranger cannot write either, whatever they send.
    for who in (world.viewer, world.stranger):
        for method, path, kwargs, _, _ in barrage:
            request = dict(kwargs)
            headers = {**who, **request.pop("headers", {})}
            response = await api.request(method, world.url(path), headers=headers, **request)
            assert 400 <= response.status_code < 500, (method, path, response.text)

    score = await api.get(world.url("/score"), headers=owner)
    assert score.status_code == 200, score.text
    assert score.json() == world.score  # every field, revision and updated_at included
    assert score.headers["etag"] == f'"{world.revision}"'
    versions = await api.get(world.url("/versions?limit=100"), headers=owner)
    assert versions.json() == world.versions  # total and every item
    assert (await api.get(world.url("/tracks"), headers=owner)).json() == world.tracks
    project = await api.get(world.url(""), headers=owner)
    assert project.json() == world.project  # tempo, key, meter and revision not synced
