"""What the section operations do with an edited chord track: variation keeps it,
regenerate replaces the section's chords unless asked to keep them, and with
`keep_chords` the new melody and accompaniment are written over the user's chords."""

from __future__ import annotations

import asyncio

import pytest

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import Composition, compose, compose_async
from ariaforge.music.score import ChordSymbol, Role, Score
from ariaforge.music.theory.chords import parse_chord_symbol

EDITED = ("Am", "Dm", "E7", "Am", "F", "G", "C", "E7")


@pytest.fixture(scope="module")
def song() -> Composition:
    return compose(ComposeRequest(prompt="a pop song in C major for piano, bass and drums",
                                  bars=16, seed=5))


def edited(score: Score) -> Score:
    chords = [ChordSymbol(tick=score.bar_start(bar), symbol=EDITED[(bar - 1) % len(EDITED)])
              for bar in range(1, score.bars + 1)]
    return score.model_copy(update={"chord_symbols": chords})


def run(song: Composition, base: Score, **request: object) -> Score:
    composed = asyncio.run(compose_async(ComposeRequest.model_validate(request), base=base,
                                         previous_brief=song.brief))
    return composed.score


def chords_in(score: Score, start: int, end: int) -> list[tuple[int, str]]:
    return [(c.tick, parse_chord_symbol(c.symbol).symbol) for c in score.chord_symbols
            if start <= c.tick < end]


def span(score: Score, index: int) -> tuple[int, int]:
    section = sorted(score.sections, key=lambda s: s.start_bar)[index]
    return score.bar_start(section.start_bar), score.bar_start(section.end_bar)


def test_regenerate_keeping_chords_writes_over_the_edited_chord_track(
        song: Composition) -> None:
    base = edited(song.score)
    start, end = span(base, 1)
    kept = run(song, base, operation="regenerate", section=1, keep_chords=True, seed=3)
    assert chords_in(kept, start, end) == chords_in(base, start, end)
    melody = next(t for t in base.tracks if t.role is Role.MELODY)
    bass = next(t for t in base.tracks if t.role is Role.BASS)
    new_melody = [(n.pitch, n.start) for n in kept.track(melody.id).notes
                  if start <= n.start < end]
    assert new_melody and new_melody != [(n.pitch, n.start) for n in melody.notes
                                         if start <= n.start < end]
    # The regenerated bass plays the edited chords' bass notes where they change.
    notes = sorted(kept.track(bass.id).notes, key=lambda n: (n.start, n.pitch))
    for symbol in base.chord_symbols:
        if start <= symbol.tick < end:
            heard = [n for n in notes if n.start <= symbol.tick][-1]
            assert heard.pitch % 12 == parse_chord_symbol(symbol.symbol).bass_pc, symbol


def test_regenerate_without_keeping_writes_new_chords_only_in_its_section(
        song: Composition) -> None:
    base = edited(song.score)
    start, end = span(base, 1)
    fresh = run(song, base, operation="regenerate", section=1, seed=3)
    assert chords_in(fresh, start, end) != chords_in(base, start, end)
    assert chords_in(fresh, 0, start) == chords_in(base, 0, start)
    assert chords_in(fresh, end, base.end_tick) == chords_in(base, end, base.end_tick)


def test_a_variation_keeps_the_edited_chord_track(song: Composition) -> None:
    base = edited(song.score)
    varied = run(song, base, operation="variation", section=1, seed=3)
    assert chords_in(varied, 0, base.end_tick) == chords_in(base, 0, base.end_tick)
