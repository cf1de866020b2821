"""Section keys beyond the simple case: nested sections (the rule for which key is in
force), the score edits (transpose, slice) and the checks' spelling all follow the key of
the section each note is in."""

from __future__ import annotations

import io

import mido

from ariaforge.music.interchange import write_midi
from ariaforge.music.score import ChordSymbol, Key, Mode, Note, Role, Score, Section, Track
from ariaforge.music.section_keys import KeyMap, key_changes, keys_by_bar
from ariaforge.music.transform import (
    section_view,
    slice_bars,
    transpose_chromatic,
    transpose_diatonic,
)
from ariaforge.music.validation import validate

C = Key(tonic="C", mode=Mode.MAJOR)
E = Key(tonic="E", mode=Mode.MAJOR)
G = Key(tonic="G", mode=Mode.MAJOR)
BAR = 1920


def song(*sections: Section, bars: int = 12, notes: list[Note] | None = None) -> Score:
    return Score(bars=bars, key=C, sections=list(sections),
                 tracks=[Track(id="m", name="Flute", program=73, notes=notes or [])])


# --- nesting: the rule for the key in force ------------------------------------------


def test_an_unkeyed_section_inside_a_keyed_one_keeps_the_outer_key() -> None:
    score = song(Section(name="chorus", start_bar=5, bars=6, key=E),
                 Section(name="hook", start_bar=7, bars=2))
    assert keys_by_bar(score) == [C] * 4 + [E] * 6 + [C] * 2
    assert key_changes(score) == [(5, E), (11, C)]
    assert KeyMap.of(score).at(score.bar_start(8)) == E


def test_the_outer_key_returns_after_a_nested_keyed_section() -> None:
    # Listed inner first: the order in the list does not matter, only the bars.
    score = song(Section(name="bridge", start_bar=5, bars=2, key=G),
                 Section(name="chorus", start_bar=3, bars=6, key=E),
                 Section(name="verse", start_bar=1, bars=12))
    assert key_changes(score) == [(3, E), (5, G), (7, E), (9, C)]
    midi = mido.MidiFile(file=io.BytesIO(write_midi(score)))
    signatures = [(message.key, message.time) for message in mido.merge_tracks(midi.tracks)
                  if message.type == "key_signature"]
    assert [key for key, _ in signatures] == ["C", "E", "G", "E", "C"]


def test_a_section_that_starts_in_bar_one_in_its_own_key_changes_at_bar_one() -> None:
    assert key_changes(song(Section(name="intro", start_bar=1, bars=2, key=E))) == [
        (1, E), (3, C)]


# --- transforms ----------------------------------------------------------------------


def test_chromatic_transposition_moves_section_keys_with_the_notes() -> None:
    score = song(Section(name="verse", start_bar=1, bars=4),
                 Section(name="chorus", start_bar=5, bars=4, key=E),
                 notes=[Note(pitch=64, start=4 * BAR, duration=480)])
    moved = transpose_chromatic(score, 2)
    assert moved.key == Key(tonic="D", mode=Mode.MAJOR)
    assert [s.key for s in moved.sections] == [None, Key(tonic="F#", mode=Mode.MAJOR)]
    assert moved.tracks[0].notes[0].pitch == 66
    # Moving only some tracks leaves every key where it was.
    partial = transpose_chromatic(score.model_copy(update={"tracks": [
        *score.tracks, Track(id="b", name="Bass", program=33)]}), 2, track_ids={"m"})
    assert partial.key == C and partial.sections[1].key == E


def test_diatonic_steps_follow_the_key_of_each_notes_section() -> None:
    # E in the C major verse and E in the E major chorus: two steps up are G and G#.
    score = song(Section(name="chorus", start_bar=5, bars=4, key=E),
                 notes=[Note(pitch=64, start=0, duration=480),
                        Note(pitch=64, start=4 * BAR, duration=480),
                        Note(pitch=71, start=5 * BAR, duration=480),  # B, E's fifth
                        Note(pitch=71, start=9 * BAR, duration=480)])  # back in C
    stepped = transpose_diatonic(score, 2)
    assert [n.pitch for n in stepped.tracks[0].notes] == [67, 68, 75, 74]
    assert stepped.key == C and stepped.sections[0].key == E


