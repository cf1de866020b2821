"""Reading the live document back into a Score and MixSettings.

Every part is validated by the Score / MixSettings models themselves (document_values).
Parts are read separately (settings + events, each track's fields, each note) so
that the update gate can re-read only what an update touched; `assemble` then runs the
Score's whole-score checks over already-validated tracks without validating their notes
again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pycrdt import Array, Doc, Map
from pydantic import TypeAdapter, ValidationError

from ariaforge.audio.options import MasterSettings, MixSettings, TrackMix
from ariaforge.collab.document_roots import root_problems
from ariaforge.collab.document_schema import (
    CHORD_SYMBOLS,
    EVENT_KEYS,
    EVENT_ROOTS,
    KEY_KEYS,
    MASTER,
    MASTER_KEYS,
    METER_CHANGES,
    NOTE_KEYS,
    SCHEMA_VERSION,
    SECTIONS,
    SETTINGS,
    SETTINGS_KEYS,
    TEMPO_CHANGES,
    TRACK_KEYS,
    TRACK_OPTIONAL_KEYS,
    TRACK_SCORE_KEYS,
    TRACKS,
    DocumentInvalid,
)
from ariaforge.collab.document_values import (
    Loc,
    TrackPart,
    check_keys,
    detail,
    details_of,
    fail,
    integral,
    map_content,
    validate,
)
from ariaforge.music.score import Note, Score, Track

_NOTES = TypeAdapter(list[Note])


# --- settings and events --------------------------------------------------------------


def _ordered_events(name: str, items: list[Any]) -> tuple[list[Any], list[int]]:
    """The array sorted by its time field, the last of equal times kept (concurrent inserts
    land in any order), with each survivor's index in the document's array."""
    by = EVENT_ROOTS[name]
    keyed: dict[float, int] = {}
    rest: list[int] = []
    for index, item in enumerate(items):
        moment = item.get(by) if isinstance(item, dict) else None
        if isinstance(moment, int | float) and not isinstance(moment, bool):
            keyed[moment] = index  # a later one at the same time wins
        else:
            rest.append(index)  # not an object with a number: validation will say why
    order = [keyed[moment] for moment in sorted(keyed)] + rest
    return [items[index] for index in order], order


def _meter_change(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    out = {key: value for key, value in item.items() if key not in ("numerator", "denominator")}
    out["meter"] = {key: item[key] for key in ("numerator", "denominator") if key in item}
    return out


_SETTINGS_FIELDS: dict[tuple[int | str, ...], str] = {
    ("tempo",): "tempo", ("bars",): "bars", ("key", "tonic"): "tonic", ("key", "mode"): "mode",
    ("meter", "numerator"): "meter_numerator", ("meter", "denominator"): "meter_denominator",
    ("key",): "tonic", ("meter",): "meter_numerator",
}


def read_base(doc: Doc[Any]) -> Score:
    """The score's settings and events (no tracks), validated."""
    settings = doc.get(SETTINGS, type=Map).to_py() or {}
    problems = check_keys(settings, SETTINGS_KEYS, [SETTINGS])
    if "schema" in settings and settings["schema"] != SCHEMA_VERSION:
        problems.append(detail([SETTINGS, "schema"], f"Input should be {SCHEMA_VERSION}",
                               "literal_error"))
    fail(problems)
    events: dict[str, list[Any]] = {}
    indices: dict[str, list[int]] = {}
    for name in EVENT_ROOTS:
        events[name], indices[name] = _ordered_events(name, doc.get(name, type=Array).to_py()
                                                      or [])
        for position, item in enumerate(events[name]):
            if isinstance(item, dict):  # else validation says what it should be
                where: Loc = [name, indices[name][position]]
                problems += check_keys(item, EVENT_KEYS[name], where)
                if name == SECTIONS and isinstance(item.get("key"), dict):
                    problems += check_keys(item["key"], KEY_KEYS, [*where, "key"])
    fail(problems)

    def locate(loc: tuple[int | str, ...]) -> Loc:
        if loc in _SETTINGS_FIELDS:
            return [SETTINGS, _SETTINGS_FIELDS[loc]]
        if loc and loc[0] in EVENT_ROOTS:
            name = str(loc[0])
            rest = list(loc[1:])
            if rest and isinstance(rest[0], int):
                rest[0] = indices[name][rest[0]]
            if name == METER_CHANGES and rest[1:2] == ["meter"]:
                del rest[1]
            return [name, *rest]
        return list(loc)

    data = {
        "tempo": settings["tempo"], "bars": settings["bars"],
        "key": {"tonic": settings["tonic"], "mode": settings["mode"]},
        "meter": {"numerator": settings["meter_numerator"],
                  "denominator": settings["meter_denominator"]},
        TEMPO_CHANGES: events[TEMPO_CHANGES],
        METER_CHANGES: [_meter_change(item) for item in events[METER_CHANGES]],
        SECTIONS: events[SECTIONS], CHORD_SYMBOLS: events[CHORD_SYMBOLS],
    }
    base: Score = validate(Score, data, locate)
    return base


def read_master(doc: Doc[Any]) -> MasterSettings:
    master = doc.get(MASTER, type=Map).to_py() or {}
    fail(check_keys(master, MASTER_KEYS, [MASTER]))
    settings: MasterSettings = validate(MasterSettings, master,
                                         lambda loc: [MASTER, *loc])
    return settings


# --- tracks and notes -----------------------------------------------------------------


