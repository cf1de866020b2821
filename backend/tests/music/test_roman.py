"""Roman numerals: chords named by function, and back."""

from __future__ import annotations

import pytest

from ariaforge.music.score import Key, Mode
from ariaforge.music.theory import (
    Chord,
    ChordQuality,
    RomanParseError,
    chord_from_roman,
    diatonic_seventh,
    diatonic_triad,
    parse_chord_symbol,
    roman_numeral,
)


def key(tonic: str, mode: str = "major") -> Key:
    return Key(tonic=tonic, mode=Mode(mode))


C_MAJOR, A_MINOR = key("C"), key("A", "minor")


@pytest.mark.parametrize(("k", "triads", "sevenths"), [
    (key("C"), "C Dm Em F G Am Bdim", "Cmaj7 Dm7 Em7 Fmaj7 G7 Am7 Bm7b5"),
    (key("Eb"), "Eb Fm Gm Ab Bb Cm Ddim", "Ebmaj7 Fm7 Gm7 Abmaj7 Bb7 Cm7 Dm7b5"),
    (key("A", "minor"), "Am Bdim C Dm E F G#dim", "Am7 Bm7b5 Cmaj7 Dm7 E7 Fmaj7 G#dim7"),
    (key("F#", "minor"), "F#m G#dim A Bm C# D E#dim",
     "F#m7 G#m7b5 Amaj7 Bm7 C#7 Dmaj7 E#dim7"),
    (key("D", "dorian"), "Dm Em F G Am Bdim C", "Dm7 Em7 Fmaj7 G7 Am7 Bm7b5 Cmaj7"),
    (key("A", "aeolian"), "Am Bdim C Dm Em F G", "Am7 Bm7b5 Cmaj7 Dm7 Em7 Fmaj7 G7"),
])
def test_diatonic_chords(k, triads, sevenths):
    assert [diatonic_triad(k, d).symbol for d in range(1, 8)] == triads.split()
    assert [diatonic_seventh(k, d).symbol for d in range(1, 8)] == sevenths.split()


def test_diatonic_chord_rejects_bad_degree():
    with pytest.raises(ValueError, match="1-7"):
        diatonic_triad(C_MAJOR, 8)
    with pytest.raises(ValueError, match="1-7"):
        diatonic_seventh(C_MAJOR, 0)


@pytest.mark.parametrize(("k", "triads", "sevenths"), [
    (key("C"), "I ii iii IV V vi vii°", "Imaj7 ii7 iii7 IVmaj7 V7 vi7 viiø7"),
    (key("Bb"), "I ii iii IV V vi vii°", "Imaj7 ii7 iii7 IVmaj7 V7 vi7 viiø7"),
    (key("A", "minor"), "i ii° III iv V VI vii°", "i7 iiø7 IIImaj7 iv7 V7 VImaj7 vii°7"),
    (key("C#", "minor"), "i ii° III iv V VI vii°", "i7 iiø7 IIImaj7 iv7 V7 VImaj7 vii°7"),
])
def test_numerals_of_diatonic_chords(k, triads, sevenths):
    assert [roman_numeral(diatonic_triad(k, d), k) for d in range(1, 8)] == triads.split()
    assert [roman_numeral(diatonic_seventh(k, d), k) for d in range(1, 8)] == sevenths.split()


