"""The brief set the musicality bench measures (bench/musicality/briefs.py, loaded by path
so that the bench and the tests share one list), composed through the real composer, and
what each brief asks for, read from its words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import Composition, compose
from ariaforge.music.score import Key, Mode
from tests.bench_files import load_musicality_module

# The bench has one lydian tonic; the modal tests want two tonics for every mode.
EXTRA_MODAL = (("pop", "a dreamy pop song in G lydian"),
               ("jazz", "a modal jazz tune in C lydian"))

_KEY = re.compile(r"\bin ([A-G][b#]?)(?: (major|minor|dorian|phrygian|lydian|mixolydian))?\b")
_METER = re.compile(r"\bin (\d+)/(\d+)\b")


BENCH = load_musicality_module("briefs")


@dataclass(frozen=True, repr=False)
class Composed:
    style: str  # the style the brief names
    prompt: str
    seed: int
    result: Composition

    @property
    def name(self) -> str:
        return f"{self.prompt.removesuffix(' ' + BENCH.BAND)!r} seed {self.seed}"

    def __repr__(self) -> str:  # short, for pytest's report of a failing test's arguments
        return self.name


def bench_briefs() -> list[tuple[str, str]]:
    briefs: list[tuple[str, str]] = BENCH.briefs()
    return briefs


def extra_modal_briefs() -> list[tuple[str, str]]:
    return [(style, f"{text} {BENCH.BAND}") for style, text in EXTRA_MODAL]


def compose_all(briefs: list[tuple[str, str]]) -> list[Composed]:
    """Every brief at the bench's seeds and length."""
    return [Composed(style, prompt, seed,
                     compose(ComposeRequest(prompt=prompt, seed=seed, bars=BENCH.BARS)))
            for style, prompt in briefs for seed in BENCH.SEEDS]


def asked_key(prompt: str) -> Key:
    """The key a prompt names ("in D dorian", "in Eb": major when no mode is said)."""
    match = _KEY.search(prompt)
    assert match is not None, f"no key in {prompt!r}"
    return Key(tonic=match.group(1), mode=Mode(match.group(2) or "major"))


def asked_meter(prompt: str) -> tuple[int, int] | None:
    """The metre a prompt states in figures, if it does."""
    match = _METER.search(prompt)
    return (int(match.group(1)), int(match.group(2))) if match else None
