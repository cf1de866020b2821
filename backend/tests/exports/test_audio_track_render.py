"""Audio tracks through the API and the real worker: scores with clips are written (and
refused) over REST, and exports and previews rendered by a live `ariaforge worker` play
each sample at its clip's time on the tempo map, stretched when asked."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt
import pytest

from ariaforge.audio.encode import decode, ffmpeg_path
from ariaforge.music.score import AudioClip, Note, Role, Score, Track
from tests.conftest import assert_error, new_user

API = "/api/v1"
WAIT_LIMIT_S = 180.0
RATE = 44100
ONSET_TOLERANCE_S = 0.003  # a few ms: the detector itself is within a sample or two


def tone_burst(folder: Path, seconds: float, name: str = "burst.wav") -> bytes:
    """A 1 kHz sine at 48 kHz, mono, written by FFmpeg."""
    path = folder / name
    subprocess.run([ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"sine=frequency=1000:sample_rate=48000:"
                    f"duration={seconds}", "-af", "volume=6dB", "-ac", "1", str(path)],
                   check=True)
    return path.read_bytes()


def onset_and_end(audio: npt.NDArray[np.float32], threshold: float = 0.1) -> tuple[float, float]:
    level = np.max(np.abs(audio), axis=1)
    loud = np.flatnonzero(level > threshold * float(level.max()))
    return float(loud[0]) / RATE, float(loud[-1] + 1) / RATE


async def upload_sample(client: httpx.AsyncClient, headers: dict[str, str], data: bytes,
                        bpm: float = 120.0) -> str:
    answer = await client.post(f"{API}/library/upload", headers=headers,
                               files={"file": ("burst.wav", data, "audio/wav")},
                               data={"name": "Burst", "category": "fx", "bpm": str(bpm)})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["sample"]["id"])


async def new_project(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    answer = await client.post(f"{API}/projects", headers=headers, json={"name": "Loops"})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def put_score(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                    score: Score | dict[str, Any]) -> httpx.Response:
    revision = (await client.get(f"{API}/projects/{project}/score",
                                 headers=headers)).json()["revision"]
    body = score.model_dump(mode="json") if isinstance(score, Score) else score
    return await client.put(f"{API}/projects/{project}/score", headers=headers,
                            json={"score": body, "revision": revision})


def song(sample_id: str, tempo: float, clip_tick: int, *, stretch: bool = False) -> Score:
    """A melody note at the start and a clip later: both render paths meet in one mix."""
    return Score(tempo=tempo, bars=4, tracks=[
        Track(id="lead", name="Lead", role=Role.MELODY, program=0,
              notes=[Note(pitch=72, start=0, duration=240, velocity=60)]),
        Track(id="loop", name="Loop", role=Role.AUDIO, clips=[
            AudioClip(id="c1", sample_id=sample_id, start=clip_tick, stretch=stretch)])])


# --- writing scores with clips -----------------------------------------------------------


async def test_clips_round_trip_and_bad_clips_are_refused(client: httpx.AsyncClient,
                                                          tmp_path: Path) -> None:
    _, owner = await new_user(client, "owner")
    sample = await upload_sample(client, owner, tone_burst(tmp_path, 0.2))
    project = await new_project(client, owner)
    score = song(sample, 100.0, 1920)
    score.tracks[0].preset_id = str(uuid.uuid4())
    answer = await put_score(client, project, owner, score)
    assert answer.status_code == 200, answer.text
    stored = (await client.get(f"{API}/projects/{project}/score", headers=owner)).json()
    assert Score.model_validate(stored["score"]) == score
    # Placing one's own sample shares it with the project.
    listed = (await client.get(f"{API}/library/samples/{sample}", headers=owner)).json()
    assert project in listed["shared_with"]

    good = score.model_dump(mode="json")
    _, stranger = await new_user(client, "stranger")
    private = await upload_sample(client, stranger, tone_burst(tmp_path, 0.1, "other.wav"))
    bad_cases: list[tuple[dict[str, Any], str]] = []
    on_melody = _edited(good, lambda s: s["tracks"][0].update(clips=good["tracks"][1]["clips"]))
    bad_cases.append((on_melody, "role `audio`"))
    notes_on_audio = _edited(good, lambda s: s["tracks"][1].update(
        notes=[{"pitch": 60, "start": 0, "duration": 480}]))
    bad_cases.append((notes_on_audio, "not notes"))
    unknown = _edited(good, lambda s: s["tracks"][1]["clips"][0].update(
        sample_id=str(uuid.uuid4())))
    bad_cases.append((unknown, "not in the library"))
    someone_elses = _edited(good, lambda s: s["tracks"][1]["clips"].append(
        {"id": "c2", "sample_id": private, "start": 0}))
    bad_cases.append((someone_elses, "not in the library"))
    bad_cases.append((_edited(good, lambda s: s["tracks"][1]["clips"][0].update(gain_db=20)),
                      "less than or equal to 12"))
    for bad, message in bad_cases:
        error = assert_error(await put_score(client, project, owner, bad), 422,
                             "VALIDATION_ERROR")
        assert message in str(error), error
    unknown_error = assert_error(await put_score(client, project, owner, unknown), 422,
                                 "VALIDATION_ERROR")
    assert unknown_error["details"][0]["loc"] == [
        "body", "tracks", 1, "clips", 0, "sample_id"]
    after = (await client.get(f"{API}/projects/{project}/score", headers=owner)).json()
    assert after["revision"] == stored["revision"]  # nothing refused was stored

    # Once shared with the project, another member may place it.
    member_email, member = await new_user(client, "member")
    await client.post(f"{API}/projects/{project}/members", headers=owner,
                      json={"email": member_email, "role": "editor"})
    again = _edited(good, lambda s: s["tracks"][1]["clips"].append(
        {"id": "c3", "sample_id": sample, "start": 960, "gain_db": -6}))
    answer = await put_score(client, project, member, again)
    assert answer.status_code == 200, answer.text


def _edited(data: dict[str, Any], change: Any) -> dict[str, Any]:
    import copy

    edited = copy.deepcopy(data)
    change(edited)
    return edited


# --- rendering through the real worker ------------------------------------------------------


async def wait_for(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while True:
        body: dict[str, Any] = (await client.get(url, headers=headers)).json()
        if body["status"] in ("succeeded", "failed", "dead", "cancelled"):
            return body
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.2)


async def export_wav(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                     folder: Path) -> dict[str, npt.NDArray[np.float32]]:
    """Export WAV with stems through the live worker; the decoded files by kind/track."""
    answer = await client.post(f"{API}/projects/{project}/exports", headers=headers,
                               json={"format": "wav", "include_stems": True})
    assert answer.status_code == 202, answer.text
    export = await wait_for(client, f"{API}/exports/{answer.json()['id']}", headers)
    assert export["status"] == "succeeded", export
    decoded = {}
    for item in export["files"]:
        if item["kind"] not in ("mix", "stem"):
            continue
        path = folder / item["name"]
        path.write_bytes((await client.get(item["url"], headers=headers)).content)
        decoded[item["track_id"] or "mix"] = decode(path)
    return decoded


async def test_exports_and_previews_play_clips_on_time(
        live_client: httpx.AsyncClient, live_worker: None, tmp_path: Path) -> None:
    _, owner = await new_user(live_client, "owner")
    sample = await upload_sample(live_client, owner, tone_burst(tmp_path, 0.5), bpm=120.0)
    project = await new_project(live_client, owner)
    clip_tick = 1920 + 960  # bar 2, beat 3
    lengths = {}
    for tempo, stretch in ((100.0, False), (150.0, False), (150.0, True)):
        score = song(sample, tempo, clip_tick, stretch=stretch)
        answer = await put_score(live_client, project, owner, score)
        assert answer.status_code == 200, answer.text
        files = await export_wav(live_client, project, owner, tmp_path)
        assert set(files) == {"mix", "lead", "loop"}
        onset, end = onset_and_end(files["loop"])
        expected = score.seconds_at(clip_tick)
        assert expected == pytest.approx((1920 + 960) * 60 / (tempo * 480))
        assert abs(onset - expected) < (0.01 if stretch else ONSET_TOLERANCE_S)
        mix_onset, _ = onset_and_end(files["mix"][int((expected - 0.5) * RATE):], 0.3)
        assert abs(mix_onset - 0.5) < 0.01  # heard in the mix, at the clip's time
        lengths[(tempo, stretch)] = end - onset
    assert lengths[(100.0, False)] == pytest.approx(0.5, abs=ONSET_TOLERANCE_S)
    assert lengths[(150.0, False)] == pytest.approx(0.5, abs=ONSET_TOLERANCE_S)
    # Sample at 120 bpm in a 150 bpm song: played 1.25 times as fast.
    assert lengths[(150.0, True)] / lengths[(150.0, False)] == pytest.approx(120 / 150,
                                                                            rel=0.03)

    # The preview (MP3, rendered by the same worker) plays it too.
    preview = await live_client.get(f"{API}/projects/{project}/preview", headers=owner,
                                    timeout=WAIT_LIMIT_S)
    assert preview.status_code == 200, preview.text
    path = tmp_path / "preview.mp3"
    path.write_bytes(preview.content)
    audio = decode(path, RATE)
    expected = song(sample, 150.0, clip_tick).seconds_at(clip_tick)
    onset, _ = onset_and_end(audio[int((expected - 0.5) * RATE):], 0.3)
    assert abs(onset - 0.5) < 0.03  # MP3 framing: tens of ms at most
