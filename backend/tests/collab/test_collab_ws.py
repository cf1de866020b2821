"""The collaboration socket over a real uvicorn: sync, read-after-write, tickets, roles,
refused updates, awareness, metrics and log redaction."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text

from ariaforge.collab import protocol, tickets
from tests.collab.conftest import (
    API,
    WAIT_LIMIT_S,
    YClient,
    add_member,
    add_note,
    project_with_score,
    ticket,
    user_id,
)

JOINERS = 40


@pytest.fixture
async def http(live_api: str, clean: None) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_api, timeout=60) as client:
        yield client


async def score_notes(http: httpx.AsyncClient, project: str,
                      auth: dict[str, str]) -> dict[str, Any]:
    answer = await http.get(f"{API}/{project}/score", headers=auth)
    assert answer.status_code == 200, answer.text
    tracks = {t["id"]: t for t in answer.json()["score"]["tracks"]}
    return {n["id"]: n for n in tracks["piano"]["notes"]}


async def until_score_has(http: httpx.AsyncClient, project: str, auth: dict[str, str],
                          note_id: str) -> dict[str, Any]:
    """The score row once it holds `note_id` (materialisation runs in the background)."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        notes = await score_notes(http, project, auth)
        if note_id in notes:
            return notes
        await asyncio.sleep(0.1)
    raise AssertionError(f"{note_id} never reached the score row")


