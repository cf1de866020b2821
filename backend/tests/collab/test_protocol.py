"""The y-websocket codec, the room's awareness rules, the token bucket and the ticket
redaction: pure, no server."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from pycrdt import Doc, Map, create_awareness_message, create_sync_message, create_update_message

from ariaforge.collab import protocol, redact
from ariaforge.collab.awareness import RoomAwareness
from ariaforge.collab.limits import MAX_AWARENESS_STATE_BYTES, TokenBucket

ME = "5b0c9a52-4b6e-4f39-9a3f-0f3c2b1d9e11"
SOMEONE_ELSE = "c3f1e2d4-1111-4222-8333-944455566677"


def entry(client_id: int, clock: int, state: object) -> protocol.AwarenessEntry:
    return protocol.AwarenessEntry(client_id, clock, json.dumps(state))


def awareness_update(*entries: protocol.AwarenessEntry) -> bytes:
    return protocol.write_awareness(list(entries))


def states(update: bytes | None) -> dict[int, object]:
    assert update is not None
    return {e.client_id: json.loads(e.state) for e in protocol.read_awareness(update)}


def test_messages_pycrdt_writes_parse_to_the_same_content() -> None:
    doc: Doc[Any] = Doc()
    doc.get("settings", type=Map)["tempo"] = 120
    update = doc.get_update()
    step1 = protocol.parse(create_sync_message(doc))
    assert (step1.kind, step1.sync_type, step1.payload) == (
        protocol.MESSAGE_SYNC, protocol.SYNC_STEP1, doc.get_state())
    sent = protocol.parse(create_update_message(update))
    assert (sent.sync_type, sent.payload) == (protocol.SYNC_UPDATE, update)
    assert protocol.update_message(update) == create_update_message(update)
    presence = awareness_update(entry(7, 1, {"user": {"id": ME}}))
    assert protocol.parse(create_awareness_message(presence)).payload == presence
    assert protocol.awareness_message(presence) == create_awareness_message(presence)


def test_a_large_payload_keeps_its_multi_byte_length() -> None:
    payload = bytes(range(256)) * 1000
    parsed = protocol.parse(protocol.sync_step2(payload))
    assert parsed.payload == payload and parsed.sync_type == protocol.SYNC_STEP2


@pytest.mark.parametrize("frame", [
    b"",                       # nothing
    b"\x00",                   # sync without its type
    b"\x00\x07\x00",           # an unknown sync message
    b"\x00\x02\x05ab",         # a payload shorter than its length
    b"\x01\xff\xff",           # a length that never ends
    b"\x09",                   # an unknown message type
    b"\x80" * 12,              # a number beyond 2^53
])
def test_malformed_frames_are_refused(frame: bytes) -> None:
    with pytest.raises(protocol.Malformed):
        protocol.parse(frame)


def test_a_permission_denied_reason_is_the_error_object_as_json() -> None:
    frame = protocol.permission_denied("invalid_update", "pitch 200 ✗", [{"loc": ["x"]}])
    reader = protocol.Reader(frame)
    assert reader.var_uint() == protocol.MESSAGE_AUTH
    assert reader.var_uint() == protocol.PERMISSION_DENIED
    assert json.loads(reader.var_string()) == {
        "code": "invalid_update", "message": "pitch 200 ✗", "details": [{"loc": ["x"]}]}


def test_awareness_keeps_own_states_and_drops_impostors_and_oversized_ones() -> None:
    room = RoomAwareness()
    mine = {"user": {"id": ME, "name": "Ann"}, "playhead": 0}
    impostor = {"user": {"id": SOMEONE_ELSE, "name": "Bob"}}
    huge = {"user": {"id": ME}, "junk": "x" * MAX_AWARENESS_STATE_BYTES}
    kept = room.apply_local("socket-a", ME, awareness_update(
        entry(1, 1, mine), entry(2, 1, impostor), entry(3, 1, huge), entry(4, 1, {})))
    assert states(kept) == {1: mine, 4: {}}
    assert states(room.snapshot()) == {1: mine, 4: {}}


def test_awareness_ignores_old_clocks_and_other_owners_client_ids() -> None:
    room = RoomAwareness()
    room.apply_local("socket-a", ME, awareness_update(entry(1, 5, {"playhead": 1})))
    assert room.apply_local("socket-a", ME, awareness_update(entry(1, 4, {"playhead": 2}))) \
        is None
    # Another socket (even of the same user) cannot overwrite or remove client 1.
    assert room.apply_local("socket-b", ME, awareness_update(entry(1, 9, {}))) is None
    assert room.apply_local("socket-b", ME, awareness_update(
        protocol.AwarenessEntry(1, 9, "null"))) is None
    assert states(room.snapshot()) == {1: {"playhead": 1}}


def test_a_closed_socket_or_a_gone_replica_loses_its_states() -> None:
    room = RoomAwareness()
    room.apply_local("socket-a", ME, awareness_update(entry(1, 3, {"a": 1}), entry(2, 0, {})))
    room.apply_remote("replica-2", awareness_update(entry(9, 1, {"b": 2})))
    removal = room.remove_owner("socket-a")
    assert removal is not None
    assert {(e.client_id, e.clock, e.state) for e in protocol.read_awareness(removal)} == {
        (1, 4, "null"), (2, 1, "null")}
    assert states(room.snapshot()) == {9: {"b": 2}}
    assert room.remove_owner("socket-a") is None
    assert room.apply_local("socket-c", ME, awareness_update(entry(1, 3, {"late": 1}))) is None
    assert states(room.remove_owner("replica-2")) == {9: None}
    assert room.snapshot() is None


def test_a_snapshot_can_name_only_local_owners() -> None:
    room = RoomAwareness()
    room.apply_local("socket-a", ME, awareness_update(entry(1, 1, {"a": 1})))
    room.apply_remote("replica-2", awareness_update(entry(2, 1, {"b": 1})))
    assert states(room.snapshot({"socket-a"})) == {1: {"a": 1}}


def test_the_token_bucket_allows_its_burst_then_refuses() -> None:
    bucket = TokenBucket(rate=0.001, burst=5)
    assert [bucket.take() for _ in range(7)] == [True] * 5 + [False] * 2


def test_tickets_are_redacted_from_log_records(caplog: pytest.LogCaptureFixture) -> None:
    redact.install()
    logger = logging.getLogger("uvicorn.error")
    with caplog.at_level(logging.INFO):
        logger.info('%s - "WebSocket %s" [accepted]', "127.0.0.1:5",
                    "/api/v1/projects/x/collab?ticket=SeCrEt-tIcKeT_123&x=1")
        logger.info("plain ticket=AnotherSecret in the message")
    text = caplog.text
    assert "SeCrEt-tIcKeT_123" not in text and "AnotherSecret" not in text
    assert text.count("ticket=[redacted]") == 2 and "&x=1" in text
