"""Each style's idiomatic chromaticism: the notes a player of the style calls its own are
not flagged in that style, and are still flagged in common practice; what is wrong in the
style (a chromatic note leapt into and out of, parallel fifths in a chorale) still is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from ariaforge.music.score import ChordSymbol, Key, Meter, Mode, Note, Role, Score, Track
from ariaforge.music.validation import STYLES, validate
from ariaforge.music.validation.engine import STYLE_IDIOMS

Q = 480  # a quarter note
E = Q // 2  # an eighth


def track(track_id: str, role: Role, *specs: tuple[int, int, int], program: int = 0) -> Track:
    return Track(id=track_id, name=track_id.title(), role=role, program=program,
                 notes=[Note(pitch=p, start=s, duration=d) for p, s, d in specs])


def line(track_id: str, role: Role, pitches: list[int], length: int = Q,
         program: int = 0) -> Track:
    return track(track_id, role, *[(p, i * length, length) for i, p in enumerate(pitches)],
                 program=program)


def score(*tracks: Track, chords: Sequence[tuple[int, str]] = (), key: str = "C",
          bars: int = 4, **extra: Any) -> Score:
    return Score(key=Key(tonic=key, mode=Mode.MAJOR), meter=Meter(), bars=bars,
                 tracks=list(tracks),
                 chord_symbols=[ChordSymbol(tick=t, symbol=s) for t, s in chords], **extra)


def flagged(music: Score, style: str, rule: str = "non-diatonic-note") -> list[str]:
    """The names of the flagged notes' pitches, in order, as the messages spell them."""
    return [v.message.split(" ")[0] for v in validate(music, style).violations
            if v.rule == rule]


# --- jazz ---------------------------------------------------------------------------

# A bebop-ish line over Cmaj7: E G, then C# leapt into from G and resolving up a
# semitone to D (approach from below); A, then Db leapt to, falling a semitone onto C
# (approach from above). Neither is a blue note nor a tension of the chord.
JAZZ_LINE = score(line("melody", Role.MELODY, [64, 67, 61, 62, 69, 73, 72, 71], length=E),
                  chords=[(0, "Cmaj7")], bars=1)


def test_jazz_approach_notes_are_idiomatic_in_jazz_and_flagged_in_common_practice() -> None:
    assert flagged(JAZZ_LINE, "jazz") == []
    assert flagged(JAZZ_LINE, "common-practice") == ["Db", "Db"]


def test_a_walking_bass_approach_into_the_next_root_is_fine_in_jazz() -> None:
    # Over Dm7: D F A, then C# leapt to on beat 4, falling a semitone onto the next root C.
    bass = line("bass", Role.BASS, [38, 41, 45, 49, 48, 52, 55, 57], program=32)
    music = score(bass, chords=[(0, "Dm7"), (4 * Q, "C")], bars=2)
    assert flagged(music, "jazz") == []
    assert flagged(music, "common-practice") == ["Db"]


def test_an_enclosure_is_fine_in_jazz_only() -> None:
    # Over C: Ab (leapt to from C) above the target G, then F# below it, then G: an
    # enclosure. F# also approaches G by a semitone; Ab only encloses it.
    music = score(line("melody", Role.MELODY, [72, 68, 66, 67, 64, 60], length=Q),
                  chords=[(0, "C")], bars=2)
    assert flagged(music, "jazz") == []
    assert flagged(music, "common-practice") == ["Ab", "F#"]
    assert flagged(music, "pop") == ["Ab"]  # pop approaches, but does not enclose


def test_altered_tensions_over_a_dominant_are_jazz_and_blues_vocabulary() -> None:
    # G7(b9, #11) voiced G B F Ab C#, held, then C: the Ab and C# are tensions, not errors.
    comp = track("chords", Role.CHORDS, *[(p, 0, 4 * Q) for p in (55, 59, 65, 68, 73)],
                 *[(p, 4 * Q, 4 * Q) for p in (48, 55, 64, 76)])
    music = score(comp, chords=[(0, "G7"), (4 * Q, "C")], bars=2)
    assert flagged(music, "jazz") == []
    assert flagged(music, "blues") == []
    assert sorted(flagged(music, "common-practice")) == ["Ab", "Db"]
    assert sorted(flagged(music, "pop")) == ["Ab", "Db"]  # pop does not alter dominants


