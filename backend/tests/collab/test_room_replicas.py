"""One room on two API replicas: updates and presence relay through Redis, and the
presence of a replica's clients goes when the replica dies."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ariaforge.config import Settings
from tests.collab.conftest import YClient, add_member, add_note, project_with_score, user_id
from tests.conftest import api_process


@pytest.fixture
def replicas(settings: Settings, app: FastAPI, tmp_path: Path,
             clean: None) -> Iterator[list[tuple[str, object]]]:
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(api_process(settings, app.state.secret_key,
                                               tmp_path / f"replica-{n}"))
               for n in range(2)]


async def test_edits_and_presence_cross_replicas_and_a_dead_ones_presence_goes(
        replicas: list[tuple[str, object]]) -> None:
    (first_base, first_process), (second_base, _) = replicas
    async with httpx.AsyncClient(base_url=first_base, timeout=60) as http:
        project, owner = await project_with_score(http)
        _, editor_auth = await add_member(http, project, owner, "editor")
        owner_id = await user_id(http, owner)
        here = await YClient.joined(http, first_base, project, owner)
        presence = {"user": {"id": owner_id, "name": "Ann"}, "playhead": 480}
        await here.publish_awareness(77, 1, presence)
        await here.wait(lambda: 77 in here.awareness, "its own presence")
        there = await YClient.joined(http, second_base, project, editor_auth)
        # The second replica's new room asked the others who is here.
        await there.wait(lambda: there.awareness.get(77) == presence, "remote presence")
        await here.edit(add_note("from-one"))
        await there.wait(lambda: "from-one" in there.notes(), "the first replica's edit")
        await there.edit(add_note("from-two", start=1440))
        await here.wait(lambda: "from-two" in here.notes(), "the second replica's edit")
        first_process.kill()  # type: ignore[attr-defined]  # no goodbye: a crash
        await there.wait(lambda: 77 not in there.awareness, "the dead replica's presence gone")
        await there.close()
    async with httpx.AsyncClient(base_url=second_base, timeout=60) as survivor:
        late = await YClient.joined(survivor, second_base, project, editor_auth)
        assert {"from-one", "from-two"} <= set(late.notes())
        await late.close()
