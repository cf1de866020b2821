"""The live document carries audio tracks (`clips`, an atomic JSON array like `fx`) and
presets (`preset_id`); the update gate refuses what the Score model refuses: clips off an
audio track, notes on one, bad clip fields. Documents stored before these keys existed
read with their defaults. Real Yjs peers (pycrdt)."""

from __future__ import annotations

from typing import Any

import pytest
from pycrdt import Doc, Map

from ariaforge.audio.options import MixSettings
from ariaforge.collab.document import apply_score_change, new_document, read_document
from ariaforge.collab.document_samples import named_samples
from ariaforge.collab.gate import UpdateGate
from ariaforge.music.score import AudioClip, Role, Score, Track
from tests.collab.document_support import change, peer, small_score, tracks

SAMPLE = "0b0c9a4e-52a3-4f7e-9a55-6f1f2b3c4d5e"
OTHER = "5e4d3c2b-1f6f-455a-9e7f-4ea3c9a0c0b0"
PRESET = "7d1e0a52-2b9b-4c1e-8f3e-0a1b2c3d4e5f"


def with_loop(score: Score) -> Score:
    tracks = [score.tracks[0].model_copy(update={"preset_id": PRESET}), *score.tracks[1:],
              Track(id="loop", name="Loop", role=Role.AUDIO, clips=[
                  AudioClip(id="c1", sample_id=SAMPLE, start=480, gain_db=-4.5, stretch=True)])]
    return Score.model_validate({**score.model_dump(), "tracks": [t.model_dump() for t in tracks]})


def clip_json(clip_id: str = "c2", sample: str = SAMPLE, start: int = 960,
              **fields: Any) -> dict[str, Any]:
    return {"id": clip_id, "sample_id": sample, "start": start, "gain_db": 0.0,
            "stretch": False, **fields}


def test_clips_and_presets_round_trip_through_the_document() -> None:
    score, mix = with_loop(small_score()), MixSettings()
    doc = new_document(score, mix)
    assert read_document(doc) == (score, mix)
    assert read_document(peer(doc)) == (score, mix)
    # A REST write that moves a clip and changes the preset reaches the document.
    moved = score.model_copy(update={"tracks": [
        score.tracks[0].model_copy(update={"preset_id": None}), score.tracks[1],
        score.tracks[2].model_copy(update={"clips": [
            score.tracks[2].clips[0].model_copy(update={"start": 1440}),
            AudioClip(id="c9", sample_id=OTHER, start=0)]})]})
    apply_score_change(doc, (score, mix), (moved, mix))
    assert read_document(doc) == (moved, mix)


def test_a_document_stored_before_clips_reads_with_defaults() -> None:
    score, mix = small_score(), MixSettings()
    doc = new_document(score, mix)
    with doc.transaction():
        for track_id in ("piano", "drums"):
            del tracks(doc)[track_id]["clips"]
            del tracks(doc)[track_id]["preset_id"]
    assert "clips" not in tracks(doc)["piano"]
    assert read_document(doc) == (score, mix)


def accepted(score: Score, edit: Any) -> tuple[bool, Doc[Any], UpdateGate]:
    server = new_document(score, MixSettings())
    gate = UpdateGate(server)
    sender = peer(server)
    result = gate.apply(change(sender, edit))
    if not result.accepted:
        assert result.revert is not None and result.problem is not None
        sender.apply_update(result.revert)
        assert read_document(sender) == read_document(server) == (score, MixSettings())
    return result.accepted, server, gate


def test_the_gate_accepts_clip_edits_on_audio_tracks() -> None:
    score = with_loop(small_score())
    ok, server, _ = accepted(score, lambda d: tracks(d)["loop"].__setitem__(
        "clips", [clip_json("c1", start=480), clip_json("c2", OTHER, 1200, gain_db=-36.0)]))
    assert ok
    loop = read_document(server)[0].track("loop")
    assert [(c.id, c.sample_id, c.start) for c in loop.clips] == [
        ("c1", SAMPLE, 480), ("c2", OTHER, 1200)]
    ok, server, _ = accepted(score, lambda d: tracks(d).__setitem__("loop2", Map({
        "name": "Loop 2", "role": "audio", "program": 0, "is_drum": False, "volume": 100,
        "pan": 0, "mute": False, "solo": False, "colour": None, "order": 7, "gain_db": 0,
        "fx": [], "clips": [clip_json("c5")], "notes": Map()})))
    assert ok and read_document(server)[0].track("loop2").clips[0].id == "c5"


@pytest.mark.parametrize("edit", [
    pytest.param(lambda d: tracks(d)["piano"].__setitem__("clips", [clip_json()]),
                 id="clips on a melody track"),
    pytest.param(lambda d: tracks(d)["loop"]["notes"].__setitem__("x", Map({
        "pitch": 60, "start": 0, "duration": 480, "velocity": 90})),
                 id="a note on an audio track"),
    pytest.param(lambda d: tracks(d)["piano"].__setitem__("role", "audio"),
                 id="a track with notes made an audio track"),
    pytest.param(lambda d: tracks(d)["loop"].__setitem__("clips", [clip_json(gain_db=13)]),
                 id="gain over 12 dB"),
    pytest.param(lambda d: tracks(d)["loop"].__setitem__("clips", [clip_json(sample="x")]),
                 id="a sample id that is no uuid"),
    pytest.param(lambda d: tracks(d)["loop"].__setitem__("clips", [clip_json(start=10**6)]),
                 id="a clip after the last bar"),
    pytest.param(lambda d: tracks(d)["loop"].__setitem__("clips", {"not": "a list"}),
                 id="clips not a list"),
    pytest.param(lambda d: tracks(d)["piano"].__setitem__("preset_id", "grand piano"),
                 id="a preset id that is no uuid"),
])
def test_the_gate_refuses_what_the_model_refuses(edit: Any) -> None:
    ok, _, _ = accepted(with_loop(small_score()), edit)
    assert not ok


def test_a_refused_note_on_an_audio_track_leaves_later_edits_working() -> None:
    score = with_loop(small_score())
    server = new_document(score, MixSettings())
    gate = UpdateGate(server)
    sender = peer(server)
    refused = gate.apply(change(sender, lambda d: tracks(d)["loop"]["notes"].__setitem__(
        "x", Map({"pitch": 60, "start": 0, "duration": 480, "velocity": 90}))))
    assert not refused.accepted and refused.problem is not None
    assert ["tracks", "loop", "notes"] in [d["loc"] for d in refused.problem.details]
    assert refused.revert is not None
    sender.apply_update(refused.revert)
    fine = gate.apply(change(sender, lambda d: tracks(d)["loop"].__setitem__(
        "clips", [clip_json("c1", start=0)])))
    assert fine.accepted
    assert read_document(server)[0].track("loop").clips[0].start == 0


def test_named_samples_reads_stored_data_loosely() -> None:
    data = with_loop(small_score()).model_dump(mode="json")
    assert named_samples(data) == {SAMPLE}
    assert named_samples({"tracks": [{"clips": [{"sample_id": 3}, "x"]}, None]}) == set()
    assert named_samples({}) == set()
