"""Access changes during a live session, seen from real Yjs clients: a demoted editor's
edits are refused from then on, a removed member's socket is closed (4003) and no new
ticket lets them back in."""

from __future__ import annotations

import time

import httpx

from tests.collab.live.conftest import account, new_project, share, wait_for_row
from tests.collab.live.mapping import comparable, score_of
from tests.collab.live.yclients import State, YClients, note_path, set_field

# The room re-reads the members every 10 s (collab/members.py); poll a little longer.
ACCESS_LIMIT_S = 40.0


def _read_only_count(state: State) -> int:
    return sum(isinstance(d["reason"], dict) and d["reason"].get("code") == "read_only"
               for d in state["denied"])


def _read_only(state: State) -> bool:
    return _read_only_count(state) > 0


def test_a_demoted_then_removed_member_loses_write_then_the_socket(
        http: httpx.Client, clients: YClients, collab_api: str) -> None:
    owner, editor = account(http, "owner"), account(http, "editor")
    project = new_project(http, owner)
    share(http, owner, project, editor, "editor")
    clients.open("owner", [collab_api], project, owner)
    clients.open("editor", [collab_api], project, editor)
    clients.converged(["owner", "editor"])
    member = f"/api/v1/projects/{project}/members/{editor.user_id}"

    demoted = http.patch(member, headers=owner.headers, json={"role": "viewer"})
    assert demoted.status_code == 200, demoted.text
    # Edit until the room has noticed: each try is a new velocity, all valid.
    deadline = time.monotonic() + ACCESS_LIMIT_S
    tries = 0
    while not _read_only(clients.state("editor")):
        if time.monotonic() > deadline:
            raise AssertionError("the demoted editor could still write")
        tries += 1
        clients.edit("editor", set_field(note_path("lead", "m3", "velocity"), tries))
        time.sleep(0.5)
    # From now on every change of theirs is refused, and reaches neither peers nor row.
    refusals = _read_only_count(clients.state("editor"))
    clients.edit("editor", set_field(note_path("lead", "m3", "velocity"), 127))
    clients.wait("the next edit is refused too", lambda s: _read_only_count(s[0]) > refusals,
                 ["editor"], content=False)
    clients.edit("owner", set_field(note_path("lead", "m4", "pitch"), 70))
    owner_view = clients.wait("the editor still receives the owner's edits", lambda s: s[1][
        "content"]["tracks"]["lead"]["notes"]["m4"]["pitch"] == 70, ["owner", "editor"])[0]
    assert owner_view["content"]["tracks"]["lead"]["notes"]["m3"]["velocity"] != 127
    wait_for_row(http, owner, project, comparable(score_of(owner_view["content"])))

    removed = http.delete(member, headers=owner.headers)
    assert removed.status_code == 204, removed.text
    clients.wait("the removed member's socket is closed with 4003", lambda s: any(
        c["code"] == 4003 for c in s[0]["closes"]), ["editor"], content=False,
        limit_s=ACCESS_LIMIT_S)
    # Its client asks for a new ticket, as any client does, and is refused: it stays out.
    clients.wait("no new ticket either", lambda s: not s[0]["connected"] and any(
        "ticket: 40" in error for error in s[0]["errors"]), ["editor"], content=False)
