"""What a part's prompt may ask for ("busier", "simpler", "walking bass"): a few words the
arranger can honour, read without an LLM, so the same hint always does the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from ariaforge.composer.plan import Plan

__all__ = ["KNOWN_HINTS", "PartHints", "read_hints"]

_BUSIER: Final = frozenset({"busier", "busy", "fuller", "full", "denser", "driving",
                            "energetic", "more", "louder", "bigger"})
_SIMPLER: Final = frozenset({"simpler", "simple", "sparser", "sparse", "calmer", "calm",
                             "quieter", "quiet", "gentle", "gentler", "less", "softer"})
_WALKING: Final = frozenset({"walking", "walk", "walks"})
KNOWN_HINTS: Final = ("busier", "simpler", "walking")
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class PartHints:
    energy: int = 0  # +1 busier, -1 simpler
    walking: bool = False
    unread: bool = False  # the prompt said something and none of it was a known hint

    def applied(self, plan: Plan) -> Plan:
        """The plan with its bar energies moved the way the hint asks: the arranger plays
        fuller grooves and louder in energetic bars, lighter ones in calm bars."""
        if self.energy == 0:
            return plan
        if self.energy > 0:
            energies = tuple(min(1.0, 0.5 + 0.5 * e) for e in plan.bar_energy)
        else:
            energies = tuple(0.5 * e for e in plan.bar_energy)
        return replace(plan, bar_energy=energies)


def read_hints(prompt: str) -> PartHints:
    words = set(_WORD.findall(prompt.lower()))
    busier, simpler = bool(words & _BUSIER), bool(words & _SIMPLER)
    energy = 0 if busier == simpler else (1 if busier else -1)
    walking = bool(words & _WALKING)
    return PartHints(energy, walking, unread=bool(words) and not (busier or simpler or walking))