def read_note(track_id: str, note_id: str, value: Any) -> Note:
    """One note. Notes hold numbers only, so pydantic's strict Python mode (no JSON round
    trip) applies once integral doubles are ints."""
    loc: Loc = [TRACKS, track_id, "notes", note_id]
    if not isinstance(value, Map):
        raise DocumentInvalid("the document is not a valid score",
                              [detail(loc, "a note must be a Y.Map", "model_type")])
    data = map_content(value)
    fail(check_keys(data, NOTE_KEYS, loc))
    try:
        return Note.model_validate({"id": note_id, **integral(data)}, strict=True)
    except ValidationError as error:
        raise DocumentInvalid("the document is not a valid score", details_of(
            error, lambda sub: [*loc, *sub])) from None


def read_track_fields(track_id: str, value: Any) -> tuple[Track, float, TrackMix]:
    """A track's own fields (its notes map is read separately)."""
    loc: Loc = [TRACKS, track_id]
    if not isinstance(value, Map):
        raise DocumentInvalid("the document is not a valid score",
                              [detail(loc, "a track must be a Y.Map", "model_type")])
    data = {**TRACK_OPTIONAL_KEYS,
            **{key: value[key] for key in list(value.keys()) if key != "notes"}}
    problems = check_keys({**data, "notes": None} if "notes" in value else data, TRACK_KEYS, loc)
    if "notes" in value and not isinstance(value["notes"], Map):
        problems.append(detail([*loc, "notes"], "notes must be a Y.Map", "model_type"))
    for name in ("fx", "clips"):
        if name in data and not isinstance(data[name], list):
            problems.append(detail([*loc, name], f"{name} must be a plain JSON array",
                                   "list_type"))
    order = data.get("order")
    if not isinstance(order, int | float) or isinstance(order, bool):
        problems.append(detail([*loc, "order"], "Input should be a valid number", "float_type"))
    fail(problems)
    fields: Track = validate(
        Track, {"id": track_id, **{key: data[key] for key in TRACK_SCORE_KEYS}},
        lambda sub: [*loc, *sub])
    notes = value.get("notes")
    if fields.is_audio and isinstance(notes, Map) and len(notes):
        # Notes arrive in their own map, which the Track above never saw.
        fail([detail([*loc, "notes"], "an audio track holds clips, not notes",
                     "value_error")])
    mix: TrackMix = validate(TrackMix, {"gain_db": data["gain_db"], "fx": data["fx"]},
                              lambda sub: [*loc, *sub])
    assert isinstance(order, int | float)
    return fields, float(order), mix


def read_track(track_id: str, value: Any) -> TrackPart:
    fields, order, mix = read_track_fields(track_id, value)
    notes_map: Map[Any] = value["notes"]
    loc: Loc = [TRACKS, track_id, "notes"]
    contents = map_content(notes_map)  # every note at once; their kinds checked below
    problems = [detail([*loc, note_id], "a note must be a Y.Map", "model_type")
                for note_id, note in notes_map.items() if not isinstance(note, Map)]
    fail(problems)
    ids = list(contents)
    for note_id in ids:
        problems += check_keys(contents[note_id], NOTE_KEYS, [*loc, note_id])
    fail(problems)
    try:
        notes = _NOTES.validate_python(
            [{"id": note_id, **integral(contents[note_id])} for note_id in ids], strict=True)
    except ValidationError as error:
        raise DocumentInvalid("the document is not a valid score", details_of(
            error, lambda sub: [*loc, ids[int(sub[0])], *sub[1:]])) from None
    return TrackPart(track_id, fields, order, mix, dict(zip(ids, notes, strict=True)))


# --- the whole document ---------------------------------------------------------------


def ordered(parts: Iterable[TrackPart]) -> list[TrackPart]:
    return sorted(parts, key=lambda part: (part.order, part.id))


def assemble(base: Score, parts: Iterable[TrackPart], master: MasterSettings,
             sort: bool = True) -> tuple[Score, MixSettings]:
    """The Score's whole-score checks over validated parts; the tracks' notes are passed as
    model instances, which pydantic does not validate again. (`sort=False`: notes in no
    particular order, for a check whose Score is not kept.)"""
    tracks = ordered(parts)
    data = {name: getattr(base, name) for name in Score.model_fields if name != "tracks"}
    try:
        score = Score.model_validate({**data, "tracks": [part.track(sort) for part in tracks]})
    except ValidationError as error:
        raise DocumentInvalid("the document is not a valid score",
                              details_of(error, list)) from None
    mix = MixSettings(master=master, tracks={
        part.id: part.mix for part in tracks if part.mix.gain_db != 0 or part.mix.fx})
    return score, mix


def read_parts(doc: Doc[Any]) -> tuple[Score, MasterSettings, dict[str, TrackPart]]:
    """Every part, validated on its own; DocumentInvalid lists every problem found."""
    problems = root_problems(doc)
    base = master = None
    parts: dict[str, TrackPart] = {}
    try:
        base = read_base(doc)
    except DocumentInvalid as error:
        problems += error.details
    try:
        master = read_master(doc)
    except DocumentInvalid as error:
        problems += error.details
    for track_id, value in doc.get(TRACKS, type=Map).items():
        try:
            parts[track_id] = read_track(track_id, value)
        except DocumentInvalid as error:
            problems += error.details
    fail(problems)
    assert base is not None
    assert master is not None
    return base, master, parts


def read_document(doc: Doc[Any]) -> tuple[Score, MixSettings]:
    """The Score and MixSettings the document holds; DocumentInvalid lists every problem
    found (up to 50)."""
    base, master, parts = read_parts(doc)
    return assemble(base, parts.values(), master)
