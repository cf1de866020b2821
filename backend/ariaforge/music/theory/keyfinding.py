"""Key finding: which major or minor key a passage is in, and where it modulates.

The Krumhansl-Schmuckler method: weight each pitch class by how long it sounds, then
correlate that histogram with a profile of how typical each scale degree is, rotated to
all 24 major and minor tonics; the best correlation names the key. Profiles differ in
where they come from: listener ratings (Krumhansl-Kessler), a textbook corpus (Temperley's
Kostka-Payne) and folk songs (Aarden-Essen, the default, which is also music21's).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from ariaforge.music.score import Key, Mode, Note
from ariaforge.music.theory.scales import conventional_key


@dataclass(frozen=True)
class KeyProfile:
    """Weights of the twelve pitch classes above the tonic, for major and for minor."""

    name: str
    major: tuple[float, ...]
    minor: tuple[float, ...]


# Values as published and as used by Humdrum's keycor and music21.
PROFILES: Final[Mapping[str, KeyProfile]] = MappingProxyType({
    "krumhansl": KeyProfile(
        "krumhansl",
        (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88),
        (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17),
    ),
    "temperley": KeyProfile(
        "temperley",
        (0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400),
        (0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330),
    ),
    "aarden": KeyProfile(
        "aarden",
        (17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587,
         0.291248, 22.062, 0.145624, 8.15494, 0.232998, 4.95122),
        (18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362,
         0.702494, 18.6161, 4.56621, 1.93186, 7.37619, 1.75623),
    ),
})
_PROFILE_ALIASES: Final = {
    "krumhansl-kessler": "krumhansl", "kk": "krumhansl",
    "kostka-payne": "temperley", "temperley-kostka-payne": "temperley",
    "aarden-essen": "aarden", "essen": "aarden",
}
DEFAULT_PROFILE: Final = "aarden"

Histogram = tuple[float, ...]


@dataclass(frozen=True)
class KeyEstimate:
    """The best key, its correlation with the profile (-1..1), and the second best."""

    key: Key
    correlation: float
    runner_up: Key
    runner_up_correlation: float

    @property
    def margin(self) -> float:
        """How far ahead the winner is; small margins mean an ambiguous passage."""
        return self.correlation - self.runner_up_correlation


@dataclass(frozen=True)
class KeyWindow:
    """The key estimated for the ticks [start, end)."""

    start: int
    end: int
    estimate: KeyEstimate


@dataclass(frozen=True)
class KeyRegion:
    """A stretch [start, end) in one key, made of `windows` consecutive windows."""

    start: int
    end: int
    key: Key
    windows: int


def profile_named(name: str) -> KeyProfile:
    """A profile by name or alias: "krumhansl" ("kk"), "temperley" ("kostka-payne"),
    "aarden" ("aarden-essen", "essen")."""
    canonical = _PROFILE_ALIASES.get(name.lower(), name.lower())
    if canonical not in PROFILES:
        raise ValueError(f"unknown key profile {name!r}; use one of {', '.join(PROFILES)}")
    return PROFILES[canonical]


# --- whole passages -----------------------------------------------------------------------

def pitch_class_histogram(notes: Iterable[Note]) -> Histogram:
    """Ticks sounded by each pitch class; a long note says more about the key than a
    passing one."""
    weights = [0.0] * 12
    for note in notes:
        weights[note.pitch % 12] += note.duration
    return tuple(weights)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson's r; 0 when either side is flat (every key then fits equally)."""
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    spread = math.sqrt(sum(d * d for d in dx) * sum(d * d for d in dy))
    return sum(a * b for a, b in zip(dx, dy, strict=True)) / spread if spread else 0.0


def rank_keys(histogram: Histogram, profile: str = DEFAULT_PROFILE) -> list[tuple[Key, float]]:
    """All 24 major and minor keys with their correlations, best first."""
    weights = profile_named(profile)
    scored = []
    for mode_rank, (mode, values) in enumerate(
            ((Mode.MAJOR, weights.major), (Mode.MINOR, weights.minor))):
        for tonic in range(12):
            # Rotate the histogram so that the candidate tonic lines up with degree 1.
            rotated = [histogram[(tonic + i) % 12] for i in range(12)]
            scored.append((correlation(rotated, values), mode_rank, tonic, mode))
    # Ties (only in degenerate input) go to major and to the lower pitch class.
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    return [(conventional_key(tonic, mode), r) for r, _, tonic, mode in scored]


