"""The live document maps one to one onto the Score and MixSettings (collab/document.py)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from pycrdt import Array, Doc, Map

from ariaforge.audio.options import MixSettings
from ariaforge.collab.document import DocumentInvalid, new_document, read_document
from ariaforge.music.score import Score
from tests.collab.document_support import (
    composed,
    note_map,
    rich_mix,
    rich_score,
    small_score,
    tracks,
)
from tests.music.test_random_scores import random_score


def test_a_composed_song_with_every_kind_of_event_reads_back_equal() -> None:
    score = rich_score()
    mix = rich_mix(score)
    assert score.sections[1].key is not None
    assert any(track.is_drum for track in score.tracks)

    assert read_document(new_document(score, mix)) == (score, mix)


def test_a_peer_synced_over_updates_reads_the_same_song() -> None:
    score = composed()
    doc = new_document(score, MixSettings())
    other: Doc[Any] = Doc()
    other.apply_update(doc.get_update())

    assert read_document(other) == (score, MixSettings())


@pytest.mark.parametrize("seed", range(12))
def test_random_scores_read_back_equal(seed: int) -> None:
    score = random_score(random.Random(seed))
    score = score.model_copy(update={
        "chord_symbols": list({c.tick: c for c in score.chord_symbols}.values()),
        "tracks": [t.model_copy(update={"notes": t.sorted_notes()}) for t in score.tracks]})
    score = score.model_copy(update={"chord_symbols": sorted(score.chord_symbols,
                                                             key=lambda c: c.tick)})

    assert read_document(new_document(score, MixSettings())) == (score, MixSettings())


def test_numbers_are_doubles_in_the_document_and_integers_in_the_score() -> None:
    doc = new_document(small_score(), MixSettings())
    raw = note_map(doc, "piano", "n1").to_py()

    stored = {"pitch": 61.0, "start": 480.0, "duration": 480.0, "velocity": 90.0}
    assert raw == stored
    assert read_document(doc)[0].tracks[0].notes[1].pitch == 61


def test_event_arrays_are_sorted_and_the_last_of_equal_ticks_wins() -> None:
    doc = new_document(small_score(), MixSettings())
    with doc.transaction():
        tempo = doc.get("tempo_changes", type=Array)
        tempo.extend([{"tick": 960, "bpm": 90}, {"tick": 480, "bpm": 100},
                      {"tick": 960, "bpm": 80}])
        doc.get("chord_symbols", type=Array).extend([{"tick": 960, "symbol": "G"},
                                                     {"tick": 0, "symbol": "C"}])
        doc.get("sections", type=Array).append(
            {"name": "Intro", "start_bar": 1, "bars": 1, "key": {"tonic": "Bb", "mode": "minor"}})

    score, _ = read_document(doc)

    assert [(c.tick, c.bpm) for c in score.tempo_changes] == [(480, 100.0), (960, 80.0)]
    assert [c.symbol for c in score.chord_symbols] == ["C", "G"]
    assert [(s.name, s.key and s.key.tonic) for s in score.sections] == [("Intro", "Bb")]


def test_tracks_are_listed_by_order_then_id() -> None:
    doc = new_document(small_score(), MixSettings())
    with doc.transaction():
        tracks(doc)["piano"]["order"] = 5
        tracks(doc)["drums"]["order"] = 5
        tracks(doc)["bass"] = Map({"name": "Bass", "role": "bass", "program": 33,
                                   "is_drum": False, "volume": 100, "pan": 0, "mute": False,
                                   "solo": False, "colour": None, "order": 2.5, "gain_db": -6,
                                   "fx": [], "notes": Map()})

    score, mix = read_document(doc)

    assert [track.id for track in score.tracks] == ["bass", "drums", "piano"]
    assert mix.tracks["bass"].gain_db == -6.0
    assert "piano" not in mix.tracks  # no trim, no effects: the default


def invalid(doc: Doc[Any]) -> list[dict[str, Any]]:
    with pytest.raises(DocumentInvalid) as caught:
        read_document(doc)
    return caught.value.details


def edited(edit: Any) -> Doc[Any]:
    doc = new_document(small_score(), MixSettings())
    with doc.transaction():
        edit(doc)
    return doc


@pytest.mark.parametrize(("edit", "loc", "kind"), [
    (lambda d: note_map(d, "piano", "n0").__setitem__("pitch", 60.5),
     ["tracks", "piano", "notes", "n0", "pitch"], "int_type"),
    (lambda d: note_map(d, "piano", "n0").__setitem__("pitch", 200),
     ["tracks", "piano", "notes", "n0", "pitch"], "less_than_equal"),
    (lambda d: note_map(d, "piano", "n0").__setitem__("velocity", "90"),
     ["tracks", "piano", "notes", "n0", "velocity"], "int_type"),
    (lambda d: note_map(d, "piano", "n0").__setitem__("duration", 0),
     ["tracks", "piano", "notes", "n0", "duration"], "greater_than"),
    (lambda d: note_map(d, "piano", "n0").__setitem__("colour", "red"),
     ["tracks", "piano", "notes", "n0", "colour"], "extra_forbidden"),
    (lambda d: note_map(d, "piano", "n0").pop("start"),
     ["tracks", "piano", "notes", "n0", "start"], "missing"),
    (lambda d: tracks(d)["piano"]["notes"].__setitem__("bad id!", Map(
        {"pitch": 60, "start": 0, "duration": 1, "velocity": 1})),
     ["tracks", "piano", "notes", "bad id!", "id"], "string_pattern_mismatch"),
    (lambda d: tracks(d)["piano"].__setitem__("role", "kazoo"),
     ["tracks", "piano", "role"], "enum"),
    (lambda d: tracks(d)["piano"].__setitem__("mute", 1),
     ["tracks", "piano", "mute"], "bool_type"),
    (lambda d: tracks(d)["piano"].__setitem__("fx", [{"type": "flanger"}]),
     ["tracks", "piano", "fx", 0], "union_tag_invalid"),
    (lambda d: tracks(d)["piano"].__setitem__("shiny", True),
     ["tracks", "piano", "shiny"], "extra_forbidden"),
    (lambda d: tracks(d).__setitem__("ghost", Map({"notes": Map({"x": Map({"pitch": 1})})})),
     ["tracks", "ghost", "name"], "missing"),
    (lambda d: d.get("settings", type=Map).__setitem__("tempo", 5000),
     ["settings", "tempo"], "less_than_equal"),
    (lambda d: d.get("settings", type=Map).__setitem__("mode", "bluesy"),
     ["settings", "mode"], "enum"),
    (lambda d: d.get("settings", type=Map).__setitem__("swing", 0.6),
     ["settings", "swing"], "extra_forbidden"),
    (lambda d: d.get("settings", type=Map).__setitem__("schema", 2),
     ["settings", "schema"], "literal_error"),
    (lambda d: d.get("tempo_changes", type=Array).extend(
        [{"tick": 0, "bpm": 100}, {"tick": 10, "bpm": 1e9}]),
     ["tempo_changes", 1, "bpm"], "less_than_equal"),
    (lambda d: d.get("meter_changes", type=Array).append(
        {"bar": 2, "numerator": 4, "denominator": 3}),
     ["meter_changes", 0, "denominator"], "literal_error"),
    (lambda d: d.get("meter_changes", type=Array).append({"bar": 2, "numerator": 3}),
     ["meter_changes", 0, "denominator"], "missing"),
    (lambda d: d.get("sections", type=Array).append({"name": "B", "start_bar": 2, "bars": 1}),
     ["sections", 1, "key"], "missing"),
    (lambda d: d.get("sections", type=Array).append(
        {"name": "B", "start_bar": 2, "bars": 1, "key": {"mode": "minor"}}),
     ["sections", 1, "key", "tonic"], "missing"),
    (lambda d: d.get("chord_symbols", type=Array).append({"tick": 0, "symbol": "C", "x": 1}),
     ["chord_symbols", 0, "x"], "extra_forbidden"),
    (lambda d: d.get("master", type=Map).__setitem__("limiter", "yes"),
     ["master", "limiter"], "bool_type"),
    (lambda d: d.get("elsewhere", type=Map).__setitem__("x", 1),
     ["elsewhere"], "extra_forbidden"),
    (lambda d: d.get("master", type=Array).append(1), ["master"], "model_type"),
    (lambda d: d.get("sections", type=Map).__setitem__("x", 1), ["sections"], "model_type"),
    (lambda d: note_map(d, "piano", "n3").__setitem__("duration", 480 * 80),
     [], "value_error"),
])
def test_an_invalid_document_names_the_place(edit: Any, loc: list[Any], kind: str) -> None:
    details = invalid(edited(edit))

    assert {"loc": loc, "type": kind} in [{"loc": d["loc"], "type": d["type"]} for d in details]
    assert all(isinstance(d["msg"], str) and d["msg"] for d in details)


def test_a_note_in_two_tracks_is_refused_by_the_score_rules() -> None:
    def twice(doc: Doc[Any]) -> None:
        tracks(doc)["drums"]["notes"]["n0"] = Map(
            {"pitch": 36, "start": 0, "duration": 60, "velocity": 100})

    details = invalid(edited(twice))

    assert details == [{"loc": [], "msg": "Value error, note ids must be unique within the "
                        "score", "type": "value_error"}]


def test_every_problem_is_listed_at_once() -> None:
    def broken(doc: Doc[Any]) -> None:
        note_map(doc, "piano", "n0")["pitch"] = -1
        note_map(doc, "piano", "n1")["velocity"] = 0
        doc.get("master", type=Map)["gain_db"] = 99

    locs = [d["loc"] for d in invalid(edited(broken))]

    assert ["master", "gain_db"] in locs
    assert ["tracks", "piano", "notes", "n0", "pitch"] in locs
    assert ["tracks", "piano", "notes", "n1", "velocity"] in locs


def test_an_empty_document_is_not_a_score() -> None:
    details = invalid(Doc())

    assert {"loc": ["settings", "tempo"], "msg": "Field required", "type": "missing"} in details


def test_the_score_defaults_make_a_document() -> None:
    assert read_document(new_document(Score(), MixSettings())) == (Score(), MixSettings())
