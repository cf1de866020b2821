"""Writing a Score and MixSettings into the live document, whole or as a difference.

A difference touches only what changed (one note field, one track field, one settings
key; an event array is replaced only when it differs), so concurrent live edits elsewhere
in the document survive a REST write.
"""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, TransactionEvent

from ariaforge.audio.options import MixSettings, TrackMix
from ariaforge.collab.document_schema import (
    CHORD_SYMBOLS,
    EVENT_ROOTS,
    MASTER,
    METER_CHANGES,
    ROOTS,
    SCHEMA_VERSION,
    SECTIONS,
    SETTINGS,
    TEMPO_CHANGES,
    TRACKS,
)
from ariaforge.collab.document_values import integral
from ariaforge.music.score import Note, Score, Track

Content = dict[str, Any]


# --- a score as the document's plain content ------------------------------------------


def settings_content(score: Score) -> Content:
    return {"schema": SCHEMA_VERSION, "tempo": score.tempo, "tonic": score.key.tonic,
            "mode": score.key.mode.value, "meter_numerator": score.meter.numerator,
            "meter_denominator": score.meter.denominator, "bars": score.bars}


def events_content(score: Score) -> dict[str, list[Content]]:
    return {
        TEMPO_CHANGES: [change.model_dump(mode="json") for change in score.tempo_changes],
        METER_CHANGES: [{"bar": change.bar, "numerator": change.meter.numerator,
                         "denominator": change.meter.denominator}
                        for change in score.meter_changes],
        SECTIONS: [section.model_dump(mode="json") for section in score.sections],
        CHORD_SYMBOLS: [chord.model_dump(mode="json") for chord in score.chord_symbols],
    }


def track_content(track: Track, mix: TrackMix, order: float) -> Content:
    """A track's plain fields (everything but `notes`)."""
    fields = track.model_dump(mode="json", exclude={"id", "notes"})
    return {**fields, "order": order, "gain_db": mix.gain_db,
            "fx": [effect.model_dump(mode="json") for effect in mix.fx]}


def note_content(note: Note) -> Content:
    return {"pitch": note.pitch, "start": note.start, "duration": note.duration,
            "velocity": note.velocity}


def notes_content(track: Track) -> dict[str, Content]:
    return {note.id: note_content(note) for note in track.notes}


def _same(a: Any, b: Any) -> bool:
    """Equal as the document stores them (numbers are doubles there)."""
    return bool(integral(a) == integral(b))


def track_map(content: Content, notes: dict[str, Content]) -> Map[Any]:
    return Map({**content, "notes": Map({note_id: Map(note) for note_id, note in notes.items()})})


# --- whole document -------------------------------------------------------------------


def new_document(score: Score, mix: MixSettings) -> Doc[Any]:
    """A document holding exactly `score` and `mix`, written in one transaction."""
    doc: Doc[Any] = Doc()
    events = events_content(score)
    with doc.transaction():
        doc[SETTINGS] = Map(settings_content(score))
        for name in EVENT_ROOTS:
            doc[name] = Array(events[name])
        doc[TRACKS] = Map({
            track.id: track_map(track_content(track, mix.tracks.get(track.id, TrackMix()),
                                               order), notes_content(track))
            for order, track in enumerate(score.tracks)})
        doc[MASTER] = Map(mix.master.model_dump(mode="json"))
    return doc


# --- differences ----------------------------------------------------------------------


def write_map(target: Map[Any], old: Content | None, new: Content,
               keep: tuple[str, ...] = ()) -> None:
    """Set the keys of `new` that differ from `old` (from the map itself when `old` is
    None, which also drops keys outside `new` and `keep`)."""
    current = (target.to_py() or {}) if old is None else old
    for key, value in new.items():
        if key not in current or not _same(current[key], value) or (
                old is None and isinstance(target.get(key), Map | Array)):
            target[key] = value
    if old is None:
        for key in [key for key in current if key not in new and key not in keep]:
            del target[key]


def _current_order(tracks: Map[Any], track_id: str) -> float | None:
    value = tracks.get(track_id)
    current = value.get("order") if isinstance(value, Map) else None
    if isinstance(current, int | float) and not isinstance(current, bool):
        return float(current)
    return None


def _track_orders(tracks: Map[Any], new: list[str], reorder: bool) -> dict[str, float]:
    """Order values that list `new` as given while keeping every current value that already
    fits (a moved track gets a value after its new predecessor). Without `reorder` (the
    change moved no track) current values stay even where a live move reordered them, and
    only new tracks get one, after the last."""
    current = {track_id: _current_order(tracks, track_id) for track_id in new}
    orders: dict[str, float] = {}
    if not reorder:
        last = max((value for value in current.values() if value is not None), default=-1.0)
        for track_id in new:
            value = current[track_id]
            if value is None:
                last = value = last + 1
            orders[track_id] = value
        return orders
    previous: float | None = None
    for track_id in new:
        value = current[track_id]
        if value is None or (previous is not None and value <= previous):
            value = 0.0 if previous is None else previous + 1
        orders[track_id] = previous = value
    return orders


