"""How a track's name says which part of one instrument it plays, when one named instrument
plays two parts: a keyboard's two hands ("Piano (right hand)", "Piano (left hand)"), or a
guitar's lead and rhythm parts. The name survives a round trip through the Score, so
operations on a saved piece arrange each part as it was arranged the first time."""

from __future__ import annotations

from typing import Final

__all__ = ["LEAD", "LEFT_HAND", "RHYTHM", "RIGHT_HAND", "part_name", "part_of"]

RIGHT_HAND: Final = "right hand"
LEFT_HAND: Final = "left hand"
LEAD: Final = "lead"
RHYTHM: Final = "rhythm"
_PARTS: Final = (RIGHT_HAND, LEFT_HAND, LEAD, RHYTHM)


def part_name(instrument: str, part: str) -> str:
    """The track name of one part of an instrument: "Piano (left hand)"."""
    return f"{instrument} ({part})"


def part_of(track_name: str) -> str | None:
    """Which part a track name says it plays, or None for a whole instrument."""
    for part in _PARTS:
        if track_name.lower().endswith(f"({part})"):
            return part
    return None
