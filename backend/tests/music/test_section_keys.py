"""A score whose middle section has a key of its own (`Section.key`): the key in force at
each bar, the checks, MIDI and MusicXML export and engraved pages all follow it."""

from __future__ import annotations

import io

import mido
from defusedxml.ElementTree import fromstring

from ariaforge.music import engraving
from ariaforge.music.interchange import write_midi, write_musicxml
from ariaforge.music.score import Key, Mode, Note, Score, Section, Track
from ariaforge.music.section_keys import KeyMap, key_changes
from ariaforge.music.validation import validate

A_MINOR = Key(tonic="A", mode=Mode.MINOR)
E_FLAT = Key(tonic="Eb", mode=Mode.MAJOR)  # far from A minor: three flats against none
EB_SCALE = (63, 65, 67, 68, 70, 72, 74, 75)
A_SCALE = (69, 71, 72, 74, 76, 77, 79, 81)


def modulating() -> Score:
    """12 bars: A minor (1-4), Eb major (5-8), A minor (9-12), a scale a bar."""
    bare = Score(bars=12, key=A_MINOR, sections=[
        Section(name="verse", start_bar=1, bars=4),
        Section(name="chorus", start_bar=5, bars=4, key=E_FLAT),
        Section(name="verse", start_bar=9, bars=4)])
    notes = []
    for bar in range(1, 13):
        scale = EB_SCALE if 5 <= bar <= 8 else A_SCALE
        notes += [Note(pitch=pitch, start=bare.bar_start(bar) + 240 * i, duration=240)
                  for i, pitch in enumerate(scale)]
    return bare.model_copy(update={"tracks": [Track(id="m", name="Flute", program=73,
                                                    notes=notes)]})


def test_the_key_in_force_follows_the_sections() -> None:
    score = modulating()
    assert key_changes(score) == [(5, E_FLAT), (9, A_MINOR)]
    keys = KeyMap.of(score)
    assert keys.modulates
    assert [keys.at(score.bar_start(bar)) for bar in (1, 4, 5, 8, 9, 12)] == [
        A_MINOR, A_MINOR, E_FLAT, E_FLAT, A_MINOR, A_MINOR]


def test_notes_are_judged_in_their_sections_key() -> None:
    score = modulating()
    out_of_key = [v for v in validate(score, "classical").violations
                  if v.rule == "non-diatonic-note"]
    assert out_of_key == []
    # Judged in A minor throughout, the Eb major scale would be out of key.
    flat = score.model_copy(update={"sections": [s.model_copy(update={"key": None})
                                                 for s in score.sections]})
    flagged = {v.bar for v in validate(flat, "classical").violations
               if v.rule == "non-diatonic-note"}
    assert flagged and flagged <= {5, 6, 7, 8}


def test_midi_has_a_key_signature_at_each_change() -> None:
    midi = mido.MidiFile(file=io.BytesIO(write_midi(modulating())))
    found, tick = [], 0
    for message in midi.tracks[0]:
        tick += message.time
        if message.type == "key_signature":
            found.append((tick, message.key))
    assert found == [(0, "Am"), (4 * 1920, "Eb"), (8 * 1920, "Am")]


def test_musicxml_writes_each_key_and_spells_notes_in_it() -> None:
    root = fromstring(write_musicxml(modulating()))
    measures = root.find("part").findall("measure")
    keys = {int(m.get("number")): (m.find("attributes/key/fifths").text,
                                   m.find("attributes/key/mode").text)
            for m in measures if m.find("attributes/key") is not None}
    assert keys == {1: ("0", "minor"), 5: ("-3", "major"), 9: ("0", "minor")}
    # The time signature is written once, not again at each key change.
    assert [m.get("number") for m in measures if m.find("attributes/time") is not None] == ["1"]
    steps = [(n.find("pitch/step").text, n.findtext("pitch/alter"))
             for n in measures[4].findall("note")]
    assert steps[0] == ("E", "-1") and ("A", "-1") in steps  # flats, not D# or G#


def test_an_engraved_page_shows_the_key_in_force() -> None:
    score = modulating()
    page = engraving.slice_bars(score, 6, 10)
    assert page.key == E_FLAT
    assert key_changes(page) == [(4, A_MINOR)]  # bar 9 of the piece is bar 4 of the page
    root = fromstring(write_musicxml(page, first_bar=6))
    fifths = [(m.get("number"), m.findtext("attributes/key/fifths"))
              for m in root.find("part").findall("measure")
              if m.find("attributes/key") is not None]
    assert fifths == [("6", "-3"), ("9", "0")]


def test_a_score_without_section_keys_exports_as_before() -> None:
    score = modulating().model_copy(update={"sections": []})
    assert key_changes(score) == []
    root = fromstring(write_musicxml(score))
    assert len(root.findall(".//attributes/key")) == 1
