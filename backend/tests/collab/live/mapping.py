"""The document schema (version 1) read independently of the server's reader: what a Yjs
client's document means as a Score and a MixSettings, so the tests can compare a client's
document with the score row and the mix the server stored."""

from __future__ import annotations

from typing import Any

from ariaforge.audio.options import MixSettings
from ariaforge.music.score import Score

EVENT_ORDER = {"tempo_changes": "tick", "meter_changes": "bar", "sections": "start_bar",
               "chord_symbols": "tick"}
TRACK_FIELDS = ("name", "role", "program", "is_drum", "volume", "pan", "mute", "solo",
                "colour")


def _events(content: dict[str, Any], root: str) -> list[dict[str, Any]]:
    # Sorted by their place; of duplicates the last in array order wins.
    by_place: dict[Any, dict[str, Any]] = {}
    for event in content.get(root) or []:
        by_place[event[EVENT_ORDER[root]]] = event
    return [by_place[place] for place in sorted(by_place)]


def _integral(value: Any) -> Any:
    # JS numbers arrive as doubles: 60.0 is the integer 60.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def score_of(content: dict[str, Any]) -> Score:
    settings = content["settings"]
    tracks = sorted(content["tracks"].items(), key=lambda item: (item[1]["order"], item[0]))
    return Score.model_validate({
        "tempo": settings["tempo"],
        "key": {"tonic": settings["tonic"], "mode": settings["mode"]},
        "meter": {"numerator": _integral(settings["meter_numerator"]),
                  "denominator": _integral(settings["meter_denominator"])},
        "bars": _integral(settings["bars"]),
        "tempo_changes": [{"tick": _integral(e["tick"]), "bpm": e["bpm"]}
                          for e in _events(content, "tempo_changes")],
        "meter_changes": [{"bar": _integral(e["bar"]),
                           "meter": {"numerator": _integral(e["numerator"]),
                                     "denominator": _integral(e["denominator"])}}
                          for e in _events(content, "meter_changes")],
        "sections": _events(content, "sections"),
        "chord_symbols": _events(content, "chord_symbols"),
        "tracks": [{"id": track_id,
                    **{field: _integral(track[field]) for field in TRACK_FIELDS},
                    "notes": [{"id": note_id, **{k: _integral(v) for k, v in note.items()}}
                              for note_id, note in track["notes"].items()]}
                   for track_id, track in tracks],
    })


def mix_of(content: dict[str, Any]) -> MixSettings:
    return MixSettings.model_validate({
        "master": content["master"],
        "tracks": {track_id: {"gain_db": track["gain_db"], "fx": track["fx"]}
                   for track_id, track in content["tracks"].items()
                   if track["gain_db"] != 0 or track["fx"]},
    })


def comparable(score: Score | dict[str, Any]) -> dict[str, Any]:
    """A score as JSON with each track's notes in id order (the document's notes are a map:
    it keeps no order, and the score row's order is not part of what it says)."""
    data = score.model_dump(mode="json") if isinstance(score, Score) else \
        Score.model_validate(score).model_dump(mode="json")
    for track in data["tracks"]:
        track["notes"].sort(key=lambda note: note["id"])
    return data


def pitches_of(content: dict[str, Any]) -> set[int]:
    return {_integral(note["pitch"]) for track in content["tracks"].values()
            for note in track["notes"].values()}
