"""The update gate refuses what would make an invalid Score, reverting it for everyone."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from pycrdt import Array, Doc, Map

from ariaforge.audio.options import MixSettings
from ariaforge.collab.document import apply_score_change, new_document, read_document
from ariaforge.collab.gate import UpdateGate
from ariaforge.music.score import Score
from tests.collab.document_support import (
    change,
    composed,
    note_map,
    peer,
    set_field,
    small_score,
    tracks,
)

Edit = Callable[[Doc[Any]], Any]


def settings(doc: Doc[Any]) -> Map[Any]:
    root: Map[Any] = doc.get("settings", type=Map)
    return root


def full_track(**fields: Any) -> Map[Any]:
    return Map({"name": "New", "role": "pad", "program": 88, "is_drum": False, "volume": 90,
                "pan": 0, "mute": False, "solo": False, "colour": None, "order": 9,
                "gain_db": 0, "fx": [], "notes": Map(), **fields})


def new_note(pitch: float = 64, start: float = 0, duration: float = 240,
             velocity: float = 80) -> Map[Any]:
    return Map({"pitch": pitch, "start": start, "duration": duration, "velocity": velocity})


def stacked(count: int) -> Edit:
    """`count` notes sounding together (and with n0) in the piano track."""
    def edit(doc: Doc[Any]) -> None:
        notes = tracks(doc)["piano"]["notes"]
        for index in range(count):
            notes[f"s{index}"] = new_note(pitch=40 + index, start=0, duration=480)
    return edit


def deletions_and_a_bad_pitch(doc: Doc[Any]) -> None:
    tracks(doc).pop("drums")
    tracks(doc)["piano"]["notes"].pop("n0")
    note_map(doc, "piano", "n1")["pitch"] = 128


INVALID: dict[str, tuple[Edit, list[Any]]] = {
    "pitch 200": (lambda d: note_map(d, "piano", "n1").__setitem__("pitch", 200),
                  ["tracks", "piano", "notes", "n1", "pitch"]),
    "pitch 60.5": (lambda d: note_map(d, "piano", "n1").__setitem__("pitch", 60.5),
                   ["tracks", "piano", "notes", "n1", "pitch"]),
    "negative duration": (lambda d: note_map(d, "piano", "n1").__setitem__("duration", -5),
                          ["tracks", "piano", "notes", "n1", "duration"]),
    "zero duration": (lambda d: tracks(d)["piano"]["notes"].__setitem__(
        "z", new_note(duration=0)), ["tracks", "piano", "notes", "z", "duration"]),
    "note lacking fields in an unknown track": (lambda d: tracks(d).__setitem__(
        "ghost", Map({"notes": Map({"g": Map({"pitch": 60})})})), ["tracks", "ghost", "name"]),
    "unknown role": (lambda d: tracks(d).__setitem__("pad", full_track(role="kazoo")),
                     ["tracks", "pad", "role"]),
    "unknown track field": (lambda d: tracks(d)["drums"].__setitem__("shiny", 1),
                            ["tracks", "drums", "shiny"]),
    "new root key": (lambda d: d.get("comments", type=Map).__setitem__("hi", "there"),
                     ["comments"]),
    "new root array": (lambda d: d.get("log", type=Array).append(1), ["log"]),
    "tempo 5000": (lambda d: settings(d).__setitem__("tempo", 5000), ["settings", "tempo"]),
    "note far after the last bar": (lambda d: note_map(d, "piano", "n3").__setitem__(
        "duration", 480 * 4 * 20), []),
    "33 notes at once": (stacked(32), []),  # with n0
    "a note id in two tracks": (lambda d: tracks(d)["drums"]["notes"].__setitem__(
        "n0", new_note(pitch=36)), []),
    "a meter change in bar 1": (lambda d: d.get("meter_changes", type=Array).append(
        {"bar": 1, "numerator": 3, "denominator": 4}), []),
    "list content in a map root": (lambda d: d.get("master", type=Array).append(1),
                                   ["master"]),
    "a track and a note deleted beside a bad pitch": (
        deletions_and_a_bad_pitch, ["tracks", "piano", "notes", "n1", "pitch"]),
}


@pytest.mark.parametrize("name", INVALID)
def test_an_invalid_update_is_refused_reverted_and_the_sender_can_go_on(name: str) -> None:
    edit, loc = INVALID[name]
    score, mix = small_score(), MixSettings()
    server = new_document(score, mix)
    gate = UpdateGate(server)
    sender, bystander = peer(server), peer(server)

    bad = change(sender, edit)
    result = gate.apply(bad)

    assert not result.accepted
    assert result.problem is not None
    assert loc in [d["loc"] for d in result.problem.details]
    assert read_document(server) == (score, mix)
    assert result.revert
    sender.apply_update(result.revert)
    assert read_document(sender) == (score, mix)
    # The sender's clock moved past the refused update: its next one must still integrate,
    # on the server and on a peer that received the refused payload.
    good = change(sender, lambda d: note_map(d, "piano", "n2").__setitem__("velocity", 11))
    assert gate.apply(good).accepted
    bystander.apply_update(result.payload)
    bystander.apply_update(good)
    expected = score.model_copy(update={"tracks": [score.tracks[0].model_copy(update={
        "notes": [n.model_copy(update={"velocity": 11}) if n.id == "n2" else n
                  for n in score.tracks[0].notes]}), score.tracks[1]]})
    assert read_document(server) == read_document(sender) == read_document(bystander) == (
        expected, mix)
    assert server.get_update(bystander.get_state()) == server.get_update(server.get_state())


def added_and_removed(doc: Doc[Any]) -> None:
    tracks(doc)["pad"] = full_track()
    del tracks(doc)["pad"]


VALID: dict[str, Edit] = {
    "a note moved": lambda d: note_map(d, "piano", "n1").__setitem__("start", 600),
    "a note added": lambda d: tracks(d)["drums"]["notes"].__setitem__("k", new_note(36)),
    "a note deleted": lambda d: tracks(d)["piano"]["notes"].pop("n0"),
    "a note moved to another track": lambda d: (
        tracks(d)["piano"]["notes"].pop("n0"),
        tracks(d)["drums"]["notes"].__setitem__("n0", new_note(pitch=38))),
    "32 notes at once": stacked(31),  # with n0
    "a track added": lambda d: tracks(d).__setitem__("pad", full_track()),
    "a track removed": lambda d: tracks(d).pop("drums"),
    "a track renamed and moved": lambda d: tracks(d)["piano"].update(
        {"name": "Keys", "order": 7.5}),
    "effects": lambda d: tracks(d)["piano"].__setitem__("fx", [{"type": "reverb"}]),
    "tempo and bars": lambda d: settings(d).update({"tempo": 90.0, "bars": 4}),
    "a chord": lambda d: d.get("chord_symbols", type=Array).append({"tick": 0, "symbol": "C"}),
    "master": lambda d: d.get("master", type=Map).__setitem__("gain_db", -3),
    "a track added and removed at once": lambda d: added_and_removed(d),
}


@pytest.mark.parametrize("name", VALID)
def test_a_valid_update_is_accepted_as_it_is(name: str) -> None:
    server = new_document(small_score(), MixSettings())
    gate = UpdateGate(server)
    client = peer(server)

    update = change(client, VALID[name])
    result = gate.apply(update)

    assert result.accepted, result.problem
    assert result.payload == update
    assert result.revert is None
    assert read_document(server) == read_document(client)


def test_a_refused_value_is_never_in_what_is_kept_or_relayed() -> None:
    server = new_document(small_score(), MixSettings())
    gate = UpdateGate(server)
    sender = peer(server)

    result = gate.apply(change(sender, lambda d: tracks(d).__setitem__(
        "pad", full_track(name="EVIL-NAME", role="kazoo"))))

    assert not result.accepted
    assert b"kazoo" not in result.payload
    assert b"EVIL-NAME" not in result.payload
    assert b"EVIL-NAME" not in server.get_update()


def test_what_an_accepted_update_replaced_is_not_kept() -> None:
    server = new_document(small_score(), MixSettings())
    gate = UpdateGate(server)
    client = peer(server)
    with client.transaction():
        tracks(client)["drums"]["name"] = "Old-Drum-Name"
    assert gate.apply(client.get_update(server.get_state())).accepted

    renamed = change(client, lambda d: tracks(d)["drums"].__setitem__("name", "Kit"))

    assert gate.apply(renamed).accepted
    assert b"Old-Drum-Name" not in server.get_update()


def test_changes_made_outside_the_gate_are_taken_in() -> None:
    score, mix = small_score(), MixSettings()
    server = new_document(score, mix)
    gate = UpdateGate(server)
    client = peer(server)
    shorter = score.model_copy(update={"bars": 1, "sections": [], "tracks": [
        score.tracks[0].model_copy(update={"notes": score.tracks[0].notes[:2]}),
        score.tracks[1]]})
    client.apply_update(apply_score_change(server, (score, mix), (shorter, mix), "rest"))

    # 17 bars after the new end of one bar: the limit moved with the outside change
    late = change(client, lambda d: note_map(d, "piano", "n1").__setitem__("start", 1920 * 17))
    assert not gate.apply(late).accepted

    fine = change(client, lambda d: note_map(d, "piano", "n1").__setitem__("start", 1920 * 8))
    assert gate.apply(fine).accepted


def test_a_document_merged_invalid_refuses_only_new_problems() -> None:
    score, mix = small_score(), MixSettings()
    server = new_document(score, mix)
    gate = UpdateGate(server)
    replica, client = peer(server), peer(server)
    # Each valid alone, on two replicas; together a note id in two tracks.
    server.apply_update(change(replica, lambda d: tracks(d)["drums"]["notes"].__setitem__(
        "x", new_note(36))))
    client.apply_update(server.get_update())
    server.apply_update(change(peer(server), lambda d: tracks(d)["piano"]["notes"].__setitem__(
        "x", new_note(70))))
    assert gate.problem is not None

    unrelated = change(client, lambda d: note_map(d, "piano", "n2").__setitem__("pitch", 50))
    assert gate.apply(unrelated).accepted
    worse = change(client, lambda d: note_map(d, "piano", "n3").__setitem__("pitch", 500))
    refused = gate.apply(worse)
    assert not refused.accepted
    assert refused.revert

    apply_score_change(server, None, _valid(client, refused.revert))
    assert gate.problem is None


def _valid(client: Doc[Any], revert: bytes) -> tuple[Score, MixSettings]:
    """The client's content without the duplicate: what a repair writes."""
    client.apply_update(revert)
    doc = peer(client)
    with doc.transaction():
        tracks(doc)["piano"]["notes"].pop("x", None)
    return read_document(doc)