@pytest.mark.parametrize(("symbol", "k", "numeral"), [
    # triads and sevenths in C major
    ("C", C_MAJOR, "I"), ("Dm", C_MAJOR, "ii"), ("G7", C_MAJOR, "V7"), ("Bdim", C_MAJOR, "vii°"),
    ("Bm7b5", C_MAJOR, "viiø7"), ("Bdim7", C_MAJOR, "vii°7"), ("Cmaj7", C_MAJOR, "Imaj7"),
    ("Dm7", C_MAJOR, "ii7"),
    # inversions
    ("C/E", C_MAJOR, "I6"), ("C/G", C_MAJOR, "I64"), ("G/B", C_MAJOR, "V6"),
    ("G/D", C_MAJOR, "V64"), ("G7/B", C_MAJOR, "V65"), ("G7/D", C_MAJOR, "V43"),
    ("G7/F", C_MAJOR, "V42"), ("Dm7/F", C_MAJOR, "ii65"), ("Bdim/D", C_MAJOR, "vii°6"),
    ("Bm7b5/D", C_MAJOR, "viiø65"), ("Cmaj7/B", C_MAJOR, "Imaj42"),
    # borrowed and chromatic roots
    ("Bb", C_MAJOR, "bVII"), ("Ab", C_MAJOR, "bVI"), ("Eb", C_MAJOR, "bIII"),
    ("F#dim", C_MAJOR, "#iv°"), ("Fm", C_MAJOR, "iv"), ("Gm", C_MAJOR, "v"),
    ("Db/F", C_MAJOR, "bII6"), ("F#dim7", C_MAJOR, "#iv°7"), ("Abmaj7", C_MAJOR, "bVImaj7"),
    ("C#dim", C_MAJOR, "#i°"),
    # secondary dominants
    ("D", C_MAJOR, "V/V"), ("D7", C_MAJOR, "V7/V"), ("A7", C_MAJOR, "V7/ii"),
    ("A7/C#", C_MAJOR, "V65/ii"), ("E", C_MAJOR, "V/vi"), ("E7/G#", C_MAJOR, "V65/vi"),
    ("B", C_MAJOR, "V/iii"), ("C7", C_MAJOR, "V7/IV"), ("C7/Bb", C_MAJOR, "V42/IV"),
    ("D9", C_MAJOR, "V9/V"),
    ("D", key("G"), "V"), ("A", key("G"), "V/V"), ("Bb7", key("Eb"), "V7"),
    ("F7", key("Eb"), "V7/V"),
    # minor keys
    ("Am", A_MINOR, "i"), ("E", A_MINOR, "V"), ("E7", A_MINOR, "V7"), ("Em", A_MINOR, "v"),
    ("G", A_MINOR, "VII"), ("G#dim", A_MINOR, "vii°"), ("G#dim7", A_MINOR, "vii°7"),
    ("G#dim7/B", A_MINOR, "vii°65"), ("G#m7b5", A_MINOR, "viiø7"), ("C", A_MINOR, "III"),
    ("F", A_MINOR, "VI"), ("Bdim", A_MINOR, "ii°"), ("Bm7b5/D", A_MINOR, "iiø65"),
    ("B", A_MINOR, "V/V"), ("B7", A_MINOR, "V7/V"), ("A", A_MINOR, "V/iv"),
    ("A7", A_MINOR, "V7/iv"), ("Bb/D", A_MINOR, "bII6"), ("F#dim", A_MINOR, "#vi°"),
    ("D", A_MINOR, "IV"),  # melodic minor's IV, not V/VII
    ("G#", A_MINOR, "#VII"),
    ("Caug", A_MINOR, "III+"),
    # extended and suspended qualities
    ("Gsus4", C_MAJOR, "Vsus4"), ("G7sus4", C_MAJOR, "V7sus4"), ("Csus2", C_MAJOR, "Isus2"),
    ("Cadd9", C_MAJOR, "Iadd9"), ("C6", C_MAJOR, "Iadd6"), ("Dm6", C_MAJOR, "iiadd6"),
    ("G9", C_MAJOR, "V9"), ("G13", C_MAJOR, "V13"), ("G11", C_MAJOR, "V11"),
    ("Cmaj9", C_MAJOR, "Imaj9"), ("Dm9", C_MAJOR, "ii9"), ("AmMaj7", A_MINOR, "imaj7"),
    # modes, spelled keys
    ("C", key("D", "dorian"), "VII"), ("Bb", key("D", "dorian"), "bVI"),
    ("G", key("D", "dorian"), "IV"),
    ("E", key("E", "major"), "I"), ("F#m", key("E", "major"), "ii"),
    ("D#dim", key("E", "major"), "vii°"), ("Gb", key("Db"), "IV"), ("Cb", key("Db"), "bVII"),
    ("Fb", key("Db"), "bIII"),
])
def test_roman_numeral(symbol, k, numeral):
    assert roman_numeral(parse_chord_symbol(symbol), k) == numeral


def test_foreign_bass_is_dropped():
    assert roman_numeral(parse_chord_symbol("C/D"), C_MAJOR) == "I"
    assert roman_numeral(parse_chord_symbol("Gsus4/C"), C_MAJOR) == "Vsus4"


