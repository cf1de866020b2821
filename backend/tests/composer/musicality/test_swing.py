"""Swing is felt by the whole band: in every swung brief in 4/4 the melody's off-beat
eighths sit where the comping's do (within 0.03 of a beat)."""

from __future__ import annotations

from tests.composer.musicality import checks
from tests.composer.musicality.briefset import Composed


def swung(briefset: list[Composed]) -> list[Composed]:
    return [p for p in briefset if p.result.brief.swing
            and p.result.score.meter.denominator == 4]


def test_the_swung_briefs_swing_their_comping(briefset: list[Composed]) -> None:
    pieces = swung(briefset)
    assert {p.style for p in pieces} >= {"jazz", "swing", "blues"}
    straight = [f"{p.name}: comping at {checks.comping_swing(p.result.score)}"
                for p in pieces if (checks.comping_swing(p.result.score) or 0.5) < 0.55]
    assert not straight, "\n".join(straight)


def test_the_melody_swings_at_the_comping_ratio(briefset: list[Composed]) -> None:
    lines = []
    for piece in swung(briefset):
        score = piece.result.score
        ratio = checks.comping_swing(score)
        if ratio is None:
            lines.append(f"{piece.name}: no swung off-beat in the comping or the drums")
            continue
        line = checks.melody_line(score)
        if not checks.offbeat_eighths(n.start for n in line):
            lines.append(f"{piece.name}: the melody has no off-beat eighths")
            continue
        off = checks.melody_off_the_swing(score, ratio)
        if off:
            lines.append(f"{piece.name}: comping at {ratio:.2f}; {len(off)} melody "
                         f"off-beats elsewhere, e.g. " + "; ".join(off[:3]))
    assert not lines, "\n".join(lines)
