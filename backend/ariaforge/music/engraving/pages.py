"""Score → engraved SVG pages (Verovio), one page of bars at a time.

A page is ours, not Verovio's: a run of bars (fewer when there are more staves), so the
page count is known without engraving anything, a page past the end is refused at once,
and engraving a page costs what the page holds rather than the whole piece (page 1 of a
10,000-bar score took 50 s when Verovio laid out every bar to find it). Each page is
engraved as a single tall Verovio page.

`engrave_svg` is the only function that calls Verovio. It is meant to run in a worker
process (see `ariaforge.core.isolation`): Verovio's C++ cannot be interrupted, and its
package sets its font folder only for the thread that imported it, so the folder is set
on every toolkit. Verovio never raises on bad input; it prints to stderr and returns
False or an empty page, so its return values are checked instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files

from ariaforge.music.score import ChordSymbol, MeterChange, Note, Score, TempoChange

# Staff-bars on one page: 32 bars of a single staff, 13 of a three-track score, one bar
# of a 40-staff score. Part of the cache key (through `OPTIONS`).
STAFF_BARS_PER_PAGE = 40
MAX_BARS_PER_PAGE = 32
OPTIONS: dict[str, object] = {
    "svgViewBox": True,  # scales to its container in the browser
    "pageHeight": 60_000,  # Verovio's largest: a page of bars stays one Verovio page
    "adjustPageHeight": True,  # ... cut to its content
    "footer": "none",
    "xmlIdSeed": 1,  # element ids derive from the input, so equal scores give equal SVG
    "staffBarsPerPage": STAFF_BARS_PER_PAGE,  # ignored by Verovio; keys the cache
}
OPTIONS_KEY = json.dumps(OPTIONS, sort_keys=True).encode()
_VEROVIO_OPTIONS = {k: v for k, v in OPTIONS.items() if k != "staffBarsPerPage"}


class EngravingFailed(ValueError):
    """Verovio could not engrave the MusicXML (ours should never cause it)."""


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Bars `first`..`last` (1-based, inclusive) of `page` out of `count`."""

    page: int
    count: int
    first: int
    last: int


def bars_per_page(staves: int) -> int:
    return max(1, min(MAX_BARS_PER_PAGE, STAFF_BARS_PER_PAGE // max(staves, 1)))


def written_bars(score: Score) -> int:
    """The bars the notation shows: the score's, plus any a ringing note runs into."""
    last_end = max((note.end for _, note in score.all_notes()), default=0)
    return max(score.bars, score.bar_of(last_end - 1) if last_end else 1)


def page_count(score: Score) -> int:
    per_page = bars_per_page(len(score.tracks))
    return -(-written_bars(score) // per_page)


def page_span(score: Score, page: int) -> PageSpan | None:
    """The bars on `page` (1-based), or None past the last page."""
    count = page_count(score)
    if not 1 <= page <= count:
        return None
    per_page = bars_per_page(len(score.tracks))
    first = (page - 1) * per_page + 1
    return PageSpan(page, count, first, min(first + per_page - 1, written_bars(score)))


def slice_bars(score: Score, first: int, last: int) -> Score:
    """Bars `first`..`last` as a score of their own, starting at tick 0.

    Notes sounding across the edges are cut to the page (the page shows what sounds
    there); meter, tempo and key in force at `first` carry over.
    """
    start, end = score.bar_start(first), score.bar_start(last + 1)
    tracks = [track.model_copy(update={"notes": _notes_between(track.notes, start, end)})
              for track in score.tracks]
    return Score.model_validate({
        "tempo": score.tempo_at(start),
        "tempo_changes": [TempoChange(tick=c.tick - start, bpm=c.bpm)
                          for c in score.tempo_changes if start < c.tick < end],
        "key": score.key,
        "meter": score.meter_at_bar(first),
        "meter_changes": [MeterChange(bar=c.bar - first + 1, meter=c.meter)
                          for c in score.meter_changes if first < c.bar <= last],
        "bars": last - first + 1,
        "chord_symbols": [ChordSymbol(tick=c.tick - start, symbol=c.symbol)
                          for c in score.chord_symbols if start <= c.tick < end],
        "tracks": tracks,
    })


def _notes_between(notes: list[Note], start: int, end: int) -> list[Note]:
    kept = []
    for note in notes:
        if note.start < end and note.end > start:
            begin, finish = max(note.start, start), min(note.end, end)
            kept.append(note.model_copy(update={"start": begin - start,
                                                "duration": finish - begin}))
    return kept


def engrave_svg(musicxml: bytes) -> bytes:
    """The MusicXML engraved as one SVG page. Blocking, native: run it in a worker."""
    import verovio

    verovio.enableLog(verovio.LOG_OFF)
    toolkit = verovio.toolkit()
    toolkit.setResourcePath(str(files("verovio") / "data"))
    toolkit.setOptions(_VEROVIO_OPTIONS)
    if not toolkit.loadData(musicxml.decode()) or int(toolkit.getPageCount()) < 1:
        raise EngravingFailed(f"verovio could not load the score ({len(musicxml)} bytes)")
    svg = str(toolkit.renderToSVG(1))
    if not svg.lstrip().startswith("<svg"):
        raise EngravingFailed("verovio rendered no SVG")
    return svg.encode()
