"""Chord labels for tunes that have none: template matching over the notes of each window
(a bar or half-bar), weighted by duration and metric strength, smoothed by a Viterbi pass
that charges for every change of chord. Used by training to label the corpus and by the
harmony decoder to fit chords under a given melody."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from ariaforge.composer.model.tokens import CHORD_TONES, chord_token

# Weight of a note's onset by metric strength ("2" downbeat, "1" beat, "0" off-beat).
METRIC_WEIGHT: Final = {"2": 1.6, "1": 1.25, "0": 1.0}
OUTSIDE_PENALTY: Final = 0.7  # a non-chord tone costs this much of its weight
CHANGE_PENALTY: Final = 0.12
SEVENTH_PENALTY: Final = 0.12  # a seventh chord must earn its seventh


@dataclass(frozen=True)
class WeightedNote:
    pitch_class: int  # relative to the tonic
    weight: float


@cache
def _priors(family: str, sevenths: bool) -> dict[str, float]:
    """Log-ish prior of each candidate chord in a mode family: the diatonic triads, the
    primary ones most, and the chords folk modes use (bVII in mixolydian and dorian,
    IV major in dorian, V major in minor)."""
    primary = {"maj": ("0:maj", "5:maj", "7:maj"), "mix": ("0:maj", "5:maj", "10:maj"),
               "min": ("0:min", "5:min", "7:maj"), "dor": ("0:min", "5:maj", "10:maj")}
    secondary = {"maj": ("2:min", "4:min", "9:min", "11:dim"),
                 "mix": ("2:min", "7:min", "9:min", "4:dim"),
                 "min": ("3:maj", "8:maj", "10:maj", "7:min", "2:dim", "11:dim"),
                 "dor": ("3:maj", "7:min", "2:min", "9:dim")}
    priors: dict[str, float] = {}
    for root in range(12):
        for quality in ("maj", "min", "dim", *(("7",) if sevenths else ())):
            priors[chord_token(root, quality)] = -0.3
    for token in secondary[family]:
        priors[token] = 0.0
    for token in primary[family]:
        priors[token] = 0.12
    priors["0:maj" if family in ("maj", "mix") else "0:min"] = 0.18
    if sevenths:
        for token in ("7:7", "2:7", "9:7", "4:7", "0:7"):
            priors[token] = max(priors.get(token, -0.3), 0.0) - SEVENTH_PENALTY
    return priors


def emission(notes: Sequence[WeightedNote], token: str) -> float:
    """How well a chord explains the notes: chord-tone weight minus a penalty for the rest,
    as a share of the window's weight (0 for an empty window)."""
    total = sum(note.weight for note in notes)
    if total <= 0:
        return 0.0
    degree, _, quality = token.partition(":")
    tones = {(int(degree) + step) % 12 for step in CHORD_TONES[quality]}
    inside = sum(note.weight for note in notes if note.pitch_class in tones)
    return (inside - OUTSIDE_PENALTY * (total - inside)) / total


def label_windows(windows: Sequence[Sequence[WeightedNote]], family: str, *,
                  sevenths: bool = False) -> list[str]:
    """The most likely chord token per window: emission + prior, minus CHANGE_PENALTY for
    each change between neighbouring windows (Viterbi over the whole tune)."""
    if not windows:
        return []
    priors = _priors(family, sevenths)
    tokens = list(priors)
    scores = [[emission(window, t) + priors[t] for t in tokens] for window in windows]
    best = list(scores[0])
    back: list[list[int]] = []
    for row in scores[1:]:
        leader = max(range(len(tokens)), key=best.__getitem__)
        pointers, updated = [], []
        for index, score in enumerate(row):
            switch = best[leader] - CHANGE_PENALTY
            if best[index] >= switch:
                pointers.append(index)
                updated.append(best[index] + score)
            else:
                pointers.append(leader)
                updated.append(switch + score)
        back.append(pointers)
        best = updated
    position = max(range(len(tokens)), key=best.__getitem__)
    path = [position]
    for pointers in reversed(back):
        position = pointers[position]
        path.append(position)
    return [tokens[index] for index in reversed(path)]


def window_notes(notes: Sequence[tuple[int, int, int]], start: int, end: int,
                 strength_of: dict[int, str] | None = None) -> list[WeightedNote]:
    """Notes (pitch class above tonic, onset, duration) overlapping [start, end), each
    weighted by the ticks it sounds inside the window (in quarters) and its onset's
    metric strength when the onset falls inside."""
    weighted = []
    for pitch_class, onset, duration in notes:
        overlap = min(end, onset + duration) - max(start, onset)
        if overlap <= 0:
            continue
        metric = 1.0
        if strength_of is not None and start <= onset < end:
            metric = METRIC_WEIGHT[strength_of.get(onset, "0")]
        weighted.append(WeightedNote(pitch_class % 12, overlap / 480 * metric))
    return weighted
