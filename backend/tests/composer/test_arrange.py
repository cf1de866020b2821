"""The arrangement step on real plans: bar arithmetic in every metre, bass roots, the
walking line, drums and fills, swing, voice leading, energy, determinism and the
validator."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace

import pytest

from ariaforge.composer.arrange import arrange_track, register_for
from ariaforge.composer.arrange_timing import beat_grid
from ariaforge.composer.brief import Instrument, parse_brief
from ariaforge.composer.plan import ChordEvent, Plan, plan_form
from ariaforge.composer.styles import CRASH, KICK
from ariaforge.composer.vocabulary import STYLE_PROFILES, Style
from ariaforge.music.score import PPQ, ChordSymbol, Meter, Note, Role, Score, Section, Track
from ariaforge.music.theory.roman import chord_from_roman
from ariaforge.music.validation import Severity, validate
from ariaforge.music.validation.ranges import instrument_range

METERS = ("2/4", "3/4", "4/4", "6/8", "5/4", "7/8", "12/8")
POP = ("I", "vi", "IV", "V")
JAZZ = ("ii7", "V7", "Imaj7", "vi7")
PIANO = Instrument(role=Role.CHORDS, program=0, name="Piano")
PAD = Instrument(role=Role.PAD, program=89, name="Warm Pad")
BASS = Instrument(role=Role.BASS, program=33, name="Bass")
DRUMS = Instrument(role=Role.DRUMS, program=0, name="Drums", is_drum=True)
COUNTER = Instrument(role=Role.OTHER, program=41, name="Viola")
ACCOMPANIMENT = (PIANO, PAD, BASS, DRUMS, COUNTER)


def make_plan(style: Style, meter: str | None = None, seed: int = 7) -> Plan:
    plan = plan_form(parse_brief(f"a {style.value} piece, seed {seed}"))
    return replace(plan, meter=Meter.parse(meter)) if meter else plan


def make_harmony(plan: Plan, progression: tuple[str, ...] = POP,
                 per_bar: int = 1) -> list[ChordEvent]:
    """The progression spread over the bars, `per_bar` chords a bar, ending on I."""
    events = []
    step = plan.bar_ticks // per_bar
    for index in range(plan.bars * per_bar):
        numeral = progression[index % len(progression)]
        if index >= (plan.bars - 1) * per_bar:
            numeral = "I"
        chord = chord_from_roman(numeral, plan.key)
        events.append(ChordEvent(index * step, step, chord, numeral))
    return events


def make_melody(plan: Plan, harmony: list[ChordEvent]) -> list[Note]:
    """Chord tones a beat apart, in a register above any accompaniment."""
    notes = []
    for event in harmony:
        tones = event.chord.tone_pitch_classes
        tick, index = event.start, 0
        while tick < event.end:
            length = min(plan.beat_ticks, event.end - tick)
            pitch = 77 + (tones[index % len(tones)] - 77) % 12
            notes.append(Note(pitch=pitch, start=tick, duration=length))
            tick, index = tick + length, index + 1
    return notes


def arrange(plan: Plan, harmony: list[ChordEvent], instrument: Instrument,
            melody: list[Note] | None = None) -> list[Note]:
    return arrange_track(plan, harmony, make_melody(plan, harmony) if melody is None
                         else melody, instrument)


def blocks(notes: list[Note]) -> list[tuple[int, list[int]]]:
    by_start: dict[int, list[int]] = {}
    for note in notes:
        by_start.setdefault(note.start, []).append(note.pitch)
    return [(tick, sorted(by_start[tick])) for tick in sorted(by_start)]


def bar_of(plan: Plan, tick: int) -> int:
    return tick // plan.bar_ticks + 1


# --- bar arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize("style", list(Style))
def test_bar_arithmetic_in_every_meter(style: Style) -> None:
    for meter in METERS:
        plan = make_plan(style, meter)
        harmony = make_harmony(plan)
        for instrument in ACCOMPANIMENT:
            notes = arrange(plan, harmony, instrument)
            assert notes, f"{style} {meter} {instrument.name}: no notes"
            assert all(n.start >= 0 and n.duration > 0 and n.end <= plan.total_ticks
                       for n in notes)
            by_pitch = sorted(notes, key=lambda n: (n.pitch, n.start))
            for before, after in itertools.pairwise(by_pitch):
                assert before.pitch != after.pitch or before.end <= after.start


def test_beat_grid_groups_every_meter() -> None:
    assert [b.length for b in beat_grid(Meter.parse("7/8"))] == [480, 480, 720]
    assert [b.length for b in beat_grid(Meter.parse("6/8"))] == [720, 720]
    assert [b.strong for b in beat_grid(Meter.parse("4/4"))] == [True, False, True, False]
    for meter in METERS:
        parsed = Meter.parse(meter)
        assert sum(b.length for b in beat_grid(parsed)) == parsed.ticks_per_bar


# --- bass -----------------------------------------------------------------------------


@pytest.mark.parametrize("style", [s for s in Style if s not in (Style.JAZZ, Style.SWING)])
def test_bass_plays_roots_at_changes_and_roots_or_fifths_on_strong_beats(style: Style) -> None:
    for meter in ("4/4", "3/4", "6/8"):
        plan = make_plan(style, meter)
        harmony = make_harmony(plan, per_bar=2 if meter == "4/4" else 1)
        notes = arrange(plan, harmony, BASS)
        low, high = register_for(BASS, Role.BASS)
        assert all(low <= n.pitch <= high for n in notes)
        starts = {n.start: n for n in notes}
        strong = [plan.bar_start(bar) + beat.offset for bar in range(1, plan.bars + 1)
                  for beat in beat_grid(plan.meter) if beat.strong]
        for event in harmony:
            if event.start in starts:
                assert starts[event.start].pitch % 12 == event.chord.bass_pc
        for tick in strong:
            event = next(e for e in harmony if e.start <= tick < e.end)
            if tick in starts:
                tones = event.chord.tone_pitch_classes
                allowed = {event.chord.bass_pc, tones[2], (tones[0] + 12) % 12}
                if style is Style.BLUES:
                    allowed |= set(tones)  # the boogie walks up the chord
                assert starts[tick].pitch % 12 in allowed, (style, meter, tick)


def test_walking_bass_approaches_each_chord_by_step() -> None:
    for style in (Style.JAZZ, Style.SWING):
        plan = make_plan(style)
        plan = replace(plan, bar_energy=tuple(0.9 for _ in plan.bar_energy))
        harmony = make_harmony(plan, JAZZ)
        notes = sorted(arrange(plan, harmony, BASS), key=lambda n: n.start)
        quarters = [n for n in notes if n.start % PPQ == 0]
        assert len(quarters) >= plan.bars * 3  # a note on (nearly) every beat
        changes = {e.start: e for e in harmony}
        approached = 0
        for before, after in itertools.pairwise(notes):
            if after.start in changes and after.start < plan.bar_start(plan.bars):
                assert after.pitch % 12 == changes[after.start].chord.bass_pc
                assert abs(after.pitch - before.pitch) <= 2, (before, after)
                approached += 1
        assert approached >= plan.bars - 2


# --- drums ----------------------------------------------------------------------------


@pytest.mark.parametrize("style", list(Style))
def test_drums_use_percussion_keys_and_fill_section_ends(style: Style) -> None:
    plan = make_plan(style)
    notes = arrange(plan, make_harmony(plan), DRUMS)
    assert all(35 <= n.pitch <= 81 for n in notes)
    per_bar: dict[int, Counter[int]] = {}
    for note in notes:
        per_bar.setdefault(bar_of(plan, note.start), Counter())[note.pitch] += 1
    for section in plan.sections[:-1]:
        last, before = section.end_bar - 1, section.end_bar - 2
        if section.bars < 2:
            continue
        fill, groove = per_bar.get(last, Counter()), per_bar.get(before, Counter())
        new_keys = set(fill) - set(groove) - {CRASH}
        assert new_keys or sum(fill.values()) > sum(groove.values()), (style, section.name)
    final = [n for n in notes if bar_of(plan, n.start) == plan.bars]
    assert {n.pitch for n in final} == {CRASH, KICK}


def offbeats(notes: list[Note], plan: Plan) -> Counter[int]:
    return Counter(n.start % PPQ for n in notes if n.start % PPQ)


def test_swing_delays_offbeats_in_swung_styles_only() -> None:
    for style in (Style.JAZZ, Style.SWING, Style.BLUES):
        plan = make_plan(style)
        assert plan.swing
        positions = offbeats(arrange(plan, make_harmony(plan), DRUMS), plan)
        assert positions[320] > 0 and positions[240] == 0, style
    lofi = make_plan(Style.LOFI_HIP_HOP)
    positions = offbeats(arrange(lofi, make_harmony(lofi), DRUMS), lofi)
    assert positions[288] > 0 and positions[240] == 0
    for style in (Style.ROCK, Style.POP, Style.HOUSE, Style.BOSSA_NOVA):
        plan = make_plan(style)
        assert not plan.swing
        positions = offbeats(arrange(plan, make_harmony(plan), DRUMS), plan)
        assert positions[240] > 0 and positions[320] == 0, style


@pytest.mark.parametrize("style", [Style.HOUSE, Style.EDM])
def test_four_on_the_floor_in_the_drops(style: Style) -> None:
    plan = make_plan(style)
    notes = arrange(plan, make_harmony(plan), DRUMS)
    kicks = {n.start for n in notes if n.pitch == KICK}
    drops = [s for s in plan.sections if s.name == "drop"]
    assert drops
    for section in drops:
        for bar in range(section.start_bar, section.end_bar):
            for beat in range(4):
                assert plan.bar_start(bar) + beat * PPQ in kicks, (section.name, bar, beat)


# --- comping --------------------------------------------------------------------------


def naive_motion(harmony: list[ChordEvent]) -> int:
    """Root-position triads and sevenths from C3: what no voice leading gives."""
    shapes = []
    for event in harmony:
        root = 48 + event.chord.root_pc
        shapes.append(sorted(root + (pc - event.chord.root_pc) % 12
                             for pc in event.chord.tone_pitch_classes))
    return sum(sum(abs(a - b) for a, b in zip(x, y, strict=False))
               for x, y in itertools.pairwise(shapes))


@pytest.mark.parametrize(("style", "progression"), [
    (Style.POP, POP), (Style.JAZZ, JAZZ), (Style.CHORALE, POP), (Style.AMBIENT, JAZZ),
    (Style.BOSSA_NOVA, JAZZ), (Style.WALTZ, POP), (Style.HOUSE, POP)])
def test_voicings_lead_smoothly_under_the_melody(style: Style,
                                                 progression: tuple[str, ...]) -> None:
    plan = make_plan(style)
    harmony = make_harmony(plan, progression)
    melody = make_melody(plan, harmony)
    for instrument in (PIANO, PAD):
        notes = arrange(plan, harmony, instrument, melody)
        chords = [(tick, pitches) for tick, pitches in blocks(notes) if len(pitches) > 1]
        for tick, pitches in chords:
            event = next(e for e in harmony if e.start <= tick < e.end + plan.beat_ticks)
            tones = event.chord.tone_pitch_classes
            sounding = [n.pitch for n in melody if n.start <= tick < n.end]
            if sounding:
                assert max(pitches) < min(sounding), (tick, pitches, sounding)
            if len(tones) >= 4 and event.start == tick:
                assert {tones[1], tones[3]} <= {p % 12 for p in pitches}, (tick, pitches)
        motion = 0
        for (_, first), (_, second) in itertools.pairwise(chords):
            if len(first) != len(second):
                continue
            motion += sum(abs(a - b) for a, b in zip(first, second, strict=True))
            for voice in range(len(second)):
                assert voice + 1 >= len(first) or second[voice] <= first[voice + 1]
                assert voice == 0 or second[voice] >= first[voice - 1]
        assert motion < naive_motion(harmony), style


def test_waltz_comping_plays_beats_two_and_three() -> None:
    plan = make_plan(Style.WALTZ)
    assert str(plan.meter) == "3/4"
    notes = arrange(plan, make_harmony(plan), PIANO)
    positions = Counter(n.start % plan.bar_ticks for n in notes
                        if bar_of(plan, n.start) < plan.bars)
    assert set(positions) == {PPQ, 2 * PPQ}


def test_final_bar_holds_the_tonic() -> None:
    plan = make_plan(Style.POP)
    harmony = make_harmony(plan)
    last = plan.bar_start(plan.bars)
    tonic = harmony[-1].chord.root_pc
    for instrument in (PIANO, BASS, PAD):
        final = [n for n in arrange(plan, harmony, instrument) if n.end > last]
        assert final and all(n.start == last and n.end == plan.total_ticks for n in final)
        assert tonic in {n.pitch % 12 for n in final}


def test_chorale_inner_voices_stay_between_melody_and_bass() -> None:
    plan = make_plan(Style.CHORALE)
    harmony = make_harmony(plan)
    melody = make_melody(plan, harmony)
    alto = Instrument(role=Role.CHORDS, program=52, name="Alto")
    tenor = Instrument(role=Role.CHORDS, program=52, name="Tenor")
    alto_notes = {n.start: n.pitch for n in arrange(plan, harmony, alto, melody)}
    tenor_notes = {n.start: n.pitch for n in arrange(plan, harmony, tenor, melody)}
    assert alto_notes.keys() == tenor_notes.keys()
    for tick, pitch in alto_notes.items():
        top = min(n.pitch for n in melody if n.start <= tick < n.end)
        assert tenor_notes[tick] < pitch < top


def test_counterline_sits_under_the_melody_on_chord_tones() -> None:
    plan = make_plan(Style.FOLK)
    harmony = make_harmony(plan)
    melody = make_melody(plan, harmony)
    notes = arrange(plan, harmony, COUNTER, melody)
    for note in notes:
        event = next(e for e in harmony if e.start <= note.start < e.end)
        assert note.pitch % 12 in event.chord.tone_pitch_classes
        above = [m.pitch for m in melody if m.start <= note.start < m.end]
        assert not above or note.pitch < min(above)


# --- energy, determinism, registers, validation ----------------------------------------


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
