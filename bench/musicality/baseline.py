"""The random in-scale peer: what chance gives on the same frame as an AriaForge piece."""

from __future__ import annotations

import random

from musicality.piece import Piece, melody_line


def random_piece(frame: Piece, scale: tuple[int, ...], rng: random.Random) -> Piece:
    """Same metre, tonic, length, harmony (chord symbols) and comping onsets as `frame`.
    Melody: pitches drawn uniformly from the scale within the frame melody's range (at
    least an octave), durations drawn from eighth, quarter and dotted quarter / half, cut
    at bar lines. Comping: at each onset as many distinct scale pitches as the frame's
    chord, drawn uniformly within its range. `scale`: pitch classes above the tonic."""
    pcs = {(frame.tonic + s) % 12 for s in scale}
    low = min((n.pitch for n in frame.melody), default=60)
    high = max(max((n.pitch for n in frame.melody), default=72), low + 12)
    pool = [p for p in range(low, high + 1) if p % 12 in pcs]
    lengths = (240, 480, 720) if frame.compound else (240, 480, 960)
    end = (frame.melody[-1].start // frame.bar + 1) * frame.bar if frame.melody else frame.bar
    notes, tick = [], 0
    while tick < end:
        bar_end = (tick // frame.bar + 1) * frame.bar
        notes.append((rng.choice(pool), tick))
        tick = min(bar_end, tick + rng.choice(lengths))
    comping = []
    for tick, chord in frame.comping:
        if not chord:
            continue
        choices = [p for p in range(chord[0], max(chord[-1], chord[0] + 12) + 1) if p % 12 in pcs]
        comping.append((tick, tuple(sorted(rng.sample(choices, min(len(chord), len(choices)))))))
    return Piece(source="random", style=frame.style, numerator=frame.numerator,
                 denominator=frame.denominator, tonic=frame.tonic,
                 melody=melody_line(notes, frame.bar), harmony=frame.harmony,
                 comping=tuple(comping), group=frame.group)
