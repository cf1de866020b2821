"""The update gate's validated picture of the document, kept up to date part by part.

`Validated` re-reads only the parts a transaction touched (gate_touched.Touched). When only
notes and track fields of existing tracks changed (the common live edit) it checks the
Score's whole-score rules for the changed notes alone, against running totals (note count,
note ids, note-bars written) and the piece's bounds, so a one-note edit costs about one
note's validation whatever the score's size. Those quick checks are conservative: when one
fails, or anything else changed (settings, events, sections, master, a track added or
removed), the Score model itself decides over every track (`assemble`), the notes passed as
validated instances; its errors are what the client is told.
"""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map

from ariaforge.audio.options import MasterSettings
from ariaforge.collab.document_read import (
    assemble,
    read_base,
    read_master,
    read_note,
    read_parts,
    read_track,
    read_track_fields,
)
from ariaforge.collab.document_roots import unknown_roots, wrong_kind_roots
from ariaforge.collab.document_schema import TRACKS, DocumentInvalid
from ariaforge.collab.document_values import TrackPart
from ariaforge.collab.gate_spans import Spans
from ariaforge.collab.gate_touched import AGAIN, Touched
from ariaforge.music.bounds import MAX_TAIL_SECONDS, MAX_WRITTEN_NOTES, ScoreBoundsError
from ariaforge.music.bounds import _check_sounding as check_sounding
from ariaforge.music.score import MAX_NOTES, MAX_OVERRUN_BARS, Note, Score

NoteChanges = dict[tuple[str, str], Note | None]


def _written(score: Score, note: Note) -> int:
    """Note-bars the note is written as (what bounds.MAX_WRITTEN_NOTES counts)."""
    return score.bar_of(note.end - 1) - score.bar_of(note.start) + 1


def _same_span(old: Note | None, new: Note | None) -> bool:
    return old is not None and new is not None and (old.start, old.duration) == (
        new.start, new.duration)


