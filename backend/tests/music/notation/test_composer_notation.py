"""Composer output as notation: a dozen briefs across styles, meters and instruments
(swing, waltz, 6/8, rock and funk drums, piano) composed by the real composer, exported,
parsed by music21: every measure of every staff and voice adds up, the read-back is the
written rhythm, swing is marked, drums are unpitched on a percussion staff and pianos sit
on a grand staff."""

from __future__ import annotations

import pytest
from defusedxml.ElementTree import fromstring
from music21 import stream

from ariaforge.composer.operations import ComposeRequest
from ariaforge.composer.run import compose
from ariaforge.music.interchange import read_musicxml, write_musicxml
from ariaforge.music.notation import grand_staff, notate
from ariaforge.music.score import Score
from tests.music.notation.measures import Tally, measures_add_up, parse

pytestmark = pytest.mark.timeout(600)

BRIEFS = (
    "a swing jazz tune for piano, bass and drums",
    "a bebop tune in Bb for saxophone, piano, bass and drums",
    "a lo-fi hip hop beat with electric piano",
    "a melancholic waltz in D minor for piano and strings",
    "a jig in 6/8 for flute and fiddle",
    "a lullaby in 6/8 for celesta and harp",
    "a rock song with drums, bass and distorted guitar",
    "a funk groove with clavinet, slap bass and drums",
    "a bossa nova for nylon guitar and flute",
    "a piano ballad in E flat major",
    "a march in 2/4 for brass band",
    "a church organ chorale in G major",
)


@pytest.fixture(scope="module")
def composed() -> list[tuple[str, Score, bytes, stream.Score]]:
    found = []
    for seed, brief in enumerate(BRIEFS):
        score = compose(ComposeRequest(prompt=brief, seed=seed, bars=12)).score
        xml = write_musicxml(score)
        found.append((brief, score, xml, parse(xml)))
    return found


def test_every_measure_of_composer_output_adds_up(
        composed: list[tuple[str, Score, bytes, stream.Score]]) -> None:
    tally = Tally()
    for brief, _, _, parsed in composed:
        tally.add(measures_add_up(parsed, brief))
    meters = {str(score.meter) for _, score, _, _ in composed}
    print(f"composer output: {tally.good} of {tally.total} measures add up; meters {meters}")
    assert {"4/4", "3/4", "6/8"} <= meters
    assert tally.total > 300
    assert tally.bad == []


def test_read_back_is_the_written_rhythm_with_every_note(
        composed: list[tuple[str, Score, bytes, stream.Score]]) -> None:
    for brief, score, xml, _ in composed:
        back = read_musicxml(xml)
        written = notate(score).score
        assert len(back.tracks) == len(score.tracks), brief
        for mine, read in zip(written.tracks, back.tracks, strict=True):
            expected = sorted((n.pitch, n.start, n.duration) for n in mine.notes)
            assert sorted((n.pitch, n.start, n.duration) for n in read.notes) == expected, (
                brief, mine.name)
            assert read.is_drum == mine.is_drum


def test_swing_is_marked_and_written_straight(
        composed: list[tuple[str, Score, bytes, stream.Score]]) -> None:
    swung = {brief: fromstring(xml).findtext(".//direction-type/words") == "Swing"
             for brief, _, xml, _ in composed}
    assert swung[BRIEFS[0]] and swung[BRIEFS[2]]
    assert not swung[BRIEFS[3]] and not swung[BRIEFS[6]]
    for brief, score, _, _ in composed:
        if not swung[brief]:
            continue
        offbeats = {(n.start - score.bar_start(score.bar_of(n.start))) % 480
                    for t in notate(score).score.tracks for n in t.notes}
        assert offbeats <= {0, 120, 240, 360}, brief  # straight eighths and sixteenths


def test_drums_and_keyboards_are_written_as_such(
        composed: list[tuple[str, Score, bytes, stream.Score]]) -> None:
    drum_parts = keyboard_parts = 0
    for _, score, xml, _ in composed:
        root = fromstring(xml)
        for number, track in enumerate(score.tracks, start=1):
            part = root.find(f"part[@id='P{number}']")
            assert part is not None
            if track.is_drum:
                drum_parts += 1
                assert part.find(".//key") is None and part.find(".//note/pitch") is None
                assert part.findtext("measure/attributes/clef/sign") == "percussion"
                assert part.find(".//unpitched") is not None
            elif grand_staff(track) is not None:
                keyboard_parts += 1
                assert part.findtext("measure/attributes/staves") == "2"
            else:
                assert part.find("measure/attributes/staves") is None
    assert drum_parts >= 4 and keyboard_parts >= 2
