"""Each rule with a musical example that triggers it and one that must not."""

from __future__ import annotations

from typing import Any

import pytest

from ariaforge.music.score import (
    ChordSymbol,
    Key,
    Meter,
    Mode,
    Note,
    Role,
    Score,
    Section,
    Track,
)
from ariaforge.music.validation import Severity, UnknownRuleError, validate
from ariaforge.music.validation.engine import summary_score

Q = 480  # a quarter note


def notes(*specs: tuple[int, int, int]) -> list[Note]:
    return [Note(pitch=p, start=s, duration=d) for p, s, d in specs]


def melody(*pitches: int, start: int = 0, length: int = Q) -> Track:
    return Track(id="melody", name="Melody", role=Role.MELODY, program=0,
                 notes=notes(*[(p, start + i * length, length) for i, p in enumerate(pitches)]))


def score(*tracks: Track, key: str = "C", mode: Mode = Mode.MAJOR, bars: int = 4,
          **extra: Any) -> Score:
    return Score(key=Key(tonic=key, mode=mode), meter=Meter(), bars=bars, tracks=list(tracks),
                 **extra)


def found(report_score: Score, rule: str, style: str | None = None) -> list[Any]:
    return [v for v in validate(report_score, style).violations if v.rule == rule]


# --- non-diatonic notes -------------------------------------------------------------

def test_a_chromatic_note_by_leap_is_flagged_with_its_place() -> None:
    violations = found(score(melody(60, 66, 60, 64)), "non-diatonic-note")
    assert len(violations) == 1
    violation = violations[0]
    assert violation.severity is Severity.WARNING
    assert (violation.bar, violation.beat, violation.track_id) == (1, 2.0, "melody")
    assert "F#" in violation.message and "C major" in violation.message


def test_chromatic_passing_and_neighbour_notes_are_fine() -> None:
    passing = score(melody(65, 66, 67, 69))      # F F# G A
    neighbour = score(melody(67, 68, 67, 64))    # G G# G E
    assert found(passing, "non-diatonic-note") == []
    assert found(neighbour, "non-diatonic-note") == []


def test_chromatic_chord_tones_are_fine() -> None:
    # F# as the third of D7, a secondary dominant, stated by the chord symbol.
    music = score(melody(66, 67, 64, 60), chord_symbols=[
        ChordSymbol(tick=0, symbol="D7"), ChordSymbol(tick=Q, symbol="G")])
    assert found(music, "non-diatonic-note") == []


def test_raised_sixth_and_seventh_belong_to_minor() -> None:
    music = score(melody(69, 71, 72, 74, 76, 78, 80, 81), key="A", mode=Mode.MINOR, bars=2)
    assert found(music, "non-diatonic-note") == []


def test_blue_notes_are_flagged_in_common_practice_but_not_in_blues() -> None:
    tune = score(melody(60, 63, 60, 70, 60, 66, 60), bars=2)  # C Eb C Bb C F# C
    assert len(found(tune, "non-diatonic-note")) == 3
    assert found(tune, "non-diatonic-note", style="blues") == []


# --- ranges, leaps, augmented seconds -------------------------------------------------

def test_instrument_range() -> None:
    violin = Track(id="v", role=Role.MELODY, program=40, notes=notes((40, 0, Q), (67, Q, Q)))
    violations = found(score(violin), "instrument-range")
    assert [v.note_ids for v in violations] == [[violin.notes[0].id]]
    assert "violin" in violations[0].message


def test_leaps_over_an_octave() -> None:
    assert len(found(score(melody(60, 74)), "large-leap")) == 1   # C4 to D5
    assert found(score(melody(60, 72, 67)), "large-leap") == []   # an octave is fine


def test_augmented_second_in_minor() -> None:
    assert len(found(score(melody(77, 80, 81), key="A", mode=Mode.MINOR),
                     "augmented-second")) == 1                   # F G# A
    assert found(score(melody(77, 79, 81), key="A", mode=Mode.MINOR),
                 "augmented-second") == []                       # F G A


# --- voice leading --------------------------------------------------------------------

def bass(*pitches: int) -> Track:
    return Track(id="bass", name="Bass", role=Role.BASS, program=32,
                 notes=notes(*[(p, i * Q, Q) for i, p in enumerate(pitches)]))


def chords(*blocks: tuple[int, ...]) -> Track:
    return Track(id="chords", name="Chords", role=Role.CHORDS, program=0, notes=[
        Note(pitch=p, start=i * Q, duration=Q) for i, block in enumerate(blocks) for p in block])


def test_parallel_fifths_between_melody_and_bass() -> None:
    parallel = score(melody(72, 74), bass(53, 55))               # C5/F3 -> D5/G3
    violations = found(parallel, "parallel-perfect-intervals")
    assert len(violations) == 1 and "fifths" in violations[0].message
    contrary = score(melody(72, 71), bass(53, 55))               # C5/F3 -> B4/G3
    assert found(contrary, "parallel-perfect-intervals") == []


def test_parallel_octaves_and_fifths_inside_a_chord_track() -> None:
    assert len(found(score(chords((60, 67), (62, 69))), "parallel-perfect-intervals")) == 1
    assert len(found(score(chords((48, 60), (50, 62))), "parallel-perfect-intervals")) == 1
    good = score(chords((60, 64, 67), (59, 62, 67)))             # C major to G/B, common G
    assert found(good, "parallel-perfect-intervals") == []


