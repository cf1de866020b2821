"""The score (or one track) engraved as SVG by Verovio, from the MusicXML we write.

Verovio never raises on bad input: it prints to stderr and returns False or an empty
page. So the input is checked here first (a score without tracks, an unknown track, a
page past the end), and Verovio's own answers are checked after, all turned into the one
error shape. Engraving is CPU-bound native code, so it runs in a worker thread, one at a
time (a toolkit is cheap to create but Verovio's shared resources are not documented as
thread-safe), and pages are cached by the hash of the score they came from.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from importlib.resources import files
from typing import Annotated

import verovio
from anyio import to_thread
from fastapi import APIRouter, Query, Response

from ariaforge.api import API_PREFIX
from ariaforge.auth.deps import CurrentUser
from ariaforge.core.db import SessionDep
from ariaforge.core.errors import NotFound, ValidationFailed
from ariaforge.music.interchange import write_musicxml
from ariaforge.music.score import ID_PATTERN, Score
from ariaforge.scores import service

logger = logging.getLogger(__name__)
router = APIRouter(prefix=f"{API_PREFIX}/projects/{{project_id}}", tags=["scores"])

SVG_TYPE = "image/svg+xml"
PAGE_COUNT_HEADER = "X-Page-Count"
# Part of the cache key: changing how pages look must not serve old pages.
OPTIONS: dict[str, object] = {
    "svgViewBox": True,  # scales to its container in the browser
    "adjustPageHeight": True,  # no blank space under a short last page
    "footer": "none",
    "xmlIdSeed": 1,  # element ids derive from the input, so equal scores give equal SVG
}
_OPTIONS_KEY = json.dumps(OPTIONS, sort_keys=True).encode()
CACHE_BYTES = 32 * 1024 * 1024  # an A4 page of dense music is about 300 kB

# Verovio's stderr lines are not JSON and name nothing we can act on; failures are
# detected from its return values and logged by us instead.
verovio.enableLog(verovio.LOG_OFF)
# The package sets its data folder (fonts) as a *thread-local* default at import, so a
# toolkit made in a worker thread cannot find it and fails every load, silently.
RESOURCE_PATH = str(files("verovio") / "data")


class NotationError(ValidationFailed):
    """Verovio could not engrave the score (our MusicXML should never cause it)."""


class PageNotFound(NotFound):
    pass


@dataclass(frozen=True)
class Page:
    svg: bytes
    page_count: int


class PageCache:
    """A least-recently-used map of (score hash, page) to Page, bounded in bytes."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple[str, int], Page] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int]) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, int], page: Page) -> None:
        if len(page.svg) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._size -= len(old.svg) if old else 0
            self._pages[key] = page
            self._size += len(page.svg)
            while self._size > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped.svg)

    def __len__(self) -> int:
        return len(self._pages)


_ENGRAVING = threading.Lock()
cache = PageCache()


def engrave(musicxml: bytes, page: int) -> Page:
    """One page of `musicxml` as SVG, and how many pages there are. Blocking."""
    with _ENGRAVING:
        toolkit = verovio.toolkit()
        toolkit.setResourcePath(RESOURCE_PATH)
        toolkit.setOptions(OPTIONS)
        loaded = toolkit.loadData(musicxml.decode())
        count = int(toolkit.getPageCount()) if loaded else 0
        if count < 1:
            logger.warning("verovio could not load the score (%d bytes of MusicXML)",
                           len(musicxml))
            raise NotationError("the score could not be engraved")
        if page > count:
            raise PageNotFound(f"the score has {count} page(s)", {"page_count": count})
        svg = str(toolkit.renderToSVG(page))
    if not svg.lstrip().startswith("<svg"):
        logger.warning("verovio rendered no SVG for page %d", page)
        raise NotationError("the score could not be engraved")
    return Page(svg.encode(), count)


def render_page(score: Score, page: int) -> Page:
    """`engrave`, cached by the score's content. Blocking.

    Keyed by the score's JSON rather than its MusicXML: a cache hit then skips writing
    MusicXML too (about 30 ms for a 32-bar, three-track piece).
    """
    digest = hashlib.sha256(
        _OPTIONS_KEY + b"\0" + score.model_dump_json().encode()).hexdigest()
    cached = cache.get((digest, page))
    if cached is not None:
        return cached
    result = engrave(write_musicxml(score), page)
    cache.put((digest, page), result)
    return result


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


@router.get("/notation.svg", response_class=Response, responses={
    200: {"content": {SVG_TYPE: {}},
          "headers": {PAGE_COUNT_HEADER: {"description": "pages in the engraving",
                                          "schema": {"type": "integer"}}}},
    404: {"description": "no such project, track or page"},
    422: {"description": "the score has no tracks"},
})
async def notation_svg(
    project_id: uuid.UUID, user: CurrentUser, session: SessionDep,
    track: Annotated[str | None, Query(pattern=ID_PATTERN,
                                       description="engrave only this track")] = None,
    page: Annotated[int, Query(ge=1, le=10_000, description="1-based page")] = 1,
) -> Response:
    """The score, or one track, engraved as an SVG page (readers and viewers too)."""
    loaded = await service.get_score(session, user, project_id)
    score = score_to_engrave(loaded.score, track)
    result = await to_thread.run_sync(render_page, score, page)
    return Response(result.svg, media_type=SVG_TYPE,
                    headers={PAGE_COUNT_HEADER: str(result.page_count)})
