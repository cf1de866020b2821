"""Pitch names, MIDI numbers and spelling in a key."""

from __future__ import annotations

import pytest

from ariaforge.music.score import Key, Mode
from ariaforge.music.theory import (
    PitchParseError,
    enharmonic_names,
    fifths_position,
    join_name,
    letter_steps,
    name_for_letter,
    parse_pitch,
    pitch_class_name,
    pitch_class_of_name,
    pitch_name,
    shift_letter,
    split_name,
)


def key(tonic: str, mode: str = "major") -> Key:
    return Key(tonic=tonic, mode=Mode(mode))


@pytest.mark.parametrize(("text", "midi"), [
    ("C4", 60), ("C#4", 61), ("Db4", 61), ("D4", 62), ("Bb3", 58), ("A4", 69),
    ("A0", 21), ("C8", 108), ("G9", 127), ("C-1", 0), ("Cb4", 59), ("B#3", 60),
    ("E#4", 65), ("Fb4", 64), ("C##4", 62), ("Dbb4", 60), ("F##2", 43), ("c4", 60),
    ("F♯3", 54), ("B♭2", 46), (" A4 ", 69), ("E2", 40), ("G#5", 80),
])
def test_parse_pitch(text, midi):
    assert parse_pitch(text) == midi


@pytest.mark.parametrize("text", [
    "", "C", "H4", "4C", "C#b4", "C###4", "G#9", "Cb-1", "C10", "Cx4", "C 4", "Do4",
    "C4.5", "X" * 100,
])
def test_parse_pitch_rejects(text):
    with pytest.raises(PitchParseError):
        parse_pitch(text)


def test_parse_errors_are_value_errors_with_short_messages():
    with pytest.raises(ValueError, match="not a pitch") as error:
        parse_pitch("Z" * 100)
    assert len(str(error.value)) < 120


@pytest.mark.parametrize(("midi", "name"), [
    (60, "C4"), (61, "C#4"), (63, "Eb4"), (66, "F#4"), (68, "Ab4"), (70, "Bb4"),
    (21, "A0"), (127, "G9"), (0, "C-1"), (59, "B3"), (72, "C5"),
])
def test_pitch_name_without_key(midi, name):
    assert pitch_name(midi) == name


@pytest.mark.parametrize(("midi", "tonic", "mode", "name"), [
    (66, "D", "major", "F#4"),     # diatonic sharp
    (66, "Db", "major", "Gb4"),    # diatonic flat
    (68, "A", "minor", "G#4"),     # harmonic minor's leading tone
    (66, "A", "minor", "F#4"),     # melodic minor's raised 6th
    (65, "F#", "major", "E#4"),    # leading tone of F#
    (60, "C#", "major", "B#3"),    # octave follows the letter
    (59, "Gb", "major", "Cb4"),
    (70, "F", "major", "Bb4"),
    (70, "B", "major", "A#4"),
    (63, "C", "minor", "Eb4"),
    (64, "C", "minor", "E4"),      # raised (Picardy) third
    (66, "C", "major", "F#4"),     # #4
    (61, "C", "major", "Db4"),     # b2
    (68, "C", "major", "Ab4"),     # b6
    (70, "C", "major", "Bb4"),     # b7
    (63, "C", "major", "Eb4"),     # b3
    (61, "D", "minor", "C#4"),
    (68, "E", "major", "G#4"),
    (67, "E", "major", "G4"),
    (61, "Bb", "minor", "Db4"),
    (62, "Bb", "minor", "D4"),     # raised third of Bb minor
    (65, "G#", "minor", "E#4"),    # raised 6th of G# minor
    (67, "G#", "minor", "F##4"),   # raised 7th of G# minor
    (65, "D", "dorian", "F4"),
    (71, "F", "lydian", "B4"),
    (65, "E", "phrygian", "F4"),
    (66, "E", "phrygian", "F#4"),
    (65, "B", "locrian", "F4"),
])
def test_pitch_name_in_key(midi, tonic, mode, name):
    assert pitch_name(midi, key(tonic, mode)) == name


