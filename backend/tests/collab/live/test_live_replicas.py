"""Two API replicas (two uvicorn processes on one PostgreSQL and one Redis) with clients on
both: edits relay both ways; SIGKILL one replica mid-session and its clients fail over to
the other with fresh tickets, losing no acknowledged edit; then kill everything, start a
new process, and a fresh client loads every acknowledged edit from PostgreSQL."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import httpx

from tests.collab.live.conftest import (
    Servers,
    account,
    new_project,
    score_row,
    share,
    wait_for_row,
)
from tests.collab.live.mapping import comparable, score_of
from tests.collab.live.yclients import YClients, add_note, note_path, set_field
from tests.conftest import stop_process

ON_ONE, ON_TWO = ["a1", "a2"], ["b1", "b2"]
EVERYONE = ON_ONE + ON_TWO


def _has(track: str, *notes: str) -> Callable[[dict[str, Any]], bool]:
    return lambda content: all(n in content["tracks"][track]["notes"] for n in notes)


def test_two_replicas_relay_survive_a_killed_replica_and_a_full_restart(
        servers: Servers, clients: YClients, clean: None) -> None:
    with servers.api("one") as (one, process_one), servers.api("two") as (two, process_two), \
            httpx.Client(base_url=one, timeout=60) as http:
        owner, editor = account(http, "owner"), account(http, "editor")
        project = new_project(http, owner)
        share(http, owner, project, editor, "editor")
        for name in ON_ONE:
            clients.open(name, [one, two], project, owner)
        for name in ON_TWO:
            # Their failover list: replica two, then replica one.
            clients.open(name, [two, one], project, editor)
        # One client knows only replica two: when it dies, this one is gone for good.
        clients.open("stranded", [two], project, editor)
        clients.converged([*EVERYONE, "stranded"])
        stranded = clients.state("stranded")["client_id"]
        assert {s["api"] for s in clients.states(ON_TWO, content=False)} == {two}
        # Presence crosses replicas too: each side sees who is on the other.
        clients.wait("presence across replicas", lambda states: stranded in {
            p["client"] for p in states[0]["peers"] if p["state"]} and all(
            {p["state"]["user"]["id"] for p in s["peers"] if p["state"]} == {
                owner.user_id, editor.user_id} for s in states), EVERYONE, content=False)

        # Edits on each side appear on the other, concurrent ones included.
        clients.edit_at_once({
            "a1": [add_note("lead", "from-one", 72, start=960)],
            "b1": [add_note("bass", "from-two", 36, start=960)],
            "a2": [set_field(note_path("lead", "m0", "pitch"), 61)],
            "b2": [set_field(note_path("lead", "m0", "pitch"), 63),
                   set_field(["settings", "bars"], 12)]})
        content = clients.converged(EVERYONE, check=lambda c: _has("lead", "from-one")(c)
                                    and _has("bass", "from-two")(c))
        assert content["tracks"]["lead"]["notes"]["m0"]["pitch"] in (61, 63)
        assert content["settings"]["bars"] == 12

        # Acknowledged: a client on replica one saw replica two's edit. Then replica two
        # dies at once, with one more edit of its clients maybe in flight.
        clients.edit("b1", add_note("bass", "acked", 45, start=2880))
        clients.wait("replica one sees the acknowledged edit",
                     lambda s: _has("bass", "acked")(s[0]["content"]), ["a1"])
        clients.edit("b2", add_note("lead", "in-flight", 76, start=5760))
        process_two.send_signal(signal.SIGKILL)
        process_two.wait(30)

        # Its clients reconnect to replica one with fresh tickets; everyone goes on.
        clients.wait("replica two's clients fail over to replica one", lambda states: all(
            s["api"] == one and s["synced"] for s in states), ON_TWO)
        clients.edit("a2", add_note("lead", "after-kill", 79, start=6720))
        clients.edit("b1", set_field(["tracks", "lead", "pan"], 12))
        final = clients.converged(EVERYONE, check=lambda c: _has("lead", "after-kill")(c)
                                  and c["tracks"]["lead"]["pan"] == 12)
        # The dead replica's client that never came back leaves no stale presence behind.
        clients.wait("the stranded client's presence is dropped", lambda states: all(
            stranded not in {p["client"] for p in s["peers"] if p["state"]} for s in states),
            ON_ONE, content=False)
        assert _has("bass", "acked")(final), "an acknowledged edit was lost"
        # The client still held its unacknowledged edit and sent it again on reconnect.
        assert _has("lead", "in-flight")(final)
        assert all(s["tickets"] >= 2 for s in clients.states(ON_TWO, content=False))
        expected = comparable(score_of(final))
        wait_for_row(http, owner, project, expected)
        # Replica one dies the same way: no shutdown, no last materialisation.
        process_one.send_signal(signal.SIGKILL)
        process_one.wait(30)

    # Every process gone. The old clients go too, so nothing but the server's own store can
    # bring the edits back.
    for name in [*EVERYONE, "stranded"]:
        clients.call("close", name=name)
    with servers.api("three") as (three, _), \
            httpx.Client(base_url=three, timeout=60) as http:
        clients.open("reader", [three], project, owner)
        reloaded = clients.converged(["reader"])
        assert reloaded == final
        wait_for_row(http, owner, project, expected)


def test_a_replica_stopping_cleanly_saves_the_room_and_says_so(
        servers: Servers, clients: YClients, clean: None) -> None:
    # Replica one would not materialise on its own for an hour: only its shutdown can.
    lazy = {"COLLAB_MATERIALISE_PAUSE_S": "600", "COLLAB_MATERIALISE_MAX_S": "3600"}
    with servers.api("lazy", **lazy) as (one, process_one), servers.api("other") as (two, _), \
            httpx.Client(base_url=two, timeout=60) as http:
        owner = account(http, "owner")
        project = new_project(http, owner)
        names = ["x1", "x2"]
        for name in names:
            clients.open(name, [one], project, owner)
        clients.converged(names)
        clients.edit("x1", add_note("lead", "before-stop", 67, start=2400),
                     set_field(["settings", "tempo"], 111))
        content = clients.converged(names, check=_has("lead", "before-stop"))
        _, row = score_row(http, owner, project)
        assert row["tempo"] == 100, "not materialised yet"

        stop_process(process_one)
        # Stopped means saved: the row holds the edits now, with no waiting.
        _, row = score_row(http, owner, project)
        assert comparable(row) == comparable(score_of(content))
        closes = [c["code"] for s in clients.states(names, content=False) for c in s["closes"]]
        # Going away (1001, the rooms' own shutdown) or service restart (1012: uvicorn
        # closes its WebSockets before the app's shutdown runs): either way, reconnect.
        assert closes and set(closes) <= {1001, 1012}, closes