def test_parallel_fifths_are_fine_in_rock() -> None:
    power_chords = score(chords((40, 47), (43, 50), (45, 52)))
    assert found(power_chords, "parallel-perfect-intervals") != []
    assert found(power_chords, "parallel-perfect-intervals", style="rock") == []


def test_voice_crossing_in_chord_tracks() -> None:
    crossing = score(chords((60, 64, 67), (60, 69, 71)))         # E4 leaps above old G4
    assert len(found(crossing, "voice-crossing")) == 1
    assert found(score(chords((60, 64, 67), (59, 62, 67))), "voice-crossing") == []


def test_unresolved_leading_tone_at_a_cadence() -> None:
    symbols = [ChordSymbol(tick=0, symbol="G7"), ChordSymbol(tick=1920, symbol="C")]
    # B4 at the end of the G7 bar, then A4 over C: the leading tone falls.
    unresolved = score(Track(id="melody", role=Role.MELODY, notes=notes(
        (74, 960, Q), (71, 1440, Q), (69, 1920, 2 * Q))), bars=2, chord_symbols=symbols)
    violations = found(unresolved, "unresolved-leading-tone")
    assert len(violations) == 1 and violations[0].bar == 1
    resolved = score(Track(id="melody", role=Role.MELODY, notes=notes(
        (74, 960, Q), (71, 1440, Q), (72, 1920, 2 * Q))), bars=2, chord_symbols=symbols)
    assert found(resolved, "unresolved-leading-tone") == []


def test_weak_progression_v_to_iv() -> None:
    def progression(*symbols: str) -> Score:
        return score(melody(67, 65, 64, 60), chord_symbols=[
            ChordSymbol(tick=i * 1920, symbol=s) for i, s in enumerate(symbols)])
    assert len(found(progression("C", "G", "F", "C"), "weak-progression")) == 1
    assert found(progression("C", "F", "G", "C"), "weak-progression") == []
    assert found(progression("C", "G", "F", "C"), "weak-progression", style="blues") == []


def test_harmony_is_recognised_from_notes_without_symbols() -> None:
    # G B D F then F A C: V7 to IV, recognised from the chord track alone.
    music = score(chords((55, 59, 62, 65), (53, 57, 60)), melody(71, 72))
    assert len(found(music, "weak-progression")) == 1


# --- structure ----------------------------------------------------------------------

def test_overlapping_same_pitch_notes() -> None:
    overlapping = Track(id="t", notes=notes((60, 0, Q), (60, Q // 2, Q)))
    violations = found(score(overlapping), "overlapping-notes")
    assert len(violations) == 1 and violations[0].severity is Severity.ERROR
    touching = Track(id="t", notes=notes((60, 0, Q), (60, Q, Q)))
    assert found(score(touching), "overlapping-notes") == []


def test_notes_past_the_end() -> None:
    assert len(found(score(Track(id="t", notes=notes((60, 1800, 240))), bars=1),
                     "note-past-end")) == 1
    assert found(score(Track(id="t", notes=notes((60, 1800, 120))), bars=1),
                 "note-past-end") == []


def test_empty_sections() -> None:
    sections = [Section(name="A", start_bar=1, bars=2), Section(name="B", start_bar=3, bars=2)]
    lonely = score(melody(60, 62), sections=sections)
    assert [v.message for v in found(lonely, "empty-section")] == ["section 'B' has no notes"]
    full = score(melody(*([60] * 16)), sections=sections)
    assert found(full, "empty-section") == []


# --- the report ---------------------------------------------------------------------

def test_a_clean_piece_scores_100_and_problems_lower_it() -> None:
    clean = validate(score(melody(60, 62, 64, 65, 67, 65, 64, 62, 60), bars=3))
    assert clean.violations == [] and clean.score == 100
    worse = validate(score(melody(60, 66, 60, 74, 61, 75), bars=2))
    assert 0 < worse.score < 100
    assert worse.counts[Severity.WARNING] == len(worse.violations)
    assert summary_score([], 0) == 100


def test_rules_can_be_switched_off_and_unknown_names_are_refused() -> None:
    music = score(melody(60, 74))
    assert "large-leap" not in validate(music, disabled_rules=["large-leap"]).rules_run
    assert validate(music, disabled_rules=["large-leap"]).violations == []
    with pytest.raises(UnknownRuleError):
        validate(music, disabled_rules=["no-such-rule"])
    with pytest.raises(UnknownRuleError):
        validate(music, style="polka-metal")


def test_drums_are_not_judged_as_pitches() -> None:
    kit = Track(id="d", role=Role.DRUMS, is_drum=True, program=0,
                notes=notes((35, 0, 120), (49, Q, 120), (81, 2 * Q, 120)))
    assert validate(score(kit)).violations == []


def test_reports_list_at_most_a_thousand_violations_but_count_all() -> None:
    many = Track(id="t", notes=[Note(pitch=60 + 14 * (i % 2), start=i * 60, duration=60)
                                for i in range(1500)])
    report = validate(score(many, bars=48))
    assert report.total_violations > 1000
    assert len(report.violations) == 1000
    assert sum(report.counts.values()) == report.total_violations
