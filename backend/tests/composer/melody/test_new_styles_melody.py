"""The melodies of the styles added with issue 13 move in their style's rhythm and range:
funk's sixteenth-note stabs, reggae's off-beat phrases, trap's triplet flow and repeated
hooks, the tango's habanera, samba's sixteenth syncopation, metal's gallops, chiptune's
running sixteenths, the baroque motor, the lullaby's small range and plain quarters, the
carol's hymn quarters, long notes in cinematic themes and ballads, nocturne runs."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from functools import cache

from ariaforge.composer.brief import parse_brief
from ariaforge.composer.harmony import compose_harmony
from ariaforge.composer.melody import compose_melody
from ariaforge.composer.melody.phrase import piece_roles
from ariaforge.composer.melody.rhythm import LEARNED
from ariaforge.composer.plan import Plan, plan_form
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ, Note

REGISTER = (55, 88)
SIXTEENTH, EIGHTH, TRIPLET = PPQ // 4, PPQ // 2, PPQ // 3
SEEDS = (0, 1)


@cache
def melody(text: str, seed: int) -> tuple[Plan, tuple[Note, ...]]:
    plan = plan_form(parse_brief(f"{text}, 16 bars", seed=seed))
    return plan, tuple(compose_melody(plan, compose_harmony(plan), REGISTER))


def melodies(*texts: str) -> list[tuple[Plan, tuple[Note, ...]]]:
    return [melody(text, seed) for text in texts for seed in SEEDS]


def share(found: Sequence[bool]) -> float:
    return sum(found) / max(1, len(found))


def sixteenth_runs(notes: Sequence[Note], length: int) -> bool:
    """Whether `length` sixteenths follow one another without a gap."""
    run = 1
    for before, after in itertools.pairwise(notes):
        joined = before.duration == SIXTEENTH and before.end == after.start \
            and after.duration == SIXTEENTH
        run = run + 1 if joined else 1
        if run >= length:
            return True
    return False


def bar_rhythms(plan: Plan, notes: Sequence[Note]) -> list[tuple[tuple[int, int], ...]]:
    bars: dict[int, list[tuple[int, int]]] = {}
    for note in notes:
        bars.setdefault(note.start // plan.bar_ticks, []).append(
            (note.start % plan.bar_ticks, note.duration))
    return [tuple(spans) for _, spans in sorted(bars.items())]


def test_every_new_style_but_celtic_has_cells_and_celtic_is_learned() -> None:
    assert Style.CELTIC in LEARNED
    for text in ("a funk groove", "a trap beat", "a tango", "a lullaby", "a baroque piece"):
        plan, notes = melody(text, 0)
        assert plan.style not in LEARNED and notes


def test_funk_stabs_sixteenths_off_the_beat() -> None:
    for _plan, notes in melodies("a funk groove in E minor", "a funk tune in A major"):
        off = [n.start % EIGHTH == SIXTEENTH for n in notes]
        assert share(off) >= 0.15, share(off)


def test_reggae_phrases_start_off_the_beat() -> None:
    for _plan, notes in melodies("a reggae song in G", "a reggae tune in A minor"):
        off = [n.start % PPQ != 0 for n in notes]
        assert share(off) >= 0.4, share(off)


def test_trap_flows_in_triplets_and_repeats_its_hook() -> None:
    found = melodies("a trap beat in C minor", "a dark trap song in F minor")
    triplets = [any(n.duration % TRIPLET == 0 and n.duration % SIXTEENTH for n in notes)
                for _plan, notes in found]
    assert share(triplets) >= 0.5, triplets
    for plan, notes in found:
        rhythms = bar_rhythms(plan, notes)
        assert len(set(rhythms)) < len(rhythms), "a hook comes back"
        pitches = [n.pitch for n in notes]
        assert max(pitches) - min(pitches) <= 12, "a hook sits in a narrow band"


def test_hip_hop_repeats_its_hook() -> None:
    for plan, notes in melodies("a hip-hop beat in D minor", "a boom bap hip-hop tune in F"):
        rhythms = bar_rhythms(plan, notes)
        assert len(set(rhythms)) <= 0.75 * len(rhythms)


def habanera(plan: Plan, notes: Sequence[Note]) -> bool:
    """A dotted eighth, a sixteenth and two eighths from a beat."""
    for a, b, c, d in zip(notes, notes[1:], notes[2:], notes[3:], strict=False):
        if a.start % plan.beat_ticks == 0 and \
                (a.duration, b.duration, c.duration, d.duration) == (3 * SIXTEENTH, SIXTEENTH,
                                                                      EIGHTH, EIGHTH):
            return True
    return False


def test_tango_plays_the_habanera_and_leaps() -> None:
    found = melodies("a tango in D minor", "a dramatic tango in A minor")
    assert share([habanera(plan, notes) for plan, notes in found]) >= 0.75
    for _plan, notes in found:
        pitches = [n.pitch for n in notes]
        assert max(pitches) - min(pitches) >= 12, "a tango melody is dramatic"


def test_samba_and_metal_and_chiptune_run_sixteenths_straight() -> None:
    for text, run in (("a samba in C", 2), ("a metal song in E minor", 2),
                      ("a chiptune in C", 4)):
        for plan, notes in melodies(text):
            assert not plan.swing
            assert sixteenth_runs(notes, run), (text, [n.duration for n in notes][:24])


def test_metal_gallops() -> None:
    gallops = 0
    for _plan, notes in melodies("a metal song in E minor", "a heavy metal track in D minor"):
        gallops += any((a.duration, b.duration, c.duration) == (EIGHTH, SIXTEENTH, SIXTEENTH)
                       and a.end == b.start and b.end == c.start
                       for a, b, c in zip(notes, notes[1:], notes[2:], strict=False))
    assert gallops >= 2


def test_baroque_runs_a_motor_of_eighths_and_sixteenths() -> None:
    for _plan, notes in melodies("a baroque piece in G", "a baroque suite in D minor"):
        short = [n.duration <= EIGHTH for n in notes]
        assert share(short) >= 0.6, share(short)
        assert sixteenth_runs(notes, 4)


def test_lullaby_is_small_and_plain() -> None:
    for plan, notes in melodies("a lullaby in F", "a gentle lullaby in D", "a lullaby in G"):
        pitches = [n.pitch for n in notes]
        assert max(pitches) - min(pitches) <= 14, "within a ninth"
        assert all(n.duration >= EIGHTH for n in notes), "no sixteenths"
        assert statistics.median(n.duration for n in notes) >= PPQ
        assert plan.meter.numerator in (3, 6)  # rocking in three


def test_carol_moves_in_quarters_in_four_bar_phrases() -> None:
    for plan, notes in melodies("a christmas carol in G", "a carol in F"):
        quarters = [n.duration == PPQ for n in notes]
        assert share(quarters) >= 0.5, share(quarters)
        assert all(n.duration >= EIGHTH for n in notes)
        roles = piece_roles(plan)
        for section in plan.sections:
            starts = [bar for bar in range(section.start_bar, section.end_bar)
                      if roles[bar].phrase_start]
            assert starts == list(range(section.start_bar, section.end_bar, 4)), starts


def test_cinematic_and_ballad_themes_sing_long_notes() -> None:
    for text, floor in (("a cinematic theme in D minor", 3 * EIGHTH),
                        ("a pop ballad in Eb", PPQ)):
        for _plan, notes in melodies(text):
            assert statistics.median(n.duration for n in notes) >= floor, text


def test_cinematic_themes_leap_wide() -> None:
    spans = []
    for _plan, notes in melodies("a cinematic theme in D minor", "an epic film score in C"):
        pitches = [n.pitch for n in notes]
        spans.append(max(pitches) - min(pitches))
        assert max(abs(b - a) for a, b in itertools.pairwise(pitches)) >= 5
    assert statistics.median(spans) >= 12, spans


def test_nocturne_sings_long_notes_with_runs() -> None:
    found = melodies("a nocturne in Eb", "a romantic nocturne in C# minor")
    assert share([sixteenth_runs(notes, 3) for _plan, notes in found]) >= 0.5
    for _plan, notes in found:
        assert any(n.duration >= 2 * PPQ for n in notes)


def test_country_sings_straight_eighths_and_quarters() -> None:
    for plan, notes in melodies("a country song in G", "a country tune in A"):
        assert not plan.swing
        assert all(n.start % EIGHTH == 0 and n.duration % EIGHTH == 0 for n in notes)
        assert share([n.duration in (EIGHTH, PPQ) for n in notes]) >= 0.6
