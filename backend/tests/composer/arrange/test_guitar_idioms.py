"""A guitar plays its style's idiom, on the notes: power chords in rock and metal, the skank
off the beat in reggae, short sixteenth-note chops in funk, fingerpicked arpeggios in a
ballad, four short chords to the bar in swing, boom-chick in country, strums in pop."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import Instrument
from ariaforge.composer.vocabulary import Style
from ariaforge.music.score import PPQ, Note
from tests.composer.arrange.bands import (
    ACOUSTIC,
    DISTORTED,
    ELECTRIC,
    FLUTE,
    NYLON,
    Band,
    onsets,
    play,
)
from tests.composer.arrange.material import JAZZ

SIXTEENTH = PPQ // 4


def longest_note(notes: list[Note]) -> int:
    """The longest written note, in ticks (a musical length, not a clock)."""
    return max((n.duration for n in notes), default=0)


def _guitar(style: Style, guitar: Instrument, bassist: bool = True, seed: int = 7,
            meter: str | None = None) -> tuple[Band, dict[int, list[int]]]:
    progression = JAZZ if style in (Style.JAZZ, Style.SWING) else ("I", "vi", "IV", "V")
    band = play(style, guitar, bassist=bassist, seed=seed, lead=FLUTE, meter=meter,
                progression=progression)
    return band, onsets(band.body(guitar.name))


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize(("style", "guitar"), [(Style.ROCK, DISTORTED), (Style.METAL, DISTORTED),
                                               (Style.ROCK, ELECTRIC), (Style.POP, DISTORTED)])
def test_rock_guitar_plays_power_chords(style: Style, guitar: Instrument, seed: int) -> None:
    band, struck = _guitar(style, guitar, seed=seed)
    assert len(struck) >= 5 * band.plan.bars  # eighths, mostly
    muted = [n for n in band.body(guitar.name) if n.duration <= band.plan.beat_ticks // 2]
    assert len(muted) >= 0.6 * len(band.body(guitar.name))  # palm-muted, short
    rung = 0
    for tick, pitches in struck.items():
        root, chord = pitches[0], band.chord_at(tick).chord
        assert root % 12 == chord.root_pc
        if len(pitches) == 4:  # an open chord rung on a downbeat: the third on top
            rung += 1
            assert style is not Style.METAL  # distortion keeps metal's power chords bare
            assert tick % band.plan.bar_ticks == 0
            assert pitches[:3] == [root, root + 7, root + 12]
            assert pitches[3] % 12 in chord.tone_pitch_classes and pitches[3] > root + 12
        else:
            assert pitches == [root, root + 7, root + 12], pitches
    assert rung <= band.plan.bars  # the chug is the part, the ring its accent


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("guitar", [ELECTRIC, ACOUSTIC, DISTORTED])
def test_reggae_skank_sounds_only_off_the_beat(guitar: Instrument, seed: int) -> None:
    band, struck = _guitar(Style.REGGAE, guitar, seed=seed)
    beat = band.plan.beat_ticks
    assert len(struck) >= band.plan.bars
    assert all(tick % beat for tick in struck)  # never on a beat
    assert all(len(pitches) >= 3 for pitches in struck.values())
    assert longest_note(band.body(guitar.name)) <= beat // 2  # short chords (ticks)


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_funk_chops_are_short_sixteenths(seed: int) -> None:
    band, struck = _guitar(Style.FUNK, ELECTRIC, seed=seed)
    notes = band.body(ELECTRIC.name)
    assert longest_note(notes) <= SIXTEENTH  # note lengths in ticks
    assert all(tick % SIXTEENTH == 0 for tick in struck)
    assert any(tick % (2 * SIXTEENTH) for tick in struck)  # syncopated sixteenths
    assert min(n.pitch for n in notes) >= 60  # high on the neck


@pytest.mark.parametrize("style", [Style.BALLAD, Style.LULLABY, Style.CLASSICAL])
@pytest.mark.parametrize("bassist", [True, False])
def test_fingerpicking_arpeggiates_across_the_strings(style: Style, bassist: bool) -> None:
    guitar = NYLON if style is Style.CLASSICAL else ACOUSTIC
    band, struck = _guitar(style, guitar, bassist=bassist)
    assert all(len(pitches) == 1 for pitches in struck.values())  # one string at a time
    for event in band.harmony[:-1]:
        pitches = [p[0] for t, p in struck.items() if event.start <= t < event.end]
        assert max(pitches) - min(pitches) > 12, pitches


def test_swing_guitar_plays_four_short_chords_to_the_bar() -> None:
    band, struck = _guitar(Style.SWING, Instrument(role=ELECTRIC.role, program=26,
                                                   name="Jazz Guitar"), meter="4/4")
    plan = band.plan
    assert sorted(struck) == [bar * plan.bar_ticks + beat * plan.beat_ticks
                              for bar in range(plan.bars - 1) for beat in range(4)]
    assert all(len(p) == 3 for p in struck.values())
    assert longest_note(band.body("Jazz Guitar")) <= plan.beat_ticks // 2  # ticks


def test_country_guitar_alone_plays_boom_chick() -> None:
    band, struck = _guitar(Style.COUNTRY, ACOUSTIC, bassist=False, meter="4/4")
    plan = band.plan
    for tick, pitches in struck.items():
        beat = tick % plan.bar_ticks / plan.beat_ticks
        if beat in (0, 2):  # boom: one bass note
            assert len(pitches) == 1 and pitches[0] < 55
        else:  # chick: the strum, down on the beat, up on its "and"
            assert len(pitches) >= 3 and min(pitches) >= 50


@pytest.mark.parametrize("style", [Style.POP, Style.FOLK, Style.CELTIC])
def test_strummed_guitar_strums_down_and_up(style: Style) -> None:
    band, struck = _guitar(style, ACOUSTIC)
    beat = band.plan.beat_ticks
    downs = [p for t, p in struck.items() if t % beat == 0]
    ups = [p for t, p in struck.items() if t % beat]
    assert downs and ups
    assert sum(map(len, ups)) / len(ups) < sum(map(len, downs)) / len(downs)  # lighter
