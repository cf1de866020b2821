"""Scales, degrees and related keys."""

from __future__ import annotations

import pytest

from ariaforge.music.score import Key, Mode
from ariaforge.music.theory import (
    MODE_INTERVALS,
    conventional_key,
    degree_of,
    functional_pitch_classes,
    harmonic_minor_pitch_classes,
    key_signature,
    leading_tone_pc,
    parallel,
    relative,
    scale_names,
    scale_pitch_classes,
)
from ariaforge.music.theory.scales import scale_pitch_classes as contract_import


def key(tonic: str, mode: str = "major") -> Key:
    return Key(tonic=tonic, mode=Mode(mode))


def test_every_mode_has_a_seven_note_rotation_of_the_major_scale():
    major = MODE_INTERVALS[Mode.MAJOR]
    rotations = {tuple(sorted((i - t) % 12 for i in major)) for t in major}
    assert set(MODE_INTERVALS) == set(Mode)
    for mode, intervals in MODE_INTERVALS.items():
        assert len(intervals) == 7, mode
        assert intervals[0] == 0, mode
        assert list(intervals) == sorted(intervals), mode
        assert intervals in rotations, mode


def test_synonymous_modes_share_intervals():
    assert MODE_INTERVALS[Mode.MAJOR] == MODE_INTERVALS[Mode.IONIAN] == (0, 2, 4, 5, 7, 9, 11)
    assert MODE_INTERVALS[Mode.MINOR] == MODE_INTERVALS[Mode.AEOLIAN] == (0, 2, 3, 5, 7, 8, 10)


@pytest.mark.parametrize(("tonic", "mode", "pcs"), [
    ("C", "major", (0, 2, 4, 5, 7, 9, 11)),
    ("D", "major", (2, 4, 6, 7, 9, 11, 1)),
    ("Bb", "major", (10, 0, 2, 3, 5, 7, 9)),
    ("A", "minor", (9, 11, 0, 2, 4, 5, 7)),
    ("C", "minor", (0, 2, 3, 5, 7, 8, 10)),
    ("D", "dorian", (2, 4, 5, 7, 9, 11, 0)),
    ("E", "phrygian", (4, 5, 7, 9, 11, 0, 2)),
    ("F", "lydian", (5, 7, 9, 11, 0, 2, 4)),
    ("G", "mixolydian", (7, 9, 11, 0, 2, 4, 5)),
    ("B", "locrian", (11, 0, 2, 4, 5, 7, 9)),
    ("G", "ionian", (7, 9, 11, 0, 2, 4, 6)),
    ("F#", "aeolian", (6, 8, 9, 11, 1, 2, 4)),
])
def test_scale_pitch_classes(tonic, mode, pcs):
    assert scale_pitch_classes(key(tonic, mode)) == pcs


def test_scale_pitch_classes_contract_for_every_key():
    # Other modules import this exact function: a 7-tuple of ints starting at the tonic.
    assert contract_import is scale_pitch_classes
    for tonic, tonic_pc in (("C", 0), ("C#", 1), ("Eb", 3), ("Fb", 4), ("B#", 0), ("Ab", 8)):
        for mode in Mode:
            pcs = scale_pitch_classes(key(tonic, mode))
            assert isinstance(pcs, tuple)
            assert len(pcs) == len(set(pcs)) == 7
            assert pcs[0] == tonic_pc
            assert all(isinstance(pc, int) and 0 <= pc < 12 for pc in pcs)


@pytest.mark.parametrize(("tonic", "mode", "names"), [
    ("D", "major", "D E F# G A B C#"),
    ("Db", "major", "Db Eb F Gb Ab Bb C"),
    ("F#", "major", "F# G# A# B C# D# E#"),
    ("Gb", "major", "Gb Ab Bb Cb Db Eb F"),
    ("C#", "major", "C# D# E# F# G# A# B#"),
    ("Cb", "major", "Cb Db Eb Fb Gb Ab Bb"),
    ("A", "minor", "A B C D E F G"),
    ("Eb", "minor", "Eb F Gb Ab Bb Cb Db"),
    ("G#", "minor", "G# A# B C# D# E F#"),
    ("D#", "minor", "D# E# F# G# A# B C#"),
    ("D", "dorian", "D E F G A B C"),
    ("Bb", "mixolydian", "Bb C D Eb F G Ab"),
    ("F", "lydian", "F G A B C D E"),
    ("C#", "phrygian", "C# D E F# G# A B"),
    ("G#", "major", "G# A# B# C# D# E# F##"),
])
def test_scale_names(tonic, mode, names):
    assert scale_names(key(tonic, mode)) == names.split()


def test_scale_names_use_each_letter_once():
    for tonic in ("C", "G", "D", "A", "E", "B", "F#", "C#", "F", "Bb", "Eb", "Ab", "Db", "Gb"):
        for mode in Mode:
            letters = [name[0] for name in scale_names(key(tonic, mode))]
            assert sorted(letters) == sorted("ABCDEFG"), (tonic, mode)


