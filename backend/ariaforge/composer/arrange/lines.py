"""A second melodic instrument's line (the "other" role): in styles where two voices sing
or play the tune together (country, folk, pop, carols) a harmony line a third or sixth
under the melody, note for note (`harmony_line`); elsewhere a countermelody that moves
where the melody holds and holds where it moves, in contrary motion, on chord tones,
mostly in thirds and sixths with the tune (`countermelody`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ariaforge.composer.arrange.countermelody import Tune, countermelody
from ariaforge.composer.arrange.harmony_line import harmony_line
from ariaforge.composer.arrange.timing import Harmony, fit
from ariaforge.composer.plan import Plan
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Note

__all__ = ["HARMONY_LINE_STYLES", "arrange_counterline"]

# Styles whose second voice doubles the tune in thirds and sixths rather than answering it.
HARMONY_LINE_STYLES: Final = frozenset({Style.COUNTRY, Style.FOLK, Style.POP, Style.CAROL})


def arrange_counterline(plan: Plan, harmony: Harmony, melody: Sequence[Note],
                        register: tuple[int, int]) -> list[Note]:
    """The line, inside `register` (inclusive MIDI range) and under the melody."""
    tune = Tune(melody)
    if plan.style in HARMONY_LINE_STYLES:
        notes = harmony_line(plan, harmony, tune, register)
    else:
        notes = countermelody(plan, harmony, tune, register)
    return fit(notes, plan.total_ticks)
