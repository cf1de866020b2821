"""Seeded random scores through every pure path: validation, MIDI and MusicXML round
trips, transforms. Bounded in size and count; the seed makes failures reproducible."""

from __future__ import annotations

import random

import pytest

from ariaforge.music.interchange import read_midi, read_musicxml, write_midi, write_musicxml
from ariaforge.music.notation import notate
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
from ariaforge.music.transform import quantize, slice_bars, transpose_diatonic
from ariaforge.music.validation import STYLES, validate

TONICS = ["C", "G", "D", "A", "E", "B", "F#", "C#", "F", "Bb", "Eb", "Ab", "Db", "Gb", "Cb"]
SYMBOLS = ["C", "Am", "F", "G7", "Dm7", "Bdim", "E7/G#", "Cmaj7", "Fsus4", "Gadd9", "Ebaug"]

NOTE_ROLES = [role for role in Role if role is not Role.AUDIO]  # audio tracks hold no notes


def random_score(rng: random.Random) -> Score:
    meter = Meter(numerator=rng.choice([2, 3, 4, 5, 6, 7, 12]),
                  denominator=rng.choice([2, 4, 8]))
    bars = rng.randint(1, 12)
    changes = []
    if bars > 3 and rng.random() < 0.5:
        changes.append(MeterChange(bar=rng.randint(2, bars), meter=Meter(
            numerator=rng.choice([3, 4, 6]), denominator=rng.choice([4, 8]))))
    draft = Score(meter=meter, meter_changes=changes, bars=bars)
    end = draft.end_tick
    tracks = []
    for index in range(rng.randint(0, 4)):
        drum = rng.random() < 0.2
        notes = []
        for _ in range(rng.randint(0, 40)):
            start = rng.randrange(0, end)
            duration = rng.choice([30, 60, 120, 160, 240, 320, 480, 720, 960, rng.randint(1, 999)])
            notes.append(Note(pitch=rng.randint(35, 81) if drum else rng.randint(24, 100),
                              start=start, duration=min(duration, end - start),
                              velocity=rng.randint(1, 127)))
        if drum:  # MIDI channel 10 cannot tell overlapping same-pitch hits apart
            notes = _without_same_pitch_overlaps(notes)
        tracks.append(Track(id=f"t{index}", name=f"Track {index}", is_drum=drum,
                            role=Role.DRUMS if drum else rng.choice(NOTE_ROLES),
                            program=rng.randint(0, 127), notes=notes))
    return draft.model_copy(update={
        "tempo": rng.choice([60.0, 90.0, 120.0, 137.5]),
        "tempo_changes": [TempoChange(tick=rng.randrange(1, end), bpm=100.0)]
        if rng.random() < 0.3 else [],
        "key": Key(tonic=rng.choice(TONICS), mode=rng.choice(list(Mode))),
        "sections": [Section(name="A", start_bar=1, bars=bars)],
        "chord_symbols": [ChordSymbol(tick=rng.randrange(0, end), symbol=rng.choice(SYMBOLS))
                          for _ in range(rng.randint(0, 4))],
        "tracks": tracks,
    })


def _without_same_pitch_overlaps(notes: list[Note]) -> list[Note]:
    kept: list[Note] = []
    for note in sorted(notes, key=lambda n: (n.pitch, n.start)):
        if kept and kept[-1].pitch == note.pitch and note.start < kept[-1].end:
            continue
        kept.append(note)
    return kept


def sounding(score: Score) -> list[tuple[int, int, int]]:
    return sorted((n.pitch, n.start, n.duration) for _, n in score.all_notes())


SEEDS = range(300)


@pytest.mark.parametrize("seed", SEEDS)
def test_validation_never_fails_on_a_valid_score(seed: int) -> None:
    score = random_score(random.Random(seed))
    for style in STYLES:
        report = validate(score, style)
        assert 0 <= report.score <= 100
        for violation in report.violations:
            assert violation.bar is None or violation.bar >= 1


@pytest.mark.parametrize("seed", SEEDS)
def test_midi_round_trip_keeps_every_note(seed: int) -> None:
    score = random_score(random.Random(seed))
    again = read_midi(write_midi(score))
    assert sounding(again) == sounding(score)


@pytest.mark.parametrize("seed", SEEDS)
def test_musicxml_round_trip_keeps_every_note(seed: int) -> None:
    # MusicXML export is notation: it reads back as the written rhythm (`notate`), with
    # every note, which for a score already on a written grid is the score itself.
    score = random_score(random.Random(seed))
    again = read_musicxml(write_musicxml(score))
    assert sounding(again) == sounding(notate(score).score)
    assert len(sounding(again)) == len(sounding(score))


@pytest.mark.parametrize("seed", SEEDS)
def test_transforms_give_valid_scores(seed: int) -> None:
    rng = random.Random(seed)
    score = random_score(rng)
    Score.model_validate(quantize(score, 120).model_dump())
    first = rng.randint(1, score.bars)
    Score.model_validate(slice_bars(score, first, rng.randint(first, score.bars)).model_dump())
    refused: ValueError | None = None
    try:
        Score.model_validate(transpose_diatonic(score, rng.randint(-3, 3)).model_dump())
    except ValueError as error:
        refused = error
    # Only a pitch pushed outside 0-127 may refuse.
    assert refused is None or "outside 0-127" in str(refused)
