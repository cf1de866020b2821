"""Chord symbols, spelling and recognition from pitches."""

from __future__ import annotations

import pytest

from ariaforge.music.score import Key, Mode
from ariaforge.music.theory import (
    QUALITIES,
    Chord,
    ChordParseError,
    ChordQuality,
    parse_chord_symbol,
    parse_pitch,
    recognize_chord,
)

Q = ChordQuality


def key(tonic: str, mode: str = "major") -> Key:
    return Key(tonic=tonic, mode=Mode(mode))


def pitches(text: str) -> list[int]:
    return [parse_pitch(name) for name in text.split()]


# --- spelling -----------------------------------------------------------------------------

@pytest.mark.parametrize(("symbol", "spelled"), [
    ("C", "C E G"), ("Bdim", "B D F"), ("C#m7b5", "C# E G B"), ("Ebaug", "Eb G B"),
    ("F#dim7", "F# A C Eb"), ("Cdim7", "C Eb Gb Bbb"), ("Gb7", "Gb Bb Db Fb"),
    ("Abm", "Ab Cb Eb"), ("G#m", "G# B D#"), ("E", "E G# B"), ("Bbmaj7", "Bb D F A"),
    ("Dm7", "D F A C"), ("Fsus2", "F G C"), ("Fsus4", "F Bb C"), ("Bsus4", "B E F#"),
    ("Cadd9", "C E G D"), ("C9", "C E G Bb D"), ("C11", "C E G Bb D F"),
    ("C13", "C E G Bb D A"), ("A6", "A C# E F#"), ("Dm6", "D F A B"),
    ("CmMaj7", "C Eb G B"), ("G7sus4", "G C D F"), ("Fmaj9", "F A C E G"),
    ("Em9", "E G B D F#"), ("C#aug", "C# E# G##"), ("Fbmaj7", "Fb Ab Cb Eb"),
    ("D#dim", "D# F# A"), ("Ebm7b5", "Eb Gb Bbb Db"),
])
def test_spell(symbol, spelled):
    assert parse_chord_symbol(symbol).spell() == spelled.split()


def test_foreign_bass_is_spelled_first():
    assert parse_chord_symbol("C/D").spell() == ["D", "C", "E", "G"]
    assert parse_chord_symbol("C/E").spell() == ["C", "E", "G"]


def test_pitch_classes_include_the_bass():
    assert parse_chord_symbol("C").pitch_classes == frozenset({0, 4, 7})
    assert parse_chord_symbol("Dm7/C").pitch_classes == frozenset({2, 5, 9, 0})
    assert parse_chord_symbol("C/Bb").pitch_classes == frozenset({0, 4, 7, 10})
    assert parse_chord_symbol("F#dim7").pitch_classes == frozenset({6, 9, 0, 3})


@pytest.mark.parametrize(("symbol", "inversion"), [
    ("C", 0), ("C/E", 1), ("C/G", 2), ("G7/F", 3), ("Dm7/C", 3), ("C/D", None), ("Am/C", 1),
])
def test_inversion(symbol, inversion):
    assert parse_chord_symbol(symbol).inversion == inversion


# --- parsing ------------------------------------------------------------------------------

@pytest.mark.parametrize(("symbol", "quality"), [
    ("C", Q.MAJOR), ("CM", Q.MAJOR), ("Cmaj", Q.MAJOR),
    ("Cm", Q.MINOR), ("Cmin", Q.MINOR), ("C-", Q.MINOR),
    ("Cdim", Q.DIMINISHED), ("C°", Q.DIMINISHED),
    ("Caug", Q.AUGMENTED), ("C+", Q.AUGMENTED),
    ("C7", Q.DOMINANT_7),
    ("Cmaj7", Q.MAJOR_7), ("CM7", Q.MAJOR_7), ("CΔ7", Q.MAJOR_7), ("CMAJ7", Q.MAJOR_7),
    ("Cm7", Q.MINOR_7), ("Cmin7", Q.MINOR_7), ("C-7", Q.MINOR_7),
    ("Cm7b5", Q.HALF_DIMINISHED_7), ("Cø", Q.HALF_DIMINISHED_7), ("Cø7", Q.HALF_DIMINISHED_7),
    ("Cdim7", Q.DIMINISHED_7), ("C°7", Q.DIMINISHED_7),
    ("Csus2", Q.SUS2), ("Csus4", Q.SUS4), ("Csus", Q.SUS4), ("CSUS4", Q.SUS4),
    ("Cadd9", Q.ADD9), ("C9", Q.DOMINANT_9), ("C11", Q.DOMINANT_11), ("C13", Q.DOMINANT_13),
    ("C6", Q.MAJOR_6), ("Cm6", Q.MINOR_6), ("CmMaj7", Q.MINOR_MAJOR_7), ("C7sus4", Q.SEVEN_SUS4),
    ("Cmaj9", Q.MAJOR_9), ("Cm9", Q.MINOR_9),
])
def test_parse_quality_aliases(symbol, quality):
    chord = parse_chord_symbol(symbol)
    assert chord.quality is quality
    assert (chord.root_pc, chord.root_name, chord.bass_pc) == (0, "C", 0)


