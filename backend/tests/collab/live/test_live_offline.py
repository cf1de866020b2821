"""A client edits while offline (its socket closed), then reconnects with a fresh ticket:
its edits merge with what others did meanwhile, everyone sees them, the row holds them."""

from __future__ import annotations

import httpx

from tests.collab.live.conftest import account, new_project, share, wait_for_row
from tests.collab.live.mapping import comparable, score_of
from tests.collab.live.yclients import YClients, add_note, delete, note_path, set_field


def test_offline_edits_merge_when_the_client_reconnects(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    owner, editor = account(http, "owner"), account(http, "editor")
    project = new_project(http, owner)
    share(http, owner, project, editor, "editor")
    clients.open("online", [collab_api], project, owner)
    clients.open("laptop", [collab_api], project, editor)
    clients.converged(["online", "laptop"])

    clients.wait("each sees the other here", lambda states: all(
        len(s["peers"]) == 1 for s in states), ["online", "laptop"], content=False)

    clients.disconnect("laptop")
    clients.wait("laptop offline", lambda s: not s[0]["connected"], ["laptop"], content=False)
    # Its presence goes with its connection.
    clients.wait("the laptop's presence is gone", lambda s: not any(
        p["state"] for p in s[0]["peers"]), ["online"], content=False)
    clients.edit("laptop", add_note("bass", "offline1", 40, start=960),
                 set_field(note_path("lead", "m2", "pitch"), 70),
                 delete(note_path("lead", "m3")))
    clients.edit("laptop", set_field(["tracks", "bass", "pan"], -20))
    # Meanwhile the others go on: a different note, and the same track's other field.
    clients.edit("online", add_note("lead", "online1", 74, start=3840),
                 set_field(["tracks", "bass", "volume"], 64))
    assert "offline1" not in clients.state("online")["content"]["tracks"]["bass"]["notes"]

    tickets_before = clients.state("laptop")["tickets"]
    clients.connect("laptop")
    content = clients.converged(["online", "laptop"], check=lambda c: (
        "offline1" in c["tracks"]["bass"]["notes"] and "online1" in c["tracks"]["lead"]["notes"]))
    assert clients.state("laptop")["tickets"] == tickets_before + 1, "a fresh ticket"
    clients.wait("the laptop is back in presence", lambda s: [p["state"]["user"]["id"] for p in
                 s[0]["peers"] if p["state"]] == [editor.user_id], ["online"], content=False)
    lead, bass = content["tracks"]["lead"], content["tracks"]["bass"]
    assert lead["notes"]["m2"]["pitch"] == 70 and "m3" not in lead["notes"]
    assert bass["pan"] == -20 and bass["volume"] == 64

    wait_for_row(http, owner, project, comparable(score_of(content)))
