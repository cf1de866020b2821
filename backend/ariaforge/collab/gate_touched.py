"""What transactions changed in the live document, collected from its deep observers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pycrdt import ArrayEvent, MapEvent

from ariaforge.collab.document_schema import MASTER, TRACKS

AGAIN = object()  # a touched note whose value must be looked up in the document


@dataclass(slots=True)
class Touched:
    """The parts changed since the last look."""

    base: bool = False  # settings or an event array
    master: bool = False
    whole_tracks: set[str] = field(default_factory=set)  # added, removed or replaced
    track_fields: set[str] = field(default_factory=set)
    # track id -> note id -> the note's value now (a Y.Map; None: deleted; AGAIN: look up)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # roots whose change showed nothing: content of the other kind (list items in a map)?
    suspects: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.base or self.master or self.whole_tracks or self.track_fields
                    or self.notes or self.suspects)

    @property
    def structural(self) -> bool:
        """Whether the Score model must check the whole score."""
        return self.base or self.master or bool(self.whole_tracks)

    def record(self, root: str, events: list[Any]) -> None:
        for event in events:
            path = list(event.path)
            keys: dict[str, Any] = getattr(event, "keys", {})
            if not path and ((isinstance(event, MapEvent) and not keys) or (
                    isinstance(event, ArrayEvent) and not getattr(event, "delta", None))):
                # Content of the other kind (list items in a map root, or map entries in an
                # array root) is invisible to every reader; or something added and deleted
                # in one transaction. The gate looks which.
                self.suspects.add(root)
            if root != TRACKS:
                self.master |= root == MASTER
                self.base |= root != MASTER
            elif not path:
                self.whole_tracks.update(keys)
            elif len(path) == 1 or path[1] != "notes":
                self.track_fields.add(str(path[0]))
                if len(path) == 1 and "notes" in keys:
                    self.whole_tracks.add(str(path[0]))
            else:
                self._note(path, keys, event)

    def _note(self, path: list[Any], keys: dict[str, Any], event: Any) -> None:
        notes = self.notes.setdefault(str(path[0]), {})
        if len(path) == 2:
            for note_id, change in keys.items():
                notes[note_id] = None if change["action"] == "delete" else change.get(
                    "newValue")
        elif len(path) == 3:
            notes[str(path[2])] = event.target
        else:  # deeper than the schema: the note holds a nested type; read it again
            notes.setdefault(str(path[2]), AGAIN)
