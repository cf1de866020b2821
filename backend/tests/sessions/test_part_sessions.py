"""`operation: "part"` through the API: one track written over the project's own chord
track by a real worker, the rest of the score kept, edits made meanwhile merged, and bad
requests refused in the one error shape."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from fastapi import FastAPI

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose_async
from ariaforge.music.score import ChordSymbol, Role, Score
from ariaforge.music.theory.chords import parse_chord_symbol
from tests.conftest import assert_error
from tests.sessions.test_sessions_api import API, current_score, new_project, run_session

EDITED = ("Ab", "Db", "C/E", "F#m")
WAIT_LIMIT_S = 120


async def song_with_chords(symbols: tuple[str, ...]) -> Score:
    score = (await compose_async(ComposeRequest(
        prompt="a pop song in C major for piano, bass and drums", bars=12, seed=11))).score
    chords = [ChordSymbol(tick=score.bar_start(bar), symbol=symbols[(bar - 1) % len(symbols)])
              for bar in range(1, score.bars + 1)]
    return score.model_copy(update={"chord_symbols": chords})


async def put_score(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                    score: Score) -> int:
    revision = (await client.get(f"{API}/projects/{project}/score",
                                 headers=headers)).json()["revision"]
    answer = await client.put(f"{API}/projects/{project}/score", headers=headers,
                              json={"score": score.model_dump(mode="json"),
                                    "revision": revision})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["revision"])


async def start_part(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                     **body: Any) -> dict[str, Any]:
    answer = await client.post(f"{API}/projects/{project}/sessions", headers=headers,
                               json={"operation": "part", **body})
    assert answer.status_code == 202, answer.text
    started: dict[str, Any] = answer.json()
    return started


def roots_follow(score: Score, track_id: str) -> bool:
    notes = sorted(score.track(track_id).notes, key=lambda n: (n.start, n.pitch))
    for symbol in score.chord_symbols:
        heard = [n for n in notes if n.start <= symbol.tick]
        if not heard or heard[-1].pitch % 12 != parse_chord_symbol(symbol.symbol).bass_pc:
            return False
    return True


def bass_id(score: Score) -> str:
    return next(t.id for t in score.tracks if t.role is Role.BASS)


async def test_a_part_follows_the_edited_chords_and_keeps_the_rest(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    edited = await song_with_chords(EDITED)
    before = await put_score(client, project, owner, edited)
    bass = bass_id(edited)
    assert not roots_follow(edited, bass)  # the song's bass was written for other chords
    started = await start_part(client, project, owner, track_id=bass)
    assert started["operation"] == "part" and started["base_revision"] == before
    done = await run_session(app, client, started["id"], owner)
    assert done["status"] == "succeeded", done
    assert done["version"] > before and done["validation"] is not None
    score = await current_score(client, project, owner)
    assert roots_follow(score, bass)
    for track in edited.tracks:
        if track.id != bass:
            assert score.track(track.id) == track
    assert score.model_dump(exclude={"tracks"}) == edited.model_dump(exclude={"tracks"})
    versions = (await client.get(f"{API}/projects/{project}/versions",
                                 headers=owner)).json()["items"]
    assert versions[0]["reason"] == "generated"
    assert versions[0]["summary"] == f"part: {edited.track(bass).name}"


async def test_write_a_part_for_an_added_track_in_one_section(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    edited = await song_with_chords(EDITED)
    await put_score(client, project, owner, edited)
    added = await client.post(f"{API}/projects/{project}/tracks", headers=owner,
                              json={"name": "Strings", "role": "pad", "program": 48})
    assert added.status_code == 201, added.text
    strings = added.json()["id"]
    done = await run_session(app, client, (await start_part(
        client, project, owner, track_id=strings, prompt="simpler"))["id"], owner)
    assert done["status"] == "succeeded", done
    whole = await current_score(client, project, owner)
    assert len(whole.track(strings).notes) > 0

    section = whole.sections[1]
    start, end = whole.bar_start(section.start_bar), whole.bar_start(section.end_bar)
    done = await run_session(app, client, (await start_part(
        client, project, owner, track_id=strings, section=1))["id"], owner)
    assert done["status"] == "succeeded", done
    after = await current_score(client, project, owner)
    def outside(score: Score) -> list[tuple[str, int, int]]:
        return [(n.id, n.pitch, n.start) for n in score.track(strings).notes
                if not start <= n.start < end]
    def inside(score: Score) -> list[tuple[int, int, int]]:
        return sorted((n.pitch, n.start, n.duration) for n in score.track(strings).notes
                      if start <= n.start < end)
    assert outside(after) == outside(whole)
    assert inside(after) and inside(after) != inside(whole)
    assert all(after.track(t.id) == t for t in whole.tracks if t.id != strings)


async def test_an_edit_made_while_the_part_is_written_is_kept(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    edited = await song_with_chords(EDITED)
    await put_score(client, project, owner, edited)
    bass = bass_id(edited)
    melody = next(t.id for t in edited.tracks if t.role is Role.MELODY)
    started = await start_part(client, project, owner, track_id=bass)
    # The session is queued on the revision it read; an edit lands before the worker runs.
    batch = await client.post(f"{API}/projects/{project}/notes/batch", headers=owner,
                              json={"revision": started["base_revision"], "operations": [
                                  {"op": "add", "track_id": melody, "id": "late-note",
                                   "pitch": 91, "start": 0, "duration": 240}]})
    assert batch.status_code == 200, batch.text
    done = await run_session(app, client, started["id"], owner)
    assert done["status"] == "succeeded", done
    score = await current_score(client, project, owner)
    assert any(n.id == "late-note" for n in score.track(melody).notes)
    assert roots_follow(score, bass)


async def test_a_part_for_a_track_deleted_meanwhile_is_not_stored(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    edited = await song_with_chords(EDITED)
    await put_score(client, project, owner, edited)
    bass = bass_id(edited)
    started = await start_part(client, project, owner, track_id=bass)
    deleted = await client.delete(f"{API}/projects/{project}/tracks/{bass}", headers={
        **owner, "If-Match": f'"{started["base_revision"]}"'})
    assert deleted.status_code == 204, deleted.text
    done = await run_session(app, client, started["id"], owner)
    assert done["status"] == "failed" and "deleted" in (done["error"] or ""), done
    score = await current_score(client, project, owner)
    assert all(t.id != bass for t in score.tracks)  # not brought back by the merge


async def test_part_requests_are_checked(client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    edited = await song_with_chords(EDITED)
    await put_score(client, project, owner, edited)
    url = f"{API}/projects/{project}/sessions"
    unknown = assert_error(await client.post(url, headers=owner, json={
        "operation": "part", "track_id": "no-such-track"}), 422, "VALIDATION_ERROR")
    assert unknown["details"][0]["loc"] == ["body", "track_id"]
    assert unknown["details"][0]["type"] == "unknown_track"
    for body in ({"operation": "part"},  # which track?
                 {"operation": "regenerate", "track_id": edited.tracks[0].id},
                 {"operation": "variation", "keep_chords": True},
                 {"operation": "part", "track_id": "bad id!"},
                 {"operation": "part", "track_id": "x" * 65},
                 {"operation": "part", "track_id": edited.tracks[0].id, "section": 9}):
        assert_error(await client.post(url, headers=owner, json=body), 422,
                     "VALIDATION_ERROR")
    listed = (await client.get(url, headers=owner)).json()
    assert listed == []  # nothing refused was queued


async def test_a_part_over_a_live_server_and_worker(live_client: httpx.AsyncClient,
                                                    live_worker: None) -> None:
    """Read-after-write over real HTTP: the version the session names is the score a
    client reads right after the session reports it."""
    project, owner = await new_project(live_client)
    edited = await song_with_chords(("Am", "F", "C", "G"))
    await put_score(live_client, project, owner, edited)
    drums = next(t.id for t in edited.tracks if t.is_drum)
    emptied = edited.model_copy(update={"tracks": [
        t.model_copy(update={"notes": []}) if t.id == drums else t for t in edited.tracks]})
    await put_score(live_client, project, owner, emptied)
    started = await start_part(live_client, project, owner, track_id=drums)
    deadline = time.monotonic() + WAIT_LIMIT_S
    body: dict[str, Any] = started
    while body["status"] not in ("succeeded", "failed", "dead", "cancelled"):
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.2)
        body = (await live_client.get(f"{API}/sessions/{started['id']}",
                                      headers=owner)).json()
    assert body["status"] == "succeeded", body
    loaded = (await live_client.get(f"{API}/projects/{project}/score", headers=owner)).json()
    assert loaded["revision"] == body["version"]
    notes = Score.model_validate(loaded["score"]).track(drums).notes
    assert notes and all(35 <= n.pitch <= 81 for n in notes)
