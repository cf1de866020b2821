"""Scores engraved as SVG notation, a page of bars at a time, and a cache of the pages.

A pure library like the rest of `music`: `pages` cuts a score into pages and writes each
as MusicXML, `svg` engraves one with Verovio (imported only when it runs, in a worker
process), `cache` keeps engraved pages by their content. Running the engraving under a
time limit is the caller's business (`ariaforge.core.isolation`).
"""

from ariaforge.music.engraving.cache import CACHE_BYTES, Page, PageCache, PageKey, page_key
from ariaforge.music.engraving.pages import (
    MAX_BARS_PER_PAGE,
    STAFF_BARS_PER_PAGE,
    PageSpan,
    bars_per_page,
    page_count,
    page_musicxml,
    page_span,
    slice_bars,
    written_bars,
)
from ariaforge.music.engraving.svg import OPTIONS, OPTIONS_KEY, EngravingFailed, engrave_svg

__all__ = [
    "CACHE_BYTES",
    "MAX_BARS_PER_PAGE",
    "OPTIONS",
    "OPTIONS_KEY",
    "STAFF_BARS_PER_PAGE",
    "EngravingFailed",
    "Page",
    "PageCache",
    "PageKey",
    "PageSpan",
    "bars_per_page",
    "engrave_svg",
    "page_count",
    "page_key",
    "page_musicxml",
    "page_span",
    "slice_bars",
    "written_bars",
]
