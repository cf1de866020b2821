"""Whole tracks from `arrange_track`: energy sets density, the seed decides the notes,
phrases repeat, registers fit the instrument, and the validator finds no errors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ariaforge.composer.arrange import arrange_track, register_for
from ariaforge.composer.brief import Instrument, parse_brief
from ariaforge.composer.plan import plan_form
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from ariaforge.music.score import ChordSymbol, Note, Role, Score, Section, Track
from ariaforge.music.validation import Severity, validate
from ariaforge.music.validation.ranges import instrument_range
from tests.composer.arrange.material import (
    ACCOMPANIMENT,
    BASS,
    COUNTER,
    DRUMS,
    JAZZ,
    PAD,
    PIANO,
    POP,
    arrange,
    bar_of,
    make_harmony,
    make_melody,
    make_plan,
)


def test_energy_sets_density() -> None:
    plan = make_plan(Style.HOUSE)
    harmony = make_harmony(plan)
    intro, drop = plan.sections[0], plan.sections[1]
    assert intro.name == "intro" and drop.name == "drop"
    for instrument in (PIANO, BASS, DRUMS):
        notes = arrange(plan, harmony, instrument)

        def per_bar(section: object, notes: list[Note] = notes) -> float:
            bars = range(section.start_bar, section.end_bar)  # type: ignore[attr-defined]
            return sum(bar_of(plan, n.start) in bars for n in notes) / len(bars)

        assert per_bar(intro) < per_bar(drop), instrument.name
    quiet = replace(plan, bar_energy=tuple(0.2 for _ in plan.bar_energy))
    loud = replace(plan, bar_energy=tuple(1.0 for _ in plan.bar_energy))
    soft = arrange(quiet, harmony, PIANO)
    strong = arrange(loud, harmony, PIANO)
    assert max(n.velocity for n in soft) < max(n.velocity for n in strong)


def note_tuples(notes: list[Note]) -> list[tuple[int, int, int, int]]:
    return [(n.start, n.pitch, n.duration, n.velocity) for n in notes]


@pytest.mark.parametrize("style", [Style.JAZZ, Style.POP, Style.BOSSA_NOVA, Style.AMBIENT])
def test_same_seed_same_notes_other_seed_other_notes(style: Style) -> None:
    first, again, other = make_plan(style, seed=1), make_plan(style, seed=1), \
        make_plan(style, seed=2)
    harmony = make_harmony(first, JAZZ)
    for instrument in ACCOMPANIMENT:
        assert note_tuples(arrange(first, harmony, instrument)) == \
            note_tuples(arrange(again, harmony, instrument))
    differs = [note_tuples(arrange(first, harmony, i)) != note_tuples(arrange(other, harmony, i))
               for i in ACCOMPANIMENT]
    assert any(differs)


def test_repeated_phrases_repeat_their_rhythm() -> None:
    plan = make_plan(Style.JAZZ)
    harmony = make_harmony(plan, JAZZ)
    first, second = [s for s in plan.sections if s.phrase == "A"][:2]
    for instrument in (PIANO, DRUMS):
        notes = arrange(plan, harmony, instrument)

        def onsets(section: object, notes: list[Note] = notes) -> list[int]:
            start = plan.bar_start(section.start_bar)  # type: ignore[attr-defined]
            end = plan.bar_start(section.end_bar - 1)  # type: ignore[attr-defined]
            return sorted({n.start - start for n in notes if start <= n.start < end})

        assert onsets(first) == onsets(second), instrument.name


def test_registers_fit_the_instrument() -> None:
    for program in (0, 24, 32, 38, 40, 42, 52, 56, 58, 66, 73, 89):
        low, high, _ = instrument_range(program)
        for role in (Role.MELODY, Role.CHORDS, Role.PAD, Role.BASS, Role.OTHER):
            lo, hi = register_for(Instrument(role=role, program=program, name="x"), role)
            assert low <= lo < hi <= high and hi - lo >= 12, (program, role)
    assert register_for(PIANO, Role.MELODY)[0] >= 55
    assert register_for(BASS, Role.BASS)[1] <= 60
    assert register_for(DRUMS, Role.DRUMS) == (35, 81)


def test_the_melody_is_not_arranged() -> None:
    plan = make_plan(Style.POP)
    with pytest.raises(ValueError, match="melody"):
        arrange(plan, make_harmony(plan), Instrument(role=Role.MELODY, program=0, name="P"))


@pytest.mark.parametrize("style", list(Style))
def test_validator_finds_no_errors(style: Style) -> None:
    brief = parse_brief(f"a {style.value} piece, seed 11")
    plan = plan_form(brief)
    harmony = make_harmony(plan, JAZZ if style in (Style.JAZZ, Style.LOFI_HIP_HOP) else POP)
    melody = make_melody(plan, harmony)
    tracks = [Track(name="Melody", role=Role.MELODY, program=73, notes=melody)]
    for index, instrument in enumerate((*brief.instruments, PAD, COUNTER)):
        if instrument.role is Role.MELODY:
            continue
        notes = arrange_track(plan, harmony, melody, instrument)
        tracks.append(Track(id=f"t{index}", name=instrument.name, role=instrument.role,
                            program=instrument.program, is_drum=instrument.is_drum,
                            notes=notes))
    score = Score(tempo=plan.tempo, key=plan.key, meter=plan.meter, bars=plan.bars,
                  sections=[Section(name=s.name, start_bar=s.start_bar, bars=s.bars)
                            for s in plan.sections],
                  chord_symbols=[ChordSymbol(tick=e.start, symbol=e.chord.symbol)
                                 for e in harmony], tracks=tracks)
    report = validate(score, STYLE_PROFILES[style].validation_style)
    errors = [v for v in report.violations if v.severity is Severity.ERROR]
    assert not errors, errors[:3]
    ranges = [v for v in report.violations if v.rule == "instrument-range"]
    assert not ranges, ranges[:3]


Groove = tuple[object, list[tuple[int, list[int]]]]


def _groove_and_voicing(style: Style, seed: int
                        ) -> tuple[object, Groove, tuple[float, float]]:
    """(drum hits, comping onsets bar by bar, comping voicing shape) for one seed of one
    brief, the same music-free brief text for every seed."""
    brief = parse_brief(f"a {style.value} piece in D, 32 bars", seed=seed)
    plan = plan_form(brief)
    harmony = make_harmony(plan, JAZZ if style in (Style.JAZZ, Style.SWING) else POP)
    melody = make_melody(plan, harmony)
    drums = note_tuples(arrange_track(plan, harmony, melody, DRUMS))
    comping = arrange_track(plan, harmony, melody, PIANO)
    onsets: dict[int, set[int]] = {}
    for note in comping:
        onsets.setdefault(bar_of(plan, note.start), set()).add(note.start % plan.bar_ticks)
    by_start: dict[int, list[int]] = {}
    for note in comping:
        by_start.setdefault(note.start, []).append(note.pitch)
    chords = [sorted(p) for p in by_start.values() if len(p) > 1] or [
        [n.pitch for n in comping]]
    shape = (sum(c[0] for c in chords) / len(chords), sum(c[-1] - c[0] for c in chords)
             / len(chords))
    controls = (brief.style, brief.key, brief.tempo, brief.meter, brief.bars,
                brief.instruments)
    return controls, (drums, sorted((b, sorted(o)) for b, o in onsets.items())), shape


def test_seeds_vary_groove_and_voicing_with_the_controls_fixed() -> None:
    grooves = registers = 0
    for style in Style:
        controls, groove, shape = _groove_and_voicing(style, 0)
        other_controls, other_groove, other_shape = _groove_and_voicing(style, 1)
        assert controls == other_controls, style
        grooves += groove[0] != other_groove[0] or groove[1] != other_groove[1]
        registers += any(abs(a - b) >= 1 for a, b in zip(shape, other_shape, strict=True))
    assert grooves == len(Style)
    assert registers >= 0.85 * len(Style), registers
