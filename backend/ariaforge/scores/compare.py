"""How one score differs from another: per track the notes added, removed and changed
(matched by note id, which edits keep), tracks added and removed, and the song's
settings, sections, chords and tempo/meter changes. Pure: one pass over each score, so
the work is linear in the notes and events, which the Score model bounds (ADR 0015)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel

from ariaforge.music.score import Note, Score, Track
from ariaforge.scores.schemas import ChangedNote, FieldChange, TrackChanges

# The properties of a track that a comparison reports (its notes are compared apart).
TRACK_FIELDS = ("name", "role", "program", "is_drum", "volume", "pan", "mute", "solo",
                "colour")
SETTINGS = ("tempo", "key", "meter", "bars")
EVENT_LISTS = ("tempo_changes", "meter_changes", "sections", "chord_symbols")

Event = TypeVar("Event", bound=BaseModel)


def compare_tracks(before: Score, after: Score) -> list[TrackChanges]:
    """Tracks that differ, in the later score's order, then those it removed."""
    old = {track.id: track for track in before.tracks}
    new_ids = {track.id for track in after.tracks}
    changes = [_track(old.get(track.id), track) for track in after.tracks]
    changes += [_track(track, None) for track in before.tracks if track.id not in new_ids]
    return [change for change in changes if change is not None]


def _track(old: Track | None, new: Track | None) -> TrackChanges | None:
    shown = new or old
    assert shown is not None
    kind: Literal["added", "removed", "changed"] = (
        "added" if old is None else "removed" if new is None else "changed")
    old_notes = {note.id: note for note in old.notes} if old else {}
    new_notes = {note.id: note for note in new.notes} if new else {}
    added = [note for note_id, note in new_notes.items() if note_id not in old_notes]
    removed = [note for note_id, note in old_notes.items() if note_id not in new_notes]
    changed = [ChangedNote(id=note_id, before=old_notes[note_id], after=note)
               for note_id, note in new_notes.items()
               if note_id in old_notes and _values(old_notes[note_id]) != _values(note)]
    fields = _fields(old, new, TRACK_FIELDS) if old and new else []
    if kind == "changed" and not (added or removed or changed or fields):
        return None
    return TrackChanges(track_id=shown.id, name=shown.name, change=kind, fields=fields,
                        added_notes=_in_time(added), removed_notes=_in_time(removed),
                        changed_notes=changed)


def _values(note: Note) -> tuple[int, int, int, int]:
    return note.pitch, note.start, note.duration, note.velocity


def _in_time(notes: list[Note]) -> list[Note]:
    return sorted(notes, key=lambda note: (note.start, note.pitch, note.id))


def _fields(old: BaseModel, new: BaseModel, names: Sequence[str]) -> list[FieldChange]:
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(FieldChange(field=name, before=_json(before), after=_json(after)))
    return changes


def _json(value: object) -> object:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value


def compare_settings(before: Score, after: Score) -> list[FieldChange]:
    return _fields(before, after, SETTINGS)


def compare_events(before: Sequence[Event],
                   after: Sequence[Event]) -> tuple[list[Event], list[Event]]:
    """Events (chords, sections, tempo and meter changes) have no ids: one that changed
    is removed in its old form and added in its new. (added, removed)."""
    old = [item.model_dump_json() for item in before]
    new = [item.model_dump_json() for item in after]
    old_set, new_set = set(old), set(new)
    return ([item for item, key in zip(after, new, strict=True) if key not in old_set],
            [item for item, key in zip(before, old, strict=True) if key not in new_set])


def compare(before: Score, after: Score) -> dict[str, object]:
    """Every difference, as the fields of a VersionComparison."""
    def events(name: str) -> dict[str, object]:
        added, removed = compare_events(getattr(before, name), getattr(after, name))
        return {"added": added, "removed": removed}

    return {"tracks": compare_tracks(before, after),
            "settings": compare_settings(before, after),
            **{name: events(name) for name in EVENT_LISTS}}
