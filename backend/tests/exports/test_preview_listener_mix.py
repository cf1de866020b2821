"""A listener's own mute/solo in the preview: `GET /preview?mute=…&solo=…` replaces the
score's flags for that render only, never writes the score, and has its own cache entry."""

from __future__ import annotations

import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.exports.previews import ListenerMix, for_listener, listener_mix
from ariaforge.models import ProjectScore
from tests.conftest import BASE_URL, assert_error, new_user
from tests.exports.test_exports_api import (  # fixtures: impatient_app, sessions
    background_worker,
    impatient_app,
    preview_jobs,
    project_with_song,
    sessions,
    share,
    song,
)

__all__ = ["impatient_app", "sessions"]

API = "/api/v1"


async def track_ids(client: httpx.AsyncClient, project: str,
                    headers: dict[str, str]) -> dict[str, str]:
    tracks = (await client.get(f"{API}/projects/{project}/tracks", headers=headers)).json()
    return {track["name"]: track["id"] for track in tracks}


async def stored_flags(sessions: async_sessionmaker[AsyncSession],
                       project: str) -> dict[str, tuple[bool, bool]]:
    async with sessions() as session:
        row = await session.get(ProjectScore, uuid.UUID(project))
        assert row is not None
        return {t["name"]: (t["mute"], t["solo"]) for t in row.data["tracks"]}


async def test_a_listeners_mute_is_their_own_render_and_never_the_scores(
        app: FastAPI, client: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession]) -> None:
    project, owner = await project_with_song(client)
    ids = await track_ids(client, project, owner)
    viewer = await share(client, project, owner, "viewer")
    before = await stored_flags(sessions, project)
    async with background_worker(app):
        plain = await client.get(f"{API}/projects/{project}/preview", headers=owner)
        # A viewer may listen with their own mix too: listening changes nothing.
        muted = await client.get(f"{API}/projects/{project}/preview",
                                 params={"mute": ids["Lead"]}, headers=viewer)
        everything = await client.get(f"{API}/projects/{project}/preview",
                                      params={"mute": ",".join(ids.values())}, headers=owner)
    assert plain.status_code == 200, plain.text
    assert muted.status_code == 200, muted.text
    assert muted.headers["content-type"] == "audio/mpeg" and len(muted.content) > 1000
    assert muted.headers["etag"] != plain.headers["etag"]
    assert muted.content != plain.content
    # Every track muted is still an answer, not an error.
    assert everything.status_code == 200, everything.text
    assert await stored_flags(sessions, project) == before
    # The cache knows the listener's mix: asked again with it, 304.
    again = await client.get(f"{API}/projects/{project}/preview",
                             params={"mute": ids["Lead"]},
                             headers={**owner, "If-None-Match": muted.headers["etag"]})
    assert again.status_code == 304
    # The same sound is the same preview: a listener muting Lead hears what a score with
    # Lead muted plays, and an empty override ("nothing muted") undoes the score's flag.
    await client.patch(f"{API}/projects/{project}/tracks/{ids['Lead']}", headers=owner,
                       json={"mute": True})
    flagged = await client.get(f"{API}/projects/{project}/preview", headers=owner)
    assert flagged.status_code == 200, flagged.text
    assert flagged.headers["etag"] == muted.headers["etag"]
    unmuted = await client.get(f"{API}/projects/{project}/preview", params={"mute": ""},
                               headers=owner)
    assert unmuted.status_code == 200, unmuted.text
    assert unmuted.headers["etag"] == plain.headers["etag"]