class Validated:
    """A valid document as parts, with the running totals the quick checks need;
    `problem` is set while the document is invalid (replicas merged two changes each
    valid alone), until a change makes it valid again."""

    base: Score
    master: MasterSettings
    limit: int
    end_tick: int
    length: float
    owner: dict[str, str]  # note id -> its track id

    def __init__(self, doc: Doc[Any]) -> None:
        self.doc = doc
        self.problem: DocumentInvalid | None = None
        self.parts: dict[str, TrackPart] = {}
        self._written: dict[str, int] = {}
        self._spans: dict[str, Spans] = {}
        self.reload()

    def reload(self) -> None:
        try:
            parts = read_parts(self.doc)
        except DocumentInvalid as error:
            self.problem = error
            return
        self.settle(*parts)

    def settle(self, base: Score, master: MasterSettings, parts: dict[str, TrackPart]) -> None:
        """Check the whole score and, when valid, make it the current picture (else only
        `problem` changes)."""
        try:
            assemble(base, parts.values(), master, sort=False)
        except DocumentInvalid as error:
            self.problem = error
            return
        same_bars = self.problem is None and self.parts and (
            base.meter, base.meter_changes) == (self.base.meter, self.base.meter_changes)
        self._written = {track_id: self._written[track_id] if same_bars and (
            self.parts.get(track_id) is part) else sum(
                _written(base, note) for note in part.notes.values())
            for track_id, part in parts.items()}
        self._spans = {track_id: spans for track_id, spans in self._spans.items()
                       if self.parts.get(track_id) is parts.get(track_id)}
        self.problem = None
        self.base, self.master, self.parts = base, master, parts
        self.limit = base.bar_start(base.bars + 1 + MAX_OVERRUN_BARS)
        self.end_tick = base.end_tick
        self.length = base.seconds_at(self.end_tick)
        self.owner = {note_id: part.id for part in parts.values() for note_id in part.notes}

    # --- one transaction's changes -------------------------------------------------------

    def judge(self, touched: Touched) -> DocumentInvalid | None:
        """Take in what `touched` names when the result is valid; otherwise keep the
        current picture and return the problem."""
        wrong = wrong_kind_roots(self.doc, touched.suspects) if touched.suspects else []
        if wrong:
            return DocumentInvalid("the document is not a valid score", [
                {"loc": [name], "msg": f"{name} holds content of the wrong kind",
                 "type": "model_type"} for name in wrong])
        if self.problem is not None:
            return self._judge_from_invalid()
        strays = unknown_roots(self.doc)  # outside every observer: looked for each time
        if strays:
            return DocumentInvalid("the document is not a valid score", [
                {"loc": [name], "msg": "unknown root", "type": "extra_forbidden"}
                for name in strays])
        if not touched:
            return None
        known = self.parts.keys()
        if touched.structural or not (
                known >= touched.track_fields and known >= touched.notes.keys()):
            return self._judge_parts(touched)
        try:
            fields = {track_id: read_track_fields(track_id, self._track(track_id))
                      for track_id in touched.track_fields}
            notes = {(track_id, note_id): self._note(track_id, note_id, value)
                     for track_id, values in touched.notes.items()
                     for note_id, value in values.items()}
        except DocumentInvalid as error:
            return error
        if not self._quick(notes) or any(track.clips for track, _, _ in fields.values()):
            # Clips are checked against the piece's length by the model, over every part.
            return self._judge_parts(touched)
        for track_id, (track, order, mix) in fields.items():
            part = self.parts[track_id]
            part.fields, part.order, part.mix = track, order, mix
        for (track_id, note_id), note in notes.items():
            self._put(track_id, note_id, note)
        return None

    def _judge_from_invalid(self) -> DocumentInvalid | None:
        """An update to an invalid document is refused only for a different problem."""
        before = self.problem
        assert before is not None
        self.reload()
        if self.problem is None or self.problem.details == before.details:
            return None
        problem, self.problem = self.problem, before
        return problem

    def _judge_parts(self, touched: Touched) -> DocumentInvalid | None:
        """Re-read the touched parts; the Score model checks the whole score."""
        try:
            parts = self._read_parts(touched)
        except DocumentInvalid as error:
            return error
        self.settle(*parts)
        problem, self.problem = self.problem, None
        return problem

    def _read_parts(self, touched: Touched
                    ) -> tuple[Score, MasterSettings, dict[str, TrackPart]]:
        base = read_base(self.doc) if touched.base else self.base
        master = read_master(self.doc) if touched.master else self.master
        parts = dict(self.parts)
        tracks = self.doc.get(TRACKS, type=Map)
        for track_id in {*touched.whole_tracks, *touched.track_fields, *touched.notes}:
            value = tracks.get(track_id)
            if value is None:
                parts.pop(track_id, None)
            elif track_id in touched.whole_tracks or track_id not in parts:
                parts[track_id] = read_track(track_id, value)
            else:
                track, order, mix = read_track_fields(track_id, value)
                part = parts[track_id] = TrackPart(track_id, track, order, mix,
                                                   dict(parts[track_id].notes))
                for note_id, note_value in touched.notes.get(track_id, {}).items():
                    note = self._note(track_id, note_id, note_value)
                    if note is None:
                        part.notes.pop(note_id, None)
                    else:
                        part.notes[note_id] = note
        return base, master, parts

    def _track(self, track_id: str) -> Any:
        return self.doc.get(TRACKS, type=Map).get(track_id)

    def _note(self, track_id: str, note_id: str, value: Any) -> Note | None:
        if value is AGAIN:
            track = self._track(track_id)
            notes = track.get("notes") if isinstance(track, Map) else None
            if not isinstance(notes, Map):
                raise DocumentInvalid("the document is not a valid score", [{
                    "loc": [TRACKS, track_id, "notes"], "msg": "notes must be a Y.Map",
                    "type": "model_type"}])
            value = notes.get(note_id)
        return None if value is None else read_note(track_id, note_id, value)

    # --- the quick checks ----------------------------------------------------------------

    def _quick(self, notes: NoteChanges) -> bool:
        """The whole-score rules for these note changes alone; False: ask the model."""
        count, written = len(self.owner), sum(self._written.values())
        added: dict[str, list[Note]] = {}
        claimed: dict[str, str] = {}
        for (track_id, note_id), note in notes.items():
            old = self.parts[track_id].notes.get(note_id)
            if _same_span(old, note):
                continue  # pitch or velocity only: no whole-score rule can change
            if old is not None:
                count -= 1
                written -= _written(self.base, old)
            if note is None:
                continue
            if self.parts[track_id].fields.is_audio:
                return False  # an audio track takes no notes: the model says so
            owner = self.owner.get(note_id, track_id)
            if claimed.setdefault(note_id, track_id) != track_id or (
                    owner != track_id and notes.get((owner, note_id), True) is not None):
                return False  # one id in two tracks
            if note.end > self.limit or (note.end > self.end_tick and (
                    self.base.seconds_at(note.end) - self.length > MAX_TAIL_SECONDS)):
                return False
            count += 1
            written += _written(self.base, note)
            added.setdefault(track_id, []).append(note)
        if count > MAX_NOTES or written > MAX_WRITTEN_NOTES:
            return False
        return all(self._sounding_ok(track_id, new, notes) for track_id, new in added.items())

    def _sounding_ok(self, track_id: str, added: list[Note], notes: NoteChanges) -> bool:
        """Notes sounding together change only inside the new notes' spans: count there,
        over the untouched notes that overlap them (elsewhere the count can only drop)."""
        part = self.parts[track_id]
        spans = self._spans.get(track_id)
        if spans is None:
            spans = self._spans[track_id] = Spans(part.notes)
        nearby = [part.notes[note_id] for note_id in spans.overlapping(
            part.notes, min(note.start for note in added), max(note.end for note in added))
            if (track_id, note_id) not in notes]
        nearby = [note for note in nearby
                  if any(note.start < new.end and note.end > new.start for new in added)]
        try:
            check_sounding(track_id, [*nearby, *added])
        except ScoreBoundsError:
            return False
        return True

    def _put(self, track_id: str, note_id: str, note: Note | None) -> None:
        part = self.parts[track_id]
        if note is not None and _same_span(part.notes.get(note_id), note):
            part.notes[note_id] = note
            return
        spans = self._spans.get(track_id)
        old = part.notes.pop(note_id, None)
        if old is not None:
            self._written[track_id] -= _written(self.base, old)
            del self.owner[note_id]
            if spans is not None:
                spans.remove(note_id, old)
        if note is not None:
            part.notes[note_id] = note
            self._written[track_id] += _written(self.base, note)
            self.owner[note_id] = track_id
            if spans is not None:
                spans.add(note_id, note)
