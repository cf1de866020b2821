"""The gate's quick checks for note edits decide exactly as the Score model does."""

from __future__ import annotations

import random
from typing import Any

import pytest
from pycrdt import Doc, Map

from ariaforge.audio.options import MixSettings
from ariaforge.collab.document import DocumentInvalid, new_document, read_document
from ariaforge.collab.gate import UpdateGate
from ariaforge.music.score import Note, Score, Track
from tests.collab.document_support import change, peer, tracks

BAR = 1920


def start_score() -> Score:
    notes = [Note(id=f"a{i}", pitch=60 + i % 12, start=i * 240, duration=240)
             for i in range(32)]
    return Score(bars=4, tracks=[Track(id="a", notes=notes),
                                 Track(id="b", is_drum=True, role="drums")])


def random_edit(rng: random.Random, doc: Doc[Any]) -> None:
    track_id = rng.choice(["a", "b"])
    notes: Map[Any] = tracks(doc)[track_id]["notes"]
    ids = list(notes.keys())
    roll = rng.random()
    if roll < 0.1 and ids:
        del notes[rng.choice(ids)]
    elif roll < 0.2:
        settings = doc.get("settings", type=Map)
        settings["bars"] = rng.choice([1, 2, 4, 8])
    elif roll < 0.5 or not ids:
        other = list(tracks(doc)["b" if track_id == "a" else "a"]["notes"].keys())
        note_id = rng.choice(other) if other and rng.random() < 0.15 else f"r{rng.random():.6f}"
        for _ in range(rng.choice([1, 1, 1, 8, 40])):
            notes[note_id if _ == 0 else f"{note_id}-{_}"] = Map({
                "pitch": rng.choice([36, 60, 127, 128, 60.5]),
                "start": rng.choice([0, 0, 100, BAR * 3, BAR * 20, BAR * 21]),
                "duration": rng.choice([1, 240, BAR, BAR * 16, 0]),
                "velocity": rng.choice([1, 90, 127])})
    else:
        note = notes[rng.choice(ids)]
        key = rng.choice(["start", "duration", "pitch"])
        note[key] = rng.choice({"start": [0, 480, BAR * 3, BAR * 20, BAR * 22, -1],
                                "duration": [1, 480, BAR * 8, BAR * 17, BAR * 30],
                                "pitch": [0, 127, 61, 130]}[key])


def valid(doc: Doc[Any]) -> bool:
    try:
        read_document(doc)
    except DocumentInvalid:
        return False
    return True


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_are_judged_as_the_model_judges_them(seed: int) -> None:
    rng = random.Random(seed)
    server = new_document(start_score(), MixSettings())
    gate = UpdateGate(server)
    client = peer(server)
    outcomes = set()
    for _ in range(60):
        update = change(client, lambda d: random_edit(rng, d))
        judge = peer(server)
        judge.apply_update(update)

        result = gate.apply(update)

        assert result.accepted == valid(judge), result.problem
        outcomes.add(result.accepted)
        if result.revert:
            client.apply_update(result.revert)
        assert read_document(server) == read_document(client)
    assert outcomes == {True, False}
