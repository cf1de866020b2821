"""What the brief reader could not honour reaches the person: over real HTTP (a real
`ariaforge api` and a real worker process), a finished session's JSON lists the reader's
warnings by name, and a plain brief gets none of them."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from tests.conftest import new_user

API = "/api/v1"
FINAL = frozenset({"succeeded", "failed", "dead", "cancelled"})
# Five short compositions, one worker, a loaded 2-core machine, previews rendered between.
WAIT_LIMIT_S = 240.0

UNPLAYABLE = "a tango for bandoneon, mellophone and piano"
DUTCH = "een vrolijk liedje voor piano en viool in G groot"
GIBBERISH = "blorf snickety wumble frabjous quindle"
NO_MELODY = "a funk groove for slap bass and drums"
PLAIN = "a cheerful folk song in G major for flute and acoustic guitar"


async def start(client: httpx.AsyncClient, prompt: str) -> tuple[str, dict[str, str]]:
    """A new project of a new user, and a compose session of `prompt` in it (8 bars)."""
    _, owner = await new_user(client, "composer")
    project = await client.post(f"{API}/projects", headers=owner, json={"name": "Warnings"})
    assert project.status_code == 201, project.text
    answer = await client.post(f"{API}/projects/{project.json()['id']}/sessions",
                               headers=owner, json={"prompt": prompt, "bars": 8, "seed": 5})
    assert answer.status_code == 202, answer.text
    return answer.json()["id"], owner


async def finished(client: httpx.AsyncClient, session_id: str,
                   headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        body: dict[str, Any] = (await client.get(f"{API}/sessions/{session_id}",
                                                 headers=headers)).json()
        if body["status"] in FINAL:
            return body
        await asyncio.sleep(0.3)
    raise AssertionError(f"session {session_id} did not finish")


async def test_finished_sessions_carry_the_brief_readers_warnings(
        live_client: httpx.AsyncClient, live_worker: None) -> None:
    prompts = [UNPLAYABLE, DUTCH, GIBBERISH, NO_MELODY, PLAIN]
    started = [await start(live_client, prompt) for prompt in prompts]
    done = {prompt: await finished(live_client, session_id, owner)
            for prompt, (session_id, owner) in zip(prompts, started, strict=True)}
    for prompt, body in done.items():
        assert body["status"] == "succeeded", (prompt, body)
        # The stored brief and the session agree on what the reader said.
        assert set(body["brief"]["warnings"]) <= set(body["warnings"]), (prompt, body)

    unplayable = done[UNPLAYABLE]["warnings"]
    assert "no bandoneon sound: played on Tango Accordion" in unplayable
    assert "unknown instrument 'mellophone': left out" in unplayable
    names = [i["name"] for i in done[UNPLAYABLE]["brief"]["instruments"]]
    assert "Bandoneon" in names and not any("ellophone" in name for name in names)

    for prompt, words in ((DUTCH, ("'vrolijk'", "'liedje'", "'viool'")),
                          (GIBBERISH, ("'blorf'", "'quindle'"))):
        unread = [w for w in done[prompt]["warnings"]
                  if w.startswith("could not read all of this brief")]
        assert len(unread) == 1, done[prompt]["warnings"]
        assert all(word in unread[0] for word in words), unread
    dutch = next(w for w in done[DUTCH]["warnings"] if w.startswith("could not read"))
    assert "understood key 'in G'" in dutch and "instruments 'piano'" in dutch

    added = done[NO_MELODY]["warnings"]
    assert any(w.startswith("added a ") and "named no melody instrument" in w
               for w in added), added

    plain = done[PLAIN]
    assert plain["warnings"] == [], plain["warnings"]
    # Nothing was added: the flute and the guitar the brief named, and no third part.
    plain_names = [i["name"] for i in plain["brief"]["instruments"]]
    assert len(plain_names) == 2 and plain_names[0] == "Flute", plain_names

    # The project's list of sessions shows the same warnings as the session itself.
    session_id, owner = started[0]
    listed = (await live_client.get(f"{API}/projects/{done[UNPLAYABLE]['project_id']}"
                                    "/sessions", headers=owner)).json()
    assert [(s["id"], s["warnings"]) for s in listed] == [(session_id, unplayable)]