def test_a_closed_gate_no_longer_watches_the_document() -> None:
    server = new_document(small_score(), MixSettings())
    gate = UpdateGate(server)
    assert gate.problem is None
    gate.close()

    server.apply_update(change(peer(server), INVALID["pitch 200"][0]))

    assert gate.problem is None


def test_an_undecodable_update_raises_and_changes_nothing() -> None:
    score = small_score()
    server = new_document(score, MixSettings())
    gate = UpdateGate(server)

    with pytest.raises(ValueError, match="decode"):
        gate.apply(b"\x05\x01garbage")

    assert read_document(server)[0] == score
    assert gate.apply(change(peer(server), VALID["a note moved"])).accepted


def test_a_big_song_accepts_and_refuses_one_note_edits() -> None:
    score = composed()
    server = new_document(score, MixSettings())
    gate = UpdateGate(server)
    client = peer(server)
    track = score.tracks[0]
    first = track.notes[0]

    for pitch in (61, 300, 62):
        update = change(client, partial(set_field, track.id, first.id, "pitch", pitch))
        result = gate.apply(update)
        if result.revert:
            client.apply_update(result.revert)
        assert result.accepted == (pitch < 128)

    notes = read_document(server)[0].track(track.id).notes
    assert first.model_copy(update={"pitch": 62}) in notes
