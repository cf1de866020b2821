"""GET /projects/{id}/notation.svg: real Verovio engraving of the project's score."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from defusedxml import ElementTree

from ariaforge.music import engraving
from ariaforge.music.score import Note, Role, Score, Track
from ariaforge.scores import notation
from tests.conftest import assert_error, new_user
from tests.scores.test_score_files_api import little_piece, new_project

API = "/api/v1/projects"
SVG_NS = "{http://www.w3.org/2000/svg}"


def note_count(svg: bytes) -> int:
    return svg.count(b'class="note"')


def long_piece(bars: int = 64) -> Score:
    """Eighth notes for `bars` bars of 4/4 over a bass line: several A4 pages."""
    melody = [Note(pitch=60 + (i * 5) % 19, start=i * 240, duration=240)
              for i in range(bars * 8)]
    bass = [Note(pitch=36 + i % 12, start=i * 1920, duration=1920) for i in range(bars)]
    drums = [Note(pitch=36 + 2 * (i % 2), start=i * 480, duration=240) for i in range(bars * 4)]
    return Score(bars=bars, tracks=[
        Track(id="m", name="Melody", role=Role.MELODY, notes=melody),
        Track(id="b", name="Bass", role=Role.BASS, program=33, notes=bass),
        Track(id="d", name="Kit", role=Role.DRUMS, is_drum=True, notes=drums)])


async def put_score(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                    score: Score, revision: int = 1) -> None:
    response = await client.put(f"{API}/{project}/score", headers=headers, json={
        "score": score.model_dump(mode="json"), "revision": revision})
    assert response.status_code == 200, response.text


async def engrave(client: httpx.AsyncClient, project: str, headers: dict[str, str],
                  **params: Any) -> httpx.Response:
    return await client.get(f"{API}/{project}/notation.svg", headers=headers, params=params)


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> engraving.PageCache:
    cache = engraving.PageCache()
    monkeypatch.setattr(notation, "cache", cache)
    return cache


async def test_whole_score_is_valid_svg_with_every_note(
        client: httpx.AsyncClient, fresh_cache: engraving.PageCache) -> None:
    project, owner = await new_project(client)
    await put_score(client, project, owner, little_piece())
    response = await engrave(client, project, owner)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["x-page-count"] == "1"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SVG_NS}svg"
    assert note_count(response.content) == 10  # 8 flute + 2 cello notes


async def test_one_track(client: httpx.AsyncClient, fresh_cache: engraving.PageCache) -> None:
    project, owner = await new_project(client)
    await put_score(client, project, owner, little_piece())
    flute = await engrave(client, project, owner, track="m")
    cello = await engrave(client, project, owner, track="b")
    assert flute.status_code == cello.status_code == 200
    assert note_count(flute.content) == 8
    assert note_count(cello.content) == 2
    assert_error(await engrave(client, project, owner, track="nope"), 404, "NOT_FOUND")
    assert_error(await engrave(client, project, owner, track="<bad id>"), 422,
                 "VALIDATION_ERROR")


async def test_pages(client: httpx.AsyncClient, fresh_cache: engraving.PageCache) -> None:
    project, owner = await new_project(client)
    score = long_piece()
    await put_score(client, project, owner, score)
    first = await engrave(client, project, owner)
    assert first.status_code == 200, first.text
    pages = int(first.headers["x-page-count"])
    assert pages >= 2
    bodies = [first.content] + [
        (await engrave(client, project, owner, page=number)).content
        for number in range(2, pages + 1)]
    assert len(set(bodies)) == pages
    # Pages are runs of bars, numbered as in the whole piece.
    per_page = engraving.bars_per_page(len(score.tracks))
    assert pages == -(-score.bars // per_page)
    assert f">{per_page + 1}</tspan>".encode() in bodies[1]
    assert sum(note_count(body) for body in bodies) == sum(len(t.notes) for t in score.tracks)
    missing = assert_error(await engrave(client, project, owner, page=pages + 1), 404,
                           "NOT_FOUND")
    assert missing["details"] == {"page_count": pages}
    assert_error(await engrave(client, project, owner, page=0), 422, "VALIDATION_ERROR")
    assert_error(await engrave(client, project, owner, page="x"), 422, "VALIDATION_ERROR")


async def test_empty_score_is_refused_not_an_error(
        client: httpx.AsyncClient, fresh_cache: engraving.PageCache) -> None:
    project, owner = await new_project(client)  # a new project's score has no tracks
    error = assert_error(await engrave(client, project, owner), 422, "VALIDATION_ERROR")
    assert error["details"][0]["type"] == "empty_score"
    # A track without notes is music (bars of rest) and is engraved.
    await put_score(client, project, owner, Score(bars=4, tracks=[Track(id="t", name="Oboe")]))
    silent = await engrave(client, project, owner)
    assert silent.status_code == 200 and note_count(silent.content) == 0


async def test_roles(client: httpx.AsyncClient, fresh_cache: engraving.PageCache) -> None:
    project, owner = await new_project(client)
    await put_score(client, project, owner, little_piece())
    viewer_email, viewer = await new_user(client, "viewer")
    _, stranger = await new_user(client, "stranger")
    await client.post(f"{API}/{project}/members", headers=owner,
                      json={"email": viewer_email, "role": "viewer"})
    assert (await engrave(client, project, viewer)).status_code == 200
    assert_error(await engrave(client, project, stranger), 404, "NOT_FOUND")
    assert_error(await engrave(client, project, {}), 401, "AUTHENTICATION_ERROR")
    assert_error(await engrave(client, "not-a-uuid", owner), 422, "VALIDATION_ERROR")


async def test_pages_are_cached_by_content(client: httpx.AsyncClient,
                                           fresh_cache: engraving.PageCache) -> None:
    def engraved() -> int:
        return notation.engravers.calls - before

    before = notation.engravers.calls
    piece = little_piece()
    project, owner = await new_project(client)
    await put_score(client, project, owner, piece)
    first = await engrave(client, project, owner)
    second = await engrave(client, project, owner)
    assert first.content == second.content
    assert engraved() == 1 and len(fresh_cache) == 1
    # Another project with the same score shares the entry; another view makes a new one.
    other, other_owner = await new_project(client)
    await put_score(client, other, other_owner, piece)
    assert (await engrave(client, other, other_owner)).content == first.content
    assert engraved() == 1
    assert (await engrave(client, project, owner, track="m")).status_code == 200
    assert engraved() == 2 and len(fresh_cache) == 2
    # An edit is new content: engraved again, never the stale page.
    flute = piece.tracks[0]
    shorter = flute.model_copy(update={"notes": flute.notes[:5]})
    await put_score(client, project, owner,
                    piece.model_copy(update={"tracks": [shorter, piece.tracks[1]]}), 2)
    edited = await engrave(client, project, owner)
    assert note_count(edited.content) == 7 and engraved() == 3


async def test_verovio_failure_is_a_clean_error(client: httpx.AsyncClient,
                                                fresh_cache: engraving.PageCache,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Verovio only prints about bad input; the endpoint must notice and say so.
    monkeypatch.setattr(notation, "page_musicxml", lambda part, span: b"<not-music/>")
    project, owner = await new_project(client)
    await put_score(client, project, owner, little_piece())
    assert_error(await engrave(client, project, owner), 422, "VALIDATION_ERROR")

