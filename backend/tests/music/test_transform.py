from __future__ import annotations

import pytest

from ariaforge.music.score import Key, Meter, MeterChange, Mode, Note, Score, Section, Track
from ariaforge.music.transform import (
    TransformError,
    append_bars,
    quantize,
    section_view,
    slice_bars,
    transpose_chromatic,
    transpose_diatonic,
)


def piece(*pitches: int, key: Key | None = None, drums: bool = True) -> Score:
    tracks = [Track(id="m", notes=[Note(id=f"n{i}", pitch=p, start=i * 480, duration=480)
                                   for i, p in enumerate(pitches)])]
    if drums:
        tracks.append(Track(id="d", is_drum=True,
                            notes=[Note(id="k", pitch=36, start=0, duration=120)]))
    return Score(key=key or Key(), bars=4, tracks=tracks,
                 sections=[Section(name="A", start_bar=1, bars=2),
                           Section(name="B", start_bar=3, bars=2)])


def pitches(score: Score, track: str = "m") -> list[int]:
    return [n.pitch for n in score.track(track).sorted_notes()]


def test_chromatic_transposition_moves_key_and_spares_drums() -> None:
    up = transpose_chromatic(piece(60, 64, 67), 2)
    assert pitches(up) == [62, 66, 69]
    assert pitches(up, "d") == [36]
    assert up.key == Key(tonic="D", mode=Mode.MAJOR)
    with pytest.raises(TransformError, match="outside 0-127"):
        transpose_chromatic(piece(120), 10)


def test_diatonic_transposition_stays_in_the_key() -> None:
    c_major = piece(60, 62, 64, 65, 67, 69, 71, 72)
    assert pitches(transpose_diatonic(c_major, 2)) == [64, 65, 67, 69, 71, 72, 74, 76]
    assert pitches(transpose_diatonic(c_major, -1)) == [59, 60, 62, 64, 65, 67, 69, 71]
    d_minor = piece(62, 64, 65, key=Key(tonic="D", mode=Mode.MINOR))
    assert pitches(transpose_diatonic(d_minor, 1)) == [64, 65, 67]  # E F G
    chromatic = piece(61, key=Key())  # C# in C: stays a semitone above its scale note
    assert pitches(transpose_diatonic(chromatic, 1)) == [63]
    assert pitches(transpose_diatonic(c_major, 7))[0] == 72


def test_quantize() -> None:
    loose = Score(tracks=[Track(notes=[Note(pitch=60, start=130, duration=100),
                                       Note(pitch=62, start=470, duration=250)])])
    snapped = quantize(loose, 120)
    assert [(n.start, n.duration) for n in snapped.tracks[0].notes] == [(120, 100), (480, 250)]
    halfway = quantize(loose, 120, strength=0.5)
    assert [n.start for n in halfway.tracks[0].notes] == [125, 475]
    with_ends = quantize(loose, 120, durations=True)
    assert [n.duration for n in with_ends.tracks[0].notes] == [120, 240]
    with pytest.raises(TransformError):
        quantize(loose, 0)


def test_slice_and_section_views() -> None:
    music = piece(*range(60, 76))  # 16 quarter notes over 4 bars of 4/4
    second_half = slice_bars(music, 3, 4)
    assert second_half.bars == 2
    assert pitches(second_half) == list(range(68, 76))
    assert second_half.track("m").sorted_notes()[0].start == 0
    assert [s.name for s in second_half.sections] == ["B"]
    assert pitches(section_view(music, "A")) == list(range(60, 68))
    with pytest.raises(TransformError):
        section_view(music, "C")
    with pytest.raises(TransformError):
        slice_bars(music, 3, 9)


def test_append_bars_keeps_ids_unique_and_meters() -> None:
    first = piece(60, 62)
    waltz = Score(meter=Meter(numerator=3, denominator=4), bars=1,
                  tracks=[Track(id="m", notes=[Note(id="n0", pitch=67, start=0, duration=480)])])
    joined = append_bars(first, waltz)
    assert joined.bars == 5
    assert joined.meter_changes == [MeterChange(bar=5, meter=Meter(numerator=3, denominator=4))]
    ids = [n.id for _, n in joined.all_notes()]
    assert len(ids) == len(set(ids))
    assert pitches(joined)[-1] == 67
    assert joined.track("m").sorted_notes()[-1].start == 4 * 1920
