"""Notation: performance ticks → written rhythm, shared by the MusicXML export and the
engraved pages (and so the API and the web).

Pure (no web, database or queue imports). `quantise.notate` turns a score's timing into
written rhythm (swing, humanisation, triplets); `split` writes one voice of one measure as
note values the meter explains, adding up exactly; `beams` joins them by beat; `keyboard`
puts keyboards on a grand staff; `drums` places GM drum keys on a percussion staff.
"""

from ariaforge.music.notation.beams import beam_marks
from ariaforge.music.notation.drums import DrumSpot, drum_spot
from ariaforge.music.notation.keyboard import (
    KEYBOARD_PROGRAMS,
    grand_staff,
    is_keyboard,
    split_hands,
)
from ariaforge.music.notation.meter import MetricGrid, metric_grid
from ariaforge.music.notation.quantise import Feel, Notation, TrackRhythm, notate
from ariaforge.music.notation.split import Piece, Span, split_voice
from ariaforge.music.notation.values import NoteValue, note_values

__all__ = [
    "KEYBOARD_PROGRAMS",
    "DrumSpot",
    "Feel",
    "MetricGrid",
    "Notation",
    "NoteValue",
    "Piece",
    "Span",
    "TrackRhythm",
    "beam_marks",
    "drum_spot",
    "grand_staff",
    "is_keyboard",
    "metric_grid",
    "notate",
    "note_values",
    "split_hands",
    "split_voice",
]
