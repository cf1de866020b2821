"""Engraved pages kept by the content they show, least recently used first out.

The key is a hash of the page's own score (bars cut by `pages.slice_bars`), where it
starts in the piece and the engraving options, plus the page count (which the page
shows), so an edit re-engraves only the pages it touched, another project with the same
music shares the entry, and a stale page is never served.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from ariaforge.music.engraving.pages import PageSpan
from ariaforge.music.engraving.svg import OPTIONS_KEY
from ariaforge.music.score import Score

CACHE_BYTES = 32 * 1024 * 1024  # an A4 page of dense music is about 300 kB
PageKey = tuple[str, int]


@dataclass(frozen=True)
class Page:
    svg: bytes
    page_count: int


def page_key(span: PageSpan, part: Score) -> PageKey:
    """The key of the page `span` whose bars are `part`.

    Keyed by the page's JSON rather than its MusicXML: a cache hit then skips writing
    MusicXML too.
    """
    digest = hashlib.sha256(b"%s\0%d\0%s" % (
        OPTIONS_KEY, span.first, part.model_dump_json().encode())).hexdigest()
    return digest, span.count


class PageCache:
    """A least-recently-used map of page key to Page, bounded in bytes. Thread-safe."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[PageKey, Page] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: PageKey) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: PageKey, page: Page) -> None:
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
