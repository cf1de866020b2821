"""The library API on the real database, Redis, storage folder and FFmpeg."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from ariaforge.library import access
from ariaforge.library.shipped import SHIPPED
from ariaforge.models import Preset, Sample, SampleShare, SoundFontFile, User
from tests.conftest import assert_error, new_user, overridden_settings
from tests.library.media import chord, click_track, ffmpeg_audio, sf2

LIBRARY = "/api/v1/library"
UPLOAD = f"{LIBRARY}/upload"


async def upload(client: httpx.AsyncClient, headers: dict[str, str], filename: str,
                 data: bytes, **form: str) -> httpx.Response:
    return await client.post(UPLOAD, headers=headers, files={"file": (filename, data)},
                             data=form)


def stored_files(app: FastAPI) -> list[Path]:
    root = app.state.storage.root / "library"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


async def counts(app: FastAPI) -> tuple[int, int]:
    async with app.state.sessionmaker() as session:
        samples = await session.scalar(select(func.count()).select_from(Sample))
        fonts = await session.scalar(select(func.count()).select_from(SoundFontFile))
    return int(samples or 0), int(fonts or 0)


@pytest.fixture(autouse=True)
def empty_library_storage(app: FastAPI) -> None:
    """Stored files of earlier tests (the tables are emptied by `clean`, files are not)."""
    shutil.rmtree(app.state.storage.root / "library", ignore_errors=True)


@pytest.fixture
async def alice(client: httpx.AsyncClient) -> dict[str, str]:
    return (await new_user(client, "alice"))[1]


async def test_uploads_in_four_formats_are_measured_and_searchable(
        client: httpx.AsyncClient, alice: dict[str, str], tmp_path: Path) -> None:
    made = {}
    for fmt, bpm in (("wav", 90), ("flac", 128), ("mp3", 140), ("ogg", 174)):
        response = await upload(client, alice, f"Kick Drums {bpm}.{fmt}",
                                click_track(tmp_path, bpm, fmt), category="drums",
                                tags="kick,punchy")
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["kind"] == "sample"
        sample = body["sample"]
        assert sample["format"] == fmt and sample["name"] == f"Kick Drums {bpm}"
        assert sample["bpm"] == pytest.approx(bpm, abs=1.5)
        assert sample["detected"]["bpm"] == sample["bpm"]
        assert sample["tags"] == ["kick", "punchy", "loop"]
        made[bpm] = sample
    pad = (await upload(client, alice, "warm pad.flac", chord(tmp_path, ["A3", "C4", "E4"],
                                                              "flac"), category="pad")).json()
    assert pad["sample"]["key"] == "A minor" and pad["sample"]["bpm"] is None

    async def search(**params: Any) -> list[str]:
        response = await client.get(f"{LIBRARY}/samples", headers=alice, params=params)
        assert response.status_code == 200, response.text
        assert response.json()["total"] == len(response.json()["items"])
        return sorted(item["name"] for item in response.json()["items"])

    assert len(await search()) == 5
    assert await search(category="pad") == ["warm pad"]
    assert await search(bpm=127, bpm_tolerance=2) == ["Kick Drums 128"]
    assert await search(bpm=100) == []
    assert await search(key="A minor") == ["warm pad"]
    assert await search(key="C major") == []
    assert await search(key="C major", key_match="relative") == ["warm pad"]
    assert await search(search="drumz") == sorted(f"Kick Drums {b}" for b in made)  # typo
    assert await search(search="padd") == ["warm pad"]
    assert await search(search="punchy", category="drums", bpm=174) == ["Kick Drums 174"]
    assert await search(search="violin") == []
    page = (await client.get(f"{LIBRARY}/samples", headers=alice,
                             params={"limit": 2, "offset": 1})).json()
    assert page["total"] == 5 and len(page["items"]) == 2

    # the file comes back as uploaded
    sample = made[128]
    audio = await client.get(sample["audio_url"], headers=alice)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/flac"
    assert audio.content[:4] == b"fLaC" and len(audio.content) == sample["size_bytes"]


async def test_given_bpm_and_key_win_and_edits_keep_what_was_detected(
        client: httpx.AsyncClient, alice: dict[str, str], tmp_path: Path) -> None:
    response = await upload(client, alice, "c.wav", chord(tmp_path, ["C4", "E4", "G4"], "wav"),
                            key="Db major", bpm="95")
    sample = response.json()["sample"]
    assert (sample["key"], sample["bpm"]) == ("C# major", 95.0)
    assert sample["detected"]["key"] == "C major"
    url = f"{LIBRARY}/samples/{sample['id']}"
    patched = await client.patch(url, headers=alice, json={
        "bpm": None, "key": "A minor", "tags": ["Chord", "chord", "warm"], "name": "Stab"})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["bpm"], body["key"], body["tags"], body["name"]) == (
        None, "A minor", ["Chord", "warm"], "Stab")
    assert body["detected"]["key"] == "C major"
    again = (await client.get(url, headers=alice)).json()
    assert again["key"] == "A minor"
    found = (await client.get(f"{LIBRARY}/samples", headers=alice,
                              params={"search": "stab"})).json()
    assert [item["id"] for item in found["items"]] == [sample["id"]]
    for bad in ({"bpm": 5}, {"key": "H major"}, {"tags": ["x" * 41]}, {"category": "banjo"},
                {"name": ""}, {"unknown": 1}):
        assert_error(await client.patch(url, headers=alice, json=bad), 422, "VALIDATION_ERROR")


@pytest.mark.parametrize(("filename", "make", "status", "reason"), [
    ("font.sf2", lambda tmp: sf2(2, riff_declared=2**31), 422, "invalid_soundfont"),
    ("font.sf2", lambda tmp: sf2(2, smpl_declared=2**31 - 2), 422, "invalid_soundfont"),
    ("font.sf2", lambda tmp: sf2(1100), 422, "invalid_soundfont"),
    ("font.sf2", lambda tmp: sf2(2, sample_end=10**7), 422, "invalid_soundfont"),
    ("cut.wav", lambda tmp: click_track(tmp, 100, "wav", 4.0)[:100_000], 422,
     "truncated_or_corrupt"),
    ("cut.mp3", lambda tmp: click_track(tmp, 100, "mp3", 4.0)[:20_000], 422,
     "truncated_or_corrupt"),
    ("cut.ogg", lambda tmp: click_track(tmp, 100, "ogg", 4.0)[:9_000], 422,
     "truncated_or_corrupt"),
    ("really-flac.wav", lambda tmp: click_track(tmp, 100, "flac", 2.0), 422,
     "content_mismatch"),
    ("notes.txt", lambda tmp: b"hello", 422, "unsupported_type"),
    ("garbage.ogg", lambda tmp: bytes(range(256)) * 10, 422, "unrecognised_content"),
    ("surround.wav", lambda tmp: ffmpeg_audio(tmp, "s", "|".join(["sin(2*PI*440*t)"] * 6),
                                              1.0, "wav", channels=6), 422,
     "too_many_channels"),
    ("long.flac", lambda tmp: ffmpeg_audio(tmp, "long", "0.5*sin(2*PI*440*t)", 125.0, "flac",
                                           rate=8000), 422, "too_long"),
    ("big.wav", lambda tmp: b"RIFF" + b"\0" * (16 * 1_048_576), 413, "file_too_large"),
])
async def test_refused_uploads_answer_a_clear_4xx_and_store_nothing(
        client: httpx.AsyncClient, alice: dict[str, str], app: FastAPI, tmp_path: Path,
        filename: str, make: Any, status: int, reason: str) -> None:
    code = {413: "PAYLOAD_TOO_LARGE"}.get(status, "VALIDATION_ERROR")
    error = assert_error(await upload(client, alice, filename, make(tmp_path)), status, code)
    assert error["details"][0]["type"] == reason
    assert await counts(app) == (0, 0)
    assert stored_files(app) == []


async def test_a_body_past_the_upload_limit_is_refused_by_the_middleware(
        client: httpx.AsyncClient, alice: dict[str, str], app: FastAPI) -> None:
    too_big = b"\0" * (app.state.settings.max_upload_bytes + 1)
    assert_error(await upload(client, alice, "x.wav", too_big), 413, "PAYLOAD_TOO_LARGE")
    assert stored_files(app) == []


async def test_uploads_per_hour_answer_429_with_retry_after(
        client: httpx.AsyncClient, alice: dict[str, str], app: FastAPI, tmp_path: Path) -> None:
    data = click_track(tmp_path, 120, "ogg", 2.0)
    project = (await client.post("/api/v1/projects", headers=alice, json={"name": "P"})).json()
    with overridden_settings(app, uploads_per_hour=2):
        # a score import takes from the same budget (even one that cannot be read)
        imported = await client.post(f"/api/v1/projects/{project['id']}/import",
                                     headers=alice, files={"file": ("x.mid", b"not midi")})
        assert imported.status_code == 422
        assert (await upload(client, alice, "a.ogg", data)).status_code == 201
        refused = await upload(client, alice, "a.ogg", data)
        assert_error(refused, 429, "RATE_LIMIT_EXCEEDED")
        assert int(refused.headers["Retry-After"]) > 0
        assert await app.state.redis.keys("*quota:uploads*")  # the key other tests look for
        # the same budget as other uploads ("uploads"), counted per user
        _, bob = await new_user(client, "bob")
        assert (await upload(client, bob, "a.ogg", data)).status_code == 201
    assert (await counts(app))[0] == 2


async def test_the_storage_quota_is_per_user_and_refusal_stores_nothing(
        client: httpx.AsyncClient, alice: dict[str, str], app: FastAPI, tmp_path: Path) -> None:
    data = click_track(tmp_path, 120, "flac", 2.0)
    with overridden_settings(app, library_storage_bytes_per_user=int(len(data) * 1.5)):
        assert (await upload(client, alice, "a.flac", data)).status_code == 201
        error = assert_error(await upload(client, alice, "b.flac", data), 413,
                             "PAYLOAD_TOO_LARGE")
        assert error["details"][0]["type"] == "storage_quota"
        _, bob = await new_user(client, "bob")
        assert (await upload(client, bob, "b.flac", data)).status_code == 201
    assert (await counts(app))[0] == 2 and len(stored_files(app)) == 2


async def test_samples_are_private_until_shared_with_a_project(
        client: httpx.AsyncClient, alice: dict[str, str], app: FastAPI, tmp_path: Path) -> None:
    bob_email, bob = await new_user(client, "bob")
    _, carol = await new_user(client, "carol")
    sample = (await upload(client, alice, "Secret Loop.wav",
                           click_track(tmp_path, 100, "wav", 3.0))).json()["sample"]
    url = f"{LIBRARY}/samples/{sample['id']}"
    for who in (bob, carol):
        assert (await client.get(f"{LIBRARY}/samples", headers=who)).json()["total"] == 0
        assert_error(await client.get(url, headers=who), 404, "NOT_FOUND")
        assert_error(await client.get(f"{url}/audio", headers=who), 404, "NOT_FOUND")
        assert_error(await client.patch(url, headers=who, json={"name": "x"}), 404, "NOT_FOUND")
        assert_error(await client.delete(url, headers=who), 404, "NOT_FOUND")

    project = (await client.post("/api/v1/projects", headers=alice,
                                 json={"name": "Band"})).json()
    added = await client.post(f"/api/v1/projects/{project['id']}/members", headers=alice,
                              json={"email": bob_email, "role": "viewer"})
    assert added.status_code == 201
    # sharing with a project one cannot edit is refused (carol's own project is unknown)
    carols = (await client.post("/api/v1/projects", headers=carol, json={"name": "C"})).json()
    assert_error(await client.patch(url, headers=alice, json={"project_ids": [carols["id"]]}),
                 404, "NOT_FOUND")
    shared = await client.patch(url, headers=alice, json={"project_ids": [project["id"]]})
    assert shared.status_code == 200 and shared.json()["shared_with"] == [project["id"]]

    listed = (await client.get(f"{LIBRARY}/samples", headers=bob)).json()
    assert [item["id"] for item in listed["items"]] == [sample["id"]]
    assert listed["items"][0]["owned"] is False and listed["items"][0]["shared_with"] == []
    in_project = (await client.get(f"{LIBRARY}/samples", headers=bob,
                                   params={"project_id": project["id"]})).json()
    assert in_project["total"] == 1
    audio = await client.get(f"{url}/audio", headers=bob)
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    assert_error(await client.patch(url, headers=bob, json={"name": "mine"}), 403,
                 "AUTHORIZATION_ERROR")
    assert_error(await client.get(f"{LIBRARY}/samples", headers=carol,
                                  params={"project_id": project["id"]}), 404, "NOT_FOUND")
    assert (await client.get(f"{LIBRARY}/samples", headers=carol)).json()["total"] == 0

    # what the score service and the renderer use
    async with app.state.sessionmaker() as session:
        readable = await access.readable_samples(session, uuid.UUID(project["id"]),
                                                 [uuid.UUID(sample["id"]), uuid.uuid4()])
        assert list(readable) == [uuid.UUID(sample["id"])]
        assert (await access.sample_bytes(app.state.storage, readable[uuid.UUID(sample["id"])])
                ) == audio.content
        assert await access.readable_samples(session, uuid.UUID(carols["id"]),
                                             [uuid.UUID(sample["id"])]) == {}

    # unsharing hides it again
    assert (await client.patch(url, headers=alice, json={"project_ids": []})).status_code == 200
    assert (await client.get(f"{LIBRARY}/samples", headers=bob)).json()["total"] == 0


async def test_placing_a_members_sample_shares_it_with_the_project(
        client: httpx.AsyncClient, app: FastAPI, tmp_path: Path) -> None:
    alice_email, alice = await new_user(client, "alice")
    bob_email, bob = await new_user(client, "bob")
    project = (await client.post("/api/v1/projects", headers=alice,
                                 json={"name": "Duo"})).json()
    await client.post(f"/api/v1/projects/{project['id']}/members", headers=alice,
                      json={"email": bob_email, "role": "editor"})
    sample = (await upload(client, bob, "b.ogg", click_track(tmp_path, 120, "ogg", 2.0))
              ).json()["sample"]
    sample_id, project_id = uuid.UUID(sample["id"]), uuid.UUID(project["id"])
    async with app.state.sessionmaker() as session:
        # owned by a member: usable by the project before any share
        assert list(await access.readable_samples(session, project_id, [sample_id])) == [sample_id]
        bob_user = await session.scalar(select(User).where(User.email == bob_email))
        alice_user = await session.scalar(select(User).where(User.email == alice_email))
        assert bob_user is not None and alice_user is not None
        await access.share_with_project(session, sample_id, project_id, bob_user)
        await access.share_with_project(session, sample_id, project_id, bob_user)  # idempotent
        await session.commit()
        # alice may place it now that it is shared; before, it was bob's private sample
        await access.share_with_project(session, sample_id, project_id, alice_user)
        shares = await session.scalar(select(func.count()).select_from(SampleShare))
        assert shares == 1
    listed = (await client.get(f"{LIBRARY}/samples", headers=alice)).json()
    assert [item["id"] for item in listed["items"]] == [sample["id"]]


async def test_deleting_a_sample_removes_its_row_and_file(
        client: httpx.AsyncClient, alice: dict[str, str], app: FastAPI, tmp_path: Path) -> None:
    sample = (await upload(client, alice, "a.mp3", click_track(tmp_path, 120, "mp3", 2.0))
              ).json()["sample"]
    files = stored_files(app)
    assert [path.relative_to(app.state.storage.root).parts[:3] for path in files] == [
        ("library", str(await _user_id(app, sample["id"])), sample["id"])]
    assert (await client.delete(f"{LIBRARY}/samples/{sample['id']}", headers=alice)
            ).status_code == 204
    assert await counts(app) == (0, 0) and stored_files(app) == []
    assert_error(await client.get(f"{LIBRARY}/samples/{sample['id']}", headers=alice), 404,
                 "NOT_FOUND")


async def _user_id(app: FastAPI, sample_id: str) -> uuid.UUID:
    async with app.state.sessionmaker() as session:
        row = await session.get(Sample, uuid.UUID(sample_id))
        assert row is not None
        owner: uuid.UUID = row.owner_id
        return owner


async def test_presets_shipped_own_and_from_a_soundfont(
        client: httpx.AsyncClient, alice: dict[str, str], app: FastAPI) -> None:
    listed = (await client.get(f"{LIBRARY}/presets", headers=alice)).json()["items"]
    assert len(listed) == len(SHIPPED) >= 16 and all(item["shipped"] for item in listed)
    again = (await client.get(f"{LIBRARY}/presets", headers=alice)).json()["items"]
    assert [item["id"] for item in again] == [item["id"] for item in listed]  # idempotent
    drums = (await client.get(f"{LIBRARY}/presets", headers=alice,
                              params={"category": "drums"})).json()["items"]
    assert [(item["is_drum"], item["name"]) for item in drums] == [(True, "Standard Drum Kit")]
    typo = (await client.get(f"{LIBRARY}/presets", headers=alice,
                             params={"search": "strng"})).json()["items"]
    assert [item["name"] for item in typo] == ["String Ensemble"]
    piano = next(item for item in listed if item["name"] == "Grand Piano")
    assert piano["effects"]["fx"][0]["type"] == "reverb" and piano["source"] == "gm"

    mine = await client.post(f"{LIBRARY}/presets", headers=alice, json={
        "name": "My Rhodes", "category": "keys", "program": 4,
        "effects": {"gain_db": -2, "fx": [{"type": "eq", "high_shelf_gain_db": 3}]},
        "mix": {"volume": 90, "pan": -10}})
    assert mine.status_code == 201, mine.text
    assert mine.json()["effects"]["fx"][0]["high_shelf_hz"] == 8000.0
    for bad in ({"name": "x", "program": 128}, {"name": "x", "category": "banjo"},
                {"name": "x", "effects": {"fx": [{"type": "flanger"}]}},
                {"name": "x", "mix": {"volume": 200}}, {"name": ""},
                {"name": "x", "soundfont_id": str(uuid.uuid4())}):
        assert_error(await client.post(f"{LIBRARY}/presets", headers=alice, json=bad), 422,
                     "VALIDATION_ERROR")

    font = (await upload(client, alice, "My Font.sf2", sf2(3))).json()
    assert font["kind"] == "soundfont"
    assert [p["preset"] for p in font["soundfont"]["presets"]] == [0, 1, 2]
    fonts = (await client.get(f"{LIBRARY}/soundfonts", headers=alice)).json()["items"]
    assert [item["id"] for item in fonts] == [font["soundfont"]["id"]]
    from_font = await client.post(f"{LIBRARY}/presets", headers=alice, json={
        "name": "Font lead", "category": "lead", "soundfont_id": font["soundfont"]["id"],
        "bank": 0, "preset": 2})
    assert from_font.status_code == 201 and from_font.json()["source"] == "soundfont"
    error = assert_error(await client.post(f"{LIBRARY}/presets", headers=alice, json={
        "name": "nope", "soundfont_id": font["soundfont"]["id"], "bank": 0, "preset": 9}),
        422, "VALIDATION_ERROR")
    assert error["details"][0]["type"] == "unknown_preset"
    async with app.state.sessionmaker() as session:
        render = await access.preset_for_render(session, uuid.UUID(from_font.json()["id"]))
        assert render is not None and render.soundfont is not None
        assert (render.bank, render.preset_number) == (0, 2)
        assert render.soundfont_key == render.soundfont.storage_key
        font_bytes = await access.soundfont_bytes(app.state.storage, render.soundfont)
        assert font_bytes == sf2(3)
        gm = await access.preset_for_render(session, SHIPPED[0].id)
        assert gm is not None and gm.soundfont is None and gm.program == 0

    # others see only the shipped ones; cannot delete what is not theirs
    _, bob = await new_user(client, "bob")
    theirs = (await client.get(f"{LIBRARY}/presets", headers=bob)).json()["items"]
    assert len(theirs) == len(SHIPPED)
    assert (await client.get(f"{LIBRARY}/soundfonts", headers=bob)).json()["items"] == []
    assert_error(await client.delete(f"{LIBRARY}/presets/{mine.json()['id']}", headers=bob),
                 404, "NOT_FOUND")
    assert_error(await client.delete(f"{LIBRARY}/presets/{piano['id']}", headers=alice),
                 403, "AUTHORIZATION_ERROR")
    assert (await client.delete(f"{LIBRARY}/presets/{mine.json()['id']}", headers=alice)
            ).status_code == 204
    # deleting the SoundFont removes its presets and its file
    assert (await client.delete(f"{LIBRARY}/soundfonts/{font['soundfont']['id']}",
                                headers=alice)).status_code == 204
    async with app.state.sessionmaker() as session:
        own = await session.scalar(select(func.count()).select_from(Preset)
                                   .where(Preset.owner_id.is_not(None)))
        assert own == 0
    assert stored_files(app) == []


async def test_library_needs_a_login(client: httpx.AsyncClient) -> None:
    for method, path in (("GET", "/presets"), ("GET", "/samples"), ("POST", "/upload"),
                         ("GET", "/soundfonts")):
        assert_error(await client.request(method, f"{LIBRARY}{path}"), 401,
                     "AUTHENTICATION_ERROR")


async def test_read_after_write_over_real_http(live_client: httpx.AsyncClient,
                                               tmp_path: Path) -> None:
    _, headers = await new_user(live_client, "live")
    for _ in range(3):
        created = await upload(live_client, headers, "loop.ogg",
                               click_track(tmp_path, 110, "ogg", 2.0), category="drums")
        assert created.status_code == 201, created.text
        sample = created.json()["sample"]
        got = await live_client.get(f"{LIBRARY}/samples/{sample['id']}", headers=headers)
        assert got.status_code == 200 and got.json()["bpm"] == sample["bpm"]
        audio = await live_client.get(sample["audio_url"], headers=headers)
        assert audio.status_code == 200 and len(audio.content) == sample["size_bytes"]
        patched = await live_client.patch(f"{LIBRARY}/samples/{sample['id']}", headers=headers,
                                          json={"key": "E minor"})
        assert patched.status_code == 200
        listed = await live_client.get(f"{LIBRARY}/samples", headers=headers,
                                       params={"key": "E minor"})
        assert sample["id"] in [item["id"] for item in listed.json()["items"]]


@pytest.mark.parametrize("form", [{"bpm": "19"}, {"bpm": "301"}, {"key": "H major"},
                                  {"tags": "a,,b"}, {"category": "banjo"}, {"name": "   "},
                                  {"tags": ",".join(["t"] * 17)}])
async def test_bad_upload_form_fields_are_422_before_any_work(
        client: httpx.AsyncClient, alice: dict[str, str], app: FastAPI, tmp_path: Path,
        form: dict[str, str]) -> None:
    data = click_track(tmp_path, 120, "wav", 1.0)
    assert_error(await upload(client, alice, "a.wav", data, **form), 422, "VALIDATION_ERROR")
    assert await counts(app) == (0, 0) and stored_files(app) == []
    # well-formed but refused requests cost nothing of the hourly budget
    assert await app.state.redis.keys("*quota:uploads*") == []