@pytest.mark.parametrize(("tonic", "mode"), [
    ("C", "major"), ("Db", "major"), ("F#", "major"), ("Cb", "major"), ("C#", "major"),
    ("A", "minor"), ("Eb", "minor"), ("G#", "minor"), ("D", "dorian"), ("Bb", "mixolydian"),
    ("C##", "major"), ("Fbb", "minor"),
])
def test_every_pitch_survives_spelling_and_parsing(tonic, mode):
    for midi in range(128):
        name = pitch_name(midi, key(tonic, mode))
        assert parse_pitch(name) == midi, name


def test_pitch_name_rejects_out_of_range():
    with pytest.raises(ValueError, match="outside"):
        pitch_name(128)
    with pytest.raises(ValueError, match="outside"):
        pitch_name(-1)


@pytest.mark.parametrize(("pc", "tonic", "mode", "name"), [
    (6, "D", "major", "F#"), (6, "Db", "major", "Gb"), (8, "A", "minor", "G#"),
    (5, "F#", "major", "E#"), (11, "Gb", "major", "Cb"), (10, None, None, "Bb"),
    (1, None, None, "C#"), (13, None, None, "C#"), (3, "E", "major", "D#"),
])
def test_pitch_class_name(pc, tonic, mode, name):
    k = key(tonic, mode) if tonic else None
    assert pitch_class_name(pc, k) == name


@pytest.mark.parametrize(("name", "pc"), [
    ("C", 0), ("Bb", 10), ("A#", 10), ("Cb", 11), ("B#", 0), ("E#", 5), ("Fb", 4),
    ("F##", 7), ("Abb", 7), ("g", 7), ("Db", 1), ("C♯", 1), ("E♭", 3), ("Gb", 6),
])
def test_pitch_class_of_name(name, pc):
    assert pitch_class_of_name(name) == pc


@pytest.mark.parametrize("name", ["", "H", "#", "Bbbb", "C#b", "Cx", "C4", "Do"])
def test_pitch_class_of_name_rejects(name):
    with pytest.raises(PitchParseError):
        pitch_class_of_name(name)


def test_split_and_join_names():
    assert split_name("F#") == ("F", 1)
    assert split_name("Bbb") == ("B", -2)
    assert split_name("e") == ("E", 0)
    assert join_name("E", -1) == "Eb"
    assert join_name("F", 2) == "F##"
    assert join_name("G", 0) == "G"
    with pytest.raises(PitchParseError):
        join_name("C", 3)


def test_letter_arithmetic():
    assert shift_letter("E", 2) == "G"
    assert shift_letter("A", 2) == "C"
    assert shift_letter("C", -1) == "B"
    assert shift_letter("F", 7) == "F"
    assert letter_steps("C", "A") == 5
    assert letter_steps("A", "C") == 2
    assert letter_steps("D", "D") == 0


@pytest.mark.parametrize(("pc", "letter", "name"), [
    (6, "G", "Gb"), (6, "F", "F#"), (0, "B", "B#"), (11, "C", "Cb"), (7, "F", "F##"),
    (3, "F", "Fbb"), (3, "E", "Eb"), (5, "E", "E#"), (9, "A", "A"),
])
def test_name_for_letter(pc, letter, name):
    assert name_for_letter(pc, letter) == name


def test_name_for_letter_refuses_triple_accidentals():
    with pytest.raises(PitchParseError):
        name_for_letter(9, "C")


@pytest.mark.parametrize(("pc", "names"), [
    (0, ["C", "B#"]), (1, ["C#", "Db"]), (4, ["E", "Fb"]), (6, ["F#", "Gb"]),
    (8, ["G#", "Ab"]), (11, ["B", "Cb"]), (2, ["D"]),
])
def test_enharmonic_names(pc, names):
    assert enharmonic_names(pc) == names


def test_enharmonic_names_with_double_accidentals():
    assert enharmonic_names(2, max_alter=2) == ["D", "C##", "Ebb"]


@pytest.mark.parametrize(("name", "fifths"), [
    ("C", 0), ("G", 1), ("F", -1), ("B", 5), ("F#", 6), ("Bb", -2), ("C#", 7), ("Cb", -7),
    ("G#", 8), ("Fb", -8),
])
def test_fifths_position(name, fifths):
    assert fifths_position(name) == fifths
