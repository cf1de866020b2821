"""The live document's schema (version 1, docs/collaboration.md): root names, the keys each
map holds, and the error every reader and the update gate raise."""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 1

SETTINGS = "settings"
TEMPO_CHANGES = "tempo_changes"
METER_CHANGES = "meter_changes"
SECTIONS = "sections"
CHORD_SYMBOLS = "chord_symbols"
TRACKS = "tracks"
MASTER = "master"

# The four event arrays hold plain JSON objects; the reader sorts them by this field.
EVENT_ROOTS: dict[str, str] = {
    TEMPO_CHANGES: "tick", METER_CHANGES: "bar", SECTIONS: "start_bar", CHORD_SYMBOLS: "tick",
}
# The keys of each event object (every one required; `key` may be null).
EVENT_KEYS: dict[str, tuple[str, ...]] = {
    TEMPO_CHANGES: ("tick", "bpm"), METER_CHANGES: ("bar", "numerator", "denominator"),
    SECTIONS: ("name", "start_bar", "bars", "key"), CHORD_SYMBOLS: ("tick", "symbol"),
}
KEY_KEYS = ("tonic", "mode")
MAP_ROOTS = (SETTINGS, TRACKS, MASTER)
ROOTS = (SETTINGS, *EVENT_ROOTS, TRACKS, MASTER)

SETTINGS_KEYS = ("schema", "tempo", "tonic", "mode", "meter_numerator", "meter_denominator",
                 "bars")
MASTER_KEYS = ("gain_db", "limiter", "ceiling_dbtp")
# Track fields stored as plain values; `notes` is a nested map, `fx` an atomic JSON array.
TRACK_SCORE_KEYS = ("name", "role", "program", "is_drum", "volume", "pan", "mute", "solo",
                    "colour", "preset_id", "clips")
TRACK_KEYS = (*TRACK_SCORE_KEYS, "order", "gain_db", "fx", "notes")
# Keys added after documents were first stored: a track without them has their default
# (no preset, no clips). `clips` is an atomic JSON array of AudioClip objects, like `fx`.
TRACK_OPTIONAL_KEYS: dict[str, object] = {"preset_id": None, "clips": []}
NOTE_KEYS = ("pitch", "start", "duration", "velocity")

Detail = dict[str, Any]


class DocumentInvalid(ValueError):
    """The document does not describe a valid Score + MixSettings. `details` has the shape
    of the REST validation error details: [{"loc": [...], "msg": ..., "type": ...}]."""

    def __init__(self, message: str, details: list[Detail]) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __repr__(self) -> str:
        return f"DocumentInvalid({self.message!r}, {self.details!r})"
