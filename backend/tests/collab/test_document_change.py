"""apply_score_change writes only what differs, so live edits elsewhere survive."""

from __future__ import annotations

import random
from functools import partial
from typing import Any

import pytest
from pycrdt import Array, Doc, Map

from ariaforge.audio.options import MixSettings, ReverbEffect, TrackMix
from ariaforge.collab.document import (
    DocumentInvalid,
    apply_score_change,
    new_document,
    read_document,
)
from ariaforge.music.score import Note, Score, Section, TempoChange, Track
from tests.collab.document_support import (
    change,
    composed,
    note_map,
    peer,
    rich_mix,
    rich_score,
    set_field,
    small_score,
    tracks,
)


def with_note(score: Score, track_id: str, note: Note) -> Score:
    return score.model_copy(update={"tracks": [
        t.model_copy(update={"notes": sorted([*(n for n in t.notes if n.id != note.id), note],
                                             key=lambda n: (n.start, n.pitch, n.id))})
        if t.id == track_id else t for t in score.tracks]})


def updates_of(doc: Doc[Any]) -> list[tuple[Any, bytes]]:
    seen: list[tuple[Any, bytes]] = []
    # pycrdt gives observers the origin's hash
    doc.observe(lambda event: seen.append((event.transaction.origin(), event.update)))
    return seen


def test_nothing_changed_writes_nothing() -> None:
    score, mix = rich_score(), rich_mix(rich_score())
    doc = new_document(score, mix)
    seen = updates_of(doc)

    assert apply_score_change(doc, (score, mix), (score, mix), origin="rest") == b""
    assert apply_score_change(doc, None, (score, mix), origin="rest") == b""
    assert seen == []


def test_one_changed_note_field_is_one_small_update_with_the_origin() -> None:
    score = composed()
    doc = new_document(score, MixSettings())
    seen = updates_of(doc)
    track = score.tracks[0]
    moved = track.notes[5].model_copy(update={"pitch": track.notes[5].pitch + 1})
    new = with_note(score, track.id, moved)

    update = apply_score_change(doc, (score, MixSettings()), (new, MixSettings()), "rest")

    assert seen == [(hash("rest"), update)]
    assert 0 < len(update) < 80
    assert read_document(doc) == (new, MixSettings())


def test_every_kind_of_change_lands_and_a_peer_follows() -> None:
    score, mix = small_score(), MixSettings()
    doc = new_document(score, mix)
    other = peer(doc)
    piano = score.tracks[0]
    new = score.model_copy(update={
        "tempo": 100.0, "bars": 3,
        "tempo_changes": [TempoChange(tick=960, bpm=80.0)],
        "sections": [Section(name="A", start_bar=1, bars=3)],
        "tracks": [
            Track(id="bass", name="Bass", role="bass", program=33,
                  notes=[Note(id="b0", pitch=36, start=0, duration=960)]),
            piano.model_copy(update={"name": "Keys", "notes": [
                n.model_copy(update={"velocity": 50}) for n in piano.notes[1:]]}),
        ]})
    new_mix = MixSettings(tracks={"bass": TrackMix(gain_db=-4.0, fx=[ReverbEffect()])})

    update = apply_score_change(doc, (score, mix), (new, new_mix), origin=None)
    other.apply_update(update)

    assert read_document(doc) == (new, new_mix)
    assert read_document(other) == (new, new_mix)


def test_track_moves_keep_the_values_that_already_fit() -> None:
    score = rich_score()
    doc = new_document(score, MixSettings())
    ids = [t.id for t in score.tracks]
    reordered = score.model_copy(update={"tracks": [score.tracks[-1], *score.tracks[:-1]]})
    seen = updates_of(doc)

    apply_score_change(doc, (score, MixSettings()), (reordered, MixSettings()))

    assert [t.id for t in read_document(doc)[0].tracks] == [ids[-1], *ids[:-1]]
    orders = {track_id: tracks(doc)[track_id]["order"] for track_id in ids}
    assert len(seen) == 1
    assert orders[ids[0]] > orders[ids[-1]]


def test_a_rest_change_and_a_live_change_to_other_notes_both_survive() -> None:
    score = composed()
    mix = MixSettings()
    server = new_document(score, mix)
    browser = peer(server)
    rng = random.Random(7)
    for _ in range(20):
        track = rng.choice([t for t in score.tracks if len(t.notes) > 4])
        a, b = rng.sample(track.notes, 2)
        rest_note = a.model_copy(update={"start": a.start + 10, "velocity": 33})
        new = with_note(score, track.id, rest_note)
        rest = apply_score_change(server, (score, mix), (new, mix), origin="rest")
        live = change(browser, partial(set_field, track.id, b.id, "pitch", 70))

        server.apply_update(live)
        browser.apply_update(rest)

        expected = with_note(new, track.id, b.model_copy(update={"pitch": 70}))
        assert read_document(server) == read_document(browser) == (expected, mix)
        score = expected


def test_a_rest_change_that_moves_no_track_keeps_a_live_move() -> None:
    score = small_score()
    doc = new_document(score, MixSettings())
    tracks(doc)["drums"]["order"] = -1.0  # moved first, live
    louder = score.model_copy(update={"tracks": [
        score.tracks[0].model_copy(update={"volume": 120}), score.tracks[1]]})

    apply_score_change(doc, (score, MixSettings()), (louder, MixSettings()))

    assert [t.id for t in read_document(doc)[0].tracks] == ["drums", "piano"]
    assert read_document(doc)[0].track("piano").volume == 120


def test_a_track_added_by_rest_goes_where_the_score_puts_it() -> None:
    score = small_score()
    doc = new_document(score, MixSettings())
    bass = Track(id="bass", name="Bass", role="bass")
    added = score.model_copy(update={"tracks": [score.tracks[0], bass, score.tracks[1]]})

    apply_score_change(doc, (score, MixSettings()), (added, MixSettings()))

    assert [t.id for t in read_document(doc)[0].tracks] == ["piano", "bass", "drums"]


def test_a_rest_change_to_a_note_deleted_live_brings_it_back() -> None:
    score = small_score()
    doc = new_document(score, MixSettings())
    del tracks(doc)["piano"]["notes"]["n2"]
    moved = score.tracks[0].notes[2].model_copy(update={"pitch": 40})
    new = with_note(score, "piano", moved)

    apply_score_change(doc, (score, MixSettings()), (new, MixSettings()))

    assert read_document(doc)[0].track("piano").notes == new.track("piano").notes


def test_a_reset_repairs_an_invalid_document() -> None:
    score, mix = small_score(), MixSettings()
    doc = new_document(score, mix)
    with doc.transaction():
        note_map(doc, "piano", "n0")["pitch"] = 500
        note_map(doc, "piano", "n1")["extra"] = 1
        tracks(doc)["piano"]["fx"] = Array([1])
        tracks(doc)["drums"]["notes"]["n3"] = Map({"pitch": 1})
        tracks(doc)["ghost"] = Map({"name": "?"})
        doc.get("settings", type=Map)["tempo"] = "fast"
        doc.get("tempo_changes", type=Array).append({"tick": "never"})
        doc.get("stray", type=Map)["x"] = 1
    with pytest.raises(DocumentInvalid):
        read_document(doc)
    other = peer(doc)

    repair = apply_score_change(doc, None, (score, mix), origin="repair")
    other.apply_update(repair)

    assert read_document(doc) == (score, mix)
    assert read_document(other) == (score, mix)
    assert apply_score_change(doc, None, (score, mix)) == b""
