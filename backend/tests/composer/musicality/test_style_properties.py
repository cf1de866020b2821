"""Every style, composed from the bench's briefs at seeds 0 and 1, has the properties
issue 12 asks of the music: a motif restated in the first phrase, chord symbols that match
the sounding comping, and strong-beat non-chord tones that resolve by step. Each test
covers one style and names every brief and place that falls short."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ariaforge.composer.vocabulary import Style
from tests.composer.musicality import checks
from tests.composer.musicality.briefset import Composed, bench_briefs

STYLES = [style.value for style in Style]


def of_style(briefset: list[Composed], style: str) -> list[Composed]:
    pieces = [piece for piece in briefset if piece.style == style]
    assert pieces, f"no brief names {style}"
    return pieces


def shortfalls(pieces: list[Composed], check: Callable[[Composed], list[str]]) -> str:
    """'' when every piece passes, else one line per failing piece with its first
    findings."""
    lines = []
    for piece in pieces:
        found = check(piece)
        if found:
            lines.append(f"{piece.name}: {len(found)} x, e.g. " + "; ".join(found[:4]))
    return "\n".join(lines)


def test_the_brief_set_covers_every_style() -> None:
    named = {style for style, _ in bench_briefs()}
    assert named == set(STYLES)
    assert len(bench_briefs()) >= 60


@pytest.mark.parametrize("style", STYLES)
def test_the_style_composes_a_band_piece(style: str, briefset: list[Composed]) -> None:
    def problems(piece: Composed) -> list[str]:
        score = piece.result.score
        found = [] if piece.result.brief.style.value == style else \
            [f"read as {piece.result.brief.style.value}"]
        if checks.melody_track(score) is None:
            found.append("no melody")
        if not checks.comping_notes(score):
            found.append("no comping")
        if not score.chord_symbols:
            found.append("no chord symbols")
        return found

    failures = shortfalls(of_style(briefset, style), problems)
    assert not failures, failures


@pytest.mark.parametrize("style", STYLES)
def test_the_motif_is_restated_in_the_first_phrase(style: str,
                                                   briefset: list[Composed]) -> None:
    """Some bar of the first eight repeats an earlier bar's onsets with every interval
    within a semitone: a repeat, a sequence or a light variation of the motif."""
    def problems(piece: Composed) -> list[str]:
        found = checks.motif_restatements(piece.result.score)
        if found is None:
            return ["the melody is shorter than eight bars"]
        return [] if found else ["no bar of the first eight restates an earlier one"]

    failures = shortfalls(of_style(briefset, style), problems)
    assert not failures, failures


@pytest.mark.parametrize("style", STYLES)
def test_chord_symbols_match_the_sounding_comping(style: str,
                                                  briefset: list[Composed]) -> None:
    """Every comping note is a tone of the chord symbol it sounds under (a chord pushed
    up to a beat early belongs to the chord it anticipates)."""
    failures = shortfalls(of_style(briefset, style),
                          lambda piece: checks.comping_off_the_symbols(piece.result.score))
    assert not failures, failures


@pytest.mark.parametrize("style", STYLES)
def test_strong_beat_non_chord_tones_resolve_by_step(style: str,
                                                     briefset: list[Composed]) -> None:
    """A melody note on a strong beat that is not a tone of the chord sounding then is
    followed by a note a step (1-2 semitones) away."""
    failures = shortfalls(of_style(briefset, style),
                          lambda piece: checks.unresolved_strong_ncts(piece.result.score))
    assert not failures, failures
