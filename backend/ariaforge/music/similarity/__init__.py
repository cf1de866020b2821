"""What "similar" means in AriaForge, as a pure library (numpy and music/ only).

Two windows are similar when the same melodic motion (successive pitch intervals) happens
with the same rhythm shape (ratios of successive inter-onset intervals) in the same order.
`embed_melody` turns a window into a 128-dimensional vector for nearest-neighbour
candidates; `align` scores a candidate: the share of the query found in it, 0..1.
See docs/similarity.md and docs/adr/0035-what-similar-means.md.
"""

from ariaforge.music.similarity.align import Alignment, align, align_harmony
from ariaforge.music.similarity.embedding import DIMENSIONS, NoteTuple, embed_melody
from ariaforge.music.similarity.recommend import BarRange, recommend
from ariaforge.music.similarity.windows import (
    WINDOW_BARS,
    Window,
    chord_windows,
    hop_of,
    line_windows,
    phrase_window,
    phrase_windows,
    score_windows,
)

__all__ = [
    "DIMENSIONS",
    "WINDOW_BARS",
    "Alignment",
    "BarRange",
    "NoteTuple",
    "Window",
    "align",
    "align_harmony",
    "chord_windows",
    "embed_melody",
    "hop_of",
    "line_windows",
    "phrase_window",
    "phrase_windows",
    "recommend",
    "score_windows",
]
