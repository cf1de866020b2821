"""The secondary line: under the melody, on chord tones on the strong beats (between them
a harmony line follows the tune in the scale)."""

from __future__ import annotations

from ariaforge.composer.arrange.timing import beat_grid
from ariaforge.composer.vocabulary import Style
from tests.composer.arrange.material import COUNTER, arrange, make_harmony, make_melody, make_plan


def test_counterline_sits_under_the_melody_on_chord_tones() -> None:
    plan = make_plan(Style.FOLK)
    harmony = make_harmony(plan)
    melody = make_melody(plan, harmony)
    notes = arrange(plan, harmony, COUNTER, melody)
    strong = {b.offset for b in beat_grid(plan.meter) if b.strong}
    for note in notes:
        event = next(e for e in harmony if e.start <= note.start < e.end)
        if note.start % plan.bar_ticks in strong:
            assert note.pitch % 12 in event.chord.tone_pitch_classes
        above = [m.pitch for m in melody if m.start <= note.start < m.end]
        assert not above or note.pitch < min(above)