def estimate_key_from_histogram(histogram: Histogram,
                                profile: str = DEFAULT_PROFILE) -> KeyEstimate:
    if len(histogram) != 12:
        raise ValueError("a pitch-class histogram has 12 entries")
    (best, r), (second, r2) = rank_keys(histogram, profile)[:2]
    return KeyEstimate(best, r, second, r2)


def estimate_key(notes: Sequence[Note], *, profile: str = DEFAULT_PROFILE) -> KeyEstimate:
    """The most likely major or minor key of `notes`, spelled as musicians would (Bb, not
    A#; minor keys by their relative major's signature). Raises ValueError on no notes."""
    if not notes:
        raise ValueError("cannot estimate the key of no notes")
    return estimate_key_from_histogram(pitch_class_histogram(notes), profile)


# --- modulations --------------------------------------------------------------------------

def estimate_keys_windowed(notes: Sequence[Note], window_ticks: int, hop_ticks: int, *,
                           profile: str = DEFAULT_PROFILE) -> list[KeyWindow]:
    """The key of each window [start, start + window_ticks), stepping by `hop_ticks` from
    the first note to the last. Only the part of a note inside a window counts there;
    windows in which nothing sounds are left out."""
    if window_ticks <= 0 or hop_ticks <= 0:
        raise ValueError("window and hop must be positive numbers of ticks")
    profile_named(profile)  # fail early on a bad name, even for empty input
    spans = sorted((note.start, note.end, note.pitch % 12) for note in notes)
    if not spans:
        return []
    starts = [span[0] for span in spans]
    longest = max(end - start for start, end, _ in spans)
    piece_end = max(end for _, end, _ in spans)
    windows = []
    for start in _window_starts(starts[0], piece_end, window_ticks, hop_ticks):
        end = min(start + window_ticks, piece_end)
        # Only notes starting in [start - longest, end) can overlap the window.
        lo = bisect.bisect_left(starts, start - longest)
        hi = bisect.bisect_left(starts, end)
        histogram = _clipped_histogram(spans[lo:hi], start, end)
        if any(histogram):
            windows.append(KeyWindow(start, end, estimate_key_from_histogram(histogram, profile)))
    return windows


def _window_starts(first: int, piece_end: int, window: int, hop: int) -> range:
    """Starts on the hop grid from the first note; the last window reaches the end."""
    origin = first - first % hop
    count = max(1, math.ceil(max(0, piece_end - origin - window) / hop) + 1)
    return range(origin, origin + count * hop, hop)


def _clipped_histogram(spans: Iterable[tuple[int, int, int]], start: int, end: int) -> Histogram:
    weights = [0.0] * 12
    for note_start, note_end, pitch_class in spans:
        overlap = min(note_end, end) - max(note_start, start)
        if overlap > 0:
            weights[pitch_class] += overlap
    return tuple(weights)


@dataclass
class _Run:
    key: Key
    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def key_regions(windows: Sequence[KeyWindow], *, min_windows: int = 1) -> list[KeyRegion]:
    """Merge consecutive windows in the same key into regions. A run shorter than
    `min_windows` windows is folded into its longer neighbour, to ignore brief tonicizations.
    Where overlapping windows disagree, the boundary is halfway between their centres."""
    ordered = sorted(windows, key=lambda w: w.start)
    if not ordered:
        return []
    runs = _merge_equal([_Run(w.estimate.key, i, i) for i, w in enumerate(ordered)])
    runs = _absorb_short_runs(runs, min_windows)
    regions = []
    for i, run in enumerate(runs):
        first, last = ordered[run.first], ordered[run.last]
        start = first.start if i == 0 else _boundary(ordered[run.first - 1], first)
        end = last.end if i == len(runs) - 1 else _boundary(last, ordered[run.last + 1])
        regions.append(KeyRegion(start, end, run.key, run.size))
    return regions


def _merge_equal(runs: list[_Run]) -> list[_Run]:
    merged: list[_Run] = []
    for run in runs:
        if merged and merged[-1].key == run.key:
            merged[-1].last = run.last
        else:
            merged.append(_Run(run.key, run.first, run.last))
    return merged


def _absorb_short_runs(runs: list[_Run], min_windows: int) -> list[_Run]:
    while len(runs) > 1:
        short = [i for i, run in enumerate(runs) if run.size < min_windows]
        if not short:
            break
        i = min(short, key=lambda j: runs[j].size)
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(runs)]
        host = max(neighbours, key=lambda j: runs[j].size)  # the earlier one on a tie
        runs[i].key = runs[host].key
        runs = _merge_equal(runs)
    return runs


def _boundary(before: KeyWindow, after: KeyWindow) -> int:
    return (before.start + before.end + after.start + after.end) // 4
