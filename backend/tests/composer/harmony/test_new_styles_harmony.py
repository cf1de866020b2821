"""The styles added with issue 13 mean their real harmony: funk's dominant-seventh vamps,
reggae's three chords, the minor loops of trap and hip-hop, the tango's V7-i and falling
bass, gospel's plagal closes and passing diminished chords, country's I-IV-V, samba's
ii-V, metal's bII and bVI-bVII, synthwave's minor loops, the ballad's walking bass, the
lullaby's plain chords, the carol's hymn cadences, cinematic borrowed chords and slow
changes, chiptune's fast loops, the nocturne's romantic colours, baroque circles of fifths
and celtic bVII and drones."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ariaforge.composer.plan import ChordEvent, Plan
from ariaforge.music.theory.chords import Chord, ChordQuality
from tests.composer.harmony.pieces import (
    DOMINANT,
    changes,
    chromatic,
    degree,
    has_two_five_one,
    pieces,
)

Piece = tuple[Plan, list[ChordEvent]]
SEVENTHS = frozenset({ChordQuality.DOMINANT_7, ChordQuality.DOMINANT_9, ChordQuality.MINOR_7,
                      ChordQuality.MINOR_9, ChordQuality.MAJOR_7, ChordQuality.MAJOR_9,
                      ChordQuality.MAJOR_6, ChordQuality.MINOR_6,
                      ChordQuality.HALF_DIMINISHED_7, ChordQuality.DIMINISHED_7})
TRIADS = frozenset({ChordQuality.MAJOR, ChordQuality.MINOR})


def major_at(plan: Plan, chord: Chord, *degrees: int) -> bool:
    return degree(plan, chord) in degrees and chord.quality is ChordQuality.MAJOR


def share(found: Sequence[bool]) -> float:
    return sum(found) / max(1, len(found))


def bar_chords(plan: Plan, events: list[ChordEvent]) -> list[Chord]:
    """The chord on each downbeat."""
    return [e.chord for e in events if e.start % plan.bar_ticks == 0]


def falls_by_semitones(basses: list[int], steps: int) -> bool:
    """Whether the bass falls by a semitone `steps` times in a row."""
    run = 0
    for before, after in itertools.pairwise(basses):
        run = run + 1 if (before - after) % 12 == 1 else 0
        if run >= steps:
            return True
    return False


def test_funk_vamps_on_dominant_sevenths() -> None:
    major = pieces(("a funk groove in E major", "a funk tune in A major", "funk in C major"))
    for _plan, events in major:
        dominant = [e.chord.quality in DOMINANT for e in events]
        assert share(dominant) >= 0.6, [e.chord.symbol for e in changes(events)]
    for plan, events in pieces(("a funk tune in E minor", "a dark funk groove in G minor")):
        assert all(e.chord.quality in SEVENTHS for e in events), \
            [e.chord.symbol for e in changes(events)]
        # i7-IV7 or i7-iv7: the tonic comes back every bar or two.
        tonic = [degree(plan, c) == 0 for c in bar_chords(plan, events)]
        assert share(tonic) >= 0.4, tonic


def test_reggae_plays_three_chord_loops() -> None:
    for plan, events in pieces(("a reggae song in G", "a roots reggae tune in A major")):
        roots = [degree(plan, e.chord) for e in events]
        assert share([r in (0, 5, 7) for r in roots]) >= 0.8, roots
        assert {0, 5, 7} <= set(roots)
        assert all(e.start % plan.bar_ticks == 0 for e in events)
    for plan, events in pieces(("a reggae song in A minor",)):
        heard = {degree(plan, e.chord) for e in events}
        assert heard & {10, 5}, heard  # i-bVII or i-iv


def loop_chords(plan: Plan, events: list[ChordEvent]) -> list[set[str]]:
    """Each section's chords before its last three bars (where the cadence is written)."""
    found = []
    for section in plan.sections:
        end = plan.bar_start(section.end_bar - 3)
        inside = [e.chord.symbol for e in events
                  if plan.bar_start(section.start_bar) <= e.start < end]
        if inside:
            found.append(set(inside))
    return found


