"""20 real Yjs clients edit one project at once: different notes, the same note, tracks,
tempo, chords and the mix. They converge to one document, which the server materialises
into the score row and the mix, and every client's document reads as that same Score."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import pycrdt

from tests.collab.live.conftest import (
    SEED_SCORE,
    Account,
    account,
    new_project,
    share,
    wait_for_row,
)
from tests.collab.live.mapping import comparable, mix_of, score_of
from tests.collab.live.yclients import (
    YClients,
    add_note,
    add_track,
    delete,
    note_path,
    push,
    set_field,
)

CLIENTS = 20
ROUNDS = 3


def _edits(i: int, round_: int) -> list[dict[str, Any]]:
    """What client `i` does in one round: its own note, the note everyone moves, the
    tempo everyone sets, and one edit of its own kind."""
    track = "lead" if i % 2 == 0 else "bass"
    edits = [add_note(track, f"c{i}", 48 + i, start=i * 240 + round_ * 60),
             set_field(note_path("lead", "m0", "pitch"), 60 + i),
             set_field(note_path("lead", "m1", "velocity"), 40 + i + round_),
             set_field(["settings", "tempo"], 90 + i)]
    if round_ == 0:
        if i < 4:
            edits.append(add_track(f"t{i}", f"Added {i}", order=10 + i, program=i))
        elif i == 4:
            edits.append(set_field(["tracks", "bass", "name"], "Low end"))
        elif i == 5:
            edits.append(set_field(["tracks", "lead", "volume"], 77))
        elif i == 6:
            edits.append(push("chord_symbols", {"tick": 3840, "symbol": "A7"}))
        elif i == 7:
            edits.append(delete(note_path("lead", "m7")))
        elif i == 8:
            edits.append(set_field(["master", "gain_db"], -3.5))
        elif i == 9:
            edits.append(set_field(["tracks", "lead", "gain_db"], -2))
    return edits


def _all_notes(notes: list[str]) -> Callable[[dict[str, Any]], bool]:
    return lambda content: all(n in content["tracks"]["lead"]["notes"] for n in notes)


def _score_of_update(update_b64: str) -> dict[str, Any]:
    """A client's whole document, loaded into the server's own reader (Yjs to Yrs)."""
    from ariaforge.collab.document import read_document

    doc: pycrdt.Doc[Any] = pycrdt.Doc()
    doc.apply_update(base64.b64decode(update_b64))
    score, _ = read_document(doc)
    return comparable(score)


def test_twenty_clients_converge_to_one_document_and_one_score_row(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    owner = account(http, "owner")
    editors = [account(http, f"editor{n}") for n in range(2)]
    project = new_project(http, owner)
    for editor in editors:
        share(http, owner, project, editor, "editor")
    people: list[Account] = [owner, *editors]
    names = [f"c{i}" for i in range(CLIENTS)]
    for i, name in enumerate(names):
        clients.open(name, [collab_api], project, people[i % len(people)])

    first = clients.converged(names)
    assert comparable(score_of(first)) == comparable(SEED_SCORE), "the document is the score"

    for round_ in range(ROUNDS):
        clients.edit_at_once({name: _edits(i, round_) for i, name in enumerate(names)})
    content = clients.converged(names, check=lambda c: all(
        f"c{i}" in c["tracks"]["lead" if i % 2 == 0 else "bass"]["notes"]
        for i in range(CLIENTS)) and all(f"t{i}" in c["tracks"] for i in range(4)))

    lead, bass = content["tracks"]["lead"], content["tracks"]["bass"]
    # Nobody's own work is lost; the contested values settle on one writer's value.
    for i in range(CLIENTS):
        note = (lead if i % 2 == 0 else bass)["notes"][f"c{i}"]
        assert note["pitch"] == 48 + i and note["start"] == i * 240 + (ROUNDS - 1) * 60
    assert lead["notes"]["m0"]["pitch"] in range(60, 60 + CLIENTS)
    assert content["settings"]["tempo"] in range(90, 90 + CLIENTS)
    assert "m7" not in lead["notes"] and bass["name"] == "Low end" and lead["volume"] == 77
    assert {"tick": 3840, "symbol": "A7"} in content["chord_symbols"]
    assert [content["tracks"][f"t{i}"]["program"] for i in range(4)] == [0, 1, 2, 3]

    expected = comparable(score_of(content))
    wait_for_row(http, owner, project, expected)
    mix = http.get(f"/api/v1/projects/{project}/mix", headers=owner.headers)
    assert mix.status_code == 200, mix.text
    assert mix.json()["settings"] == mix_of(content).model_dump(mode="json")
    assert mix.json()["settings"]["master"]["gain_db"] == -3.5

    # Each client's own document, read by the server's reader, is that Score.
    for state in clients.states(names):
        assert _score_of_update(state["update"]) == expected, state["name"]


def test_concurrent_writes_of_one_setting_are_merged_not_refused(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    """Several people set the tempo and the master gain at the same moment: one value wins
    everywhere, and nobody's write is refused (a losing write is not invalid)."""
    owner = account(http, "owner")
    project = new_project(http, owner)
    names = [f"p{i}" for i in range(4)]
    for name in names:
        clients.open(name, [collab_api], project, owner)
    clients.converged(names)
    for round_ in range(5):
        clients.edit_at_once({name: [
            set_field(["settings", "tempo"], 80 + 10 * round_ + i),
            set_field(["master", "gain_db"], -i - round_),
            add_note("lead", f"r{round_}p{i}", 60 + i, start=480 * round_)]
            for i, name in enumerate(names)})
        content = clients.converged(names, check=_all_notes(
            [f"r{round_}p{i}" for i in range(len(names))]))
        assert content["settings"]["tempo"] in range(80 + 10 * round_, 84 + 10 * round_)
    assert [s["denied"] for s in clients.states(names, content=False)] == [[]] * len(names)
    wait_for_row(http, owner, project, comparable(score_of(content)))


CROWD = 46


def test_a_crowd_joining_at_once_all_sync_and_see_who_was_here(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    owner = account(http, "owner")
    project = new_project(http, owner)
    # All at once on a room no process has open yet: nobody may be left unsynced.
    crowd = [f"crowd{i}" for i in range(CROWD)]
    for name in crowd:
        clients.open(name, [collab_api], project, owner)
    assert comparable(score_of(clients.converged(crowd))) == comparable(SEED_SCORE)
    for name in crowd:
        clients.call("close", name=name)

    # Someone publishes presence once and never renews it: later joiners can only learn
    # it from the server's snapshot on join.
    clients.open("early", [collab_api], project, owner, renew=False)
    clients.open("witness", [collab_api], project, owner)
    early = clients.wait_synced(["early"])[0]["client_id"]
    clients.wait("the room knows the early one", lambda s: early in {
        p["client"] for p in s[0]["peers"] if p["state"]}, ["witness"], content=False)
    joiners = [f"late{i}" for i in range(10)]
    for name in joiners:
        clients.open(name, [collab_api], project, owner)
    clients.wait("every joiner sees who was here", lambda states: all(
        early in {p["client"] for p in s["peers"] if p["state"]} for s in states),
        joiners, content=False)
