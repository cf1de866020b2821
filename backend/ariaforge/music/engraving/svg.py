"""MusicXML engraved as one SVG page by Verovio.

`engrave_svg` is the only function that calls Verovio, and Verovio is imported inside it:
it is meant to run in a worker process (see `ariaforge.core.isolation`), since Verovio's
C++ cannot be interrupted, and the API process never loads it. Verovio's package sets its
font folder only for the thread that imported it, so the folder is set on every toolkit.
Verovio never raises on bad input; it prints to stderr and returns False or an empty
page, so its return values are checked instead.
"""

from __future__ import annotations

import json
from importlib.resources import files

from ariaforge.music.engraving.pages import STAFF_BARS_PER_PAGE

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
