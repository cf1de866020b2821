"""Helpers shared by the share-link tests: a project with a score and its members."""

from __future__ import annotations

from typing import Any

import httpx

from ariaforge.music.score import Note, Role, Score, Track
from tests.conftest import new_user

API = "/api/v1"
Headers = dict[str, str]


def shared_piece() -> Score:
    melody = [Note(pitch=p, start=i * 480, duration=480)
              for i, p in enumerate([60, 62, 64, 65, 67, 65, 64, 62])]
    bass = [Note(pitch=p, start=i * 1920, duration=1920) for i, p in enumerate([36, 43])]
    return Score(tempo=96, bars=2, tracks=[
        Track(id="lead", name="Flute", role=Role.MELODY, program=73, notes=melody),
        Track(id="low", name="Cello", role=Role.BASS, program=42, notes=bass)])


async def project_with_score(http: httpx.AsyncClient, name: str = "Harbour Lights",
                             ) -> tuple[str, Headers]:
    _, owner = await new_user(http, "owner")
    created = await http.post(f"{API}/projects", headers=owner, json={"name": name})
    assert created.status_code == 201, created.text
    project: str = created.json()["id"]
    put = await http.put(f"{API}/projects/{project}/score", headers=owner, json={
        "score": shared_piece().model_dump(mode="json"), "revision": 1})
    assert put.status_code == 200, put.text
    return project, owner


async def add_member(http: httpx.AsyncClient, project: str, owner: Headers,
                     role: str) -> Headers:
    email, headers = await new_user(http, role)
    added = await http.post(f"{API}/projects/{project}/members", headers=owner,
                            json={"email": email, "role": role})
    assert added.status_code == 201, added.text
    return headers


async def create_link(http: httpx.AsyncClient, project: str, headers: Headers,
                      label: str = "") -> dict[str, Any]:
    response = await http.post(f"{API}/projects/{project}/share-links", headers=headers,
                               json={"label": label})
    assert response.status_code == 201, response.text
    link: dict[str, Any] = response.json()
    return link


def token_header(token: str) -> Headers:
    return {"X-Share-Token": token}
