"""The Score model: exact JSON round trips, validation, and time arithmetic."""

from __future__ import annotations

from fractions import Fraction

import pytest
from pydantic import ValidationError

from ariaforge.music.score import (
    ChordSymbol,
    Key,
    Meter,
    MeterChange,
    Mode,
    Note,
    Role,
    Score,
    Section,
    TempoChange,
    Track,
)


def rich_score() -> Score:
    return Score(
        tempo=92.5, tempo_changes=[TempoChange(tick=3840, bpm=120)],
        key=Key(tonic="F#", mode=Mode.DORIAN), meter=Meter(numerator=6, denominator=8),
        meter_changes=[MeterChange(bar=3, meter=Meter(numerator=5, denominator=4))], bars=6,
        sections=[Section(name="Verse", start_bar=1, bars=4)],
        chord_symbols=[ChordSymbol(tick=0, symbol="F#m7")],
        tracks=[Track(id="lead", name="Lead", role=Role.MELODY, program=73, volume=101, pan=-12,
                      mute=True, colour="#aabbcc",
                      notes=[Note(id="a", pitch=66, start=0, duration=719, velocity=64)]),
                Track(id="kit", role=Role.DRUMS, is_drum=True,
                      notes=[Note(id="b", pitch=36, start=1, duration=1)])])


def test_json_round_trip_is_exact() -> None:
    score = rich_score()
    text = score.model_dump_json()
    again = Score.model_validate_json(text)
    assert again == score
    assert again.model_dump_json() == text


@pytest.mark.parametrize("broken", [
    {"ppq": 960},
    {"tracks": [{"id": "x"}, {"id": "x"}]},
    {"tracks": [{"notes": [{"id": "n", "pitch": 1, "start": 0, "duration": 1},
                           {"id": "n", "pitch": 2, "start": 0, "duration": 1}]}]},
    {"tracks": [{"notes": [{"pitch": 60, "start": 0, "duration": 0}]}]},
    {"tracks": [{"notes": [{"pitch": 60, "start": 0.5, "duration": 10}]}]},
    {"tracks": [{"notes": [{"pitch": 60, "start": 0, "duration": 10, "velocity": 0}]}]},
    {"key": {"tonic": "X"}},
    {"key": {"tonic": "Cbbb"}},
    {"meter": {"numerator": 0, "denominator": 4}},
    {"meter": {"numerator": 4, "denominator": 3}},
    {"meter_changes": [{"bar": 5, "meter": {"numerator": 3, "denominator": 4}},
                       {"bar": 3, "meter": {"numerator": 2, "denominator": 4}}]},
    {"tempo_changes": [{"tick": 10, "bpm": 100}, {"tick": 10, "bpm": 90}]},
    {"tracks": [{"id": "bad id with spaces"}]},
    {"tracks": [{"colour": "red"}]},
    {"bars": 0},
])
def test_invalid_scores_are_rejected(broken: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Score.model_validate(broken)


def test_bar_and_beat_arithmetic_follows_meter_changes() -> None:
    score = rich_score()  # 6/8 for bars 1-2 (1440 ticks), then 5/4 (2400 ticks)
    assert [score.bar_start(bar) for bar in (1, 2, 3, 4)] == [0, 1440, 2880, 5280]
    assert score.end_tick == 2880 + 4 * 2400
    assert score.bar_of(1439) == 1 and score.bar_of(1440) == 2 and score.bar_of(5279) == 3
    assert score.tick_to_bar_beat(1440 + 240) == (2, Fraction(2))      # second eighth
    assert score.tick_to_bar_beat(2880 + 720) == (3, Fraction(5, 2))   # halfway, beat 2
    assert score.bar_beat_to_tick(3, Fraction(5, 2)) == 3600
    for tick in (0, 17, 1440, 2880, 5279, 9000):
        bar, beat = score.tick_to_bar_beat(tick)
        assert score.bar_beat_to_tick(bar, beat) == tick
    with pytest.raises(ValueError, match="outside"):
        score.bar_beat_to_tick(1, 7)


def test_tempo_map_in_seconds() -> None:
    score = rich_score()  # 92.5 bpm until tick 3840, then 120
    assert score.seconds_at(480) == pytest.approx(60 / 92.5)
    assert score.seconds_at(3840 + 480) == pytest.approx(8 * 60 / 92.5 + 0.5)
    assert score.tempo_at(3839) == 92.5 and score.tempo_at(3840) == 120


def test_note_and_section_lookup() -> None:
    score = rich_score()
    assert score.track("lead").notes[0].end == 719
    assert [n.pitch for n in score.pitched_notes()] == [66]
    assert score.section("Verse").end_bar == 5
    with pytest.raises(KeyError):
        score.track("nope")
    assert str(Meter.parse("7/8")) == "7/8"


def test_huge_scores_are_refused() -> None:
    notes = [{"pitch": 60, "start": i, "duration": 1} for i in range(200_001)]
    with pytest.raises(ValidationError, match="at most"):
        Score.model_validate({"tracks": [{"notes": notes}]})
