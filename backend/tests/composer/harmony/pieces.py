"""Harmony for briefs across seeds, and views of it a musician would read: the chord
changes, degrees above the tonic, dominant-quality chords."""

from __future__ import annotations

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.plan import ChordEvent, Plan, plan_form
from ariaforge.music.score import Mode
from ariaforge.music.theory.chords import Chord, ChordQuality
from ariaforge.music.theory.scales import functional_pitch_classes, tonic_pc

SEEDS = (0, 1)
DOMINANT = frozenset({ChordQuality.DOMINANT_7, ChordQuality.DOMINANT_9,
                      ChordQuality.DOMINANT_13})
MINORISH = frozenset({ChordQuality.MINOR, ChordQuality.MINOR_7, ChordQuality.MINOR_9,
                      ChordQuality.MINOR_6, ChordQuality.HALF_DIMINISHED_7})
# The degree each mode is heard by, and the chord root that carries it most plainly.
CHARACTERISTIC_PC = {Mode.PHRYGIAN: 1, Mode.LYDIAN: 6, Mode.MIXOLYDIAN: 10, Mode.DORIAN: 9}
CHARACTERISTIC_ROOT = {Mode.PHRYGIAN: 1, Mode.LYDIAN: 2, Mode.MIXOLYDIAN: 10, Mode.DORIAN: 5}


def piece(text: str, seed: int) -> tuple[Plan, list[ChordEvent]]:
    plan = plan_form(parse_brief(text, seed=seed))
    return plan, compose_harmony(plan)


def pieces(texts: tuple[str, ...]) -> list[tuple[Plan, list[ChordEvent]]]:
    return [piece(text, seed) for text in texts for seed in SEEDS]


def changes(events: list[ChordEvent]) -> list[ChordEvent]:
    """The events where the chord changes (a held chord counted once)."""
    return [e for i, e in enumerate(events) if i == 0 or e.chord != events[i - 1].chord]


def degree(plan: Plan, chord: Chord) -> int:
    return (chord.root_pc - tonic_pc(plan.key)) % 12


def chromatic(plan: Plan, chord: Chord) -> bool:
    return not chord.pitch_classes <= functional_pitch_classes(plan.key)


def has_two_five_one(plan: Plan, events: list[ChordEvent]) -> bool:
    """A minor-quality ii, a dominant (or its tritone substitute), then their I."""
    moves = changes(events)
    for two, five, one in zip(moves, moves[1:], moves[2:], strict=False):
        target = one.chord.root_pc
        if two.chord.quality in MINORISH and (two.chord.root_pc - target) % 12 == 2 \
                and five.chord.quality in DOMINANT \
                and (five.chord.root_pc - target) % 12 in (7, 1):
            return True
    return False


def resolves(current: Chord, following: Chord) -> bool:
    """Down a fifth (V7-I), or down a semitone (a tritone substitute, bII7-I)."""
    return (current.root_pc - following.root_pc) % 12 in (7, 1)
