"""Helpers for the store, materialisation and REST hook tests: projects made through the
API, live edits made as a Yjs client makes them (pycrdt), rows read back with SQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI
from pycrdt import Doc, Map
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ariaforge.audio.options import MixSettings
from ariaforge.collab.document import read_document
from ariaforge.music.score import Score
from tests.conftest import new_user

API = "/api/v1/projects"


def score_json(notes: int = 2) -> dict[str, Any]:
    """A valid score: a piano track with `notes` notes (ids n0, n1, ...), a section and a
    chord (arrays would show a document created twice: their items would double)."""
    return {
        "tempo": 100, "key": {"tonic": "C", "mode": "major"},
        "meter": {"numerator": 4, "denominator": 4}, "bars": max(4, notes // 8 + 2),
        "sections": [{"name": "A", "start_bar": 1, "bars": 2}],
        "chord_symbols": [{"tick": 0, "symbol": "C"}],
        "tracks": [{"id": "piano", "name": "Piano", "role": "melody", "program": 0,
                    "notes": [{"id": f"n{i}", "pitch": 48 + i % 36, "start": i * 240,
                               "duration": 240} for i in range(notes)]}],
    }


async def me(client: httpx.AsyncClient, auth: dict[str, str]) -> uuid.UUID:
    answer = await client.get("/api/v1/me", headers=auth)
    assert answer.status_code == 200, answer.text
    return uuid.UUID(answer.json()["id"])


async def project_with_score(client: httpx.AsyncClient, notes: int = 2
                             ) -> tuple[uuid.UUID, dict[str, str]]:
    """A project of a new owner holding `score_json(notes)` (at revision 2)."""
    _, owner = await new_user(client, "owner")
    created = await client.post(API, headers=owner, json={"name": "Live"})
    assert created.status_code == 201, created.text
    project = created.json()["id"]
    saved = await client.put(f"{API}/{project}/score", headers=owner,
                             json={"score": score_json(notes), "revision": 1})
    assert saved.status_code == 200, saved.text
    return uuid.UUID(project), owner


async def add_editor(client: httpx.AsyncClient, project: uuid.UUID,
                     owner: dict[str, str]) -> tuple[uuid.UUID, dict[str, str]]:
    email, auth = await new_user(client, "editor")
    added = await client.post(f"{API}/{project}/members", headers=owner,
                              json={"email": email, "role": "editor"})
    assert added.status_code == 201, added.text
    return await me(client, auth), auth


def maker(app: FastAPI) -> async_sessionmaker[AsyncSession]:
    found: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    return found


def doc_of(update: bytes) -> Doc[Any]:
    doc: Doc[Any] = Doc()
    doc.apply_update(update)
    return doc


def applied(base: bytes, *updates: bytes) -> bytes:
    """`base` with `updates` applied, as one update."""
    doc = doc_of(base)
    for update in updates:
        doc.apply_update(update)
    return doc.get_update()


def state(update: bytes) -> tuple[Score, MixSettings]:
    return read_document(doc_of(update))


def edit(base: bytes, change: Callable[[Doc[Any]], None]) -> bytes:
    """What a client holding `base` sends after making `change` (a new client each time)."""
    doc = doc_of(base)
    before = doc.get_state()
    change(doc)
    return doc.get_update(before)


def set_pitch(note_id: str, pitch: int) -> Callable[[Doc[Any]], None]:
    def change(doc: Doc[Any]) -> None:
        doc.get("tracks", type=Map)["piano"]["notes"][note_id]["pitch"] = pitch
    return change


def add_note(note_id: str, pitch: int = 67, start: int = 0) -> Callable[[Doc[Any]], None]:
    def change(doc: Doc[Any]) -> None:
        doc.get("tracks", type=Map)["piano"]["notes"][note_id] = Map(
            {"pitch": pitch, "start": start, "duration": 240, "velocity": 90})
    return change


def delete_note(note_id: str) -> Callable[[Doc[Any]], None]:
    def change(doc: Doc[Any]) -> None:
        del doc.get("tracks", type=Map)["piano"]["notes"][note_id]
    return change


def set_master_gain(gain_db: float) -> Callable[[Doc[Any]], None]:
    def change(doc: Doc[Any]) -> None:
        doc.get("master", type=Map)["gain_db"] = gain_db
    return change


def pitches(score: Score) -> dict[str, int]:
    return {note.id: note.pitch for _, note in score.all_notes()}


async def sql(app: FastAPI, query: str, **params: Any) -> list[tuple[Any, ...]]:
    async with app.state.engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(query), params)]


async def update_ids(app: FastAPI, project: uuid.UUID) -> list[int]:
    rows = await sql(app, "SELECT id FROM collab_updates WHERE project_id = :p ORDER BY id",
                     p=project)
    return [row[0] for row in rows]


async def document_row(app: FastAPI, project: uuid.UUID) -> tuple[int, int] | None:
    """(snapshot_update_id, materialised_update_id), or None without a document."""
    rows = await sql(app, "SELECT snapshot_update_id, materialised_update_id "
                          "FROM collab_documents WHERE project_id = :p", p=project)
    return (rows[0][0], rows[0][1]) if rows else None


async def score_of(client: httpx.AsyncClient, project: uuid.UUID,
                   auth: dict[str, str]) -> tuple[Score, int]:
    answer = await client.get(f"{API}/{project}/score", headers=auth)
    assert answer.status_code == 200, answer.text
    return Score.model_validate(answer.json()["score"]), answer.json()["revision"]


async def versions(client: httpx.AsyncClient, project: uuid.UUID,
                   auth: dict[str, str]) -> list[dict[str, Any]]:
    answer = await client.get(f"{API}/{project}/versions", headers=auth)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items
