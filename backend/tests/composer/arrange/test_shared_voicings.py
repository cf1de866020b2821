"""Several chord instruments never share a voicing: across bands of two and three chord
instruments in many styles, with and without a bassist, no two parts strike the same
pitches at the same moment, at a chord change or anywhere else; and they split the work
by register. Every family plays every style, in its range, the same way each time."""

from __future__ import annotations

import itertools

import pytest

from ariaforge.composer.arrange import Ensemble, arrange_track
from ariaforge.composer.arrange.idioms import Family, family_of
from ariaforge.composer.brief import Instrument, parse_brief
from ariaforge.composer.plan import plan_form
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import Role
from ariaforge.music.validation.ranges import instrument_range
from tests.composer.arrange.bands import (
    ACCORDION,
    ACOUSTIC,
    CLAVINET,
    DISTORTED,
    ELECTRIC,
    FLUTE,
    NYLON,
    ORGAN,
    PIANO,
    RHODES,
    Band,
    chords,
    onsets,
    play,
)
from tests.composer.arrange.material import BASS, JAZZ, POP, make_harmony, make_melody

PAD = Instrument(role=Role.PAD, program=89, name="Warm Pad")
BANDS = [(PIANO, ELECTRIC), (PIANO, ELECTRIC, ORGAN), (RHODES, ACOUSTIC), (PIANO, RHODES),
         (ORGAN, ACCORDION), (ELECTRIC, DISTORTED), (NYLON, PIANO), (CLAVINET, ELECTRIC),
         (PIANO, chords(1, "Bright Piano")), (ACOUSTIC, PIANO, PAD)]
STYLES = [Style.POP, Style.ROCK, Style.JAZZ, Style.FUNK, Style.REGGAE, Style.WALTZ,
          Style.FOLK, Style.GOSPEL, Style.BOSSA_NOVA, Style.BLUES, Style.CLASSICAL,
          Style.BALLAD, Style.LOFI_HIP_HOP, Style.COUNTRY, Style.SWING]


def _band(style: Style, players: tuple[Instrument, ...], bassist: bool) -> Band:
    progression = JAZZ if style in (Style.JAZZ, Style.SWING, Style.LOFI_HIP_HOP) else POP
    return play(style, *players, bassist=bassist, progression=progression, lead=FLUTE)


def _shared(band: Band, changes_only: bool) -> tuple[int, int]:
    """(moments where two parts strike identical pitch sets, moments compared)."""
    changes = {event.start for event in band.harmony}
    struck = [onsets(notes) for notes in band.parts.values()]
    same = compared = 0
    for first, second in itertools.combinations(struck, 2):
        for tick in first.keys() & second.keys():
            if changes_only and tick not in changes:
                continue
            compared += 1
            same += first[tick] == second[tick]
    return same, compared


@pytest.mark.parametrize("bassist", [True, False])
@pytest.mark.parametrize("players", BANDS, ids=lambda band: "+".join(i.name for i in band))
def test_chord_instruments_never_share_a_voicing(players: tuple[Instrument, ...],
                                                  bassist: bool) -> None:
    compared = 0
    for style in STYLES:
        band = _band(style, players, bassist)
        for changes_only in (True, False):
            same, count = _shared(band, changes_only)
            assert same == 0, (style, changes_only, same, count)
            compared += count
    assert compared > 0


@pytest.mark.parametrize("style", [Style.POP, Style.ROCK, Style.JAZZ, Style.GOSPEL])
def test_two_chord_parts_split_the_register(style: Style) -> None:
    band = _band(style, (PIANO, ELECTRIC), bassist=True)
    piano = sorted(n.pitch for n in band.body(PIANO.name))
    guitar = sorted(n.pitch for n in band.body(ELECTRIC.name))
    assert piano[len(piano) // 2] < guitar[len(guitar) // 2]  # one low-middle, one high
    assert max(piano) <= min(guitar) + 12 or style is Style.ROCK  # rock: the power chords


@pytest.mark.parametrize("family", list(Family))
def test_every_family_plays_every_style_in_range_and_the_same_each_time(family: Family
                                                                        ) -> None:
    program = next((p for p in range(128) if family_of(p) is family), 80)
    player = chords(program, f"{family.value} player")
    for style in Style:
        for bassist in (True, False):
            plan = plan_form(parse_brief(f"a {style.value} piece, 8 bars, seed 3"))
            harmony = make_harmony(plan)
            melody = make_melody(plan, harmony)
            band = (FLUTE, player, *((BASS,) if bassist else ()))
            notes = arrange_track(plan, harmony, melody, player, Ensemble(band, 1))
            low, high, _ = instrument_range(program)
            assert notes and all(low <= n.pitch <= high for n in notes), (style, bassist)
            again = arrange_track(plan, harmony, melody, player, Ensemble(band, 1))
            assert [(n.pitch, n.start, n.duration) for n in again] == \
                [(n.pitch, n.start, n.duration) for n in notes]
