"""Putting back what a refused update changed, from the gate's validated picture.

Only the parts the update touched are rewritten, by ordinary writes: what they delete is
garbage collected when the transaction commits, so the refused values are gone from the
document and from every update built from it. (pycrdt's UndoManager keeps what it deletes,
for a redo: its revert would leave the refused values in the document and in the payload
the room persists.)
"""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map

from ariaforge.audio.options import MasterSettings
from ariaforge.collab.document_schema import EVENT_ROOTS, MASTER, ROOTS, SETTINGS, TRACKS
from ariaforge.collab.document_values import TrackPart
from ariaforge.collab.document_write import (
    clear_strays,
    events_content,
    note_content,
    replace_array,
    settings_content,
    track_content,
    track_map,
    write_map,
)
from ariaforge.collab.gate_touched import Touched
from ariaforge.music.score import Score


def restore(doc: Doc[Any], touched: Touched, base: Score, master: MasterSettings,
            parts: dict[str, TrackPart]) -> None:
    """Write the picture back over what `touched` names (call inside a transaction)."""
    if touched.base:
        write_map(doc.get(SETTINGS, type=Map), None, settings_content(base))
        events = events_content(base)
        for name in EVENT_ROOTS:
            array = doc.get(name, type=Array)
            if array.to_py() != events[name]:
                replace_array(array, events[name])
    if touched.master:
        write_map(doc.get(MASTER, type=Map), None, master.model_dump(mode="json"))
    tracks = doc.get(TRACKS, type=Map)
    for track_id in {*touched.whole_tracks, *touched.track_fields, *touched.notes}:
        _restore_track(tracks, track_id, parts.get(track_id), touched)
    if touched.suspects or any(name not in ROOTS for name in list(doc.keys())):
        clear_strays(doc)


def _restore_track(tracks: Map[Any], track_id: str, part: TrackPart | None,
                   touched: Touched) -> None:
    value = tracks.get(track_id)
    if part is None:
        if value is not None:
            del tracks[track_id]
        return
    content = track_content(part.fields, part.mix, part.order)
    notes = value.get("notes") if isinstance(value, Map) else None
    if not isinstance(value, Map) or not isinstance(notes, Map):
        tracks[track_id] = track_map(content, {note_id: note_content(note)
                                               for note_id, note in part.notes.items()})
        return
    if track_id in touched.whole_tracks or track_id in touched.track_fields:
        write_map(value, None, content, keep=("notes",))
    note_ids = {*part.notes, *notes.keys()} if track_id in touched.whole_tracks else set(
        touched.notes.get(track_id, {}))
    for note_id in note_ids:
        note = part.notes.get(note_id)
        current = notes.get(note_id)
        if note is None:
            if current is not None:
                del notes[note_id]
        elif isinstance(current, Map):
            write_map(current, None, note_content(note))
        else:
            notes[note_id] = Map(note_content(note))
