"""What the Bach chorales teach four-part writing, as costs: how far each voice moves from
beat to beat, how far apart neighbouring voices sit, which tone a triad doubles in each
inversion, how often a fifth is left out, how often an inner voice adds a passing eighth.

`training/chorale_voicing.py` counts these in the chorales shipped with music21 and writes
`composer/data/chorale_voicing.json`; a cost is how much rarer a choice was than the most
common one (ln of the ratio of their frequencies), so a habit Bach had costs nothing and
one he avoided costs a lot. Without the file, hand-set frequencies of the same shape stand
in, so the arranger still works from a bare checkout.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from ariaforge.composer.model.store import DATA_DIR

__all__ = ["STATS_FILE", "VoicingCosts", "load_costs"]

STATS_FILE: Final = "chorale_voicing.json"
VOICES: Final = ("S", "A", "T", "B")
MAX_LEAP: Final = 12  # motion tables run from -12 to +12 semitones
MAX_GAP: Final = 24  # gap tables run from 0 to 24 semitones
_FLOOR: Final = 2e-4  # the rarest frequency a cost is read from (caps a cost near 8.5)

# Stand-ins for the learned file, close to what the chorales show.
_FALLBACK_MOTION: Final = {0: 0.35, 1: 0.07, 2: 0.1, 3: 0.045, 4: 0.04, 5: 0.035, 7: 0.015,
                           12: 0.004}
_FALLBACK_GAPS: Final = {0: 0.03, 3: 0.17, 4: 0.15, 5: 0.2, 7: 0.15, 8: 0.08, 9: 0.09,
                         12: 0.05}
_FALLBACK: Final[dict[str, Any]] = {
    "ranges": {"S": [62, 78], "A": [57, 72], "T": [52, 67], "B": [40, 60]},
    "doubling": {"root": {"root": 0.86, "third": 0.1, "fifth": 0.04},
                 "third": {"root": 0.29, "third": 0.42, "fifth": 0.29},
                 "fifth": {"root": 0.07, "third": 0.17, "fifth": 0.76}},
    "omitted_fifth": 0.03,
    "figures": {"offbeat_notes_per_beat": {"A": 0.26, "T": 0.28, "B": 0.28},
                "leading_tone_up": 0.5},
}


@dataclass(frozen=True)
class VoicingCosts:
    ranges: Mapping[str, tuple[int, int]]  # each voice's usual range (1st-99th percentile)
    motion: Mapping[str, tuple[float, ...]]  # cost of moving k semitones: index k + 12
    gaps: Mapping[str, tuple[float, ...]]  # "SA", "AT", "TB": cost of a gap of k semitones
    doubling: Mapping[str, Mapping[str, float]]  # inversion -> doubled degree -> cost
    omitted_fifth: float  # a triad without its fifth, against a complete one
    passing_rate: float  # passing eighths per beat an inner voice adds
    leading_tone_free: float  # an inner leading tone not rising, outside a cadence
    learned: bool  # read from the training file, not the stand-ins


def _costs(frequencies: Mapping[int, float], span: range) -> tuple[float, ...]:
    top = max(frequencies.values())
    return tuple(round(math.log(top / max(_FLOOR, frequencies.get(k, 0.0))), 3) for k in span)


def _symmetric(shape: Mapping[int, float]) -> dict[int, float]:
    return {sign * k: p for k, p in shape.items() for sign in (1, -1)}


def costs_from_stats(data: Mapping[str, Any]) -> VoicingCosts:
    motion_span, gap_span = range(-MAX_LEAP, MAX_LEAP + 1), range(MAX_GAP + 1)
    motion = data.get("motion") or dict.fromkeys(VOICES, _symmetric(_FALLBACK_MOTION))
    gaps = data.get("gaps") or dict.fromkeys(("SA", "AT", "TB"), _FALLBACK_GAPS)
    doubling = {inversion: {degree: math.log(max(shares.values()) / max(_FLOOR, share))
                            for degree, share in shares.items()}
                for inversion, shares in data["doubling"].items()}
    offbeats = data["figures"]["offbeat_notes_per_beat"]
    rising = data["figures"]["leading_tone_up"]
    return VoicingCosts(
        ranges={v: (int(low), int(high)) for v, (low, high) in data["ranges"].items()},
        motion={v: _costs({int(k): p for k, p in motion[v].items()}, motion_span)
                for v in VOICES},
        gaps={pair: _costs({int(k): p for k, p in gaps[pair].items()}, gap_span)
              for pair in ("SA", "AT", "TB")},
        doubling=doubling,
        omitted_fifth=math.log((1 - data["omitted_fifth"]) / max(_FLOOR, data["omitted_fifth"])),
        passing_rate=(offbeats["A"] + offbeats["T"]) / 2,
        leading_tone_free=math.log(max(rising, 1 - rising) / max(_FLOOR, 1 - rising)),
        learned="motion" in data)


@cache
def load_costs(path: Path = DATA_DIR / STATS_FILE) -> VoicingCosts:
    """The learned costs, read once; the stand-ins when the file is missing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = _FALLBACK
    return costs_from_stats(data)