def test_a_pushed_chord_anticipates_the_next_one() -> None:
    # Bbmaj7 in F, then Bbm7 (Db, Ab) pushed an eighth before its bar: a comping push.
    comp = track("chords", Role.CHORDS,
                 *[(p, 0, 4 * Q - E) for p in (53, 57, 62, 65)],
                 *[(p, 4 * Q - E, 4 * Q + E) for p in (53, 56, 61, 65)])
    music = score(comp, chords=[(0, "Bbmaj7"), (4 * Q, "Bbm7")], key="F", bars=2)
    assert flagged(music, "jazz") == []
    assert flagged(music, "pop") == []
    assert sorted(flagged(music, "common-practice")) == ["Ab", "Db"]


def test_a_chromatic_note_leapt_into_and_out_of_is_still_flagged_in_jazz() -> None:
    # C, Ab (the b13 a major chord avoids), back to C: no approach, enclosure or tension.
    music = score(line("melody", Role.MELODY, [60, 68, 60, 64]), chords=[(0, "C")])
    assert flagged(music, "jazz") == ["Ab"]


# --- blues, rock, pop, folk ---------------------------------------------------------

def test_blue_notes_belong_to_blues_rock_and_jazz_not_to_folk_or_common_practice() -> None:
    # Over A7 in A: C (b3) and Eb (b5) sung as blue notes, leapt to and left by leap.
    music = score(line("melody", Role.MELODY, [69, 72, 76, 75, 69, 81]),
                  chords=[(0, "A7")], key="A")
    for style in ("blues", "rock", "jazz"):
        assert flagged(music, style) == [], style
    assert flagged(music, "common-practice") == ["C", "D#"]
    assert flagged(music, "folk") == ["C", "D#"]


def test_the_mixolydian_flat_seven_is_rock_pop_and_folk() -> None:
    # E major melody over E: D natural (b7) leapt to and from (the riff's bVII colour).
    music = score(line("melody", Role.MELODY, [64, 71, 74, 71, 64, 74, 76, 71]),
                  chords=[(0, "E")], key="E", bars=2)
    for style in ("rock", "pop", "folk"):
        assert flagged(music, style) == [], style
    assert flagged(music, "common-practice") == ["D", "D"]
    assert flagged(music, "classical") == ["D", "D"]


def test_pop_approach_notes_but_a_stray_chromatic_note_is_flagged() -> None:
    # Over C: A, then G# a semitone below the A that follows (approach: fine in pop);
    # then Eb leapt into from A and leapt away to G... by a major third: flagged.
    music = score(line("melody", Role.MELODY, [69, 64, 68, 69, 63, 67, 60, 64]),
                  chords=[(0, "C")], bars=2)
    assert flagged(music, "pop") == ["Eb"]
    assert flagged(music, "common-practice") == ["Ab", "Eb"]


# --- what stays wrong ---------------------------------------------------------------

def test_real_parallel_fifths_are_still_flagged_in_common_practice() -> None:
    melody = line("melody", Role.MELODY, [67, 69, 71, 72])     # G A B C
    bass = line("bass", Role.BASS, [48, 50, 52, 53], program=32)  # C D E F: fifths
    music = score(melody, bass, chords=[(0, "C"), (Q, "Dm"), (2 * Q, "Em"), (3 * Q, "F")])
    assert len(flagged(music, "common-practice", "parallel-perfect-intervals")) == 3
    assert len(flagged(music, "chorale", "parallel-perfect-intervals")) == 3


def test_every_style_names_its_idioms_and_common_practice_has_none() -> None:
    assert set(STYLE_IDIOMS) == set(STYLES)
    report = validate(JAZZ_LINE, "jazz")
    assert report.style == "jazz"
    assert "chromatic_approach" in report.idioms and "enclosure" in report.idioms
    assert validate(JAZZ_LINE, "common-practice").idioms == []
    # The non-diatonic rule itself is never switched off: idioms are options on it.
    for style in STYLES:
        assert "non-diatonic-note" in validate(JAZZ_LINE, style).rules_run


@pytest.mark.parametrize("style", ["jazz", "blues", "rock", "pop", "folk", "electronic"])
def test_the_styles_still_flag_a_note_leapt_into_and_out_of(style: str) -> None:
    # Ab over C, a third from the note before and after, in no style's vocabulary.
    music = score(line("melody", Role.MELODY, [72, 68, 72, 67]), chords=[(0, "C")])
    assert flagged(music, style) == ["Ab"], style
