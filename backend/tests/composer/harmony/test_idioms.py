"""Style words mean their real harmony: ii-V-I, turnarounds and tritone substitutions in
jazz, resolving secondary dominants, borrowed chords in pop and rock, minor loops in dance
music, functional chorales, extended and passing diminished chords in lo-fi."""

from __future__ import annotations

import itertools

from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.plan import Cadence
from ariaforge.music.theory.chords import ChordQuality
from tests.composer.harmony.pieces import (
    DOMINANT,
    changes,
    chromatic,
    degree,
    has_two_five_one,
    pieces,
    resolves,
)
from tests.composer.plans import random_plans

JAZZ = ("a jazz tune in F", "a jazz ballad in Eb", "a jazz standard in Bb, AABA",
        "a swing tune in C", "a bossa nova in G major", "an up-tempo jazz tune in C minor",
        "a jazz waltz in Bb")
EXTENDED = frozenset({ChordQuality.DOMINANT_9, ChordQuality.MAJOR_9, ChordQuality.MINOR_9,
                      ChordQuality.MAJOR_6, ChordQuality.MINOR_6, ChordQuality.MAJOR_7,
                      ChordQuality.MINOR_7})


def test_jazz_has_two_five_one_in_most_pieces_and_substitutes_somewhere() -> None:
    found = pieces(JAZZ)
    with_251 = [has_two_five_one(plan, events) for plan, events in found]
    assert sum(with_251) >= 0.85 * len(found), with_251
    tritone = secondary = 0
    for plan, events in found:
        moves = changes(events)
        for current, following in itertools.pairwise(moves):
            if current.chord.quality not in DOMINANT or not chromatic(plan, current.chord):
                continue
            step = (current.chord.root_pc - following.chord.root_pc) % 12
            tritone += step == 1
            secondary += step == 7
    assert tritone >= 2 and secondary >= 4, (tritone, secondary)


def test_jazz_closes_with_two_five_one() -> None:
    for plan, events in pieces(JAZZ):
        last = plan.sections[-1]
        inside = [e for e in events if e.start >= plan.bar_start(last.start_bar)]
        assert has_two_five_one(plan, inside[-4:] if len(inside) >= 4 else inside), \
            [e.chord.symbol for e in inside]


def test_secondary_dominants_resolve_to_their_target() -> None:
    """Every chromatic dominant seventh outside the blues and funk (whose I7 and IV7 are
    colours, not functions) moves down a fifth to the chord it is the dominant of (or down
    a semitone, as a tritone substitute)."""
    checked = 0
    for plan in random_plans(80, seed=23, modes=("major", "minor")):
        if plan.style.value in ("blues", "funk"):
            continue
        moves = changes(compose_harmony(plan))
        for current, following in itertools.pairwise(moves):
            if current.chord.quality in DOMINANT and chromatic(plan, current.chord):
                checked += 1
                assert resolves(current.chord, following.chord), \
                    (plan.style, current.chord.symbol, following.chord.symbol)
    assert checked >= 20


def test_pop_and_rock_borrow_from_the_parallel_minor() -> None:
    found = pieces(("a happy pop song in C major", "a pop song in G major",
                    "a rock anthem in D major", "a rock song in A major",
                    "a pop ballad in Eb major", "a rock song in E major"))
    borrowed = {8, 10, 3}  # bVI, bVII, bIII
    with_borrowed = [any((degree(plan, e.chord) in borrowed
                          and e.chord.quality is ChordQuality.MAJOR)
                         or (degree(plan, e.chord) == 5
                             and e.chord.quality is ChordQuality.MINOR) for e in events)
                     for plan, events in found]
    assert sum(with_borrowed) >= len(found) // 3, with_borrowed


