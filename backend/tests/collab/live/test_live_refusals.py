"""What the server refuses, seen from real Yjs clients: a viewer's changes (`read_only`),
updates that would make an invalid Score (`invalid_update`: applied, reverted, never seen
by others nor stored), and tickets that are missing, reused, foreign or expired (4001)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import httpx
from redis import Redis

from ariaforge.config import Settings
from tests.collab.live.conftest import (
    Servers,
    account,
    new_project,
    pitches_in,
    score_row,
    share,
    ticket,
    version_scores,
    wait_for_row,
)
from tests.collab.live.mapping import comparable, score_of
from tests.collab.live.yclients import (
    State,
    YClients,
    add_note,
    add_track,
    note_path,
    set_field,
)

TICKET_CLOSE = 4001


def _denied(state: State, code: str) -> list[dict[str, Any]]:
    return [d["reason"] for d in state["denied"]
            if isinstance(d["reason"], dict) and d["reason"].get("code") == code]


def test_a_viewers_updates_are_refused_and_never_reach_anyone(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    owner, viewer = account(http, "owner"), account(http, "viewer")
    project = new_project(http, owner)
    share(http, owner, project, viewer, "viewer")
    clients.open("owner", [collab_api], project, owner)
    clients.open("viewer", [collab_api], project, viewer)
    clients.converged(["owner", "viewer"])
    assert clients.state("viewer")["role"] == "viewer"

    clients.edit("viewer", set_field(note_path("lead", "m0", "pitch"), 99),
                 add_note("lead", "sneaky", 100, start=0))
    refused = clients.wait("the viewer is told read_only",
                           lambda s: bool(_denied(s[0], "read_only")), ["viewer"])[0]
    assert _denied(refused, "read_only")[0]["message"]

    # The owner's later edit arrives and is stored; the viewer's never was.
    clients.edit("owner", set_field(note_path("lead", "m1", "pitch"), 66))
    expected = comparable(score_of(clients.state("owner")["content"]))
    wait_for_row(http, owner, project, expected)
    clients.wait("the viewer receives the owner's edit", lambda s: s[0]["content"]["tracks"][
        "lead"]["notes"]["m1"]["pitch"] == 66, ["viewer"])
    owner_state = clients.state("owner")
    assert 99 not in owner_state["pitches"] and 100 not in owner_state["pitches"]
    assert "sneaky" not in owner_state["content"]["tracks"]["lead"]["notes"]
    _, row = score_row(http, owner, project)
    lead = next(track for track in row["tracks"] if track["id"] == "lead")
    assert [n["pitch"] for n in lead["notes"] if n["id"] == "m0"] == [62]
    assert all(pitches_in(score).isdisjoint({99, 100})
               for score in version_scores(http, owner, project))


def _told_times(count: int) -> Callable[[list[State]], bool]:
    return lambda states: len(_denied(states[0], "invalid_update")) >= count


INVALID_EDITS: list[tuple[str, dict[str, Any]]] = [
    ("pitch 200", set_field(note_path("lead", "m0", "pitch"), 200)),
    ("a negative duration", set_field(note_path("lead", "m4", "duration"), -5)),
    ("an unknown note field", set_field(note_path("lead", "m5", "colour"), "#ff0000")),
    ("a fractional tick", set_field(note_path("bass", "b1", "start"), 960.5)),
    ("a track without its fields", {"set": ["tracks", "ghost"],
                                    "value": {"$map": {"notes": {"$map": {}}}}}),
    ("a track with a bad id", add_track("bad id!", "Bad", order=5)),
    ("an unknown root", set_field(["bogus", "key"], 1)),
]


def test_invalid_updates_are_refused_reverted_and_never_stored(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    owner, editor = account(http, "owner"), account(http, "editor")
    project = new_project(http, owner)
    share(http, owner, project, editor, "editor")
    clients.open("bad", [collab_api], project, editor)
    clients.open("peer", [collab_api], project, owner)
    before = clients.converged(["bad", "peer"])

    for count, (what, edit) in enumerate(INVALID_EDITS, start=1):
        clients.edit("bad", edit)
        told = clients.wait(f"the sender is told about {what}",
                            _told_times(count), ["bad"])[0]
        problem = _denied(told, "invalid_update")[-1]
        assert problem["message"] and isinstance(problem["details"], list), (what, problem)
        # The sender's document is reverted: it holds what everyone holds again.
        assert clients.converged(["bad", "peer"]) == before, what
    assert any("pitch" in str(d.get("loc")) for d in _denied(
        clients.state("bad"), "invalid_update")[0]["details"]), "details say where"

    # The same client's later valid edits still work (its clock stayed contiguous).
    clients.edit("bad", set_field(note_path("lead", "m0", "pitch"), 71),
                 add_note("bass", "after", 41, start=480))
    content = clients.converged(["bad", "peer"], check=lambda c: "after" in c["tracks"][
        "bass"]["notes"] and c["tracks"]["lead"]["notes"]["m0"]["pitch"] == 71)
    wait_for_row(http, owner, project, comparable(score_of(content)))
    peer = clients.state("peer")
    assert 200 not in peer["pitches"], "the peer never saw pitch 200"
    assert all(200 not in pitches_in(score) for score in version_scores(http, owner, project))
    # A refused update still reaches the others as deleted content (so every peer keeps
    # the sender's clock contiguous): an empty root at most, never a value.
    assert all(not held for held in peer["strays"].values()), peer["strays"]
    assert "ghost" not in peer["content"]["tracks"]

    # A newcomer loads the room from what the server kept: nothing refused is in it.
    clients.open("late", [collab_api], project, owner)
    assert clients.converged(["late", "peer"]) == content
    assert 200 not in clients.state("late")["pitches"]


def test_tickets_missing_reused_or_for_another_project_are_refused(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    owner, stranger = account(http, "owner"), account(http, "stranger")
    project, other = new_project(http, owner), new_project(http, owner)
    issued = ticket(http, owner, project)
    assert issued["role"] == "owner" and issued["path"] == f"/api/v1/projects/{project}/collab"

    first = clients.probe(collab_api, project, issued["ticket"])
    assert first["opened"] and first["messages"] >= 1, str(first)
    reused = clients.probe(collab_api, project, issued["ticket"])
    assert reused["code"] == TICKET_CLOSE, reused
    assert clients.probe(collab_api, project, None)["code"] == TICKET_CLOSE
    assert clients.probe(collab_api, project, "not-a-ticket")["code"] == TICKET_CLOSE
    foreign = ticket(http, owner, other)["ticket"]
    assert clients.probe(collab_api, project, foreign)["code"] == TICKET_CLOSE
    # Someone who is not a member gets no ticket at all.
    refused = http.post(f"/api/v1/projects/{project}/collab/ticket", headers=stranger.headers)
    assert refused.status_code in (403, 404), refused.text


def test_an_expired_ticket_is_refused(servers: Servers, settings: Settings,
                                      clients: YClients, clean: None) -> None:
    with servers.api("short-tickets", COLLAB_TICKET_TTL_S="1") as (base, _), \
            httpx.Client(base_url=base, timeout=60) as http:
        owner = account(http, "owner")
        project = new_project(http, owner)
        issued = ticket(http, owner, project)["ticket"]
        key = f"collab:ticket:{hashlib.sha256(issued.encode()).hexdigest()}"
        assert settings.redis_url
        with Redis.from_url(settings.redis_url) as redis:
            assert redis.exists(key), "tickets are kept under their hash"
            deadline = time.monotonic() + 30
            while redis.exists(key) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not redis.exists(key), "the ticket never expired"
        expired = clients.probe(base, project, issued)
        assert expired["code"] == TICKET_CLOSE, expired
        fresh = clients.probe(base, project, ticket(http, owner, project)["ticket"])
        assert fresh["opened"] and fresh["messages"] >= 1, fresh