async def test_an_update_seen_by_one_socket_is_in_the_next_joiners_sync(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    _, editor = await add_member(http, project, owner, "editor")
    first = await YClient.joined(http, live_api, project, owner)
    second = await YClient.joined(http, live_api, project, editor)
    assert set(first.notes()) == {"n1", "n2"}  # the score, as the document
    await first.edit(add_note("n3"))
    # Broadcast only after the commit: whoever sees it, a new joiner sees it too.
    await second.wait(lambda: "n3" in second.notes(), "the other's note")
    third = await YClient.joined(http, live_api, project, editor)
    assert third.notes()["n3"]["pitch"] == 67
    for client in (first, second, third):
        await client.close()
    # The last socket left: the live edit is materialised into the score row.
    notes = await until_score_has(http, project, owner, "n3")
    assert (notes["n3"]["pitch"], notes["n3"]["start"]) == (67, 960)


async def test_edits_are_materialised_while_the_room_stays_open(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    client = await YClient.joined(http, live_api, project, owner)
    await client.edit(add_note("n4", pitch=72))
    notes = await until_score_has(http, project, owner, "n4")
    assert notes["n4"]["pitch"] == 72
    await client.close()


async def test_refused_tickets_close_with_4001(http: httpx.AsyncClient, live_api: str,
                                               app: FastAPI) -> None:
    project, owner = await project_with_score(http)
    other, _ = await project_with_score(http)
    missing = await YClient.open(live_api, project, None)
    assert await missing.wait_closed() == 4001
    forged = await YClient.open(live_api, project, "not-a-ticket")
    assert await forged.wait_closed() == 4001
    used = await ticket(http, project, owner)
    first = await YClient.open(live_api, project, used)
    await first.wait(first.synced.is_set, "sync")
    again = await YClient.open(live_api, project, used)
    assert await again.wait_closed() == 4001
    elsewhere = await YClient.open(live_api, other, await ticket(http, project, owner))
    assert await elsewhere.wait_closed() == 4001
    expired = await ticket(http, project, owner)
    redis: Redis = app.state.redis
    await redis.pexpire(tickets.ticket_key(expired), 1)  # Redis expires it, as after 30 s
    await asyncio.sleep(0.05)
    late = await YClient.open(live_api, project, expired)
    assert await late.wait_closed() == 4001
    assert first.close_code is None  # nobody else was disturbed
    await first.close()


async def test_membership_is_checked_again_when_the_socket_opens(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    member_id, member = await add_member(http, project, owner, "editor")
    issued = await ticket(http, project, member)
    removed = await http.delete(f"{API}/{project}/members/{member_id}", headers=owner)
    assert removed.status_code == 204, removed.text
    gone = await YClient.open(live_api, project, issued)
    assert await gone.wait_closed() == 4003
    issued = await ticket(http, project, owner)
    deleted = await http.delete(f"{API}/{project}", headers=owner)
    assert deleted.status_code == 204, deleted.text
    vanished = await YClient.open(live_api, project, issued)
    assert await vanished.wait_closed() == 4004


async def test_a_viewers_changes_are_refused_and_never_applied(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    _, viewer = await add_member(http, project, owner, "viewer")
    editor = await YClient.joined(http, live_api, project, owner)
    watcher = await YClient.joined(http, live_api, project, viewer)
    await watcher.edit(add_note("sneaky"))
    await watcher.wait(lambda: bool(watcher.denials), "the refusal")
    assert watcher.denials[0]["code"] == "read_only"
    await editor.edit(add_note("legit"))  # after the viewer's, in the same room
    await watcher.wait(lambda: "legit" in watcher.notes(), "the editor's note")
    assert "sneaky" not in editor.notes()
    fresh = await YClient.joined(http, live_api, project, owner)
    assert "sneaky" not in fresh.notes() and "legit" in fresh.notes()
    assert watcher.close_code is None  # refused, not disconnected
    for client in (editor, watcher, fresh):
        await client.close()


async def test_an_invalid_update_is_reverted_and_the_room_goes_on(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    _, editor_auth = await add_member(http, project, owner, "editor")
    writer = await YClient.joined(http, live_api, project, owner)
    other = await YClient.joined(http, live_api, project, editor_auth)
    await writer.edit(add_note("bad", pitch=200))
    await writer.wait(lambda: bool(writer.denials), "the refusal")
    denial = writer.denials[0]
    assert denial["code"] == "invalid_update" and denial["details"]
    # The revert came with it: the sender's own document no longer has the note.
    await writer.wait(lambda: "bad" not in writer.notes(), "the revert")
    await writer.edit(add_note("good", pitch=62))
    await other.wait(lambda: "good" in other.notes(), "the valid note")
    assert "bad" not in other.notes()
    fresh = await YClient.joined(http, live_api, project, owner)
    assert "bad" not in fresh.notes() and fresh.notes()["good"]["pitch"] == 62
    for client in (writer, other, fresh):
        await client.close()
    notes = await until_score_has(http, project, owner, "good")
    assert "bad" not in notes


async def test_awareness_snapshot_on_join_checks_and_removal_on_close(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    _, editor_auth = await add_member(http, project, owner, "editor")
    owner_id = await user_id(http, owner)
    editor_id = await user_id(http, editor_auth)
    first = await YClient.joined(http, live_api, project, owner)
    presence = {"user": {"id": owner_id, "name": "Ann", "colour": "#aa0000"}, "playhead": 0}
    await first.publish_awareness(101, 1, presence)
    await first.wait(lambda: 101 in first.awareness, "its own state echoed")
    # A joiner hears who is here at once, without anyone publishing again.
    second = await YClient.joined(http, live_api, project, editor_auth)
    await second.wait(lambda: second.awareness.get(101) == presence, "the snapshot")
    # Posing as somebody else is dropped; the honest entry in the same message is kept.
    await second.send(protocol.awareness_message(protocol.write_awareness([
        protocol.AwarenessEntry(202, 1, f'{{"user": {{"id": "{owner_id}"}}}}'),
        protocol.AwarenessEntry(203, 1, f'{{"user": {{"id": "{editor_id}"}}}}')])))
    await first.wait(lambda: 203 in first.awareness, "the honest state")
    assert 202 not in first.awareness and 202 not in second.awareness
    await first.close()
    await second.wait(lambda: 101 not in second.awareness, "the removal")
    await second.close()


async def test_forty_simultaneous_joiners_of_a_new_room_all_sync(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    issued = [await ticket(http, project, owner) for _ in range(JOINERS)]
    clients = await asyncio.gather(*(YClient.open(live_api, project, t) for t in issued))
    for client in clients:
        await client.wait(client.synced.is_set, "sync")
    await clients[0].edit(add_note("everyone"))
    for client in clients:
        await client.wait(lambda c=client: "everyone" in c.notes(),  # type: ignore[misc]
                          "the shared note")
    contents = {json.dumps(client.notes(), sort_keys=True) for client in clients}
    assert len(contents) == 1
    await asyncio.gather(*(client.close() for client in clients))


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert found, f"{name} missing"
    return float(found.group(1))


async def until_metric(http: httpx.AsyncClient, name: str, value: float) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        if metric((await http.get("/metrics")).text, name) == value:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{name} never became {value}")


async def test_rooms_and_sockets_are_counted_in_metrics(http: httpx.AsyncClient,
                                                        live_api: str) -> None:
    await until_metric(http, "collaboration_sessions_active", 0)
    project, owner = await project_with_score(http)
    other, _ = await project_with_score(http)
    clients = [await YClient.joined(http, live_api, project, owner) for _ in range(2)]
    await until_metric(http, "collaboration_sessions_active", 1)
    await until_metric(http, "websocket_connections_active", 2)
    for client in clients:
        await client.close()
    await until_metric(http, "collaboration_sessions_active", 0)
    await until_metric(http, "websocket_connections_active", 0)
    assert other  # a second project with no room does not count


async def test_tickets_never_reach_the_server_log(http: httpx.AsyncClient, live_api: str,
                                                  live_home: Path) -> None:
    project, owner = await project_with_score(http)
    issued = await ticket(http, project, owner)
    client = await YClient.open(live_api, project, issued)
    await client.wait(client.synced.is_set, "sync")
    await client.close()
    refused = await YClient.open(live_api, project, issued)  # logged too
    assert await refused.wait_closed() == 4001
    log = (live_home / "api.log").read_text()
    assert f"{API}/{project}/collab?ticket=[redacted]" in log
    assert issued not in log


async def test_a_socket_for_an_unknown_project_is_refused(http: httpx.AsyncClient,
                                                          live_api: str) -> None:
    project, owner = await project_with_score(http)
    issued = await ticket(http, project, owner)
    wrong = await YClient.open(live_api, str(uuid.uuid4()), issued)
    assert await wrong.wait_closed() == 4001
    not_an_id = await YClient.open(live_api, "not-a-uuid", await ticket(http, project, owner))
    assert await not_an_id.wait_closed() == 4001


async def test_members_removed_or_demoted_while_connected_lose_access(
        http: httpx.AsyncClient, live_api: str) -> None:
    project, owner = await project_with_score(http)
    removed_id, removed_auth = await add_member(http, project, owner, "editor")
    demoted_id, demoted_auth = await add_member(http, project, owner, "editor")
    removed = await YClient.joined(http, live_api, project, removed_auth)
    demoted = await YClient.joined(http, live_api, project, demoted_auth)
    owner_socket = await YClient.joined(http, live_api, project, owner)
    assert (await http.delete(f"{API}/{project}/members/{removed_id}",
                              headers=owner)).status_code == 204
    changed = await http.patch(f"{API}/{project}/members/{demoted_id}", headers=owner,
                               json={"role": "viewer"})
    assert changed.status_code == 200, changed.text
    assert await removed.wait_closed() == 4003  # the room's next membership check
    await demoted.edit(add_note("after-demotion"))
    await demoted.wait(lambda: bool(demoted.denials), "the refusal")
    assert demoted.denials[0]["code"] == "read_only"
    assert "after-demotion" not in owner_socket.notes()
    await demoted.close()
    await owner_socket.close()


async def test_a_stored_score_that_breaks_a_limit_cannot_go_live(
        app: FastAPI, http: httpx.AsyncClient, live_api: str) -> None:
    """A score stored before today's limits: the socket says why (4422) instead of
    dropping, and the project goes live again once a valid score is restored."""
    project, owner = await project_with_score(http)
    async with app.state.sessionmaker() as db, db.begin():
        await db.execute(text(
            "UPDATE project_scores SET data = jsonb_set(data, '{tempo}', '5000') "
            "WHERE project_id = :p"), {"p": uuid.UUID(project)})
    broken = await YClient.open(live_api, project, await ticket(http, project, owner))
    assert await broken.wait_closed() == 4422
    restored = await http.post(f"{API}/{project}/versions/1/restore", headers=owner,
                               json={"revision": 2})
    assert restored.status_code == 200, restored.text
    healthy = await YClient.joined(http, live_api, project, owner)
    assert healthy.close_code is None
    await healthy.close()