def test_a_slice_of_a_modulated_chorus_is_in_the_choruses_key() -> None:
    score = song(Section(name="verse", start_bar=1, bars=4),
                 Section(name="chorus", start_bar=5, bars=4, key=E),
                 Section(name="hook", start_bar=6, bars=2, key=G),
                 Section(name="outro", start_bar=9, bars=4),
                 notes=[Note(pitch=68, start=4 * BAR, duration=480)])
    chorus = section_view(score, "chorus")
    assert chorus.key == E
    assert [(s.name, s.start_bar, s.bars, s.key) for s in chorus.sections] == [
        ("chorus", 1, 4, E), ("hook", 2, 2, G)]
    assert key_changes(chorus) == [(2, G), (4, E)]
    assert chorus.tracks[0].notes[0].pitch == 68


def test_a_slice_keeps_every_bar_in_the_key_it_had() -> None:
    # Starts in the E major chorus and runs into the C major outro: the slice's home key
    # is E, so the outro's bars must say C major explicitly.
    score = song(Section(name="verse", start_bar=1, bars=4),
                 Section(name="chorus", start_bar=5, bars=4, key=E),
                 Section(name="outro", start_bar=9, bars=4))
    for first, last in [(6, 11), (3, 10), (5, 12), (9, 12), (1, 12)]:
        piece = slice_bars(score, first, last)
        assert keys_by_bar(piece) == keys_by_bar(score)[first - 1:last], (first, last)
    assert slice_bars(score, 6, 11).key == E
    assert slice_bars(score, 3, 10).key == C
    # Overlapping (not nested) keyed sections cut so both start at bar 1.
    crossing = song(Section(name="a", start_bar=1, bars=8, key=G),
                    Section(name="b", start_bar=3, bars=8, key=E))
    piece = slice_bars(crossing, 5, 12)
    assert keys_by_bar(piece) == keys_by_bar(crossing)[4:12]


# --- the checks name pitches in the section's key -------------------------------------


def test_an_augmented_second_is_spelled_in_its_sections_key() -> None:
    # In E major the sixth and the raised seventh of its minor are C and D#.
    bars = [Note(pitch=72, start=4 * BAR, duration=480),
            Note(pitch=75, start=4 * BAR + 480, duration=480)]
    score = song(Section(name="chorus", start_bar=5, bars=4, key=E), notes=bars)
    messages = [v.message for v in validate(score).violations
                if v.rule == "augmented-second"]
    assert messages == ["augmented second C-D#"]
    home = song(notes=[Note(pitch=68, start=0, duration=480),
                       Note(pitch=71, start=480, duration=480)])
    assert [v.message for v in validate(home).violations
            if v.rule == "augmented-second"] == ["augmented second Ab-B"]


def test_overlapping_notes_are_named_in_their_sections_key() -> None:
    score = song(Section(name="chorus", start_bar=5, bars=4, key=E),
                 notes=[Note(pitch=68, start=4 * BAR, duration=960),
                        Note(pitch=68, start=4 * BAR + 480, duration=480)])
    messages = [v.message for v in validate(score).violations
                if v.rule == "overlapping-notes"]
    assert messages == ["two G# notes overlap"]


def test_an_unresolved_leading_tone_is_spelled_in_its_sections_key() -> None:
    # Home Eb major would call pitch class 3 "Eb"; the E major chorus calls it D#.
    melody = Track(id="m", role=Role.MELODY, notes=[
        Note(pitch=78, start=960, duration=480), Note(pitch=75, start=1440, duration=480),
        Note(pitch=71, start=BAR, duration=960)])
    score = Score(bars=4, key=Key(tonic="Eb", mode=Mode.MAJOR), tracks=[melody],
                  sections=[Section(name="chorus", start_bar=1, bars=2, key=E)],
                  chord_symbols=[ChordSymbol(tick=0, symbol="B7"),
                                 ChordSymbol(tick=BAR, symbol="E")])
    messages = [v.message for v in validate(score).violations
                if v.rule == "unresolved-leading-tone"]
    assert messages == ["the leading tone D# does not resolve up to E at the cadence"]