def test_trap_and_hip_hop_loop_two_to_four_minor_chords() -> None:
    for plan, events in pieces(("a trap beat in C minor", "a dark trap song in F minor",
                                "a hip-hop beat in D minor", "a boom bap hip-hop tune in A minor")):
        for chords in loop_chords(plan, events):
            assert len(chords) <= 4, chords
        assert any(len(chords) >= 2 for chords in loop_chords(plan, events))
        roots = {degree(plan, e.chord) for e in events}
        # i, bII, bIII, iv, V, bVI, bVII (and the ii of a closing ii-V)
        assert roots <= {0, 1, 2, 3, 5, 7, 8, 10}, roots
    for _plan, events in pieces(("a hip-hop beat in D minor",)):
        assert share([e.chord.quality in SEVENTHS for e in events]) >= 0.7


def test_tango_is_minor_with_v7_i_and_a_falling_bass() -> None:
    found = pieces(("a tango in D minor", "a dramatic tango in A minor", "a tango in E minor"))
    falling = 0
    for plan, events in found:
        moves = changes(events)
        assert any(a.chord.quality is ChordQuality.DOMINANT_7 and degree(plan, a.chord) == 7
                   and degree(plan, b.chord) == 0 for a, b in itertools.pairwise(moves))
        falling += falls_by_semitones([e.chord.bass_pc for e in moves], 3)
    assert falling >= len(found) // 2, falling


def test_gospel_closes_plagally_and_passes_through_diminished_chords() -> None:
    found = pieces(("a gospel song in Ab", "a joyful gospel tune in C", "a slow gospel song in F"))
    diminished = 0
    for plan, events in found:
        moves = changes(events)
        assert any(degree(plan, a.chord) == 5 and degree(plan, b.chord) == 0
                   for a, b in itertools.pairwise(moves)), [e.chord.symbol for e in moves]
        diminished += any(e.chord.quality is ChordQuality.DIMINISHED_7 for e in moves)
        assert share([e.chord.quality in SEVENTHS for e in events]) >= 0.6
        assert any(chromatic(plan, e.chord) and e.chord.quality in DOMINANT for e in moves)
    assert diminished >= len(found) // 2, diminished


def test_country_is_i_iv_v_with_the_v_of_v() -> None:
    found = pieces(("a country song in G", "a country song in D", "a country tune in A",
                    "an upbeat country song in E"))
    secondary = 0
    for plan, events in found:
        roots = [degree(plan, c) for c in bar_chords(plan, events)]
        assert share([r in (0, 5, 7) for r in roots]) >= 0.6 and {0, 5, 7} <= set(roots), roots
        secondary += any(degree(plan, e.chord) == 2 and e.chord.quality in DOMINANT
                         for e in events)
    assert secondary >= 2, secondary


def test_samba_has_ii_v_and_sevenths() -> None:
    found = pieces(("a samba in C", "a samba in F major", "a samba in A minor"))
    assert share([has_two_five_one(plan, events) for plan, events in found]) >= 0.8
    for _plan, events in found:
        assert share([e.chord.quality in SEVENTHS for e in events]) >= 0.8


def test_metal_uses_flat_two_or_flat_six_and_flat_seven() -> None:
    for plan, events in pieces(("a metal song in E minor", "a heavy metal track in D minor",
                                "a metal riff in A minor")):
        chords = [e.chord for e in events]
        assert any(major_at(plan, c, 1) for c in chords) \
            or (any(major_at(plan, c, 8) for c in chords)
                and any(major_at(plan, c, 10) for c in chords)), [c.symbol for c in chords]
        assert not any(c.quality in SEVENTHS for c in chords)  # power chords, no sevenths


def test_synthwave_plays_the_minor_dance_loops() -> None:
    for plan, events in pieces(("a synthwave track in A minor",
                                "a retro synthwave tune in C minor")):
        roots = {degree(plan, e.chord) for e in events}
        assert roots <= {0, 3, 5, 7, 8, 10}, roots
        assert {8, 10} <= roots  # bVI and bVII


def test_ballad_bass_walks_through_inversions() -> None:
    for plan, events in pieces(("a pop ballad in Eb", "a love ballad in C", "a ballad in G")):
        assert any(e.chord.bass_pc != e.chord.root_pc for e in events), \
            [e.chord.symbol for e in changes(events)]
        assert all(e.start % plan.bar_ticks == 0 for e in events)


