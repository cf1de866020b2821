"""A bar of a score as a player reads it (`Bar`): where each drum is struck and where each
part (tune, bass, comping, pads, counter-lines) strikes, in ticks from the bar's start,
with the bar's felt beat. The per-bar checks (kit_checks.py, part_checks.py) read one
bar; a style trait is the share of the groove bars that pass a check (traits.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ariaforge.music.score import Role, Score
from arrangement.grid import TOLERANCE, felt_beat, near

ACCOMPANIMENT = (Role.BASS, Role.CHORDS, Role.PAD, Role.OTHER)


@dataclass
class Bar:
    number: int  # 1-based
    size: int  # ticks in the bar
    beat: int  # ticks of the felt beat (a dotted quarter in 6/8)
    drums: dict[int, dict[int, int]] = field(default_factory=dict)  # key: {tick: velocity}
    parts: dict[Role, dict[int, list[int]]] = field(  # role: {tick: pitches struck}
        default_factory=dict)

    @property
    def beats(self) -> int:
        return self.size // self.beat

    def beat_at(self, *numbers: int) -> list[int]:
        """Ticks of the given beats, counted from 1 as a musician counts."""
        return [(number - 1) * self.beat for number in numbers]

    @property
    def every_beat(self) -> list[int]:
        return self.beat_at(*range(1, self.beats + 1))

    @property
    def strong(self) -> list[int]:
        """The strong beats: 1 and 3 in a bar of four, else the downbeat."""
        return self.beat_at(1, 3) if self.beats == 4 else self.beat_at(1)

    @property
    def weak(self) -> list[int]:
        return [tick for tick in self.every_beat if tick not in self.strong]

    def hits(self, *keys: int) -> list[int]:
        """Ticks where any of the drum keys is struck."""
        return sorted({tick for key in keys for tick in self.drums.get(key, {})})

    def loudest(self, key: int, tick: int) -> int:
        """The loudest stroke of a drum at a tick (0: none)."""
        strokes = self.drums.get(key, {})
        return max((v for at, v in strokes.items() if near(at, tick)), default=0)

    def onsets(self, *roles: Role) -> dict[int, list[int]]:
        """Where the parts of these roles strike together: {tick: pitches}."""
        merged: dict[int, list[int]] = {}
        for role in roles:
            for tick, pitches in self.parts.get(role, {}).items():
                merged.setdefault(tick, []).extend(pitches)
        return dict(sorted(merged.items()))

    @property
    def comping(self) -> dict[int, list[int]]:
        """The chord parts' strokes (pads, which hold rather than strike, are left out)."""
        return self.onsets(Role.CHORDS)

    @property
    def accompaniment(self) -> dict[int, list[int]]:
        """Every part but the tune and the drums: bass, comping, pads, counter-lines."""
        return self.onsets(*ACCOMPANIMENT)


def on(onsets: Iterable[int], *targets: int) -> bool:
    """Every target tick is struck (within a humanised player's tolerance)."""
    ticks = list(onsets)
    return all(any(near(tick, target) for tick in ticks) for target in targets)


def on_any(onsets: Iterable[int], *targets: int) -> bool:
    ticks = list(onsets)
    return any(near(tick, target) for tick in ticks for target in targets)


def struck_at(onsets: dict[int, list[int]], target: int) -> list[int]:
    """The pitches struck at a tick (within tolerance)."""
    return [p for tick, pitches in onsets.items() if abs(tick - target) <= TOLERANCE
            for p in pitches]


def score_bars(score: Score) -> list[Bar]:
    """Every bar of the piece, read off its notes (meter changes followed)."""
    bars = {number: Bar(number, score.meter_at_bar(number).ticks_per_bar,
                        felt_beat(score.meter_at_bar(number)))
            for number in range(1, score.bars + 1)}
    struck: dict[tuple[int, Role], list[tuple[int, int]]] = {}
    for track in score.tracks:
        for note in track.notes:
            found = bars.get(score.bar_of(note.start))
            if found is None:
                continue
            tick = note.start - score.bar_start(found.number)
            if track.is_drum:
                strokes = found.drums.setdefault(note.pitch, {})
                strokes[tick] = max(strokes.get(tick, 0), note.velocity)
            else:
                struck.setdefault((found.number, track.role), []).append((tick, note.pitch))
    for (number, role), notes in struck.items():
        bars[number].parts[role] = _strokes(notes)
    return list(bars.values())


def _strokes(notes: list[tuple[int, int]]) -> dict[int, list[int]]:
    """(tick, pitch) grouped by stroke: a rolled or strummed chord, each tone starting
    within the tolerance of the one before, is one stroke at its first tone's tick."""
    strokes: dict[int, list[int]] = {}
    start = last = -TOLERANCE - 1
    for tick, pitch in sorted(notes):
        if tick - last > TOLERANCE:
            start = tick
        strokes.setdefault(start, []).append(pitch)
        last = tick
    return strokes


def groove_bars(score: Score) -> list[Bar]:
    """The bars that play the groove: not a section's first (the crash, a pickup) nor its
    last (the fill), nor the final bar."""
    skip = {score.bars}
    for section in score.sections:
        skip |= {section.start_bar, section.end_bar - 1}
    return [bar for bar in score_bars(score) if bar.number not in skip]


BarCheck = Callable[[Bar], bool | None]


def share(bars: Sequence[Bar], check: BarCheck) -> float | None:
    """The share of the bars that pass the check, among those it can judge (a drum check
    passes over the bars where the drummer rests); None when it judges none."""
    verdicts = [verdict for bar in bars if (verdict := check(bar)) is not None]
    return sum(verdicts) / len(verdicts) if verdicts else None


def either(*checks: BarCheck) -> BarCheck:
    """A bar that plays any one of the checks' figures (a style with two grooves)."""

    def check(bar: Bar) -> bool | None:
        verdicts = [verdict for one in checks if (verdict := one(bar)) is not None]
        return any(verdicts) if verdicts else None

    check.__name__ = "_or_".join(one.__name__ for one in checks)
    check.__doc__ = " Or: ".join((one.__doc__ or one.__name__).strip() for one in checks)
    return check


def judged_if(present: Callable[[Bar], object]) -> Callable[[BarCheck], BarCheck]:
    """A check judges only the bars where `present` finds something (the kit, the bass,
    the comping); elsewhere it says None."""

    def wrap(check: BarCheck) -> BarCheck:
        @functools.wraps(check)
        def judged(bar: Bar) -> bool | None:
            return check(bar) if present(bar) else None

        return judged

    return wrap