def _write_notes(target: Map[Any], old: dict[str, Content] | None,
                 new: dict[str, Content]) -> None:
    for note_id, note in new.items():
        value = target.get(note_id)
        before = None if old is None else old.get(note_id)
        if not isinstance(value, Map):
            if before is None or not _same(before, note) or value is not None:
                target[note_id] = Map(note)  # new, or edited here but gone (or broken) there
        elif before is None or not _same(before, note):
            write_map(value, None if old is None else before, note)
    gone = (old or {}).keys() if old is not None else target.keys()
    for note_id in [note_id for note_id in gone if note_id not in new]:
        if note_id in target:
            del target[note_id]


def _moved(old: list[str], new: list[str]) -> bool:
    """Whether the tracks in both lists come in a different order, or a new track comes
    before a kept one (appending tracks keeps every current order value)."""
    both = set(old) & set(new)
    kept = [i for i in new if i in both]
    return [i for i in old if i in both] != kept or new[:len(kept)] != kept


def _write_tracks(doc: Doc[Any], old: tuple[Score, MixSettings] | None,
                  new: tuple[Score, MixSettings]) -> None:
    tracks = doc.get(TRACKS, type=Map)
    score, mix = new
    ids = [track.id for track in score.tracks]
    reorder = old is None or _moved([track.id for track in old[0].tracks], ids)
    orders = _track_orders(tracks, ids, reorder)
    before = {track.id: track for track in old[0].tracks} if old is not None else None
    for track in score.tracks:
        content = track_content(track, mix.tracks.get(track.id, TrackMix()), orders[track.id])
        notes = notes_content(track)
        value = tracks.get(track.id)
        previous = None if before is None else before.get(track.id)
        if not isinstance(value, Map) or not isinstance(value.get("notes"), Map):
            tracks[track.id] = track_map(content, notes)
            continue
        if previous is None:
            write_map(value, None, content, keep=("notes",))
            _write_notes(value["notes"], None, notes)
            continue
        assert old is not None
        old_content = track_content(previous, old[1].tracks.get(track.id, TrackMix()),
                                    orders[track.id])
        old_content["order"] = value.get("order")
        write_map(value, old_content, content)
        _write_notes(value["notes"], notes_content(previous), notes)
    gone = before.keys() if before is not None else tracks.keys()
    for track_id in [track_id for track_id in gone if track_id not in orders]:
        if track_id in tracks:
            del tracks[track_id]


def replace_array(array: Array[Any], items: list[Content]) -> None:
    if len(array):
        del array[0:len(array)]
    array.extend(items)


def _write(doc: Doc[Any], old: tuple[Score, MixSettings] | None,
           new: tuple[Score, MixSettings]) -> None:
    score, mix = new
    write_map(doc.get(SETTINGS, type=Map),
               settings_content(old[0]) if old is not None else None, settings_content(score))
    events = events_content(score)
    before = events_content(old[0]) if old is not None else None
    for name in EVENT_ROOTS:
        array = doc.get(name, type=Array)
        current = before[name] if before is not None else array.to_py() or []
        if not _same(current, events[name]) or (before is None and len(
                doc.get(name, type=Map))):
            replace_array(array, events[name])
    _write_tracks(doc, old, new)
    write_map(doc.get(MASTER, type=Map),
               old[1].master.model_dump(mode="json") if old is not None else None,
               mix.master.model_dump(mode="json"))
    if old is None:
        clear_strays(doc)


def clear_strays(doc: Doc[Any]) -> None:
    """Empty roots outside the schema, and list content in map roots (and map entries in
    array roots), which only a faulty client writes. Each root is typed as the schema says
    again afterwards, so that `doc[name]` keeps answering the right kind."""
    for name in list(doc.keys()):
        as_map = doc.get(name, type=Map)
        if name not in ROOTS or name in EVENT_ROOTS:
            for key in list(as_map.keys()):
                del as_map[key]
        as_array = doc.get(name, type=Array)
        if name not in EVENT_ROOTS and len(as_array):
            del as_array[0:len(as_array)]
        if name in ROOTS:
            doc.get(name, type=Array if name in EVENT_ROOTS else Map)


def apply_score_change(doc: Doc[Any], old: tuple[Score, MixSettings] | None,
                       new: tuple[Score, MixSettings], origin: Any = None) -> bytes:
    """Write into `doc` what differs between `old` and `new` (with `old=None`: between the
    document's current content and `new`, which repairs an invalid document), in one
    transaction with `origin`. Returns that transaction's update, b"" when nothing changed."""
    updates: list[bytes] = []

    def record(event: TransactionEvent) -> None:
        updates.append(event.update)

    subscription = doc.observe(record)
    try:
        with doc.transaction(origin=origin):
            _write(doc, old, new)
    finally:
        doc.unobserve(subscription)
    return updates[-1] if updates else b""

