"""The notation quantiser: performance timing → written rhythm."""

from __future__ import annotations

import random

from ariaforge.music.notation import Feel, notate
from ariaforge.music.score import Meter, Note, Score, Track


def one_track(notes: list[Note], *, meter: str = "4/4", bars: int = 2, drum: bool = False,
              program: int = 32) -> Score:
    return Score(meter=Meter.parse(meter), bars=bars,
                 tracks=[Track(id="t", name="T", program=program, is_drum=drum, notes=notes)])


def written(score: Score) -> list[tuple[int, int, int]]:
    return [(n.pitch, n.start, n.duration) for n in notate(score).score.tracks[0].sorted_notes()]


def test_a_460_tick_bass_note_before_the_next_beat_is_a_quarter() -> None:
    bass = [Note(pitch=40 + i % 5, start=i * 480, duration=460) for i in range(8)]
    assert written(one_track(bass)) == [(40 + i % 5, i * 480, 480) for i in range(8)]


def test_humanised_starts_and_short_ends_snap_to_the_sixteenth_grid() -> None:
    rng = random.Random(3)
    grid = [0, 240, 480, 600, 720, 960, 1440, 1680]
    lengths = [240, 240, 120, 120, 240, 480, 240, 240]
    notes = [Note(pitch=60 + i, start=max(0, start + rng.randint(-12, 12)),
                  duration=length - rng.randint(8, 30))
             for i, (start, length) in enumerate(zip(grid, lengths, strict=True))]
    assert written(one_track(notes)) == [
        (60 + i, start, length)
        for i, (start, length) in enumerate(zip(grid, lengths, strict=True))]


def test_a_short_note_before_a_rest_keeps_its_rest() -> None:
    # A written eighth (on the grid) followed by an eighth rest is not stretched.
    notes = [Note(pitch=60, start=0, duration=240), Note(pitch=62, start=480, duration=480)]
    assert written(one_track(notes)) == [(60, 0, 240), (62, 480, 480)]


def test_swung_eighths_are_written_straight_with_a_swing_marking() -> None:
    # Long-short pairs at 2:1: the off-beat eighth lands at 320 of the quarter beat.
    notes = []
    for beat in range(8):
        notes.append(Note(pitch=60, start=beat * 480, duration=300))
        notes.append(Note(pitch=62, start=beat * 480 + 320, duration=150))
    notation = notate(one_track(notes, program=65))
    assert notation.swing_at == 320 and notation.swing_ratio == (2, 1)
    found = [(n.start, n.duration) for n in notation.score.tracks[0].sorted_notes()]
    assert found == [(beat * 480 + half, 240) for beat in range(8) for half in (0, 240)]


def test_a_lazier_swing_is_found_too() -> None:
    notes = [Note(pitch=60, start=beat * 480 + off, duration=150)
             for beat in range(8) for off in (0, 288)]
    notation = notate(one_track(notes, program=65))
    assert notation.swing_at == 288 and notation.swing_ratio == (3, 2)


def test_straight_eighths_do_not_swing() -> None:
    notes = [Note(pitch=60, start=i * 240, duration=230) for i in range(16)]
    notation = notate(one_track(notes))
    assert notation.swing_at is None
    assert [(n.start, n.duration) for n in notation.score.tracks[0].sorted_notes()] == [
        (i * 240, 240) for i in range(16)]


def test_triplets_are_kept_where_the_music_has_them() -> None:
    # Beat 1: a humanised eighth triplet; beat 2: straight eighths; then a half note.
    notes = [Note(pitch=60, start=5, duration=150), Note(pitch=62, start=158, duration=150),
             Note(pitch=64, start=330, duration=140), Note(pitch=65, start=485, duration=230),
             Note(pitch=67, start=722, duration=230), Note(pitch=69, start=960, duration=940)]
    score = one_track(notes, bars=1)
    assert notate(score).rhythms["t"].feel is Feel.TRIPLET
    assert written(score) == [(60, 0, 160), (62, 160, 160), (64, 320, 160),
                              (65, 480, 240), (67, 720, 240), (69, 960, 960)]


def test_a_score_on_the_grid_is_kept_exactly() -> None:
    notes = [Note(pitch=60, start=0, duration=360), Note(pitch=62, start=360, duration=120),
             Note(pitch=64, start=480, duration=160), Note(pitch=65, start=640, duration=160),
             Note(pitch=67, start=800, duration=160), Note(pitch=69, start=990, duration=30)]
    score = one_track(notes, bars=1)
    assert notate(score).rhythms["t"].feel is Feel.EXACT
    assert written(score) == sorted((n.pitch, n.start, n.duration) for n in notes)


def test_dense_off_grid_notes_are_never_merged_lost_or_reordered() -> None:
    rng = random.Random(11)
    starts = sorted(rng.sample(range(0, 1900), 60))
    notes = [Note(pitch=50 + i % 30, start=s, duration=rng.randint(1, 40))
             for i, s in enumerate(starts)]
    score = one_track(notes, bars=1)
    result = notate(score).score.tracks[0].notes
    assert sorted(n.id for n in result) == sorted(n.id for n in notes)
    by_id = {n.id: n for n in result}
    ordered = [by_id[n.id].start for n in sorted(notes, key=lambda n: n.start)]
    assert ordered == sorted(ordered)
    assert len(set(ordered)) == len(set(starts))  # distinct onsets stay distinct
    assert all(n.duration > 0 for n in result)


def test_drum_hits_last_until_the_next_hit_within_the_beat_and_bar() -> None:
    hits = [Note(pitch=36, start=0, duration=60), Note(pitch=42, start=0, duration=60),
            Note(pitch=42, start=240, duration=60), Note(pitch=38, start=480, duration=60),
            Note(pitch=49, start=1440, duration=60)]
    assert written(one_track(hits, drum=True, program=0)) == [
        (36, 0, 240), (42, 0, 240), (42, 240, 240), (38, 480, 480), (49, 1440, 480)]


def test_notation_is_idempotent() -> None:
    notes = [Note(pitch=60 + i % 7, start=i * 250 + i % 3 * 7, duration=200)
             for i in range(14)]
    once = notate(one_track(notes)).score
    assert notate(once).score.tracks[0].notes == once.tracks[0].notes
