"""A brief with a section key change, through the sessions API: the stored score's
sections carry their own keys."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.sessions.test_sessions_api import API, current_score, new_project, run_session

MODULATING = ("a pop song in A minor that modulates to the relative major for the chorus "
              "and speeds up to 140 in the outro")


async def test_the_score_keeps_section_keys_and_tempi(app: FastAPI,
                                                      client: httpx.AsyncClient) -> None:
    project, owner = await new_project(client)
    answer = await client.post(f"{API}/projects/{project}/sessions", headers=owner,
                               json={"prompt": MODULATING, "seed": 3})
    assert answer.status_code == 202, answer.text
    done = await run_session(app, client, answer.json()["id"], owner)
    assert done["status"] == "succeeded", done
    score = await current_score(client, project, owner)
    assert (score.key.tonic, score.key.mode.value) == ("A", "minor")
    keys = {(s.name, s.key.tonic if s.key else None) for s in score.sections}
    assert ("chorus", "C") in keys and ("verse", None) in keys
    outro = next(s for s in score.sections if s.name == "outro")
    assert [(c.tick, c.bpm) for c in score.tempo_changes][-1] == (
        score.bar_start(outro.start_bar), 140.0)
    raw = (await client.get(f"{API}/projects/{project}/score", headers=owner)).json()
    chorus = next(s for s in raw["score"]["sections"] if s["name"] == "chorus")
    assert chorus["key"] == {"tonic": "C", "mode": "major"}