async def test_solo_replaces_the_scores_solo_for_the_listener(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    project, owner = await project_with_song(client)
    ids = await track_ids(client, project, owner)
    async with background_worker(app):
        solo = await client.get(f"{API}/projects/{project}/preview",
                                params={"solo": f"{ids['Bass']}, {ids['Kit']}"}, headers=owner)
        plain = await client.get(f"{API}/projects/{project}/preview", headers=owner)
    assert solo.status_code == 200, solo.text
    assert plain.status_code == 200, plain.text
    assert solo.headers["etag"] != plain.headers["etag"]
    # The id order and spaces do not make another preview.
    reordered = await client.get(f"{API}/projects/{project}/preview",
                                 params={"solo": f"{ids['Kit']},{ids['Bass']}"},
                                 headers={**owner, "If-None-Match": solo.headers["etag"]})
    assert reordered.status_code == 304


async def test_unknown_malformed_or_oversized_ids_are_422(
        client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> None:
    project, owner = await project_with_song(client)
    ids = await track_ids(client, project, owner)
    preview = f"{API}/projects/{project}/preview"
    unknown = assert_error(await client.get(preview, params={"mute": f"{ids['Lead']},nope"},
                                            headers=owner), 422, "VALIDATION_ERROR")
    assert unknown["details"][0]["loc"] == ["query", "mute"]
    assert unknown["details"][0]["type"] == "unknown_track"
    assert "nope" in unknown["message"]
    unknown_solo = assert_error(await client.get(preview, params={"solo": "ghost"},
                                                 headers=owner), 422, "VALIDATION_ERROR")
    assert unknown_solo["details"][0]["loc"] == ["query", "solo"]
    for bad in ("a b", "../etc", "x,,y", "é", "a" * 65):
        error = assert_error(await client.get(preview, params={"mute": bad}, headers=owner),
                             422, "VALIDATION_ERROR")
        assert error["details"][0]["loc"] == ["query", "mute"], bad
    too_long = ",".join([ids["Lead"]] * 400)
    error = assert_error(await client.get(preview, params={"solo": too_long}, headers=owner),
                         422, "VALIDATION_ERROR")
    assert error["details"][0]["loc"] == ["query", "solo"]
    # Refused before any work: no job was queued for these.
    assert await preview_jobs(sessions) == []
    # Someone who may not see the project learns nothing about its tracks.
    _, stranger = await new_user(client, "stranger")
    assert_error(await client.get(preview, params={"mute": "nope"}, headers=stranger), 404,
                 "NOT_FOUND")


async def test_two_listeners_mixes_do_not_cancel_each_others_render(
        impatient_app: FastAPI, client: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession]) -> None:
    """Two people in one project, each with their own mute, both wait for a render: the
    newer request must not cancel the other listener's job (only that listener's own)."""
    project, owner = await project_with_song(client)
    ids = await track_ids(client, project, owner)
    transport = httpx.ASGITransport(app=impatient_app, raise_app_exceptions=False)
    preview = f"{API}/projects/{project}/preview"
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as impatient:
        for params in ({"mute": ids["Lead"]}, {"solo": ids["Bass"]}, {}):
            assert_error(await impatient.get(preview, params=params, headers=owner), 503,
                         "SERVICE_UNAVAILABLE")
        jobs = await preview_jobs(sessions)
        assert sorted(job.status for job in jobs) == ["queued"] * 3
        # The first listener's score changes: their older render is cancelled, the others
        # keep theirs.
        current = (await client.get(f"{API}/projects/{project}", headers=owner)).json()
        changed = await client.patch(f"{API}/projects/{project}", headers=owner,
                                     json={"tempo": current["tempo"] + 5,
                                           "revision": current["revision"]})
        assert changed.status_code == 200, changed.text
        assert_error(await impatient.get(preview, params={"mute": ids["Lead"]},
                                         headers=owner), 503, "SERVICE_UNAVAILABLE")
    jobs = sorted(await preview_jobs(sessions), key=lambda job: job.created_at)
    assert [job.status for job in jobs] == ["cancelled", "queued", "queued", "queued"]
    assert jobs[0].payload["listener"] == jobs[3].payload["listener"] != ""
    assert jobs[2].payload["listener"] == ""
    # The job carries the mix, and a worker renders exactly the key that was asked for.
    async with background_worker(impatient_app), httpx.AsyncClient(
            transport=transport, base_url=BASE_URL) as impatient:
        for _ in range(20):
            answer = await impatient.get(preview, params={"mute": ids["Lead"]}, headers=owner)
            if answer.status_code == 200:
                break
            assert_error(answer, 503, "SERVICE_UNAVAILABLE")
    assert answer.status_code == 200, answer.text


def test_the_listener_mix_replaces_flags_and_round_trips_through_a_job_payload() -> None:
    score = song()
    flagged = score.model_copy(update={"tracks": [
        t.model_copy(update={"mute": t.id == "bass", "solo": t.id == "kit"})
        for t in score.tracks]})
    mix = listener_mix("lead", None)
    heard = for_listener(flagged, mix)
    assert [(t.id, t.mute, t.solo) for t in heard.tracks] == [
        ("lead", True, False), ("bass", False, False), ("kit", False, True)]
    assert ListenerMix.from_payload(mix.to_payload()) == mix
    assert ListenerMix.from_payload("") == ListenerMix() == listener_mix(None, None)
    assert ListenerMix.from_payload("not json") == ListenerMix()
    assert for_listener(flagged, ListenerMix()) is flagged
    # A worker rendering after a track was deleted ignores its id.
    gone = ListenerMix(mute=frozenset({"lead", "deleted"}))
    assert [t.mute for t in for_listener(score, gone, strict=False).tracks] == [
        True, False, False]
