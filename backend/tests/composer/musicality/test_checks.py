"""The analyses the musicality tests rely on, tried on small hand-written scores: each
finds the fault it is meant to find, and lets through what is musically right."""

from __future__ import annotations

from collections.abc import Sequence

from ariaforge.music.score import ChordSymbol, Meter, Note, Role, Score, Track
from tests.composer.musicality import checks


def score(melody: Sequence[tuple[int, int, int]] = (),
          comping: Sequence[tuple[int, int, int]] = (),
          chords: tuple[tuple[int, str], ...] = ((0, "C"), (1920, "G")),
          meter: Meter | None = None) -> Score:
    def track(role: Role, notes: Sequence[tuple[int, int, int]]) -> Track:
        return Track(id=role.value, role=role,
                     notes=[Note(pitch=p, start=s, duration=d) for p, s, d in notes])

    return Score(bars=4, meter=meter or Meter(), tracks=[
        track(Role.MELODY, melody), track(Role.CHORDS, comping)],
        chord_symbols=[ChordSymbol(tick=t, symbol=s) for t, s in chords])


def test_comping_on_its_symbols_and_pushed_into_the_next_passes() -> None:
    c_major = [(60, 0, 900), (64, 0, 900), (67, 0, 900)]
    pushed_g = [(59, 1680, 200), (62, 1680, 200), (67, 1680, 200)]
    assert checks.comping_off_the_symbols(score(comping=c_major + pushed_g)) == []


def test_comping_off_its_symbol_or_held_into_the_next_is_found() -> None:
    wrong = [(60, 0, 480), (65, 0, 480)]  # F under C
    held = [(64, 960, 1440)]  # E rings 480 ticks into G
    found = checks.comping_off_the_symbols(score(comping=wrong + held))
    assert found == ["bar 1 beat 1: comping F under C",
                     "bar 2 beat 1: comping E held from bar 1 beat 3 into G"]
    assert checks.comping_off_the_symbols(score(comping=wrong, chords=((0, "Cxyz"),)))[0] \
        == "bar 1 beat 1: symbol 'Cxyz' cannot be read"


def test_a_strong_beat_non_chord_tone_must_move_by_step() -> None:
    resolved = [(62, 0, 480), (64, 480, 480)]  # D over C, then E
    leaps = [(65, 960, 480), (69, 1440, 480)]  # F on beat 3 over C, then A
    last = [(69, 1920, 960)]  # A on the downbeat over G, and nothing follows
    found = checks.unresolved_strong_ncts(score(melody=resolved + leaps + last))
    assert found == ["bar 1 beat 3: F over C, moves +4",
                     "bar 2 beat 1: A over G, the piece ends"]
    off_beat = [(65, 480, 480), (60, 960, 480)]  # F on a weak beat may leap
    assert checks.unresolved_strong_ncts(score(melody=off_beat)) == []


def test_strong_beats_follow_the_metre() -> None:
    assert checks.strong_positions(score()) == (0, 960)
    assert checks.strong_positions(score(meter=Meter(numerator=3))) == (0,)
    assert checks.strong_positions(score(meter=Meter(numerator=6, denominator=8))) == (0, 720)


def test_a_sequence_restates_the_motif_and_a_new_rhythm_does_not() -> None:
    def bars(second: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        first = [(60, 0), (62, 480), (64, 960)]
        rest = [(67, bar * 1920) for bar in range(2, 8)]
        return [(p, s, 240) for p, s in first + second + rest]

    sequence = [(62, 1920), (64, 2400), (65, 2880)]  # a step higher, intervals 2 and 1
    other = [(62, 1920), (64, 2160), (65, 2880)]
    long = Score(bars=8, tracks=[Track(id="m", role=Role.MELODY, notes=[
        Note(pitch=p, start=s, duration=d) for p, s, d in bars(sequence)])])
    assert checks.motif_restatements(long) == [(2, 1)]
    moved = long.model_copy(update={"tracks": [Track(id="m", role=Role.MELODY, notes=[
        Note(pitch=p, start=s, duration=d) for p, s, d in bars(other)])]})
    assert checks.motif_restatements(moved) == []
    assert checks.motif_restatements(score(melody=[(60, 0, 480)])) is None


def test_off_beat_eighths_and_their_swing() -> None:
    onsets = [0, 320, 480, 720, 960, 1080, 1200, 1440, 1800]
    assert checks.offbeat_eighths(onsets) == [(320, 2 / 3), (720, 0.5)]
    assert checks.swing_ratio(onsets) == (2 / 3 + 0.5) / 2
    line = score(melody=[(60, t, 100) for t in (0, 320, 480, 720)], chords=((0, "C"),))
    assert checks.melody_off_the_swing(line, 2 / 3) == [
        "bar 1 beat 2.5: off-beat at 0.50 of the beat"]


def test_degree_weight_counts_the_length_of_one_pitch_class() -> None:
    notes = [Note(pitch=71, start=0, duration=480), Note(pitch=59, start=0, duration=240),
             Note(pitch=70, start=0, duration=960)]
    assert checks.degree_weight(notes, "D", 9) == 720  # B in D dorian
    assert checks.degree_weight(notes, "D", 8) == 960  # Bb, its rival
