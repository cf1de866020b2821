"""Modes are heard, not only written: in dorian, phrygian, lydian and mixolydian briefs
(two tonics or more each, across styles) the mode's characteristic degree sounds longer
than the degree it replaces, over all pitched parts and in the melody alone."""

from __future__ import annotations

import pytest

from ariaforge.music.score import Mode
from tests.composer.musicality import checks
from tests.composer.musicality.briefset import Composed, asked_key

MODES = list(checks.CHARACTERISTIC)


def modal(pieces: list[Composed], mode: Mode) -> list[Composed]:
    return [p for p in pieces if asked_key(p.prompt).mode is mode]


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_modal_briefs_cover_two_tonics(mode: Mode, briefset: list[Composed],
                                       extra_modal: list[Composed]) -> None:
    tonics = {asked_key(p.prompt).tonic for p in modal(briefset + extra_modal, mode)}
    assert len(tonics) >= 2, tonics


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_the_characteristic_degree_outweighs_its_rival(
        mode: Mode, briefset: list[Composed], extra_modal: list[Composed]) -> None:
    own, rival = checks.CHARACTERISTIC[mode]
    lines = []
    for piece in modal(briefset + extra_modal, mode):
        score = piece.result.score
        tonic = asked_key(piece.prompt).tonic
        melody = checks.melody_track(score)
        for part, notes in (("all parts", score.pitched_notes()),
                            ("melody", melody.notes if melody else [])):
            heard = checks.degree_weight(notes, tonic, own)
            instead = checks.degree_weight(notes, tonic, rival)
            if heard <= instead:
                lines.append(f"{piece.name}, {part}: characteristic degree (+{own}) "
                             f"{heard} ticks, rival (+{rival}) {instead} ticks")
    assert not lines, "\n".join(lines)