@pytest.mark.parametrize(("symbol", "root", "root_pc", "bass", "bass_pc"), [
    ("F#m", "F#", 6, "F#", 6), ("Bb7", "Bb", 10, "Bb", 10), ("C/E", "C", 0, "E", 4),
    ("Dm7/C", "D", 2, "C", 0), ("Ab/Eb", "Ab", 8, "Eb", 3), ("G/B", "G", 7, "B", 11),
    ("C#m7b5/G", "C#", 1, "G", 7), (" Em ", "E", 4, "E", 4), ("B♭", "Bb", 10, "Bb", 10),
    ("Cbmaj7", "Cb", 11, "Cb", 11), ("E#m", "E#", 5, "E#", 5), ("c", "C", 0, "C", 0),
])
def test_parse_roots_and_bass(symbol, root, root_pc, bass, bass_pc):
    chord = parse_chord_symbol(symbol)
    assert (chord.root_name, chord.root_pc, chord.bass_name, chord.bass_pc) == (
        root, root_pc, bass, bass_pc)


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"), ("   ", "empty"), ("H7", "root"), ("Cxyz", "unknown chord quality"),
    ("C/H", "bass"), ("7", "root"), ("/E", "root"), ("C//E", "unknown chord quality"),
    ("C#b", "bad root"), ("Cmaj7b9#11", "unknown chord quality"), ("C5", "unknown"),
    ("Q" * 100, "too long"), ("C" + "7" * 99, "too long"), ("C/E/G", "unknown"),
    ("Cm7 b5", "unknown"), ("Xm", "root"),
])
def test_parse_rejects(text, message):
    with pytest.raises(ChordParseError, match=message) as error:
        parse_chord_symbol(text)
    assert isinstance(error.value, ValueError)
    assert len(str(error.value)) < 200  # never echoes a whole hostile string


@pytest.mark.parametrize("quality", list(ChordQuality))
def test_symbol_round_trips_for_every_quality_and_root(quality):
    for root in ("C", "C#", "Db", "D", "Eb", "E", "F", "F#", "Gb", "G", "Ab", "A", "Bb", "B"):
        for bass in (None, "E", "Bb"):
            chord = Chord.of(root, quality, bass)
            assert parse_chord_symbol(chord.symbol) == chord
            assert str(chord) == chord.symbol


@pytest.mark.parametrize(("symbol", "canonical"), [
    ("CM7", "Cmaj7"), ("C-7", "Cm7"), ("Cø", "Cm7b5"), ("C°", "Cdim"), ("C+", "Caug"),
    ("CΔ7", "Cmaj7"), ("Dmin7/C", "Dm7/C"), ("Csus", "Csus4"), ("CM", "C"), ("C°7", "Cdim7"),
])
def test_canonical_symbol(symbol, canonical):
    assert parse_chord_symbol(symbol).symbol == canonical


def test_chord_refuses_inconsistent_names():
    with pytest.raises(ValueError, match="not pitch class"):
        Chord(0, "D", Q.MAJOR, 0, "D")
    with pytest.raises(ValueError, match="not pitch class"):
        Chord(0, "C", Q.MAJOR, 5, "E")


def test_every_quality_has_distinct_pitch_class_sets():
    shapes = {frozenset(s % 12 for s, _ in info.tones) for info in QUALITIES.values()}
    assert len(shapes) == len(QUALITIES)


# --- recognition --------------------------------------------------------------------------

