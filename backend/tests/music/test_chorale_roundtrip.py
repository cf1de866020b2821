"""External checks over every Bach chorale in the music21 corpus (371 files).

Each chorale's raw bytes go through read_musicxml once (a module-scoped fixture); then
(a) Score → write_midi → read_midi must keep every note's pitch, onset and duration, track
by track, and (b) write_musicxml's output must re-import into music21 itself with exactly
the Score's notes, and (c) every voice of every measure of that output adds up to its bar
by music21's own count. Each export is parsed by music21 once (a module-scoped fixture).
The module takes about a minute on two cores.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from music21 import converter, corpus, harmony, stream

from ariaforge.music.interchange import read_midi, read_musicxml, write_midi, write_musicxml
from ariaforge.music.score import Score, Track
from tests.music.notation.measures import Tally, measures_add_up

pytestmark = pytest.mark.timeout(600)

CHORALE_COUNT = 371
Key = tuple[int, int, int]


def chorale_path(name: str) -> Path:
    """The MusicXML file behind a corpus name; a few names also match other files
    (bwv281.krn, bwv244.32.mxl), so pick the one whose stem is the name."""
    found: Any = corpus.getWork(name)
    if not isinstance(found, list):
        return Path(found)
    stem = name.rsplit("/", 1)[-1]
    return next(Path(p) for p in found
                if Path(p).stem == stem and Path(p).suffix in (".mxl", ".xml", ".musicxml"))


def note_keys(track: Track) -> list[Key]:
    return sorted((n.pitch, n.start, n.duration) for n in track.notes)


@pytest.fixture(scope="module")
def chorales() -> list[tuple[str, Score]]:
    names = list(corpus.chorales.Iterator(returnType="filename"))
    return [(name, read_musicxml(chorale_path(name).read_bytes())) for name in names]


def test_every_chorale_is_read(chorales: list[tuple[str, Score]]) -> None:
    assert len(chorales) == CHORALE_COUNT
    empty = [name for name, score in chorales if not any(t.notes for t in score.tracks)]
    assert empty == []
    notes = sum(len(t.notes) for _, score in chorales for t in score.tracks)
    print(f"read {len(chorales)} chorales, {notes} notes")


def test_midi_round_trip_keeps_every_note(chorales: list[tuple[str, Score]]) -> None:
    failures, tracks, notes = [], 0, 0
    for name, score in chorales:
        back = read_midi(write_midi(score))
        if [note_keys(t) for t in back.tracks] != [note_keys(t) for t in score.tracks]:
            failures.append(name)
        tracks += len(score.tracks)
        notes += sum(len(t.notes) for t in score.tracks)
    print(f"MIDI round trip: {len(chorales)} chorales, {tracks} tracks, {notes} notes checked")
    assert failures == []


@pytest.fixture(scope="module")
def exported(chorales: list[tuple[str, Score]]) -> list[tuple[str, Score, stream.Score]]:
    """Each chorale's MusicXML export, parsed by music21."""
    found = []
    for name, score in chorales:
        parsed = converter.parseData(write_musicxml(score), format="musicxml")
        assert isinstance(parsed, stream.Score), name
        found.append((name, score, parsed))
    return found


def test_every_exported_measure_adds_up(
        exported: list[tuple[str, Score, stream.Score]]) -> None:
    tally = Tally()
    for name, _, parsed in exported:
        tally.add(measures_add_up(parsed, name))
    print(f"measures adding up: {tally.good} of {tally.total}")
    assert tally.total > 10_000
    assert tally.bad == []


def test_musicxml_export_reimports_into_music21(
        exported: list[tuple[str, Score, stream.Score]]) -> None:
    failures, parts, notes = [], 0, 0
    for name, score, parsed in exported:
        found = [music21_keys(part) for part in parsed.parts]
        if found != [note_keys(t) for t in score.tracks]:
            failures.append(name)
        parts += len(found)
        notes += sum(len(keys) for keys in found)
    print(f"MusicXML re-import: {len(exported)} chorales, {parts} parts, {notes} notes checked")
    assert failures == []


def music21_keys(part: stream.Part) -> list[Key]:
    """(midi, offset x 480, quarterLength x 480) of every note after stripTies.

    stripTies only joins ties that follow each other in one stream, so a part written
    with several voices (a few chorale parts divide) is split into one stream per voice
    first; ties never cross voices in write_musicxml's output.
    """
    has_voices = part.recurse().getElementsByClass(stream.Voice).first() is not None
    split = part.voicesToParts() if has_voices else None  # type: ignore[no-untyped-call]
    layers = list(split.parts) if split is not None else [part]
    keys: list[Key] = []
    for layer in layers:
        stripped = layer.stripTies()
        for element in stripped.recurse().notes:
            if isinstance(element, harmony.ChordSymbol):
                continue  # chord symbols are Chords to music21, not notes
            start = Fraction(element.getOffsetInHierarchy(stripped)) * 480
            length = Fraction(element.duration.quarterLength) * 480
            assert start.denominator == 1 and length.denominator == 1, "off the tick grid"
            keys += [(p.midi, int(start), int(length)) for p in element.pitches]
    return sorted(keys)
