"""Limits that keep every read path bounded, and what a score stored before them gets.

The model tests check each cross-field limit on both sides of its edge and that the fast
bar and time lookups agree with a plain walk; the API tests run on a real uvicorn: a score
written straight into the database (as one stored before the limits would be) answers 422
with a way out on every path that reads it, and can still be replaced or restored.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from sqlalchemy import text

from ariaforge.music.bounds import MAX_SECONDS, MAX_SOUNDING, MAX_WRITTEN_NOTES
from ariaforge.music.interchange import write_midi, write_musicxml
from ariaforge.music.score import (
    MAX_BARS,
    MAX_BPM,
    MAX_NOTES,
    MAX_TICK,
    MIN_BPM,
    PPQ,
    Meter,
    MeterChange,
    Score,
    TempoChange,
)
from ariaforge.music.transform import TransformError, append_bars, quantize
from ariaforge.music.validation import validate
from tests.conftest import assert_error, new_user

API = "/api/v1/projects"
VALIDATION = "VALIDATION_ERROR"
HANG = 60.0  # seconds: a hang detector, never a speed target


def refused(data: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Score.model_validate(data)
    assert words in str(caught.value), str(caught.value)


def one_track(*notes: tuple[int, int, int]) -> list[dict[str, Any]]:
    return [{"id": "t", "notes": [{"id": f"n{i}", "pitch": pitch, "start": start,
                                   "duration": duration}
                                  for i, (pitch, start, duration) in enumerate(notes)]}]


# --- the limits, on both sides of each edge -------------------------------------------


def test_events_must_lie_inside_the_piece() -> None:
    end = 3 * 1920 + 1440  # 3 bars of 4/4, then one of 3/4
    Score.model_validate({"bars": 4, "tempo_changes": [{"tick": end - 1, "bpm": 90}],
                          "chord_symbols": [{"tick": end - 1, "symbol": "C"}],
                          "meter_changes": [{"bar": 4, "meter": {"numerator": 3}}],
                          "sections": [{"name": "A", "start_bar": 1, "bars": 4}]})
    refused({"bars": 4, "meter_changes": [{"bar": 4, "meter": {"numerator": 3}}],
             "tempo_changes": [{"tick": end, "bpm": 90}]}, "tempo change")
    refused({"bars": 4, "chord_symbols": [{"tick": 4 * 1920, "symbol": "C"}]}, "chord symbol")
    refused({"bars": 4, "meter_changes": [{"bar": 5, "meter": {"numerator": 3}}]},
            "meter change")
    refused({"bars": 4, "sections": [{"name": "A", "start_bar": 2, "bars": 4}]}, "section")


def test_a_piece_lasts_at_most_thirty_minutes() -> None:
    # 4/4 at 60 bpm: 4 s a bar, so 450 bars are exactly 30 minutes.
    bars = MAX_SECONDS // 4
    assert Score.model_validate({"bars": bars, "tempo": 60}).seconds_at(
        Score.model_validate({"bars": bars, "tempo": 60}).end_tick) == MAX_SECONDS
    refused({"bars": bars + 1, "tempo": 60}, "a score may last at most 30 minutes")
    # The reported case: 32/1 (128 quarters a bar) at the slowest tempo.
    refused({"bars": 8, "tempo": MIN_BPM, "meter": {"numerator": 32, "denominator": 1}},
            "at most 30 minutes")
    # A tempo change can make it too long as well.
    refused({"bars": 400, "tempo": 120, "tempo_changes": [{"tick": 1920, "bpm": 10}]},
            "at most 30 minutes")


def test_notes_ring_at_most_a_minute_past_the_end() -> None:
    # 4/4 at 60 bpm: a quarter is one second, 480 ticks.
    end = 2 * 1920
    Score.model_validate({"bars": 2, "tempo": 60, "tracks": one_track((60, end - 1, 60 * 480))})
    refused({"bars": 20, "tempo": 60, "tracks": one_track((60, 20 * 1920 - 1, 61 * 480 + 1))},
            "rings more than 60 s")


def test_at_most_so_many_notes_sound_at_once_in_a_track() -> None:
    stack = [(40 + i, i, 1920) for i in range(MAX_SOUNDING)]
    Score.model_validate({"bars": 2, "tracks": one_track(*stack)})
    refused({"bars": 2, "tracks": one_track(*stack, (100, MAX_SOUNDING, 10))},
            f"more than {MAX_SOUNDING} notes sound at once")
    # One pitch stacked on itself (the MIDI writer once took forever on it) counts too.
    refused({"bars": 2, "tracks": one_track(*[(60, i, 1000) for i in range(MAX_SOUNDING + 1)])},
            "sound at once")
    # Notes that follow each other do not add up, however many there are.
    Score.model_validate({"bars": 8, "tracks": one_track(
        *[(60, i * 10, 10) for i in range(MAX_SOUNDING * 10)])})


def test_held_notes_count_once_per_bar() -> None:
    # Notes held through all 1,000 bars count 1,000 each: 50 of them fill the budget.
    held = MAX_WRITTEN_NOTES // MAX_BARS
    whole = MAX_BARS * 1920

    def tracks(count: int) -> list[dict[str, Any]]:
        half = held // 2  # two tracks, so that no more than MAX_SOUNDING overlap in one
        return [{"id": track, "notes": [
            {"id": f"{track}{i}", "pitch": 40 + i, "start": 0, "duration": whole}
            for i in range(size)]} for track, size in (("t", half), ("u", count - half))]

    Score.model_validate({"bars": MAX_BARS, "tempo": MAX_BPM, "tracks": tracks(held)})
    refused({"bars": MAX_BARS, "tempo": MAX_BPM, "tracks": tracks(held + 1)}, "note-bars")


def test_the_schema_states_the_field_limits() -> None:
    schema = json.dumps(Score.model_json_schema())
    properties = Score.model_json_schema()["properties"]
    assert properties["bars"]["maximum"] == MAX_BARS
    assert properties["tempo"]["minimum"] == MIN_BPM
    assert properties["tempo"]["maximum"] == MAX_BPM
    assert f'"maximum": {MAX_TICK}' in schema
    # No event can lie past MAX_TICK in an accepted score: the longest piece at the
    # fastest tempo, plus its tail, ends there.
    fastest_longest = MAX_SECONDS * MAX_BPM * PPQ // 60
    assert fastest_longest < MAX_TICK
    assert MAX_TICK - fastest_longest == 60 * MAX_BPM * PPQ // 60


def test_edits_cannot_produce_a_score_that_breaks_a_limit() -> None:
    # Apart, these notes never overlap; quantized onto one beat they all sound at once.
    apart = Score.model_validate({"bars": 2, "tracks": one_track(
        *[(40 + i, i * 5, 4) for i in range(MAX_SOUNDING + 1)])})
    assert quantize(apart, 480, strength=0.5).tracks[0].notes  # halfway: still apart
    with pytest.raises(TransformError, match="sound at once"):
        quantize(apart, 480)
    half = Score.model_validate({"bars": MAX_BARS // 2 + 1})
    with pytest.raises(TransformError, match="bars"):
        append_bars(half, half)


# --- fast lookups agree with a plain walk --------------------------------------------


def walk_bar_start(score: Score, bar: int) -> int:
    tick, current, meter = 0, 1, score.meter
    for change in score.meter_changes:
        if change.bar >= bar:
            break
        tick += (change.bar - current) * meter.ticks_per_bar
        current, meter = change.bar, change.meter
    return tick + (bar - current) * meter.ticks_per_bar


def walk_seconds(score: Score, tick: int) -> float:
    seconds, last, bpm = 0.0, 0, score.tempo
    for change in score.tempo_changes:
        if change.tick >= tick:
            break
        seconds += (change.tick - last) * 60.0 / (bpm * PPQ)
        last, bpm = change.tick, change.bpm
    return seconds + (tick - last) * 60.0 / (bpm * PPQ)


def random_score(rng: random.Random) -> Score:
    bars = rng.randint(1, 60)
    meters = sorted(rng.sample(range(2, bars + 1), min(bars - 1, rng.randint(0, 8))))

    def meter() -> dict[str, int]:
        return {"numerator": rng.randint(1, 12), "denominator": rng.choice([1, 2, 4, 8, 16, 32])}

    draft = Score.model_validate({"bars": bars, "tempo": 600, "meter": meter(),
                                  "meter_changes": [{"bar": b, "meter": meter()}
                                                    for b in meters]})
    ticks = sorted(rng.sample(range(draft.end_tick), min(draft.end_tick, rng.randint(0, 8))))
    return draft.model_copy(update={"tempo_changes": [
        TempoChange(tick=t, bpm=rng.choice([MIN_BPM, 97.5, 600, MAX_BPM])) for t in ticks]})


def test_bar_and_time_lookups_agree_with_a_plain_walk() -> None:
    rng = random.Random(10)
    for _ in range(200):
        score = random_score(rng)
        for bar in range(1, score.bars + 3):
            start = walk_bar_start(score, bar)
            assert score.bar_start(bar) == start
            assert score.bar_of(start) == bar
            if start:
                assert score.bar_of(start - 1) == bar - 1
            assert score.tick_to_bar_beat(start) == (bar, Fraction(1))
            expected = score.meter
            for change in score.meter_changes:
                if change.bar <= bar:
                    expected = change.meter
            assert score.meter_at_bar(bar) == expected
        for tick in [0, 1, *(c.tick + d for c in score.tempo_changes for d in (-1, 0, 1)),
                     score.end_tick]:
            if tick >= 0:
                assert score.seconds_at(tick) == walk_seconds(score, tick)


def test_lookups_follow_a_copy_with_new_meters_and_tempi() -> None:
    score = Score.model_validate({"bars": 8})
    assert score.bar_start(3) == 2 * 1920
    assert score.seconds_at(1920) == 2.0
    changed = score.model_copy(update={
        "meter_changes": [MeterChange(bar=2, meter=Meter(numerator=3))],
        "tempo_changes": [TempoChange(tick=0, bpm=60)]})
    assert changed.bar_start(3) == 1920 + 1440
    assert changed.seconds_at(1920) == 4.0
    assert (score.bar_start(3), score.seconds_at(1920)) == (2 * 1920, 2.0)  # unchanged
    # The lookup tables never make two equal scores unequal.
    assert Score.model_validate(score.model_dump()) == score


# --- the worst accepted scores stay bounded -------------------------------------------


def worst_events() -> dict[str, Any]:
    """Every bar a new meter, the most tempo changes, chord symbols and tracks."""
    data: dict[str, Any] = {
        "bars": MAX_BARS, "tempo": MAX_BPM, "meter": {"numerator": 1},
        "meter_changes": [{"bar": b, "meter": {"numerator": 1 + b % 2}}
                          for b in range(2, MAX_BARS + 1)],
        "tracks": [{"id": f"t{i}"} for i in range(64)]}
    end = Score.model_validate(data).end_tick
    data["tempo_changes"] = [{"tick": i * (end // 10_000), "bpm": 900 + i % 100}
                             for i in range(1, 10_000)]
    data["chord_symbols"] = [{"tick": i * (end // 10_000), "symbol": ["G7", "F", "C"][i % 3]}
                             for i in range(10_000)]
    return data


def worst_notes() -> dict[str, Any]:
    """The most notes, each out of key, leaping and over chord symbols: most remarks."""
    count = MAX_NOTES // 2
    end = 4 * 1920 * 100
    step = end // count

    def line(prefix: str) -> list[dict[str, Any]]:
        return [{"id": f"{prefix}{i}", "pitch": 1 + (i * 37) % 126, "start": i * step,
                 "duration": step} for i in range(count)]

    return {"bars": 100 * 4, "tempo": MAX_BPM,
            "chord_symbols": [{"tick": i * 480, "symbol": ["G7", "F"][i % 2]}
                              for i in range(end // 480)],
            "tracks": [{"id": "m", "role": "melody", "program": 9, "notes": line("m")},
                       {"id": "b", "role": "bass", "program": 9, "notes": line("b")}]}


@pytest.mark.parametrize("make", [worst_events, worst_notes])
def test_readers_finish_on_the_worst_accepted_scores(make: Callable[[], dict[str, Any]]) -> None:
    score = Score.model_validate(make())
    for reader in (validate, write_midi, write_musicxml):
        began = time.monotonic()
        reader(score)
        assert time.monotonic() - began < HANG, reader


# --- scores stored before the limits ---------------------------------------------------

STORED_BEFORE: dict[str, dict[str, Any]] = {
    "tempo-change-at-the-old-max-tick": {"bars": 8, "tempo_changes": [
        {"tick": 10_000 * 32 * PPQ * 4, "bpm": 120}]},
    "chord-symbol-at-the-old-max-tick": {"bars": 8, "chord_symbols": [
        {"tick": 10_000 * 32 * PPQ * 4, "symbol": "C"}]},
    "10000-bars": {"bars": 10_000},
    "meter-change-at-bar-10000": {"bars": 10_000, "meter_changes": [
        {"bar": 10_000, "meter": {"numerator": 3, "denominator": 4}}]},
    "32/1-at-10-bpm": {"bars": 8, "tempo": 10, "meter": {"numerator": 32, "denominator": 1}},
    "a-note-after-the-end": {"bars": 1, "tracks": one_track((60, 40_000 * 1920, 1))},
}
READS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/score", {}), ("GET", "/tracks", {}), ("POST", "/validate", {}),
    ("GET", "/export.mid", {}), ("GET", "/export.musicxml", {}),
    ("GET", "/notation.svg", {}), ("GET", "/preview", {}),
    ("POST", "/exports", {"json": {"format": "mp3"}}),
]


CURRENT = text("UPDATE project_scores SET data = CAST(:data AS jsonb) "
               "WHERE project_id = :project")
VERSION = text("UPDATE score_versions SET data = CAST(:data AS jsonb) "
               "WHERE project_id = :project AND number = :number")


async def store_directly(app: FastAPI, project: str, data: dict[str, Any],
                         version: int | None = None) -> None:
    """Write a score past the API, as one stored before today's limits would be: as the
    current score, or as version `version` of its history."""
    async with app.state.engine.begin() as connection:
        changed = await connection.execute(
            CURRENT if version is None else VERSION,
            {"data": json.dumps(data), "project": project, "number": version})
    assert changed.rowcount == 1


def assert_limit_error(response: httpx.Response) -> None:
    error = assert_error(response, 422, VALIDATION)
    assert "breaks a limit" in error["message"], error
    assert "restore an earlier version or PUT a corrected score" in error["message"], error


async def live_project(http: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    _, owner = await new_user(http, "owner")
    created = await http.post(API, headers=owner, json={"name": "Before the limits"})
    assert created.status_code == 201, created.text
    project: str = created.json()["id"]
    put = await http.put(f"{API}/{project}/score", headers=owner, json={
        "score": {"bars": 4, "tracks": one_track((60, 0, 480))}, "revision": 1})
    assert put.status_code == 200, put.text
    return project, owner


@pytest.mark.parametrize("stored", list(STORED_BEFORE.values()), ids=list(STORED_BEFORE))
async def test_a_stored_score_that_breaks_a_limit_answers_422_everywhere(
        live_client: httpx.AsyncClient, app: FastAPI, stored: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Score.model_validate(stored)  # the case does break a limit today
    project, owner = await live_project(live_client)
    await store_directly(app, project, stored)
    base = f"{API}/{project}"
    for method, path, kwargs in READS:
        began = time.monotonic()
        response = await live_client.request(method, base + path, headers=owner,
                                             timeout=HANG, **kwargs)
        assert time.monotonic() - began < HANG, path
        assert_limit_error(response)
    # Edits that start from the stored score cannot apply either, and say why.
    for method, path, body in [
            ("POST", "/tracks", {"name": "x", "revision": 2}),
            ("POST", "/notes/batch", {"revision": 2, "operations": [
                {"op": "delete", "note_id": "n0"}]}),
            ("PATCH", "", {"tempo": 100})]:
        assert_limit_error(await live_client.request(method, base + path, headers=owner,
                                                     json=body))
    # The history stays readable, and a restore or a PUT repairs the project.
    versions = await live_client.get(f"{base}/versions", headers=owner)
    assert versions.status_code == 200, versions.text
    assert [v["number"] for v in versions.json()["items"]] == [2, 1]
    restored = await live_client.post(f"{base}/versions/2/restore",
                                      headers={**owner, "If-Match": '"2"'})
    assert restored.status_code == 200, restored.text
    assert restored.json()["revision"] == 3
    for method, path, kwargs in READS[:5]:
        response = await live_client.request(method, base + path, headers=owner, **kwargs)
        assert response.status_code == 200, (path, response.text)


async def test_a_put_replaces_a_stored_score_that_breaks_a_limit(
        live_client: httpx.AsyncClient, app: FastAPI) -> None:
    project, owner = await live_project(live_client)
    await store_directly(app, project, STORED_BEFORE["10000-bars"])
    base = f"{API}/{project}"
    put = await live_client.put(f"{base}/score", headers=owner,
                                json={"score": {"bars": 2}, "revision": 2})
    assert put.status_code == 200, put.text
    latest = (await live_client.get(f"{base}/versions", headers=owner)).json()["items"][0]
    assert latest["summary"] == "replaced a score that broke a limit"
    assert (await live_client.get(f"{base}/score", headers=owner)).json()["score"]["bars"] == 2


async def test_an_old_version_that_breaks_a_limit_is_refused_with_a_reason(
        live_client: httpx.AsyncClient, app: FastAPI) -> None:
    project, owner = await live_project(live_client)
    await store_directly(app, project, STORED_BEFORE["10000-bars"], version=1)
    base = f"{API}/{project}"
    error = assert_error(await live_client.get(f"{base}/versions/1", headers=owner), 422,
                         VALIDATION)
    assert error["message"].startswith("version 1 breaks a limit"), error
    assert_error(await live_client.post(f"{base}/versions/1/restore",
                                        headers={**owner, "If-Match": '"2"'}), 422, VALIDATION)
    current = (await live_client.get(f"{base}/score", headers=owner)).json()
    assert current["revision"] == 2  # nothing changed


async def test_project_settings_that_would_break_a_limit_are_refused(
        live_client: httpx.AsyncClient) -> None:
    _, owner = await new_user(live_client, "owner")
    created = await live_client.post(API, headers=owner, json={"name": "Long", "tempo": 400})
    project = created.json()["id"]
    base = f"{API}/{project}"
    # 1,000 bars of 4/4 at 400 bpm last 10 minutes; at 100 bpm they would last 40.
    put = await live_client.put(f"{base}/score", headers=owner,
                                json={"score": {"bars": MAX_BARS, "tempo": 400}, "revision": 1})
    assert put.status_code == 200, put.text
    project_revision = (await live_client.get(base, headers=owner)).json()["revision"]
    error = assert_error(await live_client.patch(base, headers=owner, json={"tempo": 100}),
                         422, VALIDATION)
    assert "at most 30 minutes" in error["message"], error
    after = (await live_client.get(base, headers=owner)).json()
    assert (after["tempo"], after["revision"]) == (400, project_revision)
    score = (await live_client.get(f"{base}/score", headers=owner)).json()
    assert (score["score"]["tempo"], score["revision"]) == (400, 2)