@pytest.mark.parametrize(("pc", "tonic", "mode", "degree"), [
    (2, "D", "major", 1), (6, "D", "major", 3), (1, "D", "major", 7), (0, "D", "major", None),
    (7, "A", "minor", 7), (8, "A", "minor", None), (0, "A", "minor", 3), (14, "C", "major", 2),
    (11, "F", "lydian", 4), (10, "F", "lydian", None), (5, "G", "mixolydian", 7),
    (6, "G", "mixolydian", None),
])
def test_degree_of(pc, tonic, mode, degree):
    assert degree_of(pc, key(tonic, mode)) == degree


@pytest.mark.parametrize(("tonic", "mode", "pc"), [
    ("A", "minor", 8), ("C", "major", 11), ("C", "minor", 11), ("D", "dorian", 1),
    ("F#", "minor", 5), ("Bb", "major", 9),
])
def test_leading_tone(tonic, mode, pc):
    assert leading_tone_pc(key(tonic, mode)) == pc


def test_harmonic_minor_and_functional_pitch_classes():
    assert harmonic_minor_pitch_classes(key("A", "minor")) == (9, 11, 0, 2, 4, 5, 8)
    assert harmonic_minor_pitch_classes(key("C", "minor")) == (0, 2, 3, 5, 7, 8, 11)
    assert functional_pitch_classes(key("A", "minor")) == {9, 11, 0, 2, 4, 5, 7, 8}
    assert functional_pitch_classes(key("C")) == {0, 2, 4, 5, 7, 9, 11}
    # Pure Aeolian has no leading tone.
    assert 8 not in functional_pitch_classes(key("A", "aeolian"))


@pytest.mark.parametrize(("given", "expected"), [
    (("C", "major"), ("A", "minor")),
    (("A", "minor"), ("C", "major")),
    (("Eb", "major"), ("C", "minor")),
    (("F#", "minor"), ("A", "major")),
    (("Bb", "minor"), ("Db", "major")),
    (("F#", "major"), ("D#", "minor")),
    (("Gb", "major"), ("Eb", "minor")),
    (("C", "ionian"), ("A", "aeolian")),
    (("E", "aeolian"), ("G", "ionian")),
    (("D", "dorian"), ("C", "major")),
    (("E", "phrygian"), ("C", "major")),
    (("F", "lydian"), ("C", "major")),
    (("A", "mixolydian"), ("D", "major")),
    (("F#", "locrian"), ("G", "major")),
])
def test_relative(given, expected):
    assert relative(key(*given)) == key(*expected)


@pytest.mark.parametrize(("given", "expected"), [
    (("C", "major"), ("C", "minor")),
    (("A", "minor"), ("A", "major")),
    (("Db", "major"), ("Db", "minor")),
    (("C", "ionian"), ("C", "aeolian")),
    (("D", "dorian"), ("D", "major")),
    (("F", "lydian"), ("F", "minor")),
    (("G", "mixolydian"), ("G", "minor")),
    (("E", "phrygian"), ("E", "major")),
])
def test_parallel(given, expected):
    assert parallel(key(*given)) == key(*expected)


def test_relative_and_parallel_round_trip():
    for tonic in ("C", "G", "F#", "Bb", "Db", "E"):
        for mode in ("major", "minor"):
            k = key(tonic, mode)
            assert relative(relative(k)) == k
            assert parallel(parallel(k)) == k
            assert key_signature(relative(k)) == key_signature(k)


@pytest.mark.parametrize(("tonic", "mode", "signature"), [
    ("C", "major", 0), ("G", "major", 1), ("F", "major", -1), ("A", "major", 3),
    ("Eb", "major", -3), ("C#", "major", 7), ("Cb", "major", -7), ("G#", "major", 8),
    ("A", "minor", 0), ("C", "minor", -3), ("F#", "minor", 3), ("Eb", "minor", -6),
    ("D", "dorian", 0), ("E", "phrygian", 0), ("F", "lydian", 0), ("G", "mixolydian", 0),
    ("B", "locrian", 0), ("A", "dorian", 1), ("Bb", "lydian", -1),
])
def test_key_signature(tonic, mode, signature):
    assert key_signature(key(tonic, mode)) == signature


@pytest.mark.parametrize(("pc", "mode", "tonic"), [
    (0, "major", "C"), (10, "major", "Bb"), (1, "major", "Db"), (6, "major", "F#"),
    (11, "major", "B"), (8, "major", "Ab"), (3, "major", "Eb"), (4, "major", "E"),
    (8, "minor", "G#"), (3, "minor", "Eb"), (10, "minor", "Bb"), (1, "minor", "C#"),
    (6, "minor", "F#"), (5, "minor", "F"), (0, "minor", "C"), (11, "minor", "B"),
])
def test_conventional_key(pc, mode, tonic):
    assert conventional_key(pc, Mode(mode)) == key(tonic, mode)


def test_conventional_keys_never_need_more_than_six_accidentals():
    for pc in range(12):
        for mode in (Mode.MAJOR, Mode.MINOR, Mode.DORIAN):
            k = conventional_key(pc, mode)
            assert abs(key_signature(k)) <= 6, k
            assert scale_pitch_classes(k)[0] == pc