def test_minor_dance_music_loops_on_the_aeolian_chords() -> None:
    for plan, events in pieces(("an EDM track in A minor", "house music in C minor",
                                "an EDM track in F# minor")):
        degrees = [degree(plan, e.chord) for e in events]
        aeolian = sum(d in (0, 8, 3, 10, 5) for d in degrees)
        assert aeolian >= 0.8 * len(degrees)
        assert 8 in degrees and 10 in degrees  # bVI and bVII


def test_pop_and_dance_sections_go_round_one_loop() -> None:
    """A loop section uses at most four chords before its cadence (secondary dominants
    aside) and comes back round to its first chord."""
    for plan, events in pieces(("a happy pop song in C major", "a pop song in A minor",
                                "an EDM track in A minor", "house music in C minor")):
        for section in plan.sections:
            if section.bars < 8:
                continue
            every = [next(e for e in events if e.start == plan.bar_start(bar)).chord
                     for bar in section.bars_range()]
            bars = every[:-2]  # the cadence may bring other chords
            loop = [c for c in bars if not (c.quality in DOMINANT and chromatic(plan, c))]
            assert len({c.symbol for c in loop}) <= 4, [c.symbol for c in bars]
            moved = next(i for i, c in enumerate(every) if c.root_pc != every[0].root_pc)
            assert any(c.root_pc == every[0].root_pc for c in every[moved:]), \
                [c.symbol for c in every]


def test_chorales_are_functional_with_inversions_and_predominants() -> None:
    found = pieces(("a chorale in G", "a chorale in D minor", "a chorale in Bb",
                    "a calm chorale in E minor"))
    inverted = 0
    for plan, events in found:
        inverted += sum(e.chord.inversion == 1 for e in events)
        final = changes(events)
        assert degree(plan, final[-1].chord) == 0
        assert degree(plan, final[-2].chord) == 7
        assert final[-2].chord.quality is ChordQuality.DOMINANT_7
        assert degree(plan, final[-3].chord) in (2, 5, 8)  # ii, IV (or bVI in minor)
        for section in plan.sections[:-1]:
            if section.cadence is Cadence.AUTHENTIC:
                inside = [e for e in events if plan.bar_start(section.start_bar) <= e.start
                          < plan.bar_start(section.end_bar)]
                assert inside[-2].chord.quality is not ChordQuality.DOMINANT_7
    assert inverted >= len(found)


def test_classical_uses_secondary_dominants_at_cadences() -> None:
    found = pieces(("a classical piece in G major", "a classical piece in C minor",
                    "an epic theme in D minor", "a classical minuet in F in 3/4"))
    at_cadence = 0
    for plan, events in found:
        moves = changes(events)
        for pre, dominant, tonic in zip(moves, moves[1:], moves[2:], strict=False):
            if degree(plan, tonic.chord) == 0 and degree(plan, dominant.chord) == 7 \
                    and degree(plan, pre.chord) == 2 and pre.chord.quality in DOMINANT:
                at_cadence += 1
    assert at_cadence >= 2


def test_lofi_and_jazz_colour_with_extensions_and_passing_diminished() -> None:
    found = pieces(("lo-fi in Eb", "lo-fi hip hop in F major", "a calm lo-fi beat in G",
                    "a swing tune in Bb", "a jazz tune in F", "a swing tune in C"))
    passing = 0
    for plan, events in found:
        qualities = [e.chord.quality for e in events]
        assert sum(q in EXTENDED or q in DOMINANT for q in qualities) >= 0.8 * len(events)
        moves = changes(events)
        for before, dim, after in zip(moves, moves[1:], moves[2:], strict=False):
            if dim.chord.quality is ChordQuality.DIMINISHED_7 and \
                    degree(plan, before.chord) == 0 and degree(plan, dim.chord) == 1 \
                    and degree(plan, after.chord) == 2:
                passing += 1
    assert passing >= 2
    ninths = sum(e.chord.quality in (ChordQuality.DOMINANT_9, ChordQuality.MAJOR_9,
                                     ChordQuality.MINOR_9) for _, events in found for e in events)
    assert ninths >= 10