@pytest.mark.parametrize(("notes", "symbol"), [
    ("C4 E4 G4", "C"),
    ("E3 C4 G4", "C/E"),
    ("G2 C4 E4", "C/G"),
    ("C3 G3 E4 C5 G5", "C"),
    ("A3 C4 E4", "Am"),
    ("B3 D4 F4", "Bdim"),
    ("C4 E4 G#4", "Caug"),
    ("G2 B3 D4 F4", "G7"),
    ("B2 D4 F4 G4", "G7/B"),
    ("F2 G3 B3 D4", "G7/F"),
    ("G2 B3 F4", "G7"),                # omitted fifth
    ("C3 E3 B3", "Cmaj7"),             # omitted fifth
    ("D3 F3 A3 C4", "Dm7"),
    ("D3 F3 C4", "Dm7"),               # omitted fifth
    ("B2 D3 F3 A3", "Bm7b5"),
    ("C#3 E3 G3 B3", "C#m7b5"),
    ("C4 D4 G4", "Csus2"),
    ("C4 F4 G4", "Csus4"),
    ("G3 C4 D4 F4", "G7sus4"),
    ("C4 E4 G4 D5", "Cadd9"),
    ("C3 E3 Bb3 D4", "C9"),            # the usual rootless-fifth voicing
    ("C3 E3 G3 Bb3 D4 A4", "C13"),
    ("C3 E3 Bb3 A4", "C13"),           # 13th without fifth and ninth
    ("C3 E3 G3 A3", "C6"),             # root in the bass: C6, not Am7
    ("A2 C3 E3 G3", "Am7"),            # root in the bass: Am7, not C6
    ("D3 F3 A3 B3", "Dm6"),
    ("C3 Eb3 G3 B3", "CmMaj7"),
    ("F3 A3 C4 E4 G4", "Fmaj9"),
    ("E3 G3 B3 D4 F#4", "Em9"),
    ("C3 C4 E4 E5 G5", "C"),           # doublings do not matter
])
def test_recognize_without_key(notes, symbol):
    chord = recognize_chord(pitches(notes))
    assert chord is not None
    assert chord.symbol == symbol


@pytest.mark.parametrize(("notes", "tonic", "mode", "symbol"), [
    ("E3 G3 A3 C4", "A", "major", "Am7/E"),     # C is not diatonic in A major
    ("E3 G3 A3 C4", "C", "minor", "C6/E"),      # A is not diatonic in C minor
    ("E3 G3 A3 C4", "G", "major", "Am7/E"),     # both diatonic: the commoner quality
    ("B2 D3 F3 G#3", "A", "minor", "G#dim7/B"),  # vii°7 of A minor, any inversion
    ("D3 F3 G#3 B3", "A", "minor", "G#dim7/D"),
    ("F3 Ab3 B3 D4", "C", "major", "Bdim7/F"),
    ("F#3 A3 C4 Eb4", "C", "major", "F#dim7"),  # vii°7/V
    ("C3 Eb3 F#3 A3", "G", "major", "F#dim7/C"),  # leading tone of G
    ("D3 F#3 A3 C4", "G", "major", "D7"),
    ("Gb3 Bb3 Db4", "Db", "major", "Gb"),
    ("F#3 A#3 C#4", "B", "major", "F#"),
    ("Db3 F3 Ab3", "C", "major", "Db"),         # Neapolitan spelled with flats
    ("C#3 E3 G#3", "C", "major", "C#m"),        # not Dbm with an Fb
    ("G#3 B3 D#4", None, None, "G#m"),          # not Abm with a Cb
    ("Bb2 D3 F3", "C", "major", "Bb"),
    ("E3 G#3 B3", "A", "minor", "E"),
    ("Eb3 Gb3 Bb3", None, None, "Ebm"),
])
def test_recognize_in_key(notes, tonic, mode, symbol):
    k = key(tonic, mode) if tonic else None
    chord = recognize_chord(pitches(notes), k)
    assert chord is not None
    assert chord.symbol == symbol


@pytest.mark.parametrize("notes", [
    "", "C4", "C4 C5", "C4 G4", "C4 E4", "C4 C#4 D4", "C4 C#4 D4 D#4", "C4 E4 F#4 G4 A#4",
    "C4 D4 E4",   # add9 may not drop its fifth: a plain cluster
    "C4 G4 Bb4",  # a seventh chord may drop its fifth, not its third
    "C4 F#4 B4",
])
def test_recognize_returns_none(notes):
    assert recognize_chord(pitches(notes) if notes else []) is None


def test_recognize_accepts_any_iterable_and_order():
    assert recognize_chord(iter([67, 60, 64])) == parse_chord_symbol("C")
    assert recognize_chord({64, 67, 72}) == parse_chord_symbol("C/E")


def test_recognize_round_trips_every_triad_and_seventh():
    for root in range(48, 60):
        for quality in (Q.MAJOR, Q.MINOR, Q.DIMINISHED, Q.DOMINANT_7, Q.MAJOR_7, Q.MINOR_7,
                        Q.HALF_DIMINISHED_7):
            offsets = [s for s, _ in QUALITIES[quality].tones]
            chord = recognize_chord([root + s for s in offsets])
            assert chord is not None
            assert (chord.root_pc, chord.quality, chord.bass_pc) == (root % 12, quality, root % 12)
