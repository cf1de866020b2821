"""A keyboard's left hand plays its style's idiom, on the notes: oom-pah in a waltz, Alberti
in a classical piece, wide arpeggios in a nocturne, stride in swing, boogie in the blues;
with no bassist it covers the bass, with one it stays above it."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import Instrument
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from ariaforge.music.score import ChordSymbol, Note, Role, Score, Section, Track
from ariaforge.music.validation import Severity, validate
from tests.composer.arrange.bands import (
    ACCORDION,
    CLAVINET,
    DISTORTED,
    ELECTRIC,
    FLUTE,
    HARPSICHORD,
    LEFT_HAND,
    NYLON,
    ORGAN,
    PIANO,
    RHODES,
    Band,
    onsets,
    play,
)
from tests.composer.arrange.material import JAZZ, POP, make_melody

SEEDS = (0, 1, 7)


def _by_beat(band: Band, name: str) -> dict[tuple[int, int], list[int]]:
    """(bar, beat) -> the pitches struck on that beat's onset, for every bar but the last."""
    plan = band.plan
    return {(tick // plan.bar_ticks, tick % plan.bar_ticks // plan.beat_ticks): pitches
            for tick, pitches in onsets(band.body(name)).items()
            if tick % plan.beat_ticks == 0}


def _per_chord(band: Band, notes: list[Note]) -> list[list[Note]]:
    """The notes under each chord of the harmony (but the last), in time order."""
    groups = [[n for n in notes if e.start <= n.start < e.end] for e in band.harmony[:-1]]
    return [sorted(g, key=lambda n: (n.start, n.pitch)) for g in groups if g]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("player", [LEFT_HAND, ACCORDION])
def test_waltz_left_hand_is_oom_pah_pah(seed: int, player: Instrument) -> None:
    band = play(Style.WALTZ, player, seed=seed)
    assert band.plan.meter.numerator == 3
    beats = _by_beat(band, player.name)
    bars = {bar for bar, _ in beats}
    assert len(bars) >= 8
    for bar in bars:
        oom, pah, pah2 = beats.get((bar, 0)), beats.get((bar, 1)), beats.get((bar, 2))
        assert oom is not None and len(oom) == 1, (bar, oom)
        assert pah is not None and pah2 is not None and len(pah) >= 2 and len(pah2) >= 2
        assert oom[0] < min(pah) and oom[0] < min(pah2)


@pytest.mark.parametrize("seed", SEEDS)
def test_alberti_bass_goes_low_high_middle_high(seed: int) -> None:
    band = play(Style.CLASSICAL, LEFT_HAND, seed=seed)
    figures = 0
    for group in _per_chord(band, band.body(LEFT_HAND.name)):
        assert all(len(p) == 1 for p in onsets(group).values())  # one tone at a time
        pitches = [n.pitch for n in group]
        for start in range(0, len(pitches) - 3, 4):
            low, high, middle, high_again = pitches[start:start + 4]
            assert low < middle < high == high_again, pitches
            figures += 1
    assert figures >= 8


@pytest.mark.parametrize("style", [Style.NOCTURNE, Style.BALLAD, Style.LULLABY])
def test_nocturne_left_hand_arpeggios_span_more_than_an_octave(style: Style) -> None:
    band = play(style, LEFT_HAND)
    groups = _per_chord(band, band.body(LEFT_HAND.name))
    assert len(groups) >= 8
    for group in groups:
        assert all(len(p) == 1 for p in onsets(group).values())
        pitches = [n.pitch for n in group]
        assert max(pitches) - min(pitches) > 12, pitches


@pytest.mark.parametrize("seed", SEEDS)
def test_stride_alternates_low_bass_and_middle_chords(seed: int) -> None:
    band = play(Style.SWING, LEFT_HAND, seed=seed, meter="4/4", progression=JAZZ)
    beats = _by_beat(band, LEFT_HAND.name)
    checked = 0
    for (bar, beat), pitches in beats.items():
        chord = beats.get((bar, beat + 1))
        if beat in (0, 2) and chord is not None:
            assert pitches[0] <= 50, pitches  # the bass, low
            assert len(chord) >= 3 and min(chord) > pitches[0] + 7, (pitches, chord)
            checked += 1
    assert checked >= 16


def test_boogie_left_hand_walks_up_and_down_the_chord() -> None:
    band = play(Style.BLUES, LEFT_HAND, meter="4/4")
    groups = _per_chord(band, band.body(LEFT_HAND.name))
    assert len(groups) >= 8
    for group in groups:
        pitches = [n.pitch for n in group]
        assert pitches[:5] == sorted(pitches[:5]) and len(set(pitches[:5])) == 5
        assert pitches[4] - pitches[0] == 10  # up to the flat seventh


STYLES_ALONE = [Style.WALTZ, Style.CLASSICAL, Style.NOCTURNE, Style.SWING, Style.BLUES,
                Style.JAZZ, Style.POP, Style.GOSPEL, Style.CHORALE, Style.BAROQUE,
                Style.LOFI_HIP_HOP, Style.ROCK, Style.BOSSA_NOVA]


@pytest.mark.parametrize("style", STYLES_ALONE)
def test_a_lone_left_hand_covers_the_bass(style: Style) -> None:
    band = play(style, LEFT_HAND)
    notes = band.parts[LEFT_HAND.name]
    rooted = changes = 0
    for event in band.harmony:
        sounding = [n.pitch for n in notes if n.start <= event.start < n.end
                    or n.start == event.start]
        if sounding:
            changes += 1
            rooted += min(sounding) % 12 == event.chord.bass_pc and min(sounding) < 55
    assert changes >= 8
    assert rooted >= 0.9 * changes, (rooted, changes)


@pytest.mark.parametrize("style", [Style.WALTZ, Style.JAZZ, Style.POP, Style.SWING,
                                   Style.CLASSICAL, Style.GOSPEL])
@pytest.mark.parametrize("player", [PIANO, RHODES, ORGAN])
def test_beside_a_bassist_a_keyboard_stays_above_the_bass(style: Style, player: Instrument
                                                          ) -> None:
    band = play(style, player, bassist=True)
    pitches = [n.pitch for n in band.parts[player.name]]
    assert pitches and min(pitches) >= 43
    # A voicing may dip a few semitones under the bassist's floor where staying above it
    # would leave only parallel fifths and octaves: rarely.
    assert sum(p >= 48 for p in pitches) >= 0.9 * len(pitches)


def test_jazz_piano_is_rootless_over_a_bassist_and_rooted_alone() -> None:
    def rooted(band: Band, name: str) -> float:
        struck = onsets(band.body(name))
        hits = [band.chord_at(t).chord.root_pc in {p % 12 for p in pitches}
                for t, pitches in struck.items() if len(pitches) >= 3]
        return sum(hits) / len(hits)

    with_bass = play(Style.JAZZ, PIANO, bassist=True, progression=JAZZ)
    alone = play(Style.JAZZ, LEFT_HAND, progression=JAZZ)
    assert rooted(with_bass, PIANO.name) < 0.2
    assert rooted(alone, LEFT_HAND.name) > 0.5 or all(
        min(p) % 12 == alone.chord_at(t).chord.bass_pc
        for t, p in onsets(alone.body(LEFT_HAND.name)).items() if t % alone.plan.bar_ticks == 0)


def test_hymn_organ_holds_its_chords() -> None:
    band = play(Style.CHORALE, ORGAN, bassist=True)
    notes = band.body(ORGAN.name)
    chords = list(band.harmony[:-1])
    struck = onsets(notes)
    assert set(struck) <= {e.start for e in chords}  # one chord per change, held
    assert all(n.duration >= 0.9 * band.chord_at(n.start).duration for n in notes)


def test_harpsichord_rolls_its_chords_over_a_walking_continuo() -> None:
    band = play(Style.BAROQUE, HARPSICHORD)
    struck = onsets(band.body(HARPSICHORD.name))
    plan = band.plan
    on_beats = [t for t in struck if t % plan.beat_ticks == 0]
    rolled = [t for t in struck if t % plan.beat_ticks]
    assert len(on_beats) >= (plan.bars - 1) * plan.meter.numerator * 0.9  # a note a beat
    assert rolled and all(len(struck[t]) == 1 for t in rolled)  # the tones one by one


def _score(band: Band, melody: list[Note]) -> Score:
    plan = band.plan
    tracks = [Track(name="Melody", role=Role.MELODY, program=73, notes=melody)]
    tracks += [Track(id=f"t{i}", name=name, role=Role.CHORDS, program=program, notes=notes)
               for i, ((name, notes), program) in enumerate(zip(
                   band.parts.items(), band.programs, strict=True))]
    return Score(tempo=plan.tempo, key=plan.key, meter=plan.meter, bars=plan.bars,
                 sections=[Section(name=s.name, start_bar=s.start_bar, bars=s.bars)
                           for s in plan.sections],
                 chord_symbols=[ChordSymbol(tick=e.start, symbol=e.chord.symbol)
                                for e in band.harmony], tracks=tracks)


@pytest.mark.parametrize("style", list(Style))
def test_idiomatic_parts_pass_the_validator(style: Style) -> None:
    """Every idiom in every style, a left hand alone and a band of three chord parts over a
    bassist: no errors, nothing outside an instrument's range."""
    progression = JAZZ if style in (Style.JAZZ, Style.SWING, Style.LOFI_HIP_HOP) else POP
    for players, bassist in (((LEFT_HAND,), False), ((PIANO, ELECTRIC, ORGAN), True),
                             ((HARPSICHORD, NYLON), False), ((CLAVINET, DISTORTED), True)):
        band = play(style, *players, bassist=bassist, progression=progression, lead=FLUTE)
        melody = make_melody(band.plan, band.harmony)
        report = validate(_score(band, melody), STYLE_PROFILES[style].validation_style)
        errors = [v for v in report.violations if v.severity is Severity.ERROR
                  or v.rule == "instrument-range"]
        assert not errors, (players, errors[:3])
