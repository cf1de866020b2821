"""The live document's update gate (collab/gate.py) on a 2,000-note score, against the
peers a simpler gate would be, measured in the same run.

Figures (CPU microseconds per update, median of 5 rounds; CPU time so that other load on
the machine does not count):

* one-note edit: a client changes one note's pitch (quick path: one note validated);
* one-note move: a client moves one note in time (quick path: one note validated, the
  whole-score rules checked for that note alone);
* one-note add: a client adds a note;
* refused edit: pitch 200, applied, judged and undone (the revert and payload built);
* settings edit: the tempo (the Score model's whole-score checks over every track, the
  notes passed as validated instances);

against

* apply only: `Doc.apply_update` of the same one-note edit with no gate (the floor);
* Score.model_validate: the whole score validated from plain data, what a gate that
  re-validated the score per update would pay at least;
* whole-score rules alone: Score.model_validate over tracks passed as validated model
  instances (the Score's own whole-score checks, no note validated): the floor of any
  settings edit;
* read_document: the document read and validated whole.

A script, not a test: nothing here fails.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from pycrdt import Doc, Map

from ariaforge.audio.options import MixSettings
from ariaforge.collab.document import new_document, read_document
from ariaforge.collab.gate import UpdateGate
from ariaforge.music.score import Note, Score, Section, Track

ROUNDS = 5
UPDATES = 200
BARS = 64


def song() -> Score:
    """2,000 notes in four tracks over 64 bars of 4/4."""
    def notes(prefix: str, count: int, step: int, length: int, low: int) -> list[Note]:
        return [Note(id=f"{prefix}{i}", pitch=low + (i * 7) % 24, start=i * step,
                     duration=length, velocity=60 + i % 40) for i in range(count)]
    return Score(tempo=110, bars=BARS, sections=[Section(name="A", start_bar=1, bars=BARS)],
                 tracks=[Track(id="lead", role="melody", notes=notes("l", 500, 240, 200, 60)),
                         Track(id="keys", role="chords", notes=notes("k", 500, 240, 480, 48)),
                         Track(id="bass", role="bass", notes=notes("b", 500, 240, 220, 28)),
                         Track(id="drums", role="drums", is_drum=True,
                               notes=notes("d", 500, 240, 60, 36))])


def updates(doc: Doc[Any], count: int, edit: Callable[[Doc[Any], int], Any]) -> list[bytes]:
    """`count` successive updates of one client."""
    client: Doc[Any] = Doc()
    client.apply_update(doc.get_update())
    out = []
    for index in range(count):
        before = client.get_state()
        with client.transaction():
            edit(client, index)
        out.append(client.get_update(before))
    return out


def note(doc: Doc[Any], index: int) -> Map[Any]:
    track = ("lead", "keys", "bass", "drums")[index % 4]
    value: Map[Any] = doc.get("tracks", type=Map)[track]["notes"][f"{track[0]}{index * 37 % 500}"]
    return value


def per_update(score: Score, edit: Callable[[Doc[Any], int], Any], gated: bool = True) -> float:
    """Median microseconds per update over ROUNDS rounds of UPDATES updates."""
    rounds = []
    for _ in range(ROUNDS):
        doc = new_document(score, MixSettings())
        batch = updates(doc, UPDATES, edit)
        gate = UpdateGate(doc)
        assert gate.problem is None  # the first look reads the song whole: not timed
        apply = gate.apply if gated else doc.apply_update
        started = time.process_time()
        for update in batch:
            apply(update)
        rounds.append((time.process_time() - started) / len(batch) * 1e6)
    return statistics.median(rounds)


def per_call(call: Callable[[], Any], count: int = 10) -> float:
    rounds = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(count):
            call()
        rounds.append((time.process_time() - started) / count * 1e6)
    return statistics.median(rounds)


def set_pitch(doc: Doc[Any], index: int) -> None:
    note(doc, index)["pitch"] = 40 + index % 40


def move_note(doc: Doc[Any], index: int) -> None:
    note(doc, index)["start"] = (index * 37 % 500) * 240 + 120


def add_note(doc: Doc[Any], index: int) -> None:
    notes = doc.get("tracks", type=Map)["lead"]["notes"]
    notes[f"new{index}"] = Map({"pitch": 70, "start": index * 480 % (BARS * 1920),
                                "duration": 120, "velocity": 90})


def bad_pitch(doc: Doc[Any], index: int) -> None:
    note(doc, index)["pitch"] = 200


def set_tempo(doc: Doc[Any], index: int) -> None:
    doc.get("settings", type=Map)["tempo"] = 100 + index % 50


def main() -> None:
    score = song()
    data = score.model_dump(mode="json")
    # The Score validator over tracks already validated (pydantic keeps model instances
    # as they are): the floor of any check of the whole score.
    checked = {**data, "tracks": list(score.tracks)}
    doc = new_document(score, MixSettings())
    print(f"score: {sum(len(t.notes) for t in score.tracks)} notes in {len(score.tracks)} "
          f"tracks, {score.bars} bars")
    figures = {
        "gate: one-note edit": per_update(score, set_pitch),
        "gate: one-note move": per_update(score, move_note),
        "gate: one-note add": per_update(score, add_note),
        "gate: refused edit (pitch 200)": per_update(score, bad_pitch),
        "gate: settings edit (tempo)": per_update(score, set_tempo),
        "peer: apply only, no gate": per_update(score, set_pitch, gated=False),
        "peer: Score.model_validate": per_call(lambda: Score.model_validate(data)),
        "peer: whole-score rules alone": per_call(lambda: Score.model_validate(checked)),
        "peer: read_document": per_call(lambda: read_document(doc)),
    }
    for name, value in figures.items():
        print(f"{name:<34} {value:>10.0f} us CPU")
    edit = figures["gate: one-note edit"]
    print(f"one-note edit: {figures['peer: Score.model_validate'] / edit:.0f}x faster than "
          f"validating the whole score; {edit / figures['peer: apply only, no gate']:.1f}x "
          "the bare apply")
    settings = figures["gate: settings edit (tempo)"]
    print(f"settings edit: {settings / figures['peer: whole-score rules alone']:.1f}x the "
          "Score's whole-score rules alone")


if __name__ == "__main__":
    main()
