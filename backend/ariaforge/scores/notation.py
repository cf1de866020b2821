"""GET notation.svg: the score (or one track) engraved as SVG, a page of bars at a time.

This module checks the request (a score without tracks, an unknown track, a page past the
end: answered at once, nothing engraved) and runs the engraving (`ariaforge.music.engraving`)
in a worker process of a `WorkPool` with a time limit (ENGRAVE_TIMEOUT_S, 20 s by
default): a page that takes longer is stopped (422), the API keeps answering meanwhile,
and a shutdown kills the engraving instead of waiting for it. Engraved pages are cached by
their own content, so an edit re-engraves only the pages it touched.
"""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Query, Response

from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.errors import AppError, ErrorCode, NotFound, ValidationFailed
from ariaforge.core.isolation import (
    WorkCrashed,
    WorkFailed,
    WorkPool,
    WorkTimedOut,
    WorkUnavailable,
    seconds_from_env,
)
from ariaforge.core.routing import API_PREFIX
from ariaforge.music.engraving import (
    EngravingFailed,
    Page,
    PageCache,
    PageSpan,
    engrave_svg,
    page_count,
    page_key,
    page_musicxml,
    page_span,
    slice_bars,
)
from ariaforge.music.score import ID_PATTERN, Score
from ariaforge.scores import service

logger = logging.getLogger(__name__)
routes = APIRouter(prefix=f"{API_PREFIX}/projects/{{project_id}}", tags=["scores"])

SVG_TYPE = "image/svg+xml"
PAGE_COUNT_HEADER = "X-Page-Count"
# The bars a page shows, so that a viewer following the playhead knows which page holds it.
FIRST_BAR_HEADER = "X-Page-First-Bar"
LAST_BAR_HEADER = "X-Page-Last-Bar"
PAGE_HEADERS = (PAGE_COUNT_HEADER, FIRST_BAR_HEADER, LAST_BAR_HEADER)
DEFAULT_ENGRAVE_LIMIT_S = 20.0
# Workers import Verovio (and our score model) once; a cold start costs about 0.3 s.
engravers = WorkPool("engraving", preload=("ariaforge.music.engraving.svg",))


class NotationError(ValidationFailed):
    """Verovio could not engrave the score, or not within its time limit."""


class PageNotFound(NotFound):
    pass


class ServerBusy(AppError):
    """No worker process could take the work now (all busy, or shutting down)."""

    status_code = 503
    code = ErrorCode.SERVICE_UNAVAILABLE

    def __init__(self, message: str, retry_after: int = WorkUnavailable.retry_after) -> None:
        super().__init__(message, {"retry_after": retry_after},
                         headers={"Retry-After": str(retry_after)})


cache = PageCache()


def engrave_limit_s() -> float:
    return seconds_from_env("ENGRAVE_TIMEOUT_S", DEFAULT_ENGRAVE_LIMIT_S)


def page_of(score: Score, page: int) -> tuple[PageSpan, Score]:
    """The bars on `page` as a score of their own; PageNotFound past the end."""
    span = page_span(score, page)
    if span is None:
        count = page_count(score)
        raise PageNotFound(f"the score has {count} page(s)", {"page_count": count})
    try:
        return span, slice_bars(score, span.first, span.last)
    except ValueError as error:  # pydantic's ValidationError, ScoreBoundsError
        logger.warning("page %d could not be cut from the score: %s", page, error)
        raise NotationError("this page of the score could not be prepared for engraving",
                            [{"loc": ["query", "page"], "msg": "invalid page content",
                              "type": "invalid_score"}]) from None


async def render_page(score: Score, page: int) -> Page:
    """One page as SVG, from the cache or engraved in a worker under the time limit."""
    return (await _render_span(score, page))[0]


async def _render_span(score: Score, page: int) -> tuple[Page, PageSpan]:
    span, part = await to_thread.run_sync(page_of, score, page)
    key = page_key(span, part)
    cached = cache.get(key)
    if cached is not None:
        return cached, span
    musicxml = await to_thread.run_sync(page_musicxml, part, span)
    result = Page(await _engrave(musicxml), span.count)
    cache.put(key, result)
    return result, span


async def _engrave(musicxml: bytes) -> bytes:
    limit = engrave_limit_s()
    try:
        return await engravers.run(limit, engrave_svg, musicxml)
    except WorkTimedOut:
        raise NotationError(
            f"this page could not be engraved within {limit:g} s; engrave one track at a "
            "time or shorten the score", [{"loc": ["query", "page"], "msg": "too slow to engrave",
                                          "type": "engraving_timeout"}]) from None
    except (EngravingFailed, WorkCrashed, WorkFailed) as error:
        logger.warning("engraving failed: %s", error)
        raise NotationError("the score could not be engraved") from None
    except WorkUnavailable as error:
        raise ServerBusy(str(error)) from None


def score_to_engrave(score: Score, track_id: str | None) -> Score:
    """The whole score or one of its tracks; refuses what Verovio would render as nothing."""
    if not score.tracks:
        raise ValidationFailed("the score has no tracks to engrave yet", [
            {"loc": ["score", "tracks"], "msg": "add a track first", "type": "empty_score"}])
    if track_id is None:
        return score
    try:
        track = score.track(track_id)
    except KeyError:
        raise NotFound("no such track in this project") from None
    return score.model_copy(update={"tracks": [track]})


async def notation_response(score: Score, track_id: str | None, page: int) -> Response:
    """The engraved page as the HTTP answer: the one path for members' and shared pages."""
    part = score_to_engrave(score, track_id)
    result, span = await _render_span(part, page)
    return Response(result.svg, media_type=SVG_TYPE, headers={
        PAGE_COUNT_HEADER: str(result.page_count), FIRST_BAR_HEADER: str(span.first),
        LAST_BAR_HEADER: str(span.last)})


def _count_header(description: str) -> dict[str, object]:
    return {"description": description, "schema": {"type": "integer", "minimum": 1}}


SVG_PAGE_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {"content": {SVG_TYPE: {}},
          "headers": {PAGE_COUNT_HEADER: _count_header("pages in the engraving"),
                      FIRST_BAR_HEADER: _count_header("the first bar on this page"),
                      LAST_BAR_HEADER: _count_header("the last bar on this page")}},
    422: {"description": "the score has no tracks, or its page could not be engraved "
                        "within the time limit"},
    503: {"description": "the server is busy or shutting down; try again shortly"},
}
TrackQuery = Annotated[str | None, Query(pattern=ID_PATTERN,
                                         description="engrave only this track")]
PageQuery = Annotated[int, Query(ge=1, le=10_000, description="1-based page")]


@routes.get("/notation.svg", response_class=Response, responses={
    **SVG_PAGE_RESPONSE, 404: {"description": "no such project, track or page"}})
async def notation_svg(project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                       track: TrackQuery = None, page: PageQuery = 1) -> Response:
    """The score, or one track, engraved as an SVG page (readers and viewers too)."""
    loaded = await service.get_score(session, user, project_id)
    return await notation_response(loaded.score, track, page)
