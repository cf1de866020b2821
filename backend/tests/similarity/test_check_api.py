"""The originality check over HTTP against the reference corpus in PostgreSQL+pgvector:
a disguised corpus tune uploaded as a file is found, search by phrase, the status."""

from __future__ import annotations

import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from ariaforge.music.similarity.reference import reference_version
from ariaforge.music.similarity.variants import mutate, retime, transpose
from ariaforge.similarity import repository as repo
from ariaforge.similarity.indexing import ingest_reference
from tests.conftest import assert_error, overridden_settings
from tests.similarity.helpers import (
    API,
    CORPUS_TUNES,
    ingest,
    long_tune,
    midi_of,
    owner,
    project_with,
    score_of,
    sources,
)


async def test_a_disguised_corpus_tune_uploaded_as_midi_is_found_first(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    await ingest(app)
    tune = long_tune(3)
    # Up a minor third, 1.5 times slower, a tenth of its notes moved by a step or two.
    disguised = mutate(retime(transpose(tune.notes, 3), 1.5), 0.1, seed=17)
    headers = await owner(client)
    with overridden_settings(app, reference_corpus_limit=CORPUS_TUNES):
        answer = await client.post(f"{API}/similarity/check-file", headers=headers, files={
            "file": ("copied.mid", midi_of(disguised, tune.meter), "audio/midi")},
            data={"scope": "reference", "limit": "3"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert sources(body)[0] == tune.id, body["matches"][:2]
    top = body["matches"][0]
    assert top["source"]["type"] == "reference" and top["source"]["title"] == tune.title
    assert body["is_safe"] is False and body["score"] >= body["threshold"]
    assert body["query"] == {"kind": "file", "project_id": None, "version": None,
                             "filename": "copied.mid", "notes": len(disguised)}
    assert body["reference"] == {"tunes": CORPUS_TUNES, "ready": True}
    assert body["recommendations"]
    assert body["recommendations"][0]["track_id"] == top["query_bars"]["track_id"]
    assert len(body["matches"]) <= 3


async def test_a_corpus_tune_rendered_to_audio_is_found(app: FastAPI,
                                                        client: httpx.AsyncClient) -> None:
    """A WAV of a corpus tune (the project's own synth): transcribed, then searched."""
    from ariaforge.audio.encode import encode
    from ariaforge.audio.synth import render_stems
    from ariaforge.music.score import Note, Track

    await ingest(app)
    tune = long_tune(1)
    bars = 12 * tune.bar_ticks
    notes = [n for n in transpose(tune.notes, 2) if n[1] < bars]  # about 30 s at 100 bpm
    score = score_of(notes, tune.meter).model_copy(update={"tracks": [Track(
        id="m", program=0, notes=[Note(pitch=p, start=s, duration=max(60, d - 20),
                                       velocity=96) for p, s, d in notes])]})
    wav = encode(render_stems(score, None, 44100)["m"], 44100, None, "wav")
    assert isinstance(wav, bytes)
    headers = await owner(client)
    answer = await client.post(f"{API}/similarity/check-file", headers=headers, files={
        "file": ("hummed.wav", wav, "audio/wav")}, data={"scope": "reference"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["query"]["kind"] == "audio" and body["query"]["notes"] > 10
    assert sources(body)[0] == tune.id, body["matches"][:2]
    assert body["matches"][0]["query_bars"]["bars"] == 0  # a phrase: the audio has no bars


async def test_search_by_a_played_phrase_finds_its_tune(app: FastAPI,
                                                       client: httpx.AsyncClient) -> None:
    await ingest(app)
    tune = long_tune(2)
    phrase = transpose(tune.notes[4:20], -5)
    headers = await owner(client)
    answer = await client.post(f"{API}/similarity/search", headers=headers, json={
        "notes": [{"pitch": p, "start": s, "duration": d} for p, s, d in phrase],
        "scope": "reference", "limit": 5})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert sources(body)[0] == tune.id
    assert body["query"]["kind"] == "phrase" and body["query"]["notes"] == 16
    assert body["matches"][0]["transposition"] == -5
    # Four even repetitions of one note: a figure in many tunes, never a copy of one.
    flat = await client.post(f"{API}/similarity/search", headers=headers, json={
        "notes": [{"pitch": 60, "start": 480 * i, "duration": 480} for i in range(4)],
        "scope": "all"})
    assert flat.status_code == 200 and flat.json()["is_safe"] is True
    # The default scope is the caller's projects: there are none, so no tune is found.
    mine = await client.post(f"{API}/similarity/search", headers=headers, json={
        "notes": [{"pitch": p, "start": s, "duration": d} for p, s, d in phrase]})
    assert mine.status_code == 200 and mine.json()["matches"] == []


async def test_the_status_tells_when_the_corpus_is_ready(app: FastAPI,
                                                         client: httpx.AsyncClient) -> None:
    headers = await owner(client)
    with overridden_settings(app, reference_corpus_limit=CORPUS_TUNES):
        empty = (await client.get(f"{API}/similarity/status", headers=headers)).json()
        assert empty["reference"] == {"tunes": 0, "windows": 0, "version": None,
                                      "ready": False}
        await ingest(app)
        ready = (await client.get(f"{API}/similarity/status", headers=headers)).json()
    assert ready["reference"]["tunes"] == CORPUS_TUNES and ready["reference"]["ready"]
    assert ready["reference"]["version"] == reference_version()
    assert ready["reference"]["windows"] > CORPUS_TUNES
    assert ready["threshold"] == app.state.settings.similarity_threshold
    assert ready["indexed_versions"] == 0
    with overridden_settings(app, reference_corpus_limit=CORPUS_TUNES + 1):
        more = (await client.get(f"{API}/similarity/status", headers=headers)).json()
    assert more["reference"]["ready"] is False  # one tune short of the new limit
    # Ingesting again with the same limit finds nothing missing; a smaller limit deletes.
    assert (await ingest_reference(app.state.sessionmaker, CORPUS_TUNES)).skipped
    smaller = await ingest_reference(app.state.sessionmaker, 10)
    assert smaller.tunes == 0
    with overridden_settings(app, reference_corpus_limit=10):
        fewer = (await client.get(f"{API}/similarity/status", headers=headers)).json()
    assert fewer["reference"]["tunes"] == 10 and fewer["reference"]["ready"]


async def test_bad_requests_answer_4xx_in_the_error_shape(app: FastAPI,
                                                          client: httpx.AsyncClient) -> None:
    headers = await owner(client)
    stranger = await owner(client, "stranger")
    project = await project_with(client, headers, score_of(long_tune(0).notes))
    assert_error(await client.post(f"{API}/similarity/check", json={"project_id": project}),
                 401, "AUTHENTICATION_ERROR")
    assert_error(await client.post(f"{API}/similarity/check", headers=stranger,
                                   json={"project_id": project}), 404, "NOT_FOUND")
    assert_error(await client.post(f"{API}/similarity/check", headers=headers,
                                   json={"project_id": str(uuid.uuid4())}), 404, "NOT_FOUND")
    assert_error(await client.post(f"{API}/similarity/check", headers=headers,
                                   json={"project_id": project, "version": 99}),
                 404, "NOT_FOUND")
    for bad in ({"project_id": project, "limit": 21}, {"project_id": project, "scope": "x"},
                {"project_id": "nope"}, {"project_id": project, "extra": 1}):
        assert_error(await client.post(f"{API}/similarity/check", headers=headers, json=bad),
                     422, "VALIDATION_ERROR")
    three = [{"pitch": 60 + i, "start": 480 * i, "duration": 480} for i in range(3)]
    assert_error(await client.post(f"{API}/similarity/search", headers=headers,
                                   json={"notes": three}), 422, "VALIDATION_ERROR")
    assert_error(await client.get(f"{API}/projects/{project}/similar?limit=0",
                                  headers=headers), 422, "VALIDATION_ERROR")
    assert_error(await client.get(f"{API}/projects/{project}/similar", headers=stranger),
                 404, "NOT_FOUND")
    garbage = await client.post(f"{API}/similarity/check-file", headers=headers, files={
        "file": ("notes.txt", b"this is not music at all", "text/plain")})
    assert_error(garbage, 422, "VALIDATION_ERROR")
    noise = await client.post(f"{API}/similarity/check-file", headers=headers, files={
        "file": ("noise.wav", b"RIFF\x00\x00\x00\x00WAVEjunk", "audio/wav")})
    assert_error(noise, 422, "VALIDATION_ERROR")
    assert_error(await client.post(f"{API}/similarity/check-file", headers=headers, files={
        "file": ("empty.mid", b"", "audio/midi")}), 422, "VALIDATION_ERROR")
    uploader = await owner(client, "uploader")
    with overridden_settings(app, uploads_per_hour=1):
        midi = midi_of(long_tune(0).notes)
        ok = await client.post(f"{API}/similarity/check-file", headers=uploader,
                               files={"file": ("a.mid", midi, "audio/midi")})
        assert ok.status_code == 200, ok.text
        limited = await client.post(f"{API}/similarity/check-file", headers=uploader,
                                    files={"file": ("a.mid", midi, "audio/midi")})
    assert_error(limited, 429, "RATE_LIMIT_EXCEEDED")
    assert int(limited.headers["Retry-After"]) > 0


async def test_a_bulk_write_leaves_the_connection_as_it_found_it(app: FastAPI,
                                                                 clean: None) -> None:
    """COPY uses pgvector's binary codec; the pooled connection is the whole app's, where
    a text parameter cast to vector must still work afterwards."""
    async with app.state.sessionmaker() as session:
        await repo.insert_tunes(session, "v", [("t1", "Tune", "test", "", {"notes": []})])
        distance = await session.scalar(text("SELECT CAST(:a AS vector) <=> CAST(:b AS vector)"),
                                        {"a": "[1,0,0]", "b": "[0,1,0]"})
        await session.rollback()
    assert distance == 1.0
