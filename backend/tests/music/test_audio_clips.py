"""Audio tracks and presets in the Score model, and every path that reads tracks: they
tolerate an audio track with clips (writers and notation leave it out, validation
ignores it, composer operations keep it unchanged)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from ariaforge.composer.operations import ComposeRequest, OperationError
from ariaforge.composer.parts import write_part
from ariaforge.composer.run import Composition, compose, compose_async
from ariaforge.music.engraving import page_count, page_musicxml, page_span, slice_bars
from ariaforge.music.interchange import read_midi, read_musicxml, write_midi, write_musicxml
from ariaforge.music.notation import notate
from ariaforge.music.score import (
    MAX_CLIPS,
    AudioClip,
    Note,
    Role,
    Score,
    Track,
    restore_audio,
    split_audio,
)
from ariaforge.music.transform import append_bars
from ariaforge.music.transform import slice_bars as slice_score
from ariaforge.music.validation import validate

SAMPLE = "0b0c9a4e-52a3-4f7e-9a55-6f1f2b3c4d5e"
PRESET = "7d1e0a52-2b9b-4c1e-8f3e-0a1b2c3d4e5f"


def clip(start: int = 0, **fields: Any) -> AudioClip:
    return AudioClip(sample_id=SAMPLE, start=start, **fields)


def with_audio(score: Score, at: int = 1, clips: list[AudioClip] | None = None) -> Score:
    tracks = list(score.tracks)
    tracks.insert(at, Track(id="loop", name="Loop", role=Role.AUDIO,
                            clips=clips if clips is not None else [clip(0), clip(1920)]))
    return Score.model_validate({**score.model_dump(), "tracks": [t.model_dump() for t in tracks]})


def small_song() -> Score:
    return Score(bars=2, tracks=[
        Track(id="lead", role=Role.MELODY, program=73, preset_id=PRESET, notes=[
            Note(pitch=67 + i % 3, start=i * 480, duration=480) for i in range(8)]),
        Track(id="bass", role=Role.BASS, program=33, notes=[
            Note(pitch=43, start=0, duration=1920), Note(pitch=48, start=1920, duration=1920)])])


# --- the model ---------------------------------------------------------------------


def test_existing_scores_load_unchanged_with_defaults() -> None:
    stored = small_song().model_dump(mode="json")
    for track in stored["tracks"]:
        del track["clips"], track["preset_id"]  # as scores were stored before
    score = Score.model_validate(stored)
    assert all(t.clips == [] and t.preset_id is None for t in score.tracks)
    assert Track().role is Role.OTHER and AudioClip(sample_id=SAMPLE, start=0).gain_db == 0.0


def test_a_score_with_clips_round_trips_through_json() -> None:
    score = with_audio(small_song(), clips=[clip(0, gain_db=-6.5, stretch=True), clip(960)])
    again = Score.model_validate_json(score.model_dump_json())
    assert again == score and again.tracks[1].clips[0].stretch
    assert again.tracks[0].preset_id == PRESET


@pytest.mark.parametrize(("track", "message"), [
    ({"role": "melody", "clips": [{"sample_id": SAMPLE, "start": 0}]}, "role `audio`"),
    ({"role": "audio", "notes": [{"pitch": 60, "start": 0, "duration": 480}]}, "not notes"),
    ({"role": "audio", "is_drum": True}, "drum"),
    ({"role": "audio", "preset_id": PRESET}, "preset"),
    ({"role": "audio", "clips": [{"sample_id": "not-a-uuid", "start": 0}]}, "pattern"),
    ({"role": "audio", "clips": [{"sample_id": SAMPLE.upper(), "start": 0}]}, "pattern"),
    ({"role": "audio", "clips": [{"sample_id": SAMPLE, "start": 0, "gain_db": 12.5}]}, "12"),
    ({"role": "audio", "clips": [{"sample_id": SAMPLE, "start": 0, "gain_db": -36.5}]}, "-36"),
    ({"role": "audio", "clips": [{"sample_id": SAMPLE, "start": -1}]}, "0"),
    ({"role": "audio", "clips": [{"id": "c", "sample_id": SAMPLE, "start": 0},
                                 {"id": "c", "sample_id": SAMPLE, "start": 9}]}, "unique"),
    ({"role": "audio", "clips": [{"sample_id": SAMPLE, "start": i}
                                 for i in range(MAX_CLIPS + 1)]}, str(MAX_CLIPS)),
    ({"role": "bass", "preset_id": "piano"}, "pattern"),
])
def test_invalid_tracks_are_refused(track: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Score.model_validate({"tracks": [track]})


def test_a_clip_must_start_inside_the_piece() -> None:
    with pytest.raises(ValidationError, match="after the last bar"):
        Score.model_validate({"bars": 2, "tracks": [
            {"role": "audio", "clips": [{"sample_id": SAMPLE, "start": 2 * 1920}]}]})
    assert Score.model_validate({"bars": 2, "tracks": [
        {"role": "audio", "clips": [{"sample_id": SAMPLE, "start": 2 * 1920 - 1}]}]})


def test_the_json_schema_states_the_constraints() -> None:
    schema = Score.model_json_schema()
    defs = schema["$defs"]
    clip_props = defs["AudioClip"]["properties"]
    assert clip_props["gain_db"]["minimum"] == -36 and clip_props["gain_db"]["maximum"] == 12
    assert clip_props["gain_db"]["default"] == 0 and clip_props["stretch"]["default"] is False
    assert "pattern" in clip_props["sample_id"] and defs["AudioClip"]["required"] == [
        "sample_id", "start"]
    track = defs["Track"]["properties"]
    assert track["clips"]["maxItems"] == MAX_CLIPS and "audio" in track["clips"]["description"]
    preset = json.dumps(track["preset_id"])
    assert "pattern" in preset and "null" in preset
    assert "audio" in defs["Role"]["enum"]


# --- readers and writers -------------------------------------------------------------


def test_midi_export_leaves_audio_tracks_out() -> None:
    score = with_audio(small_song())
    again = read_midi(write_midi(score))
    assert [len(t.notes) for t in again.tracks] == [8, 2]
    assert write_midi(score) == write_midi(small_song())


def test_musicxml_export_leaves_audio_tracks_out() -> None:
    score = with_audio(small_song())
    text = write_musicxml(score)
    assert text == write_musicxml(small_song())
    again = read_musicxml(text)
    assert sorted(len(t.notes) for t in again.tracks) == [2, 8]


def test_a_score_of_audio_only_still_exports() -> None:
    score = Score(bars=2, tracks=[Track(id="loop", role=Role.AUDIO, clips=[clip()])])
    assert read_midi(write_midi(score)).tracks == []
    assert b"<score-partwise" in write_musicxml(score)


def test_notation_and_engraving_skip_audio_tracks() -> None:
    score = with_audio(small_song())
    assert [t.id for t in notate(score).score.tracks] == ["lead", "bass"]
    assert page_count(score) == page_count(small_song())
    span = page_span(score, 1)
    assert span is not None
    page = slice_bars(score, span.first, span.last)
    assert [t.id for t in page.tracks] == ["lead", "bass"]
    assert page_musicxml(page, span) == page_musicxml(
        slice_bars(small_song(), span.first, span.last), span)


def test_theory_validation_ignores_audio_tracks() -> None:
    song = small_song()
    plain, mixed = validate(song), validate(with_audio(song))
    assert mixed.model_dump() == plain.model_dump()


def test_slicing_and_appending_move_clips_with_the_bars() -> None:
    score = with_audio(small_song(), clips=[clip(0), clip(1920 + 480)])
    second = slice_score(score, 2, 2)
    assert [c.start for c in second.tracks[1].clips] == [480]
    doubled = append_bars(score, score)
    starts = sorted(c.start for c in doubled.tracks[1].clips)
    assert starts == [0, 1920 + 480, 2 * 1920, 3 * 1920 + 480]
    assert len({c.id for c in doubled.tracks[1].clips}) == 4


def test_split_and_restore_put_audio_back_in_place() -> None:
    score = with_audio(small_song(), at=1)
    notes_only, audio = split_audio(score)
    assert [t.id for t in notes_only.tracks] == ["lead", "bass"]
    assert restore_audio(notes_only, audio) == score
    shorter = notes_only.model_copy(update={"bars": 1})
    restored = restore_audio(Score.model_validate(shorter.model_dump()), audio)
    assert [c.start for c in restored.track("loop").clips] == [0]  # the bar-2 clip is gone


# --- composer operations -----------------------------------------------------------


@pytest.fixture(scope="module")
def song() -> Composition:
    return compose(ComposeRequest(prompt="a pop song in C major for piano, bass and drums",
                                  bars=8, seed=5))


def test_writing_a_part_keeps_the_audio_track(song: Composition) -> None:
    score = with_audio(song.score, at=1, clips=[clip(0), clip(4 * 1920, gain_db=-3)])
    bass = next(t for t in score.tracks if t.role is Role.BASS)
    request = ComposeRequest.model_validate({"operation": "part", "track_id": bass.id,
                                             "seed": 1})
    written = write_part(score, request, song.brief).score
    assert [t.id for t in written.tracks] == [t.id for t in score.tracks]
    assert written.track("loop") == score.track("loop")
    assert written.track(bass.id).notes != bass.notes
    with pytest.raises(OperationError, match="audio track"):
        write_part(score, request.model_copy(update={"track_id": "loop"}), song.brief)


@pytest.mark.parametrize("operation", ["regenerate", "variation", "reharmonize"])
async def test_operations_keep_the_audio_track(song: Composition, operation: str) -> None:
    score = with_audio(song.score, at=0, clips=[clip(1920, stretch=True)])
    done = await compose_async(ComposeRequest.model_validate(
        {"operation": operation, "section": 0, "seed": 2}), base=score,
        previous_brief=song.brief)
    assert done.score.tracks[0] == score.tracks[0]
    assert [t.id for t in done.score.tracks] == [t.id for t in score.tracks]
    assert not any(t.role is Role.AUDIO and t.notes for t in done.score.tracks)


def test_the_composer_never_writes_an_audio_instrument() -> None:
    with pytest.raises(ValidationError, match="audio role"):
        ComposeRequest.model_validate({"instruments": [
            {"role": "audio", "program": 0, "name": "Loop"}]})