@pytest.mark.parametrize(("numeral", "k", "symbol"), [
    ("I", C_MAJOR, "C"), ("ii", C_MAJOR, "Dm"), ("V7", C_MAJOR, "G7"), ("V65", C_MAJOR, "G7/B"),
    ("V43", C_MAJOR, "G7/D"), ("V42", C_MAJOR, "G7/F"), ("I64", C_MAJOR, "C/G"),
    ("vii°", C_MAJOR, "Bdim"), ("viio7", C_MAJOR, "Bdim7"), ("viiø7", C_MAJOR, "Bm7b5"),
    ("viiø", C_MAJOR, "Bm7b5"), ("IM7", C_MAJOR, "Cmaj7"), ("bVI", C_MAJOR, "Ab"),
    ("♭VII", C_MAJOR, "Bb"), ("#iv°", C_MAJOR, "F#dim"), ("bII6", C_MAJOR, "Db/F"),
    ("V/V", C_MAJOR, "D"), ("V7/ii", C_MAJOR, "A7"), ("vii°7/V", C_MAJOR, "F#dim7"),
    ("V7/V/V", C_MAJOR, "A7"), ("V/bVI", C_MAJOR, "Eb"), ("IV/IV", C_MAJOR, "Bb"),
    ("V7/IV", key("F"), "F7"), ("V", A_MINOR, "E"), ("v", A_MINOR, "Em"),
    ("vii°7", A_MINOR, "G#dim7"), ("VII", A_MINOR, "G"), ("#vii°", A_MINOR, "G#dim"),
    ("III+", A_MINOR, "Caug"), ("V/VII", A_MINOR, "D"), ("V7/iv", A_MINOR, "A7"),
    ("i", key("Eb", "minor"), "Ebm"), ("V", key("Eb", "minor"), "Bb"),
    ("vii°7", key("Eb", "minor"), "Ddim7"), ("V7", key("G#", "minor"), "D#7"),
    ("vii°7", key("G#", "minor"), "F##dim7"), ("VII", key("D", "dorian"), "C"),
    ("bVII", key("D", "dorian"), "Cb"),
    (" V7 ", C_MAJOR, "G7"),
])
def test_chord_from_roman(numeral, k, symbol):
    assert chord_from_roman(numeral, k) == parse_chord_symbol(symbol)


def words(text: str) -> list[str]:
    return text.split()


VOCABULARY = words(
    "I ii iii IV V vi vii° I6 I64 ii6 V6 V64 vii°6 V7 V65 V43 V42 ii7 ii65 ii43 ii42 "
    "viiø7 viiø65 vii°7 vii°65 vii°43 vii°42 Imaj7 Imaj65 IVmaj7 iii7 vi7 "
    "bVII bVI bIII bII6 #iv° #iv°7 iv v bVImaj7 "
    "V/V V7/V V65/V V/ii V7/ii V42/ii V/vi V7/vi V/iii V7/IV V43/IV V9/V "
    "Vsus4 V7sus4 Isus2 Iadd9 Iadd6 iiadd6 V9 V11 V13 Imaj9 ii9"
)
MINOR_VOCABULARY = words(
    "i ii° III iv V VI VII vii° i6 i64 iv6 V6 V65 V43 V42 vii°7 vii°65 vii°42 iiø7 iiø65 "
    "IIImaj7 VImaj7 bII6 #vi° v V/V V7/V V/iv V7/iv V7/VI imaj7 #VII III+ III+6"
)


@pytest.mark.parametrize("k", [
    key("C"), key("G"), key("Eb"), key("F#"), key("Db"), key("B"),
])
def test_major_vocabulary_round_trips(k):
    for numeral in VOCABULARY:
        assert roman_numeral(chord_from_roman(numeral, k), k) == numeral, (k, numeral)


@pytest.mark.parametrize("k", [
    key("A", "minor"), key("C", "minor"), key("F#", "minor"), key("Eb", "minor"),
    key("G#", "minor"), key("Bb", "minor"),
])
def test_minor_vocabulary_round_trips(k):
    for numeral in MINOR_VOCABULARY:
        assert roman_numeral(chord_from_roman(numeral, k), k) == numeral, (k, numeral)


def test_chords_round_trip_through_numerals():
    """Every chord quality on every chromatic root reads back as the same chord."""
    k = key("D")
    for name in ("D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B", "C", "C#", "Db", "G#"):
        for quality in ChordQuality:
            chord = Chord.of(name, quality)
            numeral = roman_numeral(chord, k)
            assert chord_from_roman(numeral, k).pitch_classes == chord.pitch_classes, numeral


@pytest.mark.parametrize(("text", "message"), [
    ("", "not a Roman numeral"), ("VIII", "no chord is written"),
    ("IIV", "no chord is written"), ("X", "not a Roman numeral"), ("Vi", "no chord"),
    ("Vx", "no chord"), ("V7/vii°", "tonicized"), ("V/ii°", "tonicized"), ("Vø6", "no chord"),
    ("I+7", "no chord"), ("v13", "no chord"), ("V" * 40, "not a Roman numeral"),
    ("###V", "not a Roman numeral"), ("#bV", "bad accidental"), ("V/", "not a Roman"),
    ("/V", "not a Roman numeral"), ("V/H", "not a Roman numeral"),
])
def test_chord_from_roman_rejects(text, message):
    with pytest.raises(RomanParseError, match=message) as error:
        chord_from_roman(text, C_MAJOR)
    assert isinstance(error.value, ValueError)
    assert len(str(error.value)) < 200


def test_chord_from_roman_quality_and_bass():
    chord = chord_from_roman("V65/V", C_MAJOR)
    assert (chord.root_name, chord.quality, chord.bass_name) == (
        "D", ChordQuality.DOMINANT_7, "F#")
    assert chord.spell() == ["D", "F#", "A", "C"]