def test_lullaby_keeps_to_plain_chords_held_long() -> None:
    for plan, events in pieces(("a lullaby in F", "a gentle lullaby in D", "a lullaby in G")):
        roots = [degree(plan, e.chord) for e in events]
        assert share([r in (0, 5, 7) for r in roots]) >= 0.9, roots
        assert all(e.chord.quality in TRIADS | {ChordQuality.DOMINANT_7} for e in events)
        assert len(changes(events)) <= plan.bars  # at most one change a bar


def test_carol_is_hymn_harmony_closing_on_cadences() -> None:
    for plan, events in pieces(("a christmas carol in G", "a carol in F", "a carol in D")):
        moves = changes(events)
        assert any(e.start % plan.bar_ticks for e in moves)  # two chords a bar somewhere
        last = [e for e in moves if e.start < plan.total_ticks][-2:]
        assert degree(plan, last[-1].chord) == 0
        assert degree(plan, last[0].chord) in (5, 7), [e.chord.symbol for e in last]
        assert any(e.chord.bass_pc != e.chord.root_pc for e in moves)  # inversions


def test_cinematic_changes_slowly_and_borrows() -> None:
    for plan, events in pieces(("a cinematic theme in D", "an epic film score in C major",
                                "a cinematic theme in D minor")):
        moves = changes(events)
        assert all(e.start % plan.bar_ticks == 0 for e in moves)
        assert len(moves) <= 0.8 * plan.bars, len(moves)
        chords = [e.chord for e in moves]
        borrowed = [major_at(plan, c, 8, 10, 3) or (degree(plan, c) == 5
                                                     and c.quality is ChordQuality.MINOR)
                    for c in chords]
        assert any(borrowed), [c.symbol for c in chords]


def test_chiptune_loops_a_chord_a_bar() -> None:
    for plan, events in pieces(("a chiptune in C", "an 8-bit video game tune in G major")):
        moves = changes(events)
        assert all(e.start % plan.bar_ticks == 0 for e in moves)
        assert len(moves) >= 0.6 * plan.bars  # fast harmonic rhythm, little holding
        roots = {degree(plan, e.chord) for e in moves}
        assert {0, 5, 7, 9} <= roots | {9} and roots <= {0, 2, 5, 7, 9, 10}, roots


def test_nocturne_has_romantic_colours() -> None:
    found = pieces(("a nocturne in Eb", "a romantic nocturne in C# minor", "a nocturne in B"))
    for plan, events in found:
        moves = changes(events)
        colours = [chromatic(plan, e.chord) for e in moves]
        assert sum(colours) >= 2, [e.chord.symbol for e in moves]
        assert any(e.chord.bass_pc != e.chord.root_pc for e in moves)
    diminished = sum(any(e.chord.quality is ChordQuality.DIMINISHED_7 for e in events)
                     for _plan, events in found)
    assert diminished >= len(found) // 2


def fifths_share(plan: Plan, events: list[ChordEvent]) -> float:
    moves = changes(events)
    return share([(a.chord.root_pc - b.chord.root_pc) % 12 == 7
                  for a, b in itertools.pairwise(moves)])


def test_baroque_moves_round_the_circle_of_fifths() -> None:
    found = pieces(("a baroque piece in G", "a baroque suite in D minor",
                    "a baroque concerto in F"))
    folk = pieces(("a folk song in G", "a folk tune in D minor", "a folk song in F"))
    ours = [fifths_share(plan, events) for plan, events in found]
    plain = [fifths_share(plan, events) for plan, events in folk]
    assert min(ours) >= 0.4 and sum(ours) > sum(plain), (ours, plain)


def test_celtic_is_modal_with_flat_seven_and_drones() -> None:
    found = pieces(("a celtic tune in D", "an irish celtic air in G", "a celtic tune in A"))
    flat_seven = [any(major_at(plan, e.chord, 10) for e in events) for plan, events in found]
    assert share(flat_seven) >= 0.5, flat_seven
    drones = [any(e.chord.bass_pc != e.chord.root_pc for e in events)
              for _plan, events in found]
    assert any(drones)
    for plan, events in pieces(("a celtic tune in D mixolydian", "a celtic tune in E dorian")):
        characteristic = 10 if plan.key.mode.value == "mixolydian" else 5
        assert any(major_at(plan, e.chord, characteristic) for e in events)
